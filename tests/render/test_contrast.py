"""Every text colour on its background meets WCAG 2.1 AA, in the laid-out pages and in pixels.

The colours are computed from what WeasyPrint laid out with the theme's and the
brand's generated CSS (each text box's colour, on the background of the nearest
box that paints one), for the built-in brand, both sample brands and a brand
whose colours are all too light for text. Rendered pages are spot-checked too.
"""

from __future__ import annotations

import datetime as dt

import pdfplumber
import pypdfium2
import pytest
from PIL import Image

from guidegen.deliver.pipeline import GuideWriter, plan_guide
from guidegen.load.branding import load_brand
from guidegen.models.brand import DEFAULT_BRAND
from guidegen.models.contrast import AA_LARGE_TEXT, AA_TEXT, TEXT_BACKGROUNDS, contrast_ratio
from guidegen.render.chart import bar_shades, draw_timeline
from guidegen.render.pdf import PdfRenderer
from tests.conftest import ALEX_PATH, ROOT

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
PAPER = "#FFFFFF"
GARISH = """\
name: Sunshine Careers
colors:
  primary: "#FFE14D"
  accent: "#FFB3C6"
  text: "#9AA0A6"
"""


def brand_named(name: str, tmp_path_factory):
    if name == "built-in":
        return DEFAULT_BRAND
    if name == "garish":
        folder = tmp_path_factory.mktemp("garish")
        (folder / "brand.yaml").write_text(GARISH, encoding="utf-8")
        return load_brand(folder)
    return load_brand(ROOT / "brands" / name)


BRANDS = ["built-in", "northstar-coaching", "hackforge-bootcamp", "garish"]


@pytest.fixture(scope="module", params=BRANDS)
def laid_out(request, tmp_path_factory):
    brand = brand_named(request.param, tmp_path_factory)
    guide = plan_guide(ALEX_PATH, created=CREATED, brand=brand, prepared_by="Jordan Lee")
    renderer = PdfRenderer(brand=brand, fillable=True)
    chart = draw_timeline(guide.roadmap, color=brand.colors.primary)
    html = renderer.html(guide, created=CREATED, chart_png=chart)
    document, warnings = renderer.layout(html, chart_png=chart)
    assert warnings == []
    return request.param, brand, document


def hex_of(color) -> str:
    return "#" + "".join(f"{round(channel * 255):02X}" for channel in color.to("srgb").coordinates)


def text_on_backgrounds(box, background=PAPER, opacity=1.0):
    """(text box, its colour, the background it is painted on) for every visible word."""
    from weasyprint.formatting_structure import boxes

    opacity *= box.style["opacity"]
    painted = box.style["background_color"]
    if painted.alpha > 0:
        assert painted.alpha == 1, f"a translucent background on {box!r}"
        background = hex_of(painted)
    if isinstance(box, boxes.TextBox):
        if box.text.strip():
            yield box, hex_of(box.style["color"]), background, opacity
        return
    for child in getattr(box, "children", []):
        yield from text_on_backgrounds(child, background, opacity)


def is_large(box) -> bool:
    """WCAG's large text: 18pt, or 14pt bold (in CSS pixels: 24px, 18.67px)."""
    size, weight = box.style["font_size"], box.style["font_weight"]
    return size >= 24 or (weight >= 700 and size >= 18.66)


def test_every_text_colour_meets_wcag_aa_on_its_background(laid_out):
    _, brand, document = laid_out
    checked, failures, backgrounds = 0, [], set()
    for number, page in enumerate(document.pages, start=1):
        for box, color, background, opacity in text_on_backgrounds(page._page_box):
            checked += 1
            backgrounds.add(background)
            assert opacity == 1, f"text drawn with opacity: {box.text!r}"
            assert box.style["color"].alpha == 1, f"translucent text: {box.text!r}"
            needed = AA_LARGE_TEXT if is_large(box) else AA_TEXT
            ratio = contrast_ratio(color, background)
            if ratio < needed:
                failures.append((number, box.text, color, background, round(ratio, 2)))
    assert checked > 300  # every line of every page
    assert failures == []
    # Text sits only on the backgrounds the palette was made readable on.
    assert backgrounds <= {*TEXT_BACKGROUNDS, brand.text_palette.primary}


def test_brand_colours_that_fail_are_darkened_for_text_only(laid_out):
    name, brand, document = laid_out
    palette = brand.text_palette
    colors = {
        hex_of(box.style["color"])
        for page in document.pages
        for box, *_ in text_on_backgrounds(page._page_box)
    }
    fills = {
        hex_of(box.style["background_color"])
        for page in document.pages
        for box in page._page_box.descendants()
        if box.style["background_color"].alpha > 0
    }
    assert palette.primary in fills  # the cover band and table headers keep the brand's colour
    assert palette.accent_text in colors  # the ranks and phase labels
    for adjustment in palette.adjustments:
        assert adjustment.given not in colors
        assert adjustment.used in colors
    if name == "garish":
        assert {a.field for a in palette.adjustments} == {"primary", "accent", "text"}
        assert palette.on_primary != "#FFFFFF"  # dark text on the yellow band


@pytest.mark.parametrize("name", BRANDS)
def test_chart_bar_labels_read_on_every_bar(name, tmp_path_factory):
    palette = brand_named(name, tmp_path_factory).text_palette
    for fill, label in bar_shades(palette.primary, palette.text, 7):
        assert contrast_ratio(label, fill) >= AA_TEXT


def ink_and_paper(image: Image.Image) -> tuple[str, str]:
    """The most common colour (the background) and the pixel farthest from it (the ink)."""
    counts = image.getcolors(1 << 20)
    paper = "#{:02X}{:02X}{:02X}".format(*max(counts)[1])
    ink = max(
        ("#{:02X}{:02X}{:02X}".format(*color) for _, color in counts),
        key=lambda color: contrast_ratio(color, paper),
    )
    return ink, paper


@pytest.mark.parametrize("brand_name", ["hackforge-bootcamp", "northstar-coaching"])
def test_rendered_pages_spot_check(brand_name, tmp_path):
    """The rank numbers, a phase label and the cover's quiet labels, read off the pixels."""
    brand = load_brand(ROOT / "brands" / brand_name)
    guide = plan_guide(ALEX_PATH, created=CREATED, brand=brand)
    (path,) = GuideWriter(("pdf",), brand=brand).write(guide, tmp_path, created=CREATED).files
    scale = 300 / 72
    spots = []
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages):
            for word in page.extract_words():
                if word["text"] in ("1", "Phase", "CAREER") and word["top"] > 40:
                    spots.append((number, word))
    pdf = pypdfium2.PdfDocument(str(path))
    found, bitmaps = set(), {}
    for number, word in spots:
        if number not in bitmaps:
            bitmaps[number] = pdf[number].render(scale=scale).to_pil().convert("RGB")
        bitmap = bitmaps[number]
        box = tuple(
            round(value * scale)
            for value in (word["x0"] - 1, word["top"] - 1, word["x1"] + 1, word["bottom"] + 1)
        )
        ink, paper = ink_and_paper(bitmap.crop(box))
        assert contrast_ratio(ink, paper) >= AA_TEXT, (word["text"], ink, paper)
        found.add(word["text"])
    pdf.close()
    assert found == {"1", "Phase", "CAREER"}
