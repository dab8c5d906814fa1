"""The same profile rendered in both sample brands: the brand shows in the real files."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from guidegen.deliver.pipeline import GuideWriter
from guidegen.load.branding import load_brand
from guidegen.load.profiles import load_profile
from guidegen.plan.personalize import build_guide
from tests.conftest import ALEX_PATH, ROOT
from tests.render.reading import is_data_table

MM = 72 / 25.4
CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
BRANDS = {
    "northstar-coaching": {"size_mm": (210, 297), "logo": "png"},
    "hackforge-bootcamp": {"size_mm": (216, 279), "logo": "svg"},
}


def rgb(hex_color: str) -> tuple[float, float, float]:
    return tuple(int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))


def same_color(color, hex_color: str) -> bool:
    return (
        isinstance(color, tuple | list)
        and len(color) == 3
        and all(abs(a - b) < 0.01 for a, b in zip(color, rgb(hex_color), strict=True))
    )


@pytest.fixture(scope="module", params=list(BRANDS))
def branded(request, tmp_path_factory, flagship):
    brand = load_brand(ROOT / "brands" / request.param)
    guide = build_guide(load_profile(ALEX_PATH), flagship, today=CREATED.date(), brand=brand)
    out = tmp_path_factory.mktemp(request.param)
    pdf, docx = GuideWriter(("pdf", "docx"), brand=brand).write(guide, out, created=CREATED).files
    return request.param, brand, guide, pdf, docx


def test_pdf_page_size(branded):
    name, _, _, pdf, _ = branded
    for page in PdfReader(pdf).pages:
        size = (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM))
        assert size == BRANDS[name]["size_mm"]


def test_pdf_footer_text_on_every_page(branded):
    _, _, guide, pdf, _ = branded
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            bottom = page.crop((0, page.height - 20 * MM, page.width, page.height))
            assert guide.footer in (bottom.extract_text() or "")  # the brand's, in English


def test_the_call_to_action_never_ends_the_guide_alone_on_its_page(branded):
    _, _, guide, pdf, _ = branded
    with pdfplumber.open(pdf) as document:
        last = " ".join((document.pages[-1].extract_text() or "").split())
    assert " ".join(guide.call_to_action.heading.split()) in last
    assert " ".join(guide.faq.entries[-1].question.split()) in last  # its answer came along


def test_pdf_table_headers_are_filled_with_the_primary_colour(branded):
    _, brand, _, pdf, _ = branded
    with pdfplumber.open(pdf) as document:
        page = document.pages[1]
        header_cells = [
            rect
            for rect in page.rects
            if same_color(rect.get("non_stroking_color"), brand.colors.primary)
            and rect["height"] < 40
        ]
        assert len(header_cells) >= 3
        words = page.extract_words()
        skill = next(w for w in words if w["text"] == "Skill")
        assert any(
            r["x0"] <= skill["x0"] and r["top"] <= skill["top"] <= r["bottom"] for r in header_cells
        )


def test_pdf_embeds_the_logo_on_the_cover_and_in_the_running_header(branded):
    name, brand, _, pdf, _ = branded
    with pdfplumber.open(pdf) as document:
        cover, second = document.pages[0], document.pages[1]
        if BRANDS[name]["logo"] == "png":
            # A bitmap: the chart is the only other image, and it is on the roadmap page.
            assert any(image["srcsize"] == (480, 480) for image in cover.images)
            header_images = [i for i in second.images if i["bottom"] < 20 * MM]
            assert header_images and header_images[0]["srcsize"] == (480, 480)
        else:
            # Vector: the logo's shapes, filled in its purple, in the top margin.
            marks = [
                obj
                for obj in second.rects + second.curves
                if obj["bottom"] < 20 * MM
                and same_color(obj.get("non_stroking_color"), brand.colors.primary)
            ]
            assert marks
            assert any(
                same_color(obj.get("non_stroking_color"), "#00A6A6")
                for obj in cover.rects + cover.curves
            )


def test_pdf_uses_the_brand_font(branded):
    _, brand, _, pdf, _ = branded
    reader = PdfReader(pdf)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    family = brand.font.family.replace(" ", "")
    assert any(family in font.replace("-", "") for font in fonts), fonts


def test_docx_page_size_and_table_header_shading(branded):
    name, brand, _, _, docx = branded
    document = Document(docx)
    section = document.sections[0]
    width, height = round(section.page_width.mm), round(section.page_height.mm)
    assert (width, height) == BRANDS[name]["size_mm"]
    data_tables = [table for table in document.tables if is_data_table(table)]
    assert len(data_tables) == 2
    cover = document.tables[0]  # the cover band, in the brand colour too
    for row in [table.rows[0] for table in data_tables] + list(cover.rows):
        for cell in row.cells:
            shading = cell._tc.tcPr.find(qn("w:shd"))
            assert shading.get(qn("w:fill")) == brand.colors.primary[1:]


def test_the_chart_is_drawn_in_the_brand_colour(branded):
    from PIL import Image

    _, brand, _, _, docx = branded
    document = Document(docx)
    chart = next(s for s in document.inline_shapes if s.width.mm > 100)
    blip = chart._inline.graphic.graphicData.pic.blipFill.blip
    png = document.part.related_parts[blip.get(qn("r:embed"))].blob
    colors = {color for _, color in Image.open(io.BytesIO(png)).getcolors(1 << 20)}
    assert tuple(int(brand.colors.primary[i : i + 2], 16) for i in (1, 3, 5)) in colors


def test_docx_embeds_the_logo_and_has_the_footer_text(branded):
    name, _, guide, _, docx = branded
    document = Document(docx)
    section = document.sections[0]
    header_images = [
        rel.target_part.blob
        for rel in section.header.part.rels.values()
        if rel.reltype.endswith("/image")
    ]
    assert header_images, "no logo in the header"
    footer_text = " ".join(p.text for p in section.footer.paragraphs)
    if name == "northstar-coaching":
        assert guide.footer in footer_text
        cover_logo = document.inline_shapes[0]
        assert cover_logo._inline.docPr.get("descr") == "Northstar Coaching"
        assert header_images[0] == (ROOT / "brands" / name / "logo.png").read_bytes()
        assert document.styles["Normal"].font.name == "Noto Serif"
    else:
        # An SVG logo, rasterized for Word; the header and footer come from reference.dotx.
        from PIL import Image

        assert Image.open(io.BytesIO(header_images[0])).format == "PNG"
        # Words-free, so they suit every language: a name, an address, a page number.
        assert "Hackforge Coding Bootcamp" in section.header.paragraphs[0].text
        assert "Hackforge Coding Bootcamp · hackforge.example" in footer_text


def test_a_docx_reference_document_works_too(tmp_path, make_profile, flagship):
    reference = Document()
    reference.styles["Heading 1"].font.name = "Liberation Serif"
    reference.sections[0].header.paragraphs[0].text = "ACME Careers letterhead"
    reference.save(tmp_path / "reference.docx")
    (tmp_path / "brand.yaml").write_text("name: ACME\nreference_doc: reference.docx\n")
    brand = load_brand(tmp_path)
    guide = build_guide(make_profile(), flagship, today=CREATED.date(), brand=brand)
    (path,) = GuideWriter(("docx",), brand=brand).write(guide, tmp_path, created=CREATED).files
    document = Document(path)
    # The reference's header, completed with the running line it lacked.
    header = document.sections[0].header.paragraphs[0].text
    assert header.startswith("ACME Careers letterhead\t")
    assert header.endswith(f"{guide.candidate.name} · {guide.title}")
    assert document.styles["Heading 1"].font.name == "Liberation Serif"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Overview"
    # ... and its footer, which had none, the page numbers.
    footer = document.sections[0].footer.paragraphs[-1]
    codes = [instr.text.strip() for instr in footer._p.iter(qn("w:instrText"))]
    assert codes == ["PAGE", "NUMPAGES"]


def test_theme_override_shadows_file_by_file(tmp_path, make_profile, flagship):
    from guidegen.render.theming import builtin_theme_dir

    theme = tmp_path / "theme"
    theme.mkdir()
    html = (builtin_theme_dir() / "guide.html.j2").read_text()
    (theme / "guide.html.j2").write_text(
        html.replace('<p class="eyebrow">', '<p class="eyebrow">DESIGNER EDITION ')
    )
    guide = build_guide(make_profile(), flagship, today=CREATED.date())
    writer = GuideWriter(("pdf",), theme_dirs=[theme])
    (path,) = writer.write(guide, tmp_path, created=CREATED).files
    with pdfplumber.open(path) as document:
        assert "DESIGNER EDITION" in document.pages[0].extract_text()
        # guide.css was not overridden: the built-in one still fills the table headers.
        page = document.pages[1]
        assert any(same_color(r.get("non_stroking_color"), "#1B3A5C") for r in page.rects)


def test_docx_text_is_set_in_the_brands_readable_colours(branded):
    """As in the PDF: a brand colour too light for text fills and rules, and its darker
    twin sets the text (rank numbers, phase labels, headings)."""
    _, brand, _, _, docx = branded
    palette = brand.text_palette
    body = Document(docx).element.body
    run_colours = {color.get(qn("w:val")) for color in body.iter(qn("w:color"))}
    assert palette.accent != palette.accent_text  # both sample accents are too light
    assert palette.accent_text[1:] in run_colours
    assert palette.accent[1:] not in run_colours
