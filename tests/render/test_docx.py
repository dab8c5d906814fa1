"""The real .docx of the sample guide, read back with python-docx (and LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from PIL import Image

from guidegen.deliver.pipeline import GuideWriter
from guidegen.language import formatting
from guidegen.load.profiles import load_profile
from guidegen.models.brand import DEFAULT_BRAND
from guidegen.plan.personalize import build_guide
from guidegen.render.chart import draw_timeline
from guidegen.render.docx import CHECKBOX, NOTE_TINT, TINT
from guidegen.render.labels import labels_for
from tests.conftest import ALEX_PATH
from tests.render.reading import (
    clean,
    docx_headings,
    docx_lists,
    docx_paragraphs,
    is_data_table,
)

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
PRIMARY = DEFAULT_BRAND.colors.primary[1:]


@pytest.fixture(scope="module")
def both(tmp_path_factory, flagship):
    """Alex's guide as PDF and .docx from one Guide, with the chart drawn once."""
    out = tmp_path_factory.mktemp("docx")
    guide = build_guide(
        load_profile(ALEX_PATH), flagship, today=CREATED.date(), prepared_by="Jordan Lee"
    )
    result = GuideWriter(("pdf", "docx")).write(guide, out, created=CREATED)
    pdf, docx = result.files
    return guide, pdf, docx


@pytest.fixture(scope="module")
def document(both):
    return Document(both[2])


def test_file_names(both):
    assert both[1].name == "alex-rivera--backend-developer-to-ai-solutions-architect.pdf"
    assert both[2].name == "alex-rivera--backend-developer-to-ai-solutions-architect.docx"


def test_headings_use_word_heading_styles(document, both):
    guide = both[0]
    headings = docx_headings(both[2])
    assert headings[0] == (1, guide.title)
    assert (2, "Your Transferable Skills") in headings
    assert (3, "Phase 1 Foundations of AI/ML") in headings
    assert (3, guide.reality_check.love_heading) in headings  # a card's heading
    styles = {p.style.name for p in docx_paragraphs(document)}
    assert {"Title", "Heading 1", "Heading 2"} <= styles


def test_two_data_tables_with_a_shaded_repeating_header(document, both):
    guide = both[0]
    transferable, learning = [table for table in document.tables if is_data_table(table)]
    assert len(transferable.rows) == 1 + len(guide.transferable.items)
    assert len(learning.rows) == 1 + len(guide.learning.items)
    for table, section in ((transferable, guide.transferable), (learning, guide.learning)):
        header = table.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
        for cell in header.cells:
            shading = cell._tc.tcPr.find(qn("w:shd"))
            assert shading.get(qn("w:fill")) == PRIMARY
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        assert caption.get(qn("w:val")) == section.heading
    assert [cell.text for cell in learning.rows[0].cells] == [
        "#",
        "Skill",
        "How to learn it",
        "Resources",
    ]
    assert clean(learning.rows[1].cells[1].text) == guide.learning.items[0].name


def test_reality_check_is_three_tinted_cards_side_by_side(document, both):
    guide = both[0]
    section = guide.reality_check
    (cards,) = [
        table for table in document.tables if section.love_heading in table.rows[0].cells[0].text
    ]
    assert len(cards.rows) == 1 and len(cards.columns) == 3
    expected = (
        (section.love_heading, section.love),
        (section.miss_heading, section.miss),
        (section.challenges_heading, section.challenges),
    )
    for cell, (heading, items) in zip(cards.rows[0].cells, expected, strict=True):
        assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == TINT
        top = cell._tc.tcPr.find(qn("w:tcBorders")).find(qn("w:top"))
        assert top.get(qn("w:color")) == PRIMARY
        assert [clean(p.text) for p in cell.paragraphs] == [heading, *items]
    assert cards.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_notes_and_call_to_action_are_shaded_boxes(document, both):
    guide = both[0]
    boxes = {}
    for table in document.tables:
        cells = table.rows[0].cells
        if len(cells) == 1:
            fill = cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
            boxes[clean(cells[0].paragraphs[0].text)] = (fill, clean(cells[0].text))
    notes_fill, notes_text = boxes[guide.coach_notes.heading]
    assert notes_fill == NOTE_TINT
    assert all(clean(text) in notes_text for text in guide.coach_notes.paragraphs)
    action_fill, action_text = boxes[guide.call_to_action.heading]
    assert action_fill == PRIMARY
    assert clean(guide.call_to_action.text) in action_text


def test_the_chart_is_a_crisp_picture_with_alt_text(document, both):
    guide = both[0]
    (shape,) = document.inline_shapes
    blob = shape._inline.graphic.graphicData.pic.blipFill.blip
    part = document.part.related_parts[blob.get(qn("r:embed"))]
    assert part.blob == draw_timeline(guide.roadmap)  # the same chart as the PDF's
    image = Image.open(io.BytesIO(part.blob))
    width_inches = shape.width.inches
    assert image.width / width_inches >= 150
    doc_pr = shape._inline.docPr
    assert doc_pr.get("descr") == guide.roadmap.chart_alt_text
    assert "Foundations of AI/ML" in doc_pr.get("descr")


