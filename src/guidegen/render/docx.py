"""The Word renderer: a Guide laid out as a native, editable .docx (python-docx).

It lays out the same Guide as the PDF, in the same order, with Word's own
building blocks so that a coach can edit it: Heading styles (the navigation
pane shows the outline), real tables whose shaded header row repeats across
pages, real lists (bullets and checkboxes), PAGE fields in the footer, and a
table of contents that Word refreshes on open. It decides no content: every
word comes from the Guide or from its language's `Labels`.

A brand sets the colours, the font named in the styles, the page size, the
logo (cover and header) and the footer text. A brand's reference document
works like pandoc's --reference-doc: the guide is built inside it, so its
styles, header, footer and logo carry over.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

import guidegen
from guidegen.models.brand import DEFAULT_BRAND, Brand, logo_kind
from guidegen.models.guide import Guide
from guidegen.render.labels import labels_for

MUTED = "616E7C"
EVIDENCE = "1F6B3A"
TINT = "EEF2F6"
NOTE_TINT = "FFF6EE"
RULE = "D9DEE4"
BULLET, BULLET_FONT = "•", "Symbol"
CHECKBOX, CHECKBOX_FONT = "☐", "Segoe UI Symbol"  # has ☐ on Windows; others fall back
PAGE_SIZES = {"A4": (Mm(210), Mm(297)), "Letter": (Mm(215.9), Mm(279.4))}
MARGIN = Mm(18)
LOGO_RASTER_HEIGHT_PX = 240  # an SVG logo, rasterized for Word: crisp at cover size
# Styles the layout uses; a reference document that lacks one gets python-docx's.
STYLES_USED = ("Title", "Subtitle", "Heading 1", "Heading 2", "List Paragraph", "TOC Heading")
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@dataclass(frozen=True)
class _Palette:
    primary: str
    accent: str
    text: str
    on_primary: str

    @classmethod
    def of(cls, brand: Brand) -> _Palette:
        from guidegen.render.theming import on_color

        colors = brand.colors
        return cls(
            primary=colors.primary[1:],
            accent=colors.accent[1:],
            text=colors.text[1:],
            on_primary=on_color(colors.primary)[1:],
        )


class DocxRenderer:
    """Builds one .docx per Guide; holds only the brand's prepared files between renders."""

    def __init__(self, brand: Brand = DEFAULT_BRAND):
        self.brand = brand
        self.palette = _Palette.of(brand)
        self.logo = logo_for_word(brand.logo) if brand.logo else None
        self.reference = reference_bytes(brand.reference_doc) if brand.reference_doc else None

    def render(self, guide: Guide, *, chart_png: bytes, created: dt.datetime) -> bytes:
        builder = _Builder(self, guide, chart_png)
        builder.build()
        builder.set_properties(created)
        buffer = io.BytesIO()
        builder.document.save(buffer)
        return reproducible_zip(buffer.getvalue(), created)


def logo_for_word(path: Path) -> bytes:
    """PNG or JPEG as is; an SVG rasterized to PNG (python-docx embeds bitmaps only)."""
    if logo_kind(path) != "svg":
        return path.read_bytes()
    import cairosvg  # only brands with an SVG logo need it

    return cairosvg.svg2png(
        bytestring=path.read_bytes(), output_height=LOGO_RASTER_HEIGHT_PX, unsafe=False
    )


def reference_bytes(path: Path) -> bytes:
    """The reference document as a .docx: a .dotx differs only in its main content type."""
    data = path.read_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml").decode("utf-8")
    if TEMPLATE_MAIN not in types:
        return data
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "[Content_Types].xml":
                content = types.replace(TEMPLATE_MAIN, DOCUMENT_MAIN).encode("utf-8")
            target.writestr(entry, content)
    return output.getvalue()


def reproducible_zip(data: bytes, created: dt.datetime) -> bytes:
    """The same archive with every entry dated `created`: same input, same bytes.

    python-docx stamps each part with the current time; a coach's re-render, or
    a build with SOURCE_DATE_EPOCH, must not differ for that alone.
    """
    stamp = created.astimezone(dt.UTC).timetuple()[:6]
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))  # the ZIP format's epoch
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return output.getvalue()


