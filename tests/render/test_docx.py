"""The real .docx of the sample guide, read back with python-docx (and LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from guidegen.deliver.pipeline import GuideWriter
from guidegen.language import formatting
from guidegen.load.profiles import load_profile
from guidegen.models.brand import DEFAULT_BRAND
from guidegen.plan.personalize import build_guide
from guidegen.render.chart import draw_timeline
from guidegen.render.docx import CHECKBOX
from guidegen.render.labels import labels_for
from tests.conftest import ALEX_PATH, require_tool
from tests.render.reading import clean, docx_headings, docx_lists

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
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2"} <= styles


def test_two_real_tables_with_a_shaded_repeating_header(document, both):
    guide = both[0]
    transferable, learning = document.tables
    assert len(transferable.rows) == 1 + len(guide.transferable.items)
    assert len(learning.rows) == 1 + len(guide.learning.items)
    for table in (transferable, learning):
        header = table.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
        for cell in header.cells:
            shading = cell._tc.tcPr.find(qn("w:shd"))
            assert shading.get(qn("w:fill")) == PRIMARY
        for row in table.rows[1:]:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    assert [cell.text for cell in learning.rows[0].cells] == [
        "#",
        "Skill",
        "How to learn it",
        "Resources",
    ]
    assert clean(learning.rows[1].cells[1].text) == guide.learning.items[0].name


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


def test_action_lists_are_real_lists_with_checkbox_bullets(document, both):
    guide = both[0]
    lists = docx_lists(both[2])
    labels = labels_for(guide.language)
    for action_list in guide.action_plan.lists:
        heading = clean(f"{action_list.heading} due {formatting.date(action_list.due)}")
        # each item with its own due date, or marked in progress
        assert lists[heading] == [
            clean(f"{item.text} {labels.item_due(item)}") for item in action_list.items
        ]
    numbering = document.part.numbering_part.element
    level_texts = [lvl.get(qn("w:val")) for lvl in numbering.iter(qn("w:lvlText"))]
    assert CHECKBOX in level_texts
    phase_tasks = lists["Phase 1 Foundations of AI/ML"]
    assert phase_tasks == [
        clean(f"{task.text} {labels.task_due(task)}") for task in guide.roadmap.phases[0].items
    ]


def test_footer_has_page_fields_and_the_header_names_the_candidate(document, both):
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        paragraph = footer.paragraphs[0]
        codes = [instr.text.strip() for instr in paragraph._p.iter(qn("w:instrText"))]
        assert codes == ["PAGE", "NUMPAGES"]
    assert section.header.paragraphs[0].text.endswith(f"Alex Rivera · {both[0].title}")
    assert section.different_first_page_header_footer  # no running header on the cover


def test_table_of_contents_field_refreshed_on_open(document):
    body = document.element.body
    codes = [instr.text.strip() for instr in body.iter(qn("w:instrText"))]
    assert any(code.startswith("TOC ") for code in codes)
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


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
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "<script>1</script>" in text
    header = Document(path).sections[0].header.paragraphs[0].text
    assert "Zoë <w:t>x</w:t> {{ 7*7 }} & co" in header


def test_libreoffice_opens_and_converts_it(tmp_path, both):
    soffice = require_tool("soffice")
    guide, _, docx = both
    run = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    converted = tmp_path / docx.with_suffix(".pdf").name
    assert run.returncode == 0 and converted.is_file(), run.stderr
    from pypdf import PdfReader

    text = clean(" ".join(page.extract_text() for page in PdfReader(converted).pages))
    for heading in (guide.title, guide.overview.heading, guide.roadmap.heading, guide.faq.heading):
        assert clean(heading) in text
    for item in guide.action_plan.lists[0].items:
        assert clean(item.text) in text
    assert "Page 1 of" in text
