"""The Word renderer: a Guide laid out as a native, editable .docx (python-docx).

It lays out the same Guide as the PDF, in the same order, with Word's own
building blocks so that a coach can edit it: Heading styles (the navigation
pane shows the outline), real tables whose shaded header row repeats across
pages, real lists (checkboxes are a bullet glyph of their own list), PAGE
fields in the footer, and a table of contents that Word refreshes on open.
It decides no content: every word comes from the Guide or from `LABELS`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from copy import deepcopy

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

import guidegen
from guidegen.models.guide import Guide
from guidegen.render.labels import LABELS

PRIMARY = "1B3A5C"
ACCENT = "E07A2E"
TEXT = "1F2933"
MUTED = "616E7C"
EVIDENCE = "1F6B3A"
TINT = "EEF2F6"
NOTE_TINT = "FFF6EE"
RULE = "D9DEE4"
BODY_FONT = "Calibri"
CHECKBOX = "☐"
CHECKBOX_FONT = "Segoe UI Symbol"  # has ☐ on Windows; other systems fall back

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN = Mm(18)
TEXT_WIDTH_MM = 210 - 2 * 18


class DocxRenderer:
    """Builds one .docx per Guide. Holds no per-guide state between renders."""

    def render(self, guide: Guide, *, chart_png: bytes, created: dt.datetime) -> bytes:
        builder = _Builder(guide, chart_png)
        builder.build()
        builder.set_properties(created)
        buffer = io.BytesIO()
        builder.document.save(buffer)
        return reproducible_zip(buffer.getvalue(), created)


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
    def __init__(self, guide: Guide, chart_png: bytes):
        self.guide = guide
        self.chart_png = chart_png
        self.document = Document()
        self._checkbox_num_id: int | None = None
        # Style ids by name, looked up once: python-docx scans every style on each
        # lookup by name, which was most of the time spent building a guide.
        self._style_ids = {style.name: style.style_id for style in self.document.styles}

    # --- the document, section by section ------------------------------------------------

    def build(self) -> None:
        self._setup_page_and_styles()
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
        self._footer()

    def _cover(self) -> None:
        guide = self.guide
        eyebrow = self.document.add_paragraph()
        _run(eyebrow, LABELS.eyebrow.upper(), size=8, color=ACCENT, bold=True)
        self._add(guide.title, "Title")
        self._add(guide.subtitle, "Subtitle")
        meta = self.document.add_paragraph()
        facts = [(LABELS.prepared_for, guide.candidate.name)]
        if guide.prepared_by:
            facts.append((LABELS.prepared_by, guide.prepared_by))
        facts.append((LABELS.date, LABELS.date_text(guide.prepared_on)))
        for index, (label, value) in enumerate(facts):
            if index:
                _run(meta, "    ")
            _run(meta, f"{label.upper()}  ", size=8, color=MUTED)
            _run(meta, value, bold=True)
        toc_title = self._add(LABELS.contents, "TOC Heading")
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
        paragraphs = [self.document.add_paragraph() for _ in entries]
        first, last = paragraphs[0], paragraphs[-1]
        _field_start(first, 'TOC \\o "1-2" \\h \\z \\u')
        for paragraph, entry in zip(paragraphs, entries, strict=True):
            paragraph.paragraph_format.space_after = Pt(1)
            _run(paragraph, entry, color=PRIMARY)
        _field_end(last)

    def _overview(self) -> None:
        overview = self.guide.overview
        self._heading(overview.heading, 1)
        for fact in overview.at_a_glance:
            paragraph = self.document.add_paragraph()
            _run(paragraph, f"{fact.label.upper()}  ", size=7.5, color=MUTED)
            _run(paragraph, fact.value, bold=True, size=9)
            _box(paragraph, fill=TINT, border=PRIMARY, space_after=0)
        self.document.paragraphs[-1].paragraph_format.space_after = Pt(8)
        intro = self.document.add_paragraph()
        _run(intro, overview.intro, bold=True)
        for text in overview.paragraphs:
            self.document.add_paragraph(text)

    def _coach_notes(self) -> None:
        notes = self.guide.coach_notes
        self._heading(notes.heading, 1)
        for text in notes.paragraphs:
            _box(self.document.add_paragraph(text), fill=NOTE_TINT, border=ACCENT)

    def _transferable(self) -> None:
        section = self.guide.transferable
        self._heading(section.heading, 1)
        self._lead(section.lead)
        table = self._table(
            [LABELS.skill, LABELS.why_it_transfers, LABELS.on_your_profile], [36, 92, 46]
        )
        for item in section.items:
            name, why, evidence = self._row(table)
            _run(name.paragraphs[0], item.name, bold=True, color=PRIMARY)
            why.paragraphs[0].text = item.why
            if item.evidenced:
                _run(evidence.paragraphs[0], "✓ ", bold=True, color=EVIDENCE)
                _run(evidence.paragraphs[0], ", ".join(item.evidence), bold=True, color=EVIDENCE)
            else:
                _run(evidence.paragraphs[0], LABELS.not_listed, color=MUTED)

    def _learning(self) -> None:
        section = self.guide.learning
        self._heading(section.heading, 1)
        self._lead(section.lead)
        table = self._table(
            [LABELS.rank, LABELS.skill, LABELS.how_to_learn, LABELS.resources], [12, 36, 70, 56]
        )
        for item in section.items:
            rank, name, how, resources = self._row(table)
            if item.covered:
                _run(rank.paragraphs[0], LABELS.covered, size=7, color=MUTED, bold=True)
            else:
                _run(rank.paragraphs[0], str(item.rank), size=13, bold=True, color=ACCENT)
            _run(name.paragraphs[0], item.name, bold=True, color=PRIMARY)
            if item.covered:
                note = name.add_paragraph()
                _run(note, f"{LABELS.you_have} {', '.join(item.covered_by)}", size=8, color=MUTED)
            how.paragraphs[0].text = item.how
            for index, resource in enumerate(item.resources):
                paragraph = resources.paragraphs[0] if index == 0 else resources.add_paragraph()
                paragraph._p.style = self._style_ids["List Bullet"]
                if resource.url:
                    _hyperlink(paragraph, resource.url, resource.title)
                else:
                    _run(paragraph, resource.title)
                _run(paragraph).add_break()
                _run(
                    paragraph,
                    LABELS.resource_note(resource.provider, resource.kind),
                    size=7.5,
                    color=MUTED,
                )
        if section.covered_note:
            note = self.document.add_paragraph()
            _run(note, section.covered_note, italic=True, size=9, color=MUTED)

    def _roadmap(self) -> None:
        roadmap = self.guide.roadmap
        self._heading(roadmap.heading, 1)
        self._lead(f"{roadmap.lead} {roadmap.pace_note}")
        self.document.add_picture(io.BytesIO(self.chart_png), width=Mm(TEXT_WIDTH_MM))
        picture = self.document.paragraphs[-1]
        picture.paragraph_format.keep_with_next = False
        for doc_pr in picture._p.iter(qn("wp:docPr")):
            doc_pr.set("descr", roadmap.chart_alt_text)
            doc_pr.set("title", LABELS.chart_caption)
        for phase in roadmap.phases:
            number, name = LABELS.phase_heading(phase)
            heading = self._heading("", 2)
            _run(heading, number, color=ACCENT)
            _run(heading, f" {name}")
            dates = self.document.add_paragraph()
            dates.paragraph_format.keep_with_next = True
            _run(dates, LABELS.phase_dates(phase), size=9, color=MUTED)
            self._bullets(phase.tasks)

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
            self._bullets(items)

    def _action_plan(self) -> None:
        section = self.guide.action_plan
        self._heading(section.heading, 1)
        self._lead(section.lead)
        for action_list in section.lists:
            heading = self._heading(action_list.heading, 2)
            _run(heading, f" {LABELS.due(action_list)}", size=9, color=MUTED, bold=False)
            for item in action_list.items:
                paragraph = self._add(item.text, "List Paragraph")
                _number(paragraph, self._checkbox_list())

    def _faq(self) -> None:
        section = self.guide.faq
        self._heading(section.heading, 1)
        for entry in section.entries:
            self._heading(entry.question, 2)
            self.document.add_paragraph(entry.answer)

    def _call_to_action(self) -> None:
        action = self.guide.call_to_action
        self._heading(action.heading, 1)
        _box(self.document.add_paragraph(action.text), fill=TINT, border=PRIMARY)
        if action.url:
            _hyperlink(self.document.add_paragraph(), action.url, action.url)

    def _footer(self) -> None:
        footer = self.document.sections[0].footer.paragraphs[0]
        footer.style = self.document.styles["Normal"]  # the Footer style's own tab stops
        footer.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
        _run(footer, f"{self.guide.candidate.name} · {self.guide.title}", size=7.5, color=MUTED)
        _run(footer, f"\t{LABELS.page} ", size=7.5, color=MUTED)
        _field(footer, "PAGE", "1", size=7.5, color=MUTED)
        _run(footer, f" {LABELS.of} ", size=7.5, color=MUTED)
        _field(footer, "NUMPAGES", "1", size=7.5, color=MUTED)

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
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        _run(paragraph, text, color=MUTED)

    def _bullets(self, items: list[str]) -> None:
        for item in items:
            self._add(item, "List Bullet")

    def _table(self, headers: list[str], widths_mm: list[int]) -> Table:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _table_borders(table)
        header = table.rows[0]
        properties = header._tr.get_or_add_trPr()
        properties.append(_element("w:tblHeader", {"w:val": "true"}))  # repeat on each page
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)  # the grid: LibreOffice lays columns out from it
        for cell, text, width in zip(header.cells, headers, widths_mm, strict=True):
            cell.width = Mm(width)
            _shade(cell, PRIMARY)
            _run(cell.paragraphs[0], text, bold=True, color="FFFFFF", size=9)
        return table

    @staticmethod
    def _row(table: Table) -> list[_Cell]:
        """A new body row that never splits across pages, in the header's column widths."""
        row = table.add_row()
        row._tr.get_or_add_trPr().append(_element("w:cantSplit", {"w:val": "true"}))
        for cell, header in zip(row.cells, table.rows[0].cells, strict=True):
            cell.width = header.width
        return list(row.cells)

    def _checkbox_list(self) -> int:
        """A bullet list whose bullet is an empty checkbox, defined once per document."""
        if self._checkbox_num_id is None:
            numbering = self.document.part.numbering_part.element
            abstract_id = 9000 + len(numbering.findall(qn("w:abstractNum")))
            abstract = _element("w:abstractNum", {"w:abstractNumId": str(abstract_id)})
            abstract.append(_element("w:multiLevelType", {"w:val": "singleLevel"}))
            level = _element("w:lvl", {"w:ilvl": "0"})
            level.append(_element("w:start", {"w:val": "1"}))
            level.append(_element("w:numFmt", {"w:val": "bullet"}))
            level.append(_element("w:lvlText", {"w:val": CHECKBOX}))
            level.append(_element("w:lvlJc", {"w:val": "left"}))
            paragraph_properties = _element("w:pPr")
            paragraph_properties.append(_element("w:ind", {"w:left": "400", "w:hanging": "400"}))
            level.append(paragraph_properties)
            run_properties = _element("w:rPr")
            run_properties.append(
                _element(
                    "w:rFonts",
                    {"w:ascii": CHECKBOX_FONT, "w:hAnsi": CHECKBOX_FONT, "w:hint": "default"},
                )
            )
            level.append(run_properties)
            abstract.append(level)
            # abstractNum elements must precede num elements in numbering.xml.
            first_num = numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            num = numbering.add_num(abstract_id)
            self._checkbox_num_id = num.numId
        return self._checkbox_num_id

    # --- page, styles and properties -----------------------------------------------------------

    def _setup_page_and_styles(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = MARGIN
        section.bottom_margin = Mm(20)
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(10)
        normal.font.color.rgb = RGBColor.from_string(TEXT)
        normal.paragraph_format.space_after = Pt(5)
        normal.paragraph_format.line_spacing = 1.1
        for name, size in (("Title", 24), ("Subtitle", 13), ("Heading 1", 15), ("Heading 2", 11.5)):
            style = styles[name]
            style.font.name = BODY_FONT
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor.from_string(PRIMARY)
            _set_theme_fonts_off(style)
        styles["Title"].font.bold = True
        styles["Heading 1"].paragraph_format.space_before = Pt(16)
        styles["Heading 2"].paragraph_format.space_before = Pt(9)
        for name in ("Heading 1", "Heading 2"):
            styles[name].paragraph_format.keep_with_next = True
        _bottom_rule(styles["Heading 1"], ACCENT)
        styles["Subtitle"].font.color.rgb = RGBColor.from_string(TEXT)

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
        # Word refreshes the table of contents and page count when the file opens.
        settings.append(_element("w:updateFields", {"w:val": "true"}))


# --- small OOXML helpers ---------------------------------------------------------------------


def _element(tag: str, attributes: dict[str, str] | None = None):
    element = OxmlElement(tag)
    for key, value in (attributes or {}).items():
        element.set(qn(key), value)
    return element


def _run(
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


def _field(paragraph: Paragraph, code: str, placeholder: str, **style) -> None:
    """A Word field (PAGE, NUMPAGES) with the text shown until it is updated."""
    _field_start(paragraph, code, **style)
    _run(paragraph, placeholder, **style)
    _field_end(paragraph, **style)


def _field_start(paragraph: Paragraph, code: str, **style) -> None:
    _run(paragraph, **style)._r.append(_element("w:fldChar", {"w:fldCharType": "begin"}))
    instruction = _element("w:instrText", {"xml:space": "preserve"})
    instruction.text = f" {code} "
    _run(paragraph, **style)._r.append(instruction)
    _run(paragraph, **style)._r.append(_element("w:fldChar", {"w:fldCharType": "separate"}))


def _field_end(paragraph: Paragraph, **style) -> None:
    _run(paragraph, **style)._r.append(_element("w:fldChar", {"w:fldCharType": "end"}))


def _hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = _element("w:hyperlink", {"r:id": relationship})
    run = _run(paragraph, text, color=PRIMARY)
    run.font.underline = True
    link.append(deepcopy(run._r))
    run._r.getparent().replace(run._r, link)


def _number(paragraph: Paragraph, num_id: int) -> None:
    properties = paragraph._p.get_or_add_pPr()
    numbering = _element("w:numPr")
    numbering.append(_element("w:ilvl", {"w:val": "0"}))
    numbering.append(_element("w:numId", {"w:val": str(num_id)}))
    style = properties.find(qn("w:pStyle"))
    if style is None:
        properties.insert(0, numbering)
    else:
        style.addnext(numbering)  # numPr follows pStyle in the schema's order


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


def _set_theme_fonts_off(style) -> None:
    """Heading styles name theme fonts, which win over font.name; name ours everywhere."""
    fonts = style.element.rPr.find(qn("w:rFonts"))
    if fonts is not None:
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        fonts.set(qn("w:ascii"), BODY_FONT)
        fonts.set(qn("w:hAnsi"), BODY_FONT)
