"""The Word copy as a reader sees it: laid out by LibreOffice (a real Word client), next to
the PDF of the same Guide, in the built-in look and both sample brands."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from guidegen.deliver.pipeline import GuideWriter
from guidegen.load.branding import load_brand
from guidegen.load.profiles import load_profile
from guidegen.models.brand import DEFAULT_BRAND
from guidegen.plan.personalize import build_guide
from tests.conftest import ALEX_PATH, ROOT, require_tool
from tests.render.reading import MM, clean

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
BRANDS = ("built-in", "northstar-coaching", "hackforge-bootcamp")
FOOTER_ZONE = 18 * MM  # below the body on every page: the running footer


def convert_with_libreoffice(documents: list[Path], out_dir: Path) -> list[Path]:
    """Each .docx as LibreOffice lays it out, as a PDF (one LibreOffice run for all)."""
    soffice = require_tool("soffice")
    run = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{out_dir}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, documents),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    converted = [out_dir / document.with_suffix(".pdf").name for document in documents]
    assert run.returncode == 0 and all(path.is_file() for path in converted), run.stderr
    return converted


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, flagship):
    """Per brand: the brand, the Guide, its PDF and its Word copy laid out by LibreOffice."""
    out = tmp_path_factory.mktemp("libreoffice")
    profile = load_profile(ALEX_PATH)
    results = {}
    for name in BRANDS:
        brand = DEFAULT_BRAND if name == "built-in" else load_brand(ROOT / "brands" / name)
        guide = build_guide(
            profile, flagship, today=CREATED.date(), brand=brand, prepared_by="Jordan Lee"
        )
        folder = out / name
        pdf, docx = (
            GuideWriter(("pdf", "docx"), brand=brand).write(guide, folder, created=CREATED).files
        )
        results[name] = (brand, guide, pdf, docx)
    # One LibreOffice run for all, so each under its own name.
    (out / "word").mkdir()
    copies = []
    for name, (_, _, _, docx) in results.items():
        copies.append(out / "word" / f"{name}.docx")
        copies[-1].write_bytes(docx.read_bytes())
    converted = convert_with_libreoffice(copies, out / "word")
    return {
        name: (brand, guide, pdf, word)
        for (name, (brand, guide, pdf, _)), word in zip(results.items(), converted, strict=True)
    }


@pytest.fixture(params=BRANDS)
def pair(request, rendered):
    return rendered[request.param]


def page_count(path: Path) -> int:
    with pdfplumber.open(path) as document:
        return len(document.pages)


def test_the_word_copy_runs_within_one_page_of_the_pdf(pair):
    _, _, pdf, word = pair
    assert abs(page_count(word) - page_count(pdf)) <= 1, (page_count(word), page_count(pdf))


def test_no_page_but_the_last_is_more_than_half_empty(pair):
    """The lowest text or picture of every page but the last is below its middle."""
    _, _, _, word = pair
    with pdfplumber.open(word) as document:
        for number, page in enumerate(document.pages[:-1], start=1):
            body_bottom = page.height - FOOTER_ZONE
            bottoms = [w["bottom"] for w in page.extract_words() if w["bottom"] < body_bottom]
            bottoms += [i["bottom"] for i in page.images if i["bottom"] < body_bottom]
            assert max(bottoms) > page.height / 2, f"page {number} is more than half empty"


def test_every_heading_and_checklist_item_is_there(pair):
    _, guide, _, word = pair
    with pdfplumber.open(word) as document:
        text = clean(" ".join(page.extract_text() for page in document.pages))
    for heading in (guide.title, guide.overview.heading, guide.roadmap.heading, guide.faq.heading):
        assert clean(heading) in text
    for action_list in guide.action_plan.lists:
        for item in action_list.items:
            assert clean(item.text) in text
    assert clean(guide.call_to_action.heading) in text


def same_color(color, hex_color: str) -> bool:
    expected = tuple(int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (
        isinstance(color, tuple | list)
        and len(color) == 3
        and all(abs(a - b) < 0.01 for a, b in zip(color, expected, strict=True))
    )


def test_page_1_shows_the_logo_once_on_the_brand_coloured_cover(pair):
    brand, _, _, word = pair
    with pdfplumber.open(word) as document:
        cover, second = document.pages[0], document.pages[1]
        band = [
            rect
            for rect in cover.rects
            if same_color(rect.get("non_stroking_color"), brand.colors.primary)
            and rect["top"] < 100 * MM
        ]
        assert band, "no cover band in the brand colour"
        left = min(rect["x0"] for rect in band)
        right = max(rect["x1"] for rect in band)
        assert right - left > 0.7 * cover.width  # the band spans the text block
        if brand.logo is None:
            assert cover.images == []
            return
        # Once: in the cover band, not again in a running header on the cover page.
        (logo,) = cover.images
        assert (
            min(rect["top"] for rect in band)
            <= logo["top"]
            < logo["bottom"]
            < max(rect["bottom"] for rect in band)
        )
        # The running header on the next pages carries it.
        assert [image for image in second.images if image["bottom"] < 25 * MM]


def test_the_footer_reads_page_1_of_n(pair):
    _, _, _, word = pair
    with pdfplumber.open(word) as document:
        pages = len(document.pages)
        for number, page in enumerate(document.pages, start=1):
            footer = page.crop((0, page.height - FOOTER_ZONE, page.width, page.height))
            assert f"Page {number} of {pages}" in (footer.extract_text() or "")


def test_the_header_names_the_candidate_on_every_page_but_the_cover(pair):
    _, guide, _, word = pair
    running = clean(f"{guide.candidate.name} · {guide.title}")
    with pdfplumber.open(word) as document:
        for number, page in enumerate(document.pages, start=1):
            header = clean(page.crop((0, 0, page.width, 20 * MM)).extract_text() or "")
            assert (running in header) == (number > 1), (number, header)


def test_the_cover_date_is_on_one_line(pair):
    _, guide, _, word = pair
    date = guide.prepared_on
    with pdfplumber.open(word) as document:
        words = document.pages[0].extract_words()
    year = [w for w in words if w["text"].startswith(str(date.year))]
    assert year, "no date on the cover"
    line = [w for w in words if abs(w["top"] - year[0]["top"]) < 2]
    text = clean(" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])))
    assert clean(text).endswith(clean(f"{date.strftime('%b')} {date.day}, {date.year}"))
