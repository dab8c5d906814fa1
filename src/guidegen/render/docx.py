"""The Word renderer: a Guide laid out as a native, editable .docx (python-docx).

It lays out the same Guide as the PDF, in the same order and with the same
design, out of Word's own building blocks so that a coach can edit it:

- the cover is a band of brand colour (a shaded layout table: title and logo,
  then prepared for / by / date, each value on one line), its text in the
  colour that reads on the brand's (as the PDF's, WCAG AA);
- the running header ("name · title") and footer ("Page N of M" as PAGE and
  NUMPAGES fields) skip the cover page, as in the PDF;
- a table of contents that is a real TOC field whose shown result is already
  complete: linked entries, no page numbers (see `_contents`);
- Heading styles in order (the navigation pane shows the outline), data tables
  whose header row repeats and whose rows never split, the Reality Check as
  three tinted cards, shaded boxes for the coach's notes and the call to
  action, checklists of clickable check boxes, the chart kept with its heading.

It decides no content: every word comes from the Guide or from its language's
`Labels`. A brand sets the colours, the font named in the styles, the page
size, the logo and the footer text. A brand's reference document works like
pandoc's --reference-doc: the guide is built inside it, so its styles, header
and footer carry over, completed with what the guide needs (see
`_complete_reference_header` and `_complete_reference_footer`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from copy import deepcopy
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentObject
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

import guidegen
from guidegen.language.catalogs import locale_of
from guidegen.models import contrast
from guidegen.models.brand import DEFAULT_BRAND, Brand, LogoImage
from guidegen.models.guide import Guide
from guidegen.render import wordml as ml
from guidegen.render.labels import labels_for

# The PDF theme's own colours (guidegen.models.contrast), as Word writes them: no '#'.
EVIDENCE = contrast.EVIDENCE[1:]
TINT = contrast.TINT[1:]
NOTE_TINT = contrast.NOTE_TINT[1:]
COVERED_TINT = contrast.ROW_TINT[1:]
RULE = "D9DEE4"
WHITE = contrast.WHITE[1:]
BULLET = "•"
CHECKBOX, CHECKBOX_FONT = "☐", "Segoe UI Symbol"  # has ☐ and ◔ on Windows; others fall back
IN_PROGRESS = "◔"  # an action item still running at its list's end (the PDF's mark too)
PAGE_SIZES = {"A4": (Mm(210), Mm(297)), "Letter": (Mm(215.9), Mm(279.4))}
MARGIN = Mm(18)
TABLE_TEXT = 8.5  # points, as the PDF's tables
LOGO_RASTER_HEIGHT_PX = 240  # an SVG logo, rasterized for Word: crisp at cover size
COVER_LOGO_MM = 16
HEADER_LOGO_MM = 7
# List indents in twips, as the PDF's: body bullets 4.5 mm, resources 3.5 mm, checklists 6.5 mm.
LISTS = {
    "bullet": (BULLET, ml.twips(4.5)),
    "resource": (BULLET, ml.twips(3.5)),
    "checklist": ("", ml.twips(6.5)),
}
# Styles the layout uses; a reference document that lacks one gets python-docx's.
STYLES_USED = ("Title", "Subtitle", "Heading 1", "Heading 2", "List Paragraph", "TOC Heading")
TOC_STYLE_ID, TOC_STYLE_NAME = "TOC1", "toc 1"  # Word's own name: its TOC update uses it


@dataclass(frozen=True)
class _Palette:
    """The brand's readable palette (`Brand.text_palette`, the PDF's too): its colours
    as given for fills and rules, and their WCAG AA twins for text."""

    primary: str
    accent: str
    primary_text: str
    accent_text: str
    text: str
    muted: str
    on_primary: str

    @classmethod
    def of(cls, brand: Brand) -> _Palette:
        palette = brand.text_palette
        return cls(
            primary=palette.primary[1:],
            accent=palette.accent[1:],
            primary_text=palette.primary_text[1:],
            accent_text=palette.accent_text[1:],
            text=palette.text[1:],
            muted=palette.muted[1:],
            on_primary=palette.on_primary[1:],
        )


class DocxRenderer:
    """Builds one .docx per Guide; holds only the brand's prepared files between renders."""

    def __init__(self, brand: Brand = DEFAULT_BRAND):
        self.brand = brand
        self.palette = _Palette.of(brand)
        # The brand's files as load_brand made them safe (a reference document rebuilt
        # from its styles, headers and footers; a logo downscaled), never the files.
        self.logo = logo_for_word(brand.logo_image) if brand.logo_image else None
        self.logo_aspect = _aspect(self.logo) if self.logo else 1.0
        self.reference = brand.reference_document

    def render(self, guide: Guide, *, chart_png: bytes, created: dt.datetime) -> bytes:
        builder = _Builder(self, guide, chart_png)
        builder.build()
        builder.set_properties(created)
        buffer = io.BytesIO()
        builder.document.save(buffer)
        return reproducible_zip(buffer.getvalue(), created)


def logo_for_word(logo: LogoImage) -> bytes:
    """PNG or JPEG as is; an SVG rasterized to PNG (python-docx embeds bitmaps only)."""
    if logo.kind != "svg":
        return logo.data
    import cairosvg  # only brands with an SVG logo need it

    return cairosvg.svg2png(bytestring=logo.data, output_height=LOGO_RASTER_HEIGHT_PX, unsafe=False)