class _Builder:
    def __init__(self, renderer: DocxRenderer, guide: Guide, chart_png: bytes):
        self.brand = renderer.brand
        self.colors = renderer.palette
        self.logo = renderer.logo
        self.guide = guide
        self.labels = labels_for(guide.language)
        self.chart_png = chart_png
        if renderer.reference is not None:
            self.document = _emptied(Document(io.BytesIO(renderer.reference)))
        else:
            self.document = Document()
        self.inherits = renderer.reference is not None
        self._numbering: dict[str, int] = {}
        _add_missing_styles(self.document)
        # Style ids by name, looked up once: python-docx scans every style on each
        # lookup by name, which was most of the time spent building a guide.
        self._style_ids = {style.name: style.style_id for style in self.document.styles}

    # --- the document, section by section ------------------------------------------------

    def build(self) -> None:
        self._setup_page()
        if not self.inherits:
            self._setup_styles()
        self._cover()
        self._overview()
        if self.guide.coach_notes:
            self._coach_notes()
        self._transferable()
        self._learning()
        self._roadmap()
        self._reality_check()
        self._action_plan()
        self._faq()
        self._call_to_action()
        self._header_and_footer()

    def _cover(self) -> None:
        guide = self.guide
        if self.logo:
            self.document.add_picture(io.BytesIO(self.logo), height=Mm(16))
            picture = self.document.paragraphs[-1]
            _describe_picture(picture, self.brand.name or "Logo", self.brand.name or "Logo")
        eyebrow = self._add()
        self._run(eyebrow, self.labels.eyebrow.upper(), size=8, color=self.colors.accent, bold=True)
        self._add(guide.title, "Title")
        self._add(guide.subtitle, "Subtitle")
        meta = self._add()
        facts = [(self.labels.prepared_for, guide.candidate.name)]
        if guide.prepared_by:
            facts.append((self.labels.prepared_by, guide.prepared_by))
        facts.append((self.labels.date, self.labels.date_text(guide.prepared_on)))
        for index, (label, value) in enumerate(facts):
            if index:
                self._run(meta, "    ")
            self._run(meta, f"{label.upper()}  ", size=8, color=MUTED)
            self._run(meta, value, bold=True)
        toc_title = self._add(self.labels.contents, "TOC Heading")
        toc_title.paragraph_format.space_before = Pt(12)
        self._table_of_contents()

    def _table_of_contents(self) -> None:
        """A TOC field whose shown result already lists the sections.

        Word rebuilds it with page numbers when the file opens (updateFields);
        readers that do not update fields still show the list of sections.
        """
        guide = self.guide
        entries = [guide.overview.heading]
        if guide.coach_notes:
            entries.append(guide.coach_notes.heading)
        entries += [
            guide.transferable.heading,
            guide.learning.heading,
            guide.roadmap.heading,
            guide.reality_check.heading,
            guide.action_plan.heading,
            guide.faq.heading,
            guide.call_to_action.heading,
        ]
        paragraphs = [self._add() for _ in entries]
        _field_start(paragraphs[0], 'TOC \\o "1-2" \\h \\z \\u')
        for paragraph, entry in zip(paragraphs, entries, strict=True):
            paragraph.paragraph_format.space_after = Pt(1)
            self._run(paragraph, entry, color=self.colors.primary)
        _field_end(paragraphs[-1])

    def _overview(self) -> None:
        overview = self.guide.overview
        self._heading(overview.heading, 1)
        for fact in overview.at_a_glance:
            paragraph = self._add()
            self._run(paragraph, f"{fact.label.upper()}  ", size=7.5, color=MUTED)
            self._run(paragraph, fact.value, bold=True, size=9)
            _box(paragraph, fill=TINT, border=self.colors.primary, space_after=0)
        self.document.paragraphs[-1].paragraph_format.space_after = Pt(8)
        intro = self._add()
        self._run(intro, overview.intro, bold=True)
        for text in overview.paragraphs:
            self._add(text)

    def _coach_notes(self) -> None:
        notes = self.guide.coach_notes
        self._heading(notes.heading, 1)
        for text in notes.paragraphs:
            _box(self._add(text), fill=NOTE_TINT, border=self.colors.accent)

    def _transferable(self) -> None:
        section = self.guide.transferable
        self._heading(section.heading, 1)
        self._lead(section.lead)
        table = self._table(
            [self.labels.skill, self.labels.why_it_transfers, self.labels.on_your_profile],
            [36, 92, 46],
        )
        for item in section.items:
            name, why, evidence = self._row(table)
            self._run(name.paragraphs[0], item.name, bold=True, color=self.colors.primary)
            why.paragraphs[0].text = item.why
            if item.evidenced:
                self._run(evidence.paragraphs[0], "✓ ", bold=True, color=EVIDENCE)
                text = ", ".join(item.evidence)
                self._run(evidence.paragraphs[0], text, bold=True, color=EVIDENCE)
            else:
                self._run(evidence.paragraphs[0], self.labels.not_listed, color=MUTED)

    def _learning(self) -> None:
        section = self.guide.learning
        self._heading(section.heading, 1)
        self._lead(section.lead)
        table = self._table(
            [self.labels.rank, self.labels.skill, self.labels.how_to_learn, self.labels.resources],
            [12, 36, 70, 56],
        )
        for item in section.items:
            rank, name, how, resources = self._row(table)
            if item.covered:
                self._run(rank.paragraphs[0], self.labels.covered, size=7, color=MUTED, bold=True)
            else:
                number = str(item.rank)
                self._run(rank.paragraphs[0], number, size=13, bold=True, color=self.colors.accent)
            self._run(name.paragraphs[0], item.name, bold=True, color=self.colors.primary)
            if item.covered:
                note = f"{self.labels.you_have} {', '.join(item.covered_by)}"
                self._run(name.add_paragraph(), note, size=8, color=MUTED)
            how.paragraphs[0].text = item.how
            for index, resource in enumerate(item.resources):
                paragraph = resources.paragraphs[0] if index == 0 else resources.add_paragraph()
                self._list_item(paragraph, "bullet")
                if resource.url:
                    self._hyperlink(paragraph, resource.url, resource.title)
                else:
                    self._run(paragraph, resource.title)
                self._run(paragraph).add_break()
                note = self.labels.resource_note(resource.provider, resource.kind)
                self._run(paragraph, note, size=7.5, color=MUTED)
        if section.covered_note:
            self._run(self._add(), section.covered_note, italic=True, size=9, color=MUTED)

    def _roadmap(self) -> None:
        roadmap = self.guide.roadmap
        self._heading(roadmap.heading, 1)
        self._lead(f"{roadmap.lead} {roadmap.pace_note}")
        for note in roadmap.notes:
            self._run(self._add(), note, italic=True, size=9, color=MUTED)
        self.document.add_picture(io.BytesIO(self.chart_png), width=self._text_width())
        picture = self.document.paragraphs[-1]
        _describe_picture(picture, self.labels.chart_caption, roadmap.chart_alt_text)
        for phase in roadmap.phases:
            number, name = self.labels.phase_heading(phase)
            heading = self._heading("", 2)
            self._run(heading, number, color=self.colors.accent)
            self._run(heading, f" {name}")
            dates = self._add()
            dates.paragraph_format.keep_with_next = True
            self._run(dates, self.labels.phase_dates(phase), size=9, color=MUTED)
            for task in phase.items:
                item = self._dated_item(task.text, self.labels.task_due(task), "bullet")
                if task.note:
                    self._run(item).add_break()
                    self._run(item, task.note, italic=True, size=8.5, color=MUTED)
            for task in phase.skipped:
                self._run(
                    self._add(), f"{task.note}: {task.text}", italic=True, size=8.5, color=MUTED
                )

    def _reality_check(self) -> None:
        section = self.guide.reality_check
        self._heading(section.heading, 1)
        self._lead(section.lead)
        for heading, items in (
            (section.love_heading, section.love),
            (section.miss_heading, section.miss),
            (section.challenges_heading, section.challenges),
        ):
            self._heading(heading, 2)
            self._items(items, "bullet")

    def _action_plan(self) -> None:
        section = self.guide.action_plan
        self._heading(section.heading, 1)
        self._lead(section.lead)
        for action_list in section.lists:
            heading = self._heading(action_list.heading, 2)
            self._run(heading, f" {self.labels.due(action_list)}", size=9, color=MUTED, bold=False)
            if action_list.note:
                self._run(self._add(), action_list.note, italic=True, size=9, color=MUTED)
            for item in action_list.items:
                self._dated_item(item.text, self.labels.item_due(item), "checkbox")

    def _faq(self) -> None:
        section = self.guide.faq
        self._heading(section.heading, 1)
        for entry in section.entries:
            self._heading(entry.question, 2)
            self._add(entry.answer)

    def _call_to_action(self) -> None:
        action = self.guide.call_to_action
        self._heading(action.heading, 1)
        _box(self._add(action.text), fill=TINT, border=self.colors.primary)
        if action.url:
            self._hyperlink(self._add(), action.url, action.url)
        if action.contact:
            self._run(self._add(), " · ".join(action.contact), size=9, color=MUTED)

    def _header_and_footer(self) -> None:
        """Logo and brand on the left of the header, the candidate on its right; the
        brand's footer text and the page number below. The cover page has no header.

        A reference document's own header and footer win when it has them.
        """
        section = self.document.sections[0]
        right_tab = self._text_width()
        if section.header.is_linked_to_previous:
            section.different_first_page_header_footer = True
            header = section.header.paragraphs[0]
            header.style = self.document.styles["Normal"]  # not the Header style's tab stops
            header.paragraph_format.tab_stops.add_tab_stop(right_tab, WD_TAB_ALIGNMENT.RIGHT)
            if self.logo:
                run = header.add_run()
                run.add_picture(io.BytesIO(self.logo), height=Mm(7))
                _describe_picture(header, self.brand.name or "Logo", self.brand.name or "Logo")
                self._run(header, " ")
            if self.brand.name:
                self._run(header, self.brand.name, size=8, bold=True, color=MUTED)
            running = f"\t{self.guide.candidate.name} · {self.guide.title}"
            self._run(header, running, size=7.5, color=MUTED)
        if section.footer.is_linked_to_previous:
            for footer in (section.footer, section.first_page_footer):
                self._footer(footer.paragraphs[0], right_tab)

    def _footer(self, paragraph: Paragraph, right_tab: Emu) -> None:
        paragraph.style = self.document.styles["Normal"]
        paragraph.paragraph_format.tab_stops.add_tab_stop(right_tab, WD_TAB_ALIGNMENT.RIGHT)
        if self.brand.footer:
            self._run(paragraph, self.brand.footer, size=7.5, color=MUTED)
        self._run(paragraph, f"\t{self.labels.page} ", size=7.5, color=MUTED)
        _field(paragraph, "PAGE", "1", self._run, size=7.5, color=MUTED)
        self._run(paragraph, f" {self.labels.of} ", size=7.5, color=MUTED)
        _field(paragraph, "NUMPAGES", "1", self._run, size=7.5, color=MUTED)

    # --- building blocks -------------------------------------------------------------------

    def _add(self, text: str = "", style: str | None = None) -> Paragraph:
        """A body paragraph, styled by id (see `_style_ids`)."""
        paragraph = self.document.add_paragraph(text)
        if style is not None:
            paragraph._p.style = self._style_ids[style]
        return paragraph

    def _heading(self, text: str, level: int) -> Paragraph:
        return self._add(text, f"Heading {level}")

    def _lead(self, text: str) -> None:
        paragraph = self._add()
        paragraph.paragraph_format.keep_with_next = True
        self._run(paragraph, text, color=MUTED)

    def _dated_item(self, text: str, due: str, kind: str) -> Paragraph:
        """A list item with its due date after it, in small muted type."""
        paragraph = self._add(text)
        self._run(paragraph, f"  {due}", size=8.5, color=MUTED)
        self._list_item(paragraph, kind)
        return paragraph

    def _items(self, items: list[str], kind: str) -> None:
        for item in items:
            self._list_item(self._add(item), kind)

    def _list_item(self, paragraph: Paragraph, kind: str) -> None:
        """Make `paragraph` an item of a real Word list: bullets or checkboxes."""
        paragraph._p.style = self._style_ids["List Paragraph"]
        properties = paragraph._p.get_or_add_pPr()
        numbering = _element("w:numPr")
        numbering.append(_element("w:ilvl", {"w:val": "0"}))
        numbering.append(_element("w:numId", {"w:val": str(self._num_id(kind))}))
        properties.find(qn("w:pStyle")).addnext(numbering)  # the schema's order

    def _num_id(self, kind: str) -> int:
        """A one-level list definition per kind, added to the document once.

        Defined here rather than taken from the List Bullet style, whose numbering
        a reference document may not have.
        """
        if kind not in self._numbering:
            glyph, font = {"bullet": (BULLET, BULLET_FONT), "checkbox": (CHECKBOX, CHECKBOX_FONT)}[
                kind
            ]
            numbering = self.document.part.numbering_part.element
            abstract_ids = [
                int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))
            ]
            abstract_id = max([9000, *abstract_ids]) + 1
            abstract = _element("w:abstractNum", {"w:abstractNumId": str(abstract_id)})
            abstract.append(_element("w:multiLevelType", {"w:val": "singleLevel"}))
            level = _element("w:lvl", {"w:ilvl": "0"})
            for tag, value in (("w:start", "1"), ("w:numFmt", "bullet"), ("w:lvlText", glyph)):
                level.append(_element(tag, {"w:val": value}))
            level.append(_element("w:lvlJc", {"w:val": "left"}))
            indent = _element("w:pPr")
            indent.append(_element("w:ind", {"w:left": "360", "w:hanging": "360"}))
            level.append(indent)
            fonts = _element("w:rPr")
            fonts.append(
                _element("w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:hint": "default"})
            )
            level.append(fonts)
            abstract.append(level)
            # abstractNum elements must precede num elements in numbering.xml.
            first_num = numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            self._numbering[kind] = numbering.add_num(abstract_id).numId
        return self._numbering[kind]

    def _table(self, headers: list[str], widths_mm: list[int]) -> Table:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _table_borders(table)
        header = table.rows[0]
        properties = header._tr.get_or_add_trPr()
        properties.append(_element("w:tblHeader", {"w:val": "true"}))  # repeat on each page
        scale = self._text_width() / Mm(sum(widths_mm))
        widths = [Emu(int(Mm(width) * scale)) for width in widths_mm]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid: LibreOffice lays columns out from it
        for cell, text, width in zip(header.cells, headers, widths, strict=True):
            cell.width = width
            _shade(cell, self.colors.primary)
            self._run(cell.paragraphs[0], text, bold=True, color=self.colors.on_primary, size=9)
        return table

    @staticmethod
    def _row(table: Table) -> list[_Cell]:
        """A new body row that never splits across pages, in the header's column widths."""
        row = table.add_row()
        row._tr.get_or_add_trPr().append(_element("w:cantSplit", {"w:val": "true"}))
        for cell, header in zip(row.cells, table.rows[0].cells, strict=True):
            cell.width = header.width
        return list(row.cells)

    def _run(
        self,
        paragraph: Paragraph,
        text: str = "",
        *,
        bold: bool | None = None,
        italic: bool | None = None,
        size: float | None = None,
        color: str | None = None,
    ):
        run = paragraph.add_run(text)
        if bold is not None:
            run.bold = bold
        if italic is not None:
            run.italic = italic
        if size is not None:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = RGBColor.from_string(color)
        return run

    def _hyperlink(self, paragraph: Paragraph, url: str, text: str) -> None:
        relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = _element("w:hyperlink", {"r:id": relationship})
        run = self._run(paragraph, text, color=self.colors.primary)
        run.font.underline = True
        link.append(deepcopy(run._r))
        run._r.getparent().replace(run._r, link)

    def _text_width(self) -> Emu:
        section = self.document.sections[0]
        return Emu(section.page_width - section.left_margin - section.right_margin)

    # --- page, styles and properties -----------------------------------------------------------

    def _setup_page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = PAGE_SIZES[self.brand.page_size]
        if not self.inherits:  # a reference document keeps its own margins
            section.left_margin = section.right_margin = MARGIN
            section.top_margin = Mm(20)
            section.bottom_margin = Mm(20)

    def _setup_styles(self) -> None:
        family = self.brand.font.family
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = family
        normal.font.size = Pt(10)
        normal.font.color.rgb = RGBColor.from_string(self.colors.text)
        normal.paragraph_format.space_after = Pt(5)
        normal.paragraph_format.line_spacing = 1.1
        for name, size in (("Title", 24), ("Subtitle", 13), ("Heading 1", 15), ("Heading 2", 11.5)):
            style = styles[name]
            style.font.name = family
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor.from_string(self.colors.primary)
            _name_font_everywhere(style, family)
        _name_font_everywhere(normal, family)
        styles["Title"].font.bold = True
        styles["Heading 1"].paragraph_format.space_before = Pt(16)
        styles["Heading 2"].paragraph_format.space_before = Pt(9)
        for name in ("Heading 1", "Heading 2"):
            styles[name].paragraph_format.keep_with_next = True
        _bottom_rule(styles["Heading 1"], self.colors.accent)
        styles["Subtitle"].font.color.rgb = RGBColor.from_string(self.colors.text)

    def set_properties(self, created: dt.datetime) -> None:
        guide = self.guide
        properties = self.document.core_properties
        properties.title = guide.document_title
        properties.subject = (
            f"Career transition guide for {guide.candidate.name}: "
            f"{guide.candidate.current_role} to {guide.candidate.target_role}"
        )
        properties.author = guide.prepared_by or "guidegen"
        properties.last_modified_by = guide.prepared_by or "guidegen"
        properties.keywords = (
            f"career transition, {guide.candidate.current_role}, {guide.candidate.target_role}"
        )
        properties.language = guide.language
        properties.comments = f"Made with guidegen {guidegen.__version__}"
        properties.created = properties.modified = created.astimezone(dt.UTC).replace(tzinfo=None)
        properties.revision = 1
        # python-docx's blank template carries a thumbnail of an empty page, which
        # file browsers would show for this guide: drop it.
        package_rels = self.document.part.package.rels
        for rel_id, rel in list(package_rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                del package_rels[rel_id]
        settings = self.document.settings.element
        if settings.find(qn("w:updateFields")) is None:
            # Word refreshes the table of contents and page count when the file opens.
            settings.append(_element("w:updateFields", {"w:val": "true"}))


# --- reference documents -----------------------------------------------------------------------


def _emptied(document: DocumentObject) -> DocumentObject:
    """The reference document with its body removed; its last section's setup is kept."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _add_missing_styles(document: DocumentObject) -> None:
    """Copy from python-docx's template the styles the layout needs and the document lacks."""
    names = {style.name for style in document.styles}
    missing = [name for name in STYLES_USED if name not in names]
    if not missing:
        return
    template = Document().styles
    for name in missing:
        document.styles.element.append(deepcopy(template[name].element))


# --- small OOXML helpers ---------------------------------------------------------------------


def _element(tag: str, attributes: dict[str, str] | None = None):
    element = OxmlElement(tag)
    for key, value in (attributes or {}).items():
        element.set(qn(key), value)
    return element


def _field(paragraph: Paragraph, code: str, placeholder: str, run, **style) -> None:
    """A Word field (PAGE, NUMPAGES) with the text shown until it is updated.

    Every run of the field carries the style: readers that recompute the field
    format its new result like its first run.
    """
    _field_start(paragraph, code, lambda: run(paragraph, **style))
    run(paragraph, placeholder, **style)
    _field_end(paragraph, lambda: run(paragraph, **style))


def _field_start(paragraph: Paragraph, code: str, new_run=None) -> None:
    new_run = new_run or paragraph.add_run
    new_run()._r.append(_element("w:fldChar", {"w:fldCharType": "begin"}))
    instruction = _element("w:instrText", {"xml:space": "preserve"})
    instruction.text = f" {code} "
    new_run()._r.append(instruction)
    new_run()._r.append(_element("w:fldChar", {"w:fldCharType": "separate"}))


def _field_end(paragraph: Paragraph, new_run=None) -> None:
    (new_run or paragraph.add_run)()._r.append(_element("w:fldChar", {"w:fldCharType": "end"}))


def _describe_picture(paragraph: Paragraph, title: str, description: str) -> None:
    """Alt text for the pictures in `paragraph` (what screen readers and Word show)."""
    for doc_pr in paragraph._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", description)
        doc_pr.set("title", title)


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(_element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill}))