def test_the_chart_is_kept_with_its_heading(document, both):
    guide = both[0]
    paragraphs = docx_paragraphs(document)
    heading = next(
        i
        for i, p in enumerate(paragraphs)
        if p.style.name == "Heading 1" and p.text == guide.roadmap.heading
    )
    chart = next(i for i, p in enumerate(paragraphs) if p._p.findall(".//" + qn("w:drawing")))
    assert chart > heading
    for paragraph in paragraphs[heading:chart]:
        assert paragraph.paragraph_format.keep_with_next or (
            paragraph.style.paragraph_format.keep_with_next
        )


def test_action_lists_are_lists_of_clickable_check_boxes(document, both):
    guide = both[0]
    lists = docx_lists(both[2])
    labels = labels_for(guide.language)
    for action_list in guide.action_plan.lists:
        heading = clean(f"{action_list.heading} due {formatting.date(action_list.due)}")
        # each item with its own due date, or marked in progress
        assert lists[heading] == [
            clean(f"{item.text} {labels.item_due(item)}") for item in action_list.items
        ]
    boxes = list(document.element.body.iter(qn("w14:checkbox")))
    ticked_once = [
        item for a in guide.action_plan.lists for item in a.items if not item.in_progress
    ]
    assert len(boxes) == len(ticked_once)
    for box in boxes:
        assert box.find(qn("w14:checked")).get(qn("w14:val")) == "0"
        content = box.getparent().getparent().find(qn("w:sdtContent"))
        assert "".join(content.itertext(qn("w:t"))) == CHECKBOX
    phase_tasks = lists["Phase 1 Foundations of AI/ML"]
    assert phase_tasks == [
        clean(f"{task.text} {labels.task_due(task)}") for task in guide.roadmap.phases[0].items
    ]


def test_lists_are_indented_as_in_the_pdf(document):
    numbering = document.part.numbering_part.element
    indents = sorted(
        int(ind.get(qn("w:left")))
        for abstract in numbering.findall(qn("w:abstractNum"))
        if int(abstract.get(qn("w:abstractNumId"))) > 9000
        for ind in abstract.iter(qn("w:ind"))
    )
    # resources 3.5 mm, bullets 4.5 mm, checklists 6.5 mm (twips)
    assert indents == [198, 255, 369]


def test_footer_has_page_fields_and_the_header_names_the_candidate(document, both):
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        paragraph = footer.paragraphs[0]
        codes = [instr.text.strip() for instr in paragraph._p.iter(qn("w:instrText"))]
        assert codes == ["PAGE", "NUMPAGES"]
        assert clean(paragraph.text).endswith("Page 1 of 1")  # until a reader lays it out
    assert section.header.paragraphs[0].text.endswith(f"Alex Rivera · {both[0].title}")
    assert section.different_first_page_header_footer  # no running header on the cover
    assert section.first_page_header.paragraphs[0].text == ""
    assert not section.first_page_header._element.findall(".//" + qn("w:drawing"))


def test_contents_link_to_every_section_without_page_numbers(document, both):
    guide = both[0]
    body = document.element.body
    codes = [instr.text.strip() for instr in body.iter(qn("w:instrText"))]
    (toc,) = [code for code in codes if code.startswith("TOC ")]
    assert "\\n" in toc and "\\h" in toc  # no page numbers; entries are links
    bookmarks = {
        mark.get(qn("w:name")): clean(Paragraph(mark.getparent(), None).text)
        for mark in body.iter(qn("w:bookmarkStart"))
    }
    links = [link for link in body.iter(qn("w:hyperlink")) if link.get(qn("w:anchor"))]
    entries = [clean("".join(link.itertext(qn("w:t")))) for link in links]
    sections = [text for level, text in docx_headings(both[2]) if level == 2]
    assert entries == sections
    assert guide.faq.heading in entries
    for link, entry in zip(links, entries, strict=True):
        assert bookmarks[link.get(qn("w:anchor"))] == entry
    # Nothing to update on open: Word would ask the reader first.
    assert document.settings.element.find(qn("w:updateFields")) is None


def test_page_is_a4(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_core_properties(document, both):
    guide = both[0]
    properties = document.core_properties
    assert properties.title == guide.document_title
    assert properties.author == "Jordan Lee"
    assert properties.subject.startswith("Career transition guide for Alex Rivera")
    assert properties.created == CREATED
    assert properties.language == "en"


def test_zip_entries_carry_the_build_date(both):
    with zipfile.ZipFile(both[2]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 24, 12, 0, 0)}


def test_profile_text_stays_literal_in_word(tmp_path, make_profile, flagship):
    hostile = make_profile(name="Zoë <w:t>x</w:t> {{ 7*7 }} & co", notes="<script>1</script>")
    guide = build_guide(hostile, flagship, today=CREATED.date())
    (path,) = GuideWriter(("docx",)).write(guide, tmp_path, created=CREATED).files
    text = "\n".join(p.text for p in docx_paragraphs(Document(path)))
    assert "<script>1</script>" in text
    header = Document(path).sections[0].header.paragraphs[0].text
    assert "Zoë <w:t>x</w:t> {{ 7*7 }} & co" in header
