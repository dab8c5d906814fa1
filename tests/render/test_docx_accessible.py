"""The Word copy is accessible: read with python-docx as a screen reader would find it.

Language declared, headings in order, data tables with a repeated header row and
no merged cells, layout tables marked as such, every picture described, the cover
readable without its colour, check boxes as text.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from docx import Document
from docx.oxml.ns import qn

from guidegen.deliver.pipeline import GuideWriter
from guidegen.load.branding import load_brand
from guidegen.load.profiles import load_profile
from guidegen.models.brand import DEFAULT_BRAND
from guidegen.plan.personalize import build_guide
from guidegen.render.docx import CHECKBOX
from guidegen.render.labels import labels_for
from tests.conftest import ALEX_PATH, ROOT
from tests.render.reading import HEADING_LEVELS, clean, docx_paragraphs, is_data_table

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
CASES = {
    "built-in, en": (None, "en"),
    "northstar-coaching, en": ("northstar-coaching", "en"),
    "hackforge-bootcamp, es": ("hackforge-bootcamp", "es"),
}


@pytest.fixture(scope="module", params=list(CASES))
def word(request, tmp_path_factory, flagship):
    brand_name, language = CASES[request.param]
    brand = load_brand(ROOT / "brands" / brand_name) if brand_name else DEFAULT_BRAND
    guide = build_guide(
        load_profile(ALEX_PATH), flagship, today=CREATED.date(), brand=brand, language=language
    )
    out = tmp_path_factory.mktemp("accessible")
    (path,) = GuideWriter(("docx",), brand=brand).write(guide, out, created=CREATED).files
    return brand, guide, Document(path)


def test_the_document_language_is_the_guides(word):
    _, guide, document = word
    expected = {"en": "en-US", "es": "es-ES"}[guide.language]
    styles = document.styles.element
    default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default.find(qn("w:lang")).get(qn("w:val")) == expected
    # No style says otherwise (a reference document's styles may name a language).
    assert {lang.get(qn("w:val")) for lang in styles.iter(qn("w:lang"))} == {expected}
    assert document.core_properties.language == guide.language


def test_headings_are_in_order(word):
    _, guide, document = word
    levels = [
        HEADING_LEVELS[p.style.name]
        for p in docx_paragraphs(document)
        if p.style.name in HEADING_LEVELS
    ]
    assert levels[0] == 1  # the title
    assert levels.count(1) == 1
    for previous, level in itertools.pairwise(levels):
        assert level <= previous + 1, levels  # never a level skipped going down
    titles = [p for p in docx_paragraphs(document) if p.style.name == "Title"]
    assert [clean(p.text) for p in titles] == [clean(guide.title)]


def test_data_tables_repeat_their_header_and_merge_no_cell(word):
    _, _, document = word
    data = [table for table in document.tables if is_data_table(table)]
    assert len(data) == 2
    for table in data:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header.get(qn("w:val")) == "true"
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        assert look.get(qn("w:firstRow")) == "1"
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        for tag in ("w:gridSpan", "w:vMerge", "w:hMerge"):
            assert not table._tbl.findall(".//" + qn(tag)), tag
        widths = {len(row._tr.findall(qn("w:tc"))) for row in table.rows}
        assert len(widths) == 1  # every row has every column


def test_layout_tables_are_marked_and_read_in_order(word):
    brand, guide, document = word
    body = document.element.body
    # No table inside a table: screen readers lose their place in nested tables.
    for table in body.iter(qn("w:tbl")):
        assert not table.findall(".//" + qn("w:tbl"))
    layout = [table for table in document.tables if not is_data_table(table)]
    assert layout
    for table in layout:
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        assert look.get(qn("w:firstRow")) == "0"  # no header row: not a data table
        assert not table._tbl.findall(".//" + qn("w:vMerge"))
        assert not table._tbl.findall(".//" + qn("w:tblHeader"))
    # The cover is the one with a span (its titles over two columns); read cell by
    # cell it says eyebrow, title, subtitle, logo, then each label before its value.
    cover = layout[0]
    cells = []
    for row in cover.rows:
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
    text = [clean(cell.text) for cell in cells]
    assert text[0].endswith(clean(f"{guide.title} {guide.subtitle}"))
    facts = [guide.candidate.name, guide.prepared_by, str(guide.prepared_on.year)]
    facts = [fact for fact in facts if fact]
    assert len(text) == 1 + (brand.logo is not None) + len(facts)
    for cell_text, fact in zip(text[-len(facts) :], facts, strict=True):
        assert cell_text.endswith(fact)
    for table in layout[1:]:
        assert not table._tbl.findall(".//" + qn("w:gridSpan"))


def test_every_picture_has_alt_text(word):
    brand, guide, document = word
    section = document.sections[0]
    stories = [document.element.body]
    stories += [
        story._element for story in (section.header, section.first_page_header, section.footer)
    ]
    descriptions = [
        doc_pr.get("descr") for story in stories for doc_pr in story.iter(qn("wp:docPr"))
    ]
    assert descriptions and all(descriptions), descriptions
    assert guide.roadmap.chart_alt_text in descriptions
    if brand.logo:
        assert descriptions.count(brand.name) >= 2  # the cover and the running header


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two RRGGBB colours."""

    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_cover_is_readable_without_its_colour(word):
    """Every word of the cover is text (not a picture), and every run of it contrasts
    with the band at WCAG AA (4.5:1), so it reads in grayscale, printed or zoomed."""
    brand, guide, document = word
    cover = document.tables[0]
    text = clean(" ".join(cell.text for row in cover.rows for cell in row.cells))
    for expected in (guide.title, guide.subtitle, guide.candidate.name):
        assert clean(expected) in text
    for cell in (cell for row in cover.rows for cell in row.cells):
        fill = cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        assert fill == brand.colors.primary[1:]
        for run in cell._tc.iter(qn("w:r")):
            if not "".join(run.itertext(qn("w:t"))).strip():
                continue
            color = run.find(qn("w:rPr")).find(qn("w:color")).get(qn("w:val"))
            assert contrast(color, fill) >= 4.5, (color, fill)


def test_check_boxes_are_text_a_reader_announces(word):
    _, guide, document = word
    labels = labels_for(guide.language)
    items = [
        f"{item.text} {labels.item_due(item)}"  # each item says when it is due
        for action_list in guide.action_plan.lists
        for item in action_list.items
        if not item.in_progress  # ticked where it finishes, marked ◔ before
    ]
    found = []
    for paragraph in docx_paragraphs(document):
        if paragraph._p.find(qn("w:sdt")) is None:
            continue
        shown = "".join(paragraph._p.itertext(qn("w:t")))
        assert shown.startswith(CHECKBOX)  # the ☐ is a character of the item's text
        found.append(clean(shown[1:]))
    assert found == [clean(item) for item in items]