def _box(paragraph: Paragraph, *, fill: str, border: str, space_after: float = 6) -> None:
    """A shaded paragraph with a thick left rule: the PDF's call-out boxes."""
    properties = paragraph._p.get_or_add_pPr()
    borders = _element("w:pBdr")
    borders.append(
        _element("w:left", {"w:val": "single", "w:sz": "24", "w:space": "8", "w:color": border})
    )
    properties.append(borders)
    properties.append(_element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill}))
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.left_indent = Mm(3)


def _table_borders(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = _element("w:tblBorders")
    for side in ("top", "left", "right", "insideV"):
        borders.append(_element(f"w:{side}", {"w:val": "nil"}))
    for side in ("bottom", "insideH"):
        borders.append(
            _element(f"w:{side}", {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": RULE})
        )
    properties.append(borders)
    margins = _element("w:tblCellMar")
    for side in ("top", "bottom"):
        margins.append(_element(f"w:{side}", {"w:w": "70", "w:type": "dxa"}))
    for side in ("left", "right"):
        margins.append(_element(f"w:{side}", {"w:w": "100", "w:type": "dxa"}))
    properties.append(margins)


def _bottom_rule(style, color: str) -> None:
    properties = style.element.get_or_add_pPr()
    borders = _element("w:pBdr")
    borders.append(
        _element("w:bottom", {"w:val": "single", "w:sz": "12", "w:space": "2", "w:color": color})
    )
    properties.append(borders)


def _name_font_everywhere(style, family: str) -> None:
    """Styles may name theme fonts, which win over font.name: name the family for every
    script, so Word and LibreOffice both show the brand's font."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), family)