def _aspect(image: bytes) -> float:
    """Width over height of a bitmap."""
    header = DocxImage.from_blob(image)
    return header.px_width / header.px_height


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
        self.logo_aspect = renderer.logo_aspect
        self.guide = guide
        self.labels = labels_for(guide.language)
        self.chart_png = chart_png
        if renderer.reference is not None:
            self.document = _emptied(Document(io.BytesIO(renderer.reference)))
        else:
            self.document = Document()
        self.inherits = renderer.reference is not None
        self.body = self.document.element.body
        self._numbering: dict[str, int] = {}
        self._bookmarks: list[tuple[str, str]] = []  # (name, heading) of each section
        _add_missing_styles(self.document)
        self._compatibility_mode = _compatibility_mode(self.document)
        # Style ids by name, looked up once: python-docx scans every style on each
        # lookup by name, which was most of the time spent building a guide.
        self._style_ids = {style.name: style.style_id for style in self.document.styles}

    # --- the document, section by section ------------------------------------------------

    def build(self) -> None:
        self._setup_page()
        if not self.inherits:
            self._setup_styles()
        self._setup_language()
        self._cover()
        contents = self._contents_placeholder()
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
        self._contents(contents)
        self._header_and_footer()

    # --- cover ---------------------------------------------------------------------------------

    def _cover(self) -> None:
        """The brand band: eyebrow, title, subtitle and the logo; then who and when.

        One layout table shaded in the primary colour (cell shading is what Word,
        LibreOffice and Google Docs all import; two adjacent tables would be merged
        by each of them anyway). Row 1: the titles, spanning two columns, and the
        logo; row 2: prepared for, prepared by, date, a label over each value. A
        screen reader reads it cell by cell in that order, as the PDF's tags do;
        its one span is across a row of a table that has no header row.
        """
        guide = self.guide
        on = self.colors.on_primary
        width = self._text_twips()
        pad = ml.twips(8)
        facts = [(self.labels.prepared_for, guide.candidate.name)]
        if guide.prepared_by:
            facts.append((self.labels.prepared_by, guide.prepared_by))
        # The date never wraps: its spaces do not break, and its column fits it.
        date = self.labels.date_text(guide.prepared_on).replace(" ", "\u00a0")
        facts.append((self.labels.date, date))
        widths = self._cover_columns(facts, width, pad)
        table = self.document.add_table(rows=2, cols=len(widths))
        ml.table_properties(
            table._tbl, widths=widths, cell_margins=(0, pad, 0, 0), indent=self._table_indent(pad)
        )
        ml.table_look(table._tbl, header_row=False)
        for row in table.rows:
            ml.row_cant_split(row._tr)
            for cell in row.cells:
                ml.shade_cell(cell._tc, self.colors.primary)
        # The titles span every column but the logo's (all of them without a logo).
        first_row = table.rows[0].cells
        spanned = first_row[-2] if self.logo else first_row[-1]
        top = first_row[0].merge(spanned) if spanned is not first_row[0] else first_row[0]
        ml.cell_margins(top._tc, ml.twips(8), pad, ml.twips(1), ml.twips(4) if self.logo else pad)
        eyebrow = top.paragraphs[0]
        eyebrow._p.append(
            ml.run(self.labels.eyebrow, size=8, bold=True, caps=True, spacing=1, color=on)
        )
        ml.spacing(eyebrow._p, before=0, after=4)
        title = self._cell_paragraph(top, "Title")
        title._p.append(ml.run(guide.title, color=on, size=None if self.inherits else 22))
        ml.paragraph_borders(title._p, bottom=None)
        ml.spacing(title._p, before=0, after=3, line=1.0)
        subtitle = self._cell_paragraph(top, "Subtitle")
        subtitle_run = ml.run(guide.subtitle, color=on, size=13)
        ml.not_italic(subtitle_run)
        subtitle._p.append(subtitle_run)
        ml.spacing(subtitle._p, before=0, after=0)
        if self.logo:
            logo_cell = first_row[-1]
            ml.cell_margins(logo_cell._tc, ml.twips(7), 0, 0, pad)
            picture = logo_cell.paragraphs[0]
            picture.add_run().add_picture(io.BytesIO(self.logo), height=Mm(COVER_LOGO_MM))
            self._describe_logo(picture)
            logo_width = ml.twips(COVER_LOGO_MM * self.logo_aspect)
            room = widths[-1] - pad
            ml.indent(picture._p, left=max(0, room - logo_width - ml.twips(3)))
            ml.align(picture._p, "right")
            # The logo on white, as in the PDF: a transparent logo in the brand colour
            # would vanish into the band.
            ml.shade_paragraph(picture._p, WHITE)
            white = (WHITE, 0.5, 4)
            ml.paragraph_borders(picture._p, top=white, left=white, bottom=white, right=white)
            ml.spacing(picture._p, before=0, after=0, line=1.0)
        for index, (cell, (label, value)) in enumerate(
            zip(table.rows[1].cells, facts, strict=True)
        ):
            left = pad if index == 0 else 0
            right = pad if index == len(facts) - 1 else ml.twips(4)
            ml.cell_margins(cell._tc, ml.twips(5), left, ml.twips(6), right)
            label_paragraph = cell.paragraphs[0]
            label_paragraph._p.append(ml.run(label, size=7.5, caps=True, spacing=0.6, color=on))
            ml.spacing(label_paragraph._p, before=0, after=0)
            value_paragraph = cell.add_paragraph()
            value_paragraph._p.append(ml.run(value, bold=True, size=10, color=on))
            ml.spacing(value_paragraph._p, before=0, after=0)
        self._add_spacer(4)

    def _cover_columns(self, facts: list[tuple[str, str]], width: int, pad: int) -> list[int]:
        """Column widths (twips) for the facts row: each value's width and a gap, the
        last column wide enough for the date and for the logo above it."""
        logo = ml.twips(COVER_LOGO_MM * self.logo_aspect + 3) + pad if self.logo else 0
        last = max(_text_twips(facts[-1][1], 10, bold=True) + pad + ml.twips(2), logo)
        gap = ml.twips(10)
        natural = [max(_text_twips(value, 10, bold=True), ml.twips(28)) + gap for _, value in facts]
        natural[0] += pad  # the first column carries the band's left padding
        room = width - last
        scale = min(1.0, room / sum(natural[:-1]))
        widths = [round(value * scale) for value in natural[:-1]]
        widths.append(width - sum(widths))
        return widths

    # --- contents ------------------------------------------------------------------------------

    def _contents_placeholder(self) -> Paragraph:
        """Where the contents go: filled in at the end, once every heading has its bookmark."""
        title = self._add(style="TOC Heading")
        ml.paragraph_borders(title._p, bottom=None)
        ml.spacing(title._p, before=6, after=3)
        title._p.append(
            ml.run(self.labels.contents, bold=True, size=10, color=self.colors.primary_text)
        )
        return title

    def _contents(self, title: Paragraph) -> None:
        """A TOC field whose shown result is already complete: one linked entry per
        section, no page numbers (the \\n switch).

        Page numbers could only be guessed: the guide is laid out by Word, LibreOffice
        or Google Docs, each differently, and a wrong page number is a contradiction
        in the guide. Links work in every reader and in the PDF a reader exports, and
        the field stays a real TOC: Word's "Update Table" rebuilds it the same way,
        so nothing asks to update fields when the file opens.
        """
        previous = title._p
        entries = []
        for name, heading in self._bookmarks:
            toc_style = self._style_ids.get(TOC_STYLE_NAME) or self._style_ids.get("TOC 1")
            p = self._new_paragraph(toc_style)
            link = ml.internal_link(
                name, [ml.run(heading, color=self.colors.primary_text, size=9.5)]
            )
            p.append(link)
            previous.addnext(p)
            previous = p
            entries.append(p)
        first_link = entries[0].find(qn("w:hyperlink"))
        for field_run in ml.field_begin('TOC \\o "1-1" \\h \\z \\n \\u'):
            first_link.addprevious(field_run)
        entries[-1].append(ml.field_end())
        ml.spacing(entries[-1], after=4)

    # --- sections ------------------------------------------------------------------------------

    def _overview(self) -> None:
        """The overview beside the at-a-glance box, and under it at full width, as the
        PDF's text flows around its floating box (a Word float is what LibreOffice and
        Google Docs import worst): the intro and first paragraph share a row, which
        never splits, with the box; the other paragraphs follow it."""
        overview = self.guide.overview
        self._section_heading(overview.heading)
        width = self._text_twips()
        box = ml.twips(62)
        table = self._layout_table([width - box, box], margins=(0, 0, 0, 0))
        text, glance = table.rows[0].cells
        ml.cell_margins(text._tc, 0, 0, 0, ml.twips(5))
        intro = text.paragraphs[0]
        intro._p.append(ml.run(overview.intro, bold=True))
        beside, below = overview.paragraphs[:1], overview.paragraphs[1:]
        for paragraph in beside:
            text.add_paragraph(paragraph)
        ml.shade_cell(glance._tc, TINT)
        ml.cell_borders(glance._tc, left=(self.colors.primary, 4.5, 0))
        ml.cell_margins(glance._tc, ml.twips(3), ml.twips(4), ml.twips(2), ml.twips(4))
        for index, fact in enumerate(overview.at_a_glance):
            label = glance.paragraphs[0] if index == 0 else glance.add_paragraph()
            label._p.append(
                ml.run(fact.label, size=7, caps=True, spacing=0.3, color=self.colors.muted)
            )
            ml.spacing(label._p, before=0, after=0, line=1.0)
            value = glance.add_paragraph()
            value._p.append(ml.run(fact.value, bold=True, size=8.5))
            ml.spacing(value._p, before=0, after=4, line=1.0)
        for index, paragraph in enumerate(below):
            added = self._add(paragraph)
            if index == 0:
                ml.spacing(added._p, before=6)

    def _coach_notes(self) -> None:
        notes = self.guide.coach_notes
        cell = self._box(NOTE_TINT, left_rule=self.colors.accent)
        heading = cell.paragraphs[0]
        self._section_heading(notes.heading, heading)
        ml.paragraph_borders(heading._p, bottom=None)
        ml.spacing(heading._p, before=2, after=4)
        for text in notes.paragraphs:
            cell.add_paragraph(text)
        ml.spacing(cell.paragraphs[-1]._p, after=0)

    def _transferable(self) -> None:
        section = self.guide.transferable
        self._section_heading(section.heading)
        self._lead(section.lead)
        table = self._table(
            [self.labels.skill, self.labels.why_it_transfers, self.labels.on_your_profile],
            [36, 92, 46],
            caption=section.heading,
        )
        for item in section.items:
            name, why, evidence = self._row(table)
            cell_text = TABLE_TEXT
            name.paragraphs[0]._p.append(
                ml.run(item.name, bold=True, size=cell_text, color=self.colors.primary_text)
            )
            why.paragraphs[0]._p.append(ml.run(item.why, size=cell_text))
            if item.evidenced:
                text = f"✓ {', '.join(item.evidence)}"
                evidence.paragraphs[0]._p.append(
                    ml.run(text, bold=True, size=cell_text, color=EVIDENCE)
                )
            else:
                evidence.paragraphs[0]._p.append(
                    ml.run(self.labels.not_listed, size=cell_text, color=self.colors.muted)
                )

    def _learning(self) -> None:
        section = self.guide.learning
        self._section_heading(section.heading)
        self._lead(section.lead)
        table = self._table(
            [self.labels.rank, self.labels.skill, self.labels.how_to_learn, self.labels.resources],
            [13, 34, 71, 56],
            caption=section.heading,
        )
        for item in section.items:
            cells = self._row(table, fill=COVERED_TINT if item.covered else None)
            rank, name, how, resources = cells
            ml.align(rank.paragraphs[0]._p, "center")
            if item.covered:
                badge = ml.run(
                    self.labels.covered, size=6.5, caps=True, color=self.colors.muted, bold=True
                )
                rank.paragraphs[0]._p.append(badge)
            else:
                number = ml.run(str(item.rank), size=12, bold=True, color=self.colors.accent_text)
                rank.paragraphs[0]._p.append(number)
            name.paragraphs[0]._p.append(
                ml.run(item.name, bold=True, size=TABLE_TEXT, color=self.colors.primary_text)
            )
            if item.covered:
                note = f"{self.labels.you_have} {', '.join(item.covered_by)}"
                name.add_paragraph()._p.append(ml.run(note, size=7.5, color=self.colors.muted))
            muted = self.colors.muted if item.covered else None
            how.paragraphs[0]._p.append(ml.run(item.how, size=TABLE_TEXT, color=muted))
            for index, resource in enumerate(item.resources):
                paragraph = resources.paragraphs[0] if index == 0 else resources.add_paragraph()
                self._list_item(paragraph, "resource")
                ml.spacing(paragraph._p, after=3)
                if resource.url:
                    self._hyperlink(paragraph, resource.url, resource.title, size=TABLE_TEXT)
                else:
                    paragraph._p.append(ml.run(resource.title, size=TABLE_TEXT))
                note = self.labels.resource_note(
                    resource.provider, resource.kind, resource.language
                )
                paragraph._p.append(ml.run("\n" + note, size=7.5, color=self.colors.muted))
        if section.covered_note:
            note = self._add()
            note._p.append(
                ml.run(section.covered_note, italic=True, size=8.5, color=self.colors.muted)
            )

    def _roadmap(self) -> None:
        """Heading, lead and chart travel together; each phase is kept on one page."""
        roadmap = self.guide.roadmap
        self._section_heading(roadmap.heading)
        self._lead(f"{roadmap.lead} {roadmap.pace_note}")
        for note in roadmap.notes:
            paragraph = self._add()
            paragraph._p.append(ml.run(note, italic=True, size=8.5, color=self.colors.muted))
            ml.keep_with_next(paragraph._p)
        self.document.add_picture(io.BytesIO(self.chart_png), width=self._text_width())
        chart = self.document.paragraphs[-1]
        self._describe(chart, self.labels.chart_caption, roadmap.chart_alt_text)
        ml.spacing(chart._p, before=2, after=8)
        rule = (RULE, 2.25, 8)
        for phase in roadmap.phases:
            number, name = self.labels.phase_heading(phase)
            heading = self._heading(2)
            heading._p.append(ml.run(number, color=self.colors.accent_text))
            heading._p.append(ml.run(f" {name}"))
            ml.spacing(heading._p, before=0, after=1)
            dates = self._add()
            dates._p.append(
                ml.run(self.labels.phase_dates(phase), size=8.5, color=self.colors.muted)
            )
            ml.spacing(dates._p, after=2)
            ml.keep_with_next(dates._p)
            phase_paragraphs = [heading, dates]
            for task in phase.items:
                item = self._dated_item(task.text, self.labels.task_due(task), "bullet")
                if task.note:
                    item._p.append(
                        ml.run("\n" + task.note, italic=True, size=8, color=self.colors.muted)
                    )
                phase_paragraphs.append(item)
            items = phase_paragraphs[2:]
            for task in phase.skipped:
                skipped = self._add()
                skipped._p.append(
                    ml.run(
                        f"{task.note}: {task.text}", italic=True, size=8, color=self.colors.muted
                    )
                )
                phase_paragraphs.append(skipped)
            for paragraph in phase_paragraphs:
                # A thin rule down the phase's left edge, as in the PDF.
                ml.paragraph_borders(paragraph._p, left=rule)
                if paragraph is not phase_paragraphs[-1]:
                    ml.keep_with_next(paragraph._p)
            for paragraph in phase_paragraphs:
                if paragraph not in items:
                    ml.indent(paragraph._p, left=ml.twips(4))
            for paragraph in items:
                ml.indent(
                    paragraph._p, left=ml.twips(4) + LISTS["bullet"][1], hanging=LISTS["bullet"][1]
                )
            ml.spacing(phase_paragraphs[-1]._p, after=8)

    def _reality_check(self) -> None:
        """Three tinted cards side by side: one single-row layout table, a card a cell."""
        section = self.guide.reality_check
        self._section_heading(section.heading)
        self._lead(section.lead)
        width = self._text_twips()
        # The gaps between cards are white borders inside the cells: LibreOffice does
        # not import Word's cell spacing. The middle card has a gutter on both sides.
        gutter_width = 6  # points each side of a gap: 4.2 mm in all, the PDF's 4 mm
        gutter_twips = gutter_width * 20
        card = (width - 4 * gutter_twips) // 3
        widths = [card + gutter_twips, card + 2 * gutter_twips, 0]
        widths[-1] = width - widths[0] - widths[1]
        margins = (ml.twips(1), ml.twips(3), ml.twips(2), ml.twips(3))
        table = self._layout_table(widths, margins=margins)
        cards = (
            (section.love_heading, section.love),
            (section.miss_heading, section.miss),
            (section.challenges_heading, section.challenges),
        )
        top = (self.colors.primary, 3, 0)
        for index, (cell, (heading_text, items)) in enumerate(
            zip(table.rows[0].cells, cards, strict=True)
        ):
            ml.shade_cell(cell._tc, TINT)
            gutter = (WHITE, gutter_width, 0)
            ml.cell_borders(
                cell._tc,
                top=top,
                left=gutter if index else None,
                bottom=None,
                right=gutter if index < 2 else None,
            )
            heading = cell.paragraphs[0]
            ml.style(heading._p, self._style_ids["Heading 2"])
            heading._p.append(ml.run(heading_text))
            ml.spacing(heading._p, before=5, after=3)
            for item in items:
                paragraph = cell.add_paragraph()
                self._list_item(paragraph, "bullet")
                paragraph._p.append(ml.run(item, size=8.5))
                ml.spacing(paragraph._p, after=2)
        self._add_spacer(6)

    def _action_plan(self) -> None:
        section = self.guide.action_plan
        self._section_heading(section.heading)
        self._lead(section.lead)
        for action_list in section.lists:
            heading = self._heading(2)
            heading._p.append(ml.run(action_list.heading))
            heading._p.append(
                ml.run(f"  {self.labels.due(action_list)}", size=8.5, color=self.colors.muted)
            )
            paragraphs = [heading]
            if action_list.note:
                note = self._add()
                note._p.append(
                    ml.run(action_list.note, italic=True, size=8.5, color=self.colors.muted)
                )
                ml.keep_with_next(note._p)
                paragraphs.append(note)
            for item in action_list.items:
                # Ticked once, where it finishes: running on past this list, it is marked.
                paragraph = self._checklist_item(item.text, box=not item.in_progress)
                paragraph._p.append(
                    ml.run(f"  {self.labels.item_due(item)}", size=8, color=self.colors.muted)
                )
                paragraphs.append(paragraph)
            for paragraph in paragraphs[:-1]:
                ml.keep_with_next(paragraph._p)
            ml.spacing(paragraphs[-1]._p, after=6)

    def _faq(self) -> None:
        section = self.guide.faq
        self._section_heading(section.heading)
        for entry in section.entries:
            question = self._heading(2)
            question._p.append(ml.run(entry.question, color=self.colors.text))
            answer = self._add(entry.answer)
            ml.keep_lines(answer._p)
        # As in the PDF: the call to action never ends the guide alone on its page.
        if section.entries:
            ml.keep_with_next(answer._p)

    def _call_to_action(self) -> None:
        """The closing box in the brand colour, kept whole (a row that never splits)."""
        action = self.guide.call_to_action
        cell = self._box(self.colors.primary, space_before=18)
        heading = cell.paragraphs[0]
        on = self.colors.on_primary
        self._section_heading(action.heading, heading, color=on)
        ml.spacing(heading._p, before=4, after=6)
        text = cell.add_paragraph()
        text._p.append(ml.run(action.text, color=on))
        if action.url:
            link = cell.add_paragraph()
            self._hyperlink(link, action.url, action.url, color=on, underline=True)
        if action.contact:
            contact = cell.add_paragraph()
            contact._p.append(ml.run(" · ".join(action.contact), size=8.5, color=on))
        ml.spacing(cell.paragraphs[-1]._p, after=2)

    # --- header and footer -----------------------------------------------------------------

    def _header_and_footer(self) -> None:
        """As in the PDF: logo and brand left, "name · title" right on every page but the
        cover; the brand's footer text and "Page N of M" on every page.

        A reference document keeps its own header and footer, completed with what
        is missing (the running line, the page total); its header never shows on
        the cover, which carries the logo already.
        """
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        if section.header.is_linked_to_previous:
            self._own_header(section.header.paragraphs[0])
        else:
            self._complete_reference_header(section.header)
        if section.footer.is_linked_to_previous:
            self._own_footer(section.footer.paragraphs[0])
            self._own_footer(section.first_page_footer.paragraphs[0])
        else:
            self._complete_reference_footer(section.footer)
            _copy_story(section.footer, section.first_page_footer)
        first_header = section.first_page_header
        if not first_header.is_linked_to_previous and _has_picture(first_header._element):
            for child in list(first_header._element):
                first_header._element.remove(child)
            first_header._element.append(ml.element("w:p"))
        elif first_header.is_linked_to_previous:
            first_header.is_linked_to_previous = False  # an empty header on the cover

    def _own_header(self, header: Paragraph) -> None:
        ml.style(header._p, self._style_ids["Normal"])  # not the Header style's tab stops
        ml.tab_stops(header._p, [("right", self._text_twips())])
        ml.spacing(header._p, before=0, after=0)
        if self.logo:
            header.add_run().add_picture(io.BytesIO(self.logo), height=Mm(HEADER_LOGO_MM))
            self._describe_logo(header)
            header._p.append(ml.run(" "))
        if self.brand.name:
            header._p.append(ml.run(self.brand.name, size=8, bold=True, color=self.colors.muted))
        header._p.append(ml.run(f"\t{self._running_line()}", size=7.5, color=self.colors.muted))

    def _running_line(self) -> str:
        return f"{self.guide.candidate.name} · {self.guide.title}"

    def _complete_reference_header(self, header) -> None:
        """Add the running line to a reference header that lacks it, right-aligned on
        its last line (the Header style's own centre and right tabs cleared)."""
        for doc_pr in header._element.iter(qn("wp:docPr")):
            if not doc_pr.get("descr"):
                doc_pr.set("descr", self.brand.name or self.labels.logo)
        if self.guide.candidate.name in _text_of(header._element):
            return
        paragraphs = header._element.findall(qn("w:p"))
        if paragraphs:
            last = paragraphs[-1]
        else:
            last = ml.element("w:p")
            header._element.append(last)
        clear = self._style_tab_stops(last)
        ml.tab_stops(last, [("right", self._text_twips())], clear=clear)
        last.append(ml.run(f"\t{self._running_line()}", size=7.5, color=self.colors.muted))

    def _style_tab_stops(self, p) -> list[int]:
        """The tab positions a paragraph's style sets (the Header style's centre and right)."""
        properties = p.find(qn("w:pPr"))
        style_ref = properties.find(qn("w:pStyle")) if properties is not None else None
        if style_ref is None:
            return []
        style_id = style_ref.get(qn("w:val"))
        for style in self.document.styles.element.findall(qn("w:style")):
            if style.get(qn("w:styleId")) == style_id:
                return [
                    int(tab.get(qn("w:pos")))
                    for tab in style.iter(qn("w:tab"))
                    if tab.get(qn("w:val")) != "clear"
                ]
        return []

    def _own_footer(self, footer: Paragraph) -> None:
        ml.style(footer._p, self._style_ids["Normal"])
        ml.tab_stops(footer._p, [("right", self._text_twips())])
        ml.spacing(footer._p, before=0, after=0)
        if self.guide.footer:
            footer._p.append(ml.run(self.guide.footer, size=7.5, color=self.colors.muted))
        self._page_of(footer._p, "\t", size=7.5, color=self.colors.muted)

    def _page_of(self, p, prefix: str, **style) -> None:
        """ "Page N of M" with PAGE and NUMPAGES fields, in the guide's language."""
        p.append(ml.run(f"{prefix}{self.labels.page} ", **style))
        ml.complex_field(p, "PAGE", [ml.run("1", **style)], style=style)
        p.append(ml.run(f" {self.labels.of} ", **style))
        ml.complex_field(p, "NUMPAGES", [ml.run("1", **style)], style=style)

    def _complete_reference_footer(self, footer) -> None:
        """Give a reference footer the page total it lacks ("Page 3" -> "Page 3 of 7"),
        or the whole "Page N of M" when it has no page number; and the brand's footer
        text when the reference does not carry it."""
        story = footer._element
        instructions = list(story.iter(qn("w:instrText")))
        codes = [text.text.strip().split()[0].upper() for text in instructions if text.text.strip()]
        if "NUMPAGES" not in codes:
            page = next(
                (text for text in instructions if text.text.strip().upper().startswith("PAGE")),
                None,
            )
            if page is not None:
                end = _field_end_run(page.getparent())
                style = _run_style(end)
                begin = _field_begin_run(page.getparent())
                before = "".join(
                    _text_of(run)
                    for run in begin.itersiblings(preceding=True)
                    if run.tag == qn("w:r")
                )
                if not before.rstrip().endswith(self.labels.page):
                    # A bare page number ("3"): say what it is, in the guide's language.
                    word = ml.run(f"{self.labels.page} ")
                    if style is not None:
                        word.insert(0, deepcopy(style))
                    begin.addprevious(word)
                total = [ml.run(f" {self.labels.of} "), *ml.field_runs("NUMPAGES", [ml.run("1")])]
                for added in reversed(total):
                    if style is not None:
                        added.insert(0, deepcopy(style))
                    end.addnext(added)
            else:
                paragraphs = story.findall(qn("w:p"))
                p = paragraphs[-1] if paragraphs else None
                if p is None:
                    p = ml.element("w:p")
                    story.append(p)
                self._page_of(
                    p, "\t" if _text_of(p).strip() else "", size=7.5, color=self.colors.muted
                )
        if self.guide.footer and self.guide.footer not in _text_of(story):
            p = ml.element("w:p")
            p.append(ml.run(self.guide.footer, size=7.5, color=self.colors.muted))
            story.insert(0, p)

    # --- building blocks -------------------------------------------------------------------

    def _add(self, text: str = "", style: str | None = None) -> Paragraph:
        """A body paragraph, styled by id (see `_style_ids`)."""
        p = self._new_paragraph(self._style_ids[style] if style else None)
        if text:
            p.append(ml.run(text))
        self.body._insert_p(p)
        return Paragraph(p, self.document._body)

    def _new_paragraph(self, style_id: str | None = None):
        p = ml.element("w:p")
        if style_id:
            ml.style(p, style_id)
        return p

    def _cell_paragraph(self, cell: _Cell, style: str) -> Paragraph:
        paragraph = cell.add_paragraph()
        ml.style(paragraph._p, self._style_ids[style])
        return paragraph

    def _heading(self, level: int, paragraph: Paragraph | None = None) -> Paragraph:
        """An empty heading paragraph, kept with what follows it."""
        if paragraph is None:
            paragraph = self._add(style=f"Heading {level}")
        else:
            ml.style(paragraph._p, self._style_ids[f"Heading {level}"])
        ml.keep_with_next(paragraph._p)
        return paragraph

    def _section_heading(
        self, text: str, paragraph: Paragraph | None = None, color: str | None = None
    ) -> Paragraph:
        """A Heading 1 with a bookmark the contents link to."""
        heading = self._heading(1, paragraph)
        heading._p.append(ml.run(text, color=color))
        name = f"_Toc_guidegen_{len(self._bookmarks) + 1}"
        ml.bookmark(heading._p, name, len(self._bookmarks) + 1)
        self._bookmarks.append((name, text))
        return heading

    def _lead(self, text: str) -> None:
        paragraph = self._add()
        ml.keep_with_next(paragraph._p)
        paragraph._p.append(ml.run(text, color=self.colors.muted))

    def _add_spacer(self, points: float) -> None:
        spacer = self._add()
        ml.spacing(spacer._p, before=0, after=0, line=("exact", points))

    def _list_paragraph(self, text: str, kind: str) -> Paragraph:
        paragraph = self._add()
        self._list_item(paragraph, kind)
        paragraph._p.append(ml.run(text))
        return paragraph

    def _dated_item(self, text: str, due: str, kind: str) -> Paragraph:
        """A list item with its due date after it, in small muted type."""
        paragraph = self._list_paragraph(text, kind)
        paragraph._p.append(ml.run(f"  {due}", size=8, color=self.colors.muted))
        return paragraph

    def _list_item(self, paragraph: Paragraph, kind: str) -> None:
        """Make `paragraph` an item of a real Word list (bullets, resources, checklist)."""
        ml.style(paragraph._p, self._style_ids["List Paragraph"])
        ml.numbered(paragraph._p, self._num_id(kind))

    def _checklist_item(self, text: str, *, box: bool = True) -> Paragraph:
        """A list item led by a clickable check box: ☐, a tab, the text (hanging); or,
        for an item still in progress at the list's end, by ◔ instead of a box."""
        paragraph = self._add()
        self._list_item(paragraph, "checklist")
        if box:
            paragraph._p.append(
                ml.checkbox(size=11, color=self.colors.primary_text, font=CHECKBOX_FONT)
            )
        else:
            paragraph._p.append(
                ml.run(IN_PROGRESS, size=11, color=self.colors.primary_text, font=CHECKBOX_FONT)
            )
        paragraph._p.append(ml.run(f"\t{text}"))
        ml.spacing(paragraph._p, after=3)
        return paragraph

    def _num_id(self, kind: str) -> int:
        """A one-level list definition per kind, added to the document once.

        Defined here rather than taken from the List Bullet style, whose numbering
        a reference document may not have. A checklist is a list without a
        marker: its check box is text in the item (a reader announces it).
        """
        if kind not in self._numbering:
            glyph, indent = LISTS[kind]
            numbering = self.document.part.numbering_part.element
            abstract_ids = [
                int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))
            ]
            abstract_id = max([9000, *abstract_ids]) + 1
            abstract = ml.element("w:abstractNum", {"w:abstractNumId": str(abstract_id)})
            abstract.append(ml.element("w:multiLevelType", {"w:val": "singleLevel"}))
            level = ml.element("w:lvl", {"w:ilvl": "0"})
            level.append(ml.element("w:start", {"w:val": "1"}))
            level.append(ml.element("w:numFmt", {"w:val": "bullet" if glyph else "none"}))
            if not glyph:
                level.append(ml.element("w:suff", {"w:val": "nothing"}))
            level.append(ml.element("w:lvlText", {"w:val": glyph}))
            level.append(ml.element("w:lvlJc", {"w:val": "left"}))
            properties = ml.element("w:pPr")
            properties.append(
                ml.element("w:ind", {"w:left": str(indent), "w:hanging": str(indent)})
            )
            level.append(properties)
            abstract.append(level)
            # abstractNum elements must precede num elements in numbering.xml.
            first_num = numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            self._numbering[kind] = numbering.add_num(abstract_id).numId
        return self._numbering[kind]

    def _layout_table(
        self,
        widths: list[int],
        *,
        margins: tuple[int, int, int, int],
        splits: bool = False,
        space_before: float = 0,
    ) -> Table:
        """A one-row table for layout (cards, boxes, the overview): no header row, no
        borders, no merged cells; a screen reader reads its cells in order, as text.
        Its row moves to the next page whole unless it `splits` (a long overview)."""
        self._space_before_table(space_before)
        table = self.document.add_table(rows=1, cols=len(widths))
        ml.table_properties(
            table._tbl, widths=widths, cell_margins=margins, indent=self._table_indent(margins[1])
        )
        ml.table_look(table._tbl, header_row=False)
        if not splits:
            ml.row_cant_split(table.rows[0]._tr)
        return table

    def _space_before_table(self, points: float) -> None:
        """Space above a table, which has none of its own: the previous paragraph's space
        after, or a spacer paragraph after a table (two tables in a row would be merged
        into one by Word and LibreOffice alike)."""
        previous = self.body.find(qn("w:sectPr")).getprevious()
        if previous is None:
            return
        if previous.tag == qn("w:tbl"):
            self._add_spacer(max(points, 1))
            return
        spacing = previous.find(qn("w:pPr") + "/" + qn("w:spacing"))
        after = spacing.get(qn("w:after")) if spacing is not None else None
        if points and (after is None or int(after) < points * 20):
            ml.spacing(previous, after=points)

    def _box(self, fill: str, left_rule: str | None = None, space_before: float = 8) -> _Cell:
        """A shaded one-cell box (notes, call to action) that never splits across pages."""
        table = self._layout_table(
            [self._text_twips()],
            margins=(ml.twips(2), ml.twips(6), ml.twips(3), ml.twips(6)),
            space_before=space_before,
        )
        cell = table.rows[0].cells[0]
        ml.shade_cell(cell._tc, fill)
        if left_rule:
            ml.cell_borders(cell._tc, left=(left_rule, 4.5, 0))
        self._add_spacer(8)
        return cell

    def _table(self, headers: list[str], widths_mm: list[int], caption: str) -> Table:
        """A data table: a shaded header row repeated on each page, captioned."""
        width = self._text_twips()
        widths = [round(width * w / sum(widths_mm)) for w in widths_mm]
        widths[-1] = width - sum(widths[:-1])
        table = self.document.add_table(rows=1, cols=len(headers))
        margins = (70, 100, 70, 100)
        ml.table_properties(
            table._tbl, widths=widths, cell_margins=margins, indent=self._table_indent(margins[1])
        )
        rule = (RULE, 0.5, 0)
        ml.table_borders(
            table._tbl, top=None, left=None, bottom=rule, right=None, insideH=rule, insideV=None
        )
        ml.table_look(table._tbl, header_row=True)
        ml.table_caption(table._tbl, caption)
        header = table.rows[0]
        ml.row_is_header(header._tr)
        ml.row_cant_split(header._tr)
        for cell, text in zip(header.cells, headers, strict=True):
            ml.shade_cell(cell._tc, self.colors.primary)
            cell.paragraphs[0]._p.append(
                ml.run(text, bold=True, color=self.colors.on_primary, size=9)
            )
        return table

    def _row(self, table: Table, fill: str | None = None) -> list[_Cell]:
        """A new body row that never splits across pages, in the header's column widths."""
        row = table.add_row()
        ml.row_cant_split(row._tr)
        for cell in row.cells:
            if fill:
                ml.shade_cell(cell._tc, fill)
            ml.spacing(cell.paragraphs[0]._p, after=0)
        return list(row.cells)

    def _hyperlink(
        self,
        paragraph: Paragraph,
        url: str,
        text: str,
        *,
        color: str | None = None,
        underline: bool = False,
        size: float | None = None,
    ) -> None:
        relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = ml.element("w:hyperlink", {"r:id": relationship})
        color = color or self.colors.primary_text
        link.append(ml.run(text, color=color, underline=underline, size=size))
        paragraph._p.append(link)

    def _describe_logo(self, paragraph: Paragraph) -> None:
        name = self.brand.name or self.labels.logo
        self._describe(paragraph, name, name)

    @staticmethod
    def _describe(paragraph: Paragraph, title: str, description: str) -> None:
        """Alt text for the pictures in `paragraph` (what screen readers and Word show)."""
        for doc_pr in paragraph._p.iter(qn("wp:docPr")):
            doc_pr.set("descr", description)
            doc_pr.set("title", title)

    def _table_indent(self, first_cell_margin: int) -> int:
        """The table indent that puts a table's edge on the page margin, like the PDF's.

        Before Word 2013's layout (compatibility mode 15), which python-docx's
        template and most reference documents ask for, Word and LibreOffice measure
        the indent to the first cell's text, not to the table's edge.
        """
        return 0 if self._compatibility_mode >= 15 else first_cell_margin

    def _text_width(self) -> Emu:
        section = self.document.sections[0]
        return Emu(section.page_width - section.left_margin - section.right_margin)

    def _text_twips(self) -> int:
        return int(self._text_width()) // ml.EMU_PER_TWIP

    # --- page, styles, language and properties -----------------------------------------------

    def _setup_page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = PAGE_SIZES[self.brand.page_size]
        if not self.inherits:  # a reference document keeps its own margins
            section.left_margin = section.right_margin = MARGIN
            section.top_margin = Mm(20)
            section.bottom_margin = Mm(20)
            section.header_distance = Mm(10)
            section.footer_distance = Mm(10)

    def _setup_styles(self) -> None:
        family = self.brand.font.family
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = family
        normal.font.size = Pt(9.5)
        normal.font.color.rgb = RGBColor.from_string(self.colors.text)
        normal.paragraph_format.space_after = Pt(5)
        normal.paragraph_format.line_spacing = 1.07  # x the font's own line height: the PDF's
        for name, size in (("Title", 22), ("Subtitle", 13), ("Heading 1", 14), ("Heading 2", 10.5)):
            style = styles[name]
            style.font.name = family
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor.from_string(self.colors.primary_text)
            _name_font_everywhere(style, family)
        _name_font_everywhere(normal, family)
        styles["Title"].font.bold = True
        styles["Heading 1"].paragraph_format.space_before = Pt(16)
        styles["Heading 1"].paragraph_format.space_after = Pt(6)
        styles["Heading 2"].paragraph_format.space_before = Pt(9)
        styles["Heading 2"].paragraph_format.space_after = Pt(3)
        for name in ("Heading 1", "Heading 2"):
            styles[name].paragraph_format.keep_with_next = True
        _bottom_rule(styles["Heading 1"], self.colors.accent)
        styles["Subtitle"].font.color.rgb = RGBColor.from_string(self.colors.text)
        listing = styles["List Paragraph"].element.get_or_add_pPr()
        for contextual in listing.findall(qn("w:contextualSpacing")):
            listing.remove(contextual)  # keep the small space between items
        styles["List Paragraph"].paragraph_format.space_after = Pt(2)

    def _setup_language(self) -> None:
        """The document's language, where Word, LibreOffice and screen readers look for
        it: the default run properties, every style that names one, the settings."""
        tag = locale_of(self.guide.language).replace("_", "-")
        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = ml.element("w:docDefaults")
            styles.insert(0, defaults)
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is None:
            run_defaults = ml.element("w:rPrDefault")
            defaults.insert(0, run_defaults)
        properties = run_defaults.find(qn("w:rPr"))
        if properties is None:
            properties = ml.element("w:rPr")
            run_defaults.append(properties)
        language = properties.find(qn("w:lang"))
        if language is None:
            language = ml.put(properties, ml.element("w:lang"), ml.RPR_ORDER)
        language.set(qn("w:val"), tag)
        for named in styles.iter(qn("w:lang")):
            named.set(qn("w:val"), tag)
        settings = self.document.settings.element
        theme_language = settings.find(qn("w:themeFontLang"))
        if theme_language is not None:
            theme_language.set(qn("w:val"), tag)

    def set_properties(self, created: dt.datetime) -> None:
        guide = self.guide
        properties = self.document.core_properties
        properties.title = guide.document_title
        properties.subject = self.labels.description(guide)
        properties.author = guide.prepared_by or "guidegen"
        properties.last_modified_by = guide.prepared_by or "guidegen"
        properties.keywords = self.labels.keywords(guide)
        properties.language = guide.language
        properties.comments = self.labels.made_with(guidegen.__version__)
        properties.created = properties.modified = created.astimezone(dt.UTC).replace(tzinfo=None)
        properties.revision = 1
        # python-docx's blank template carries a thumbnail of an empty page, which
        # file browsers would show for this guide: drop it.
        package_rels = self.document.part.package.rels
        for rel_id, rel in list(package_rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                del package_rels[rel_id]


# --- reference documents -----------------------------------------------------------------------


def _emptied(document: DocumentObject) -> DocumentObject:
    """The reference document with its body removed; its last section's setup is kept."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _add_missing_styles(document: DocumentObject) -> None:
    """Copy from python-docx's template the styles the layout needs and the document lacks;
    and define Word's "toc 1" for the contents' entries."""
    names = {style.name for style in document.styles}
    missing = [name for name in STYLES_USED if name not in names]
    if missing:
        template = Document().styles
        for name in missing:
            document.styles.element.append(deepcopy(template[name].element))
    if not names & {TOC_STYLE_NAME, "TOC 1"}:
        toc = ml.element("w:style", {"w:type": "paragraph", "w:styleId": TOC_STYLE_ID})
        toc.append(ml.element("w:name", {"w:val": TOC_STYLE_NAME}))
        toc.append(ml.element("w:basedOn", {"w:val": "Normal"}))
        toc.append(ml.element("w:next", {"w:val": "Normal"}))
        toc.append(ml.element("w:uiPriority", {"w:val": "39"}))
        toc.append(ml.element("w:unhideWhenUsed"))
        properties = ml.element("w:pPr")
        properties.append(ml.element("w:spacing", {"w:before": "0", "w:after": "20"}))
        toc.append(properties)
        document.styles.element.append(toc)


def _copy_story(source, target) -> None:
    """Copy a header or footer's paragraphs into another, with the pictures they show."""
    target.is_linked_to_previous = False
    story = target._element
    for child in list(story):
        story.remove(child)
    for child in source._element:
        story.append(deepcopy(child))
    for blip in story.iter(qn("a:blip")):
        old = blip.get(qn("r:embed"))
        if old is None:
            continue
        image_part = source.part.related_parts[old]
        blip.set(qn("r:embed"), target.part.relate_to(image_part, RELATIONSHIP_TYPE.IMAGE))


def _compatibility_mode(document: DocumentObject) -> int:
    """The Word version whose layout rules the document asks for (12 when it says none)."""
    for setting in document.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            return int(setting.get(qn("w:val")))
    return 12


def _text_of(element) -> str:
    """The text an element shows (python-docx's element classes repeat it in itertext())."""
    return "".join(element.itertext(qn("w:t")))


def _has_picture(story) -> bool:
    return next(story.iter(qn("w:drawing"), qn("w:pict")), None) is not None


def _field_begin_run(instruction_run):
    """The run holding the beginning of the field whose instruction is in `instruction_run`."""
    for sibling in (instruction_run, *instruction_run.itersiblings(preceding=True)):
        if any(char.get(qn("w:fldCharType")) == "begin" for char in sibling.iter(qn("w:fldChar"))):
            return sibling
    return instruction_run


def _field_end_run(instruction_run):
    """The run holding the end of the field whose instruction is in `instruction_run`."""
    depth = 0
    for sibling in instruction_run.itersiblings():
        for char in sibling.iter(qn("w:fldChar")):
            kind = char.get(qn("w:fldCharType"))
            if kind == "begin":
                depth += 1
            elif kind == "end":
                if depth == 0:
                    return sibling
                depth -= 1
    return instruction_run


def _run_style(r):
    """The run properties of the field's shown result (so the total looks like the page)."""
    for sibling in r.itersiblings(preceding=True):
        properties = sibling.find(qn("w:rPr"))
        if sibling.find(qn("w:t")) is not None:
            return properties
    return r.find(qn("w:rPr"))


# --- small helpers ----------------------------------------------------------------------------


def _text_twips(text: str, size: float, *, bold: bool = False) -> int:
    """A generous estimate of a one-line text's width: 0.62 em a character (0.68 bold)."""
    em = 0.68 if bold else 0.62
    return round(len(text) * size * em * 20)


def _bottom_rule(style, color: str) -> None:
    properties = style.element.get_or_add_pPr()
    ml.put(properties, ml._borders("w:pBdr", {"bottom": (color, 1.5, 2)}), ml.PPR_ORDER)


def _name_font_everywhere(style, family: str) -> None:
    """Styles may name theme fonts, which win over font.name: name the family for every
    script, so Word and LibreOffice both show the brand's font."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), family)
