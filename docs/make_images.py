"""Make the README's pictures from the real sample guide (never drawn by hand).

    python docs/make_images.py

Renders profiles/alex-rivera.yaml with a fixed build date (SOURCE_DATE_EPOCH)
and rasterizes pages with pypdfium2: docs/images/sample-page-1.png in the
neutral built-in brand, docs/images/brands-page-1.png, the two sample brands
side by side, and docs/images/word/<brand>-page-<N>.png, every page of the
PDF beside the same page of the Word copy as LibreOffice lays it out
(`soffice --headless --convert-to pdf`), for both sample brands.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
BUILD_DATE = "1796083200"  # 2026-12-01 00:00 UTC, so the picture only changes when the guide does
SAMPLE_BRANDS = ("northstar-coaching", "hackforge-bootcamp")
PAIR_PAGE_WIDTH = 460  # pixels a page in the PDF | Word pictures
CAPTION_HEIGHT = 28


def render_sample(out_dir: Path, *options: str) -> list[Path]:
    command = [
        sys.executable,
        "-m",
        "guidegen",
        "render",
        str(ROOT / "profiles" / "alex-rivera.yaml"),
        *options,
        "-o",
        str(out_dir),
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE}
    run = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return [out_dir / name for name in run.stdout.split()]


def page_png(pdf: Path, target: Path, *, page: int = 0, width_px: int = 900) -> None:
    page_image(pdf, page, width_px).save(target, optimize=True)


def page_image(pdf: Path, page: int, width_px: int) -> Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    pdf_page = document[page]
    scale = width_px / pdf_page.get_width()
    image = pdf_page.render(scale=scale).to_pil().convert("RGB")
    document.close()
    return image


def page_count(pdf: Path) -> int:
    document = pypdfium2.PdfDocument(pdf)
    count = len(document)
    document.close()
    return count


def word_through_libreoffice(docx: Path, out_dir: Path) -> Path:
    """The Word copy as LibreOffice lays it out, as a PDF."""
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("make docs needs LibreOffice (soffice) for the Word pictures; see the README")
    profile = f"-env:UserInstallation=file://{out_dir}/lo-profile"
    command = [soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", str(out_dir)]
    subprocess.run([*command, str(docx)], check=True, capture_output=True, text=True)
    return out_dir / docx.with_suffix(".pdf").name


def pdf_and_word_pairs(pdf: Path, word: Path, stem: str, target_dir: Path) -> list[Path]:
    """One picture a page: the PDF's page on the left, the Word copy's on the right."""
    written = []
    for page in range(max(page_count(pdf), page_count(word))):
        pictures = [
            page_image(source, page, PAIR_PAGE_WIDTH) if page < page_count(source) else None
            for source in (pdf, word)
        ]
        # One format ran a page longer: its other side is left blank, the same size.
        drawn = next(picture for picture in pictures if picture is not None)
        pictures = [picture or Image.new("RGB", drawn.size, "#eeeeee") for picture in pictures]
        gap = 16
        width = 2 * PAIR_PAGE_WIDTH + gap
        height = CAPTION_HEIGHT + max(p.height for p in pictures)
        sheet = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(sheet)
        for index, (picture, caption) in enumerate(
            zip(pictures, ("PDF", "Word, laid out by LibreOffice"), strict=True)
        ):
            left = index * (PAIR_PAGE_WIDTH + gap)
            draw.text((left + 4, 8), f"{caption} · page {page + 1}", fill="#616e7c")
            sheet.paste(picture, (left, CAPTION_HEIGHT))
            draw.rectangle(
                (left, CAPTION_HEIGHT, left + picture.width - 1, height - 1), outline="#d9dee4"
            )
        target = target_dir / f"{stem}-page-{page + 1}.png"
        # A palette of 256 colours keeps the pictures small; pages are mostly flat colour.
        sheet.quantize(colors=256, dither=Image.Dither.NONE).save(target, optimize=True)
        written.append(target)
    return written


def side_by_side(images: list[Path], target: Path, gap: int = 24) -> None:
    pictures = [Image.open(path) for path in images]
    width = sum(p.width for p in pictures) + gap * (len(pictures) - 1)
    height = max(p.height for p in pictures)
    sheet = Image.new("RGB", (width, height), "white")
    left = 0
    for picture in pictures:
        sheet.paste(picture, (left, 0))
        left += picture.width + gap
    sheet.save(target, optimize=True)


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    word_images = IMAGES / "word"
    word_images.mkdir(exist_ok=True)
    for stale in word_images.glob("*.png"):
        stale.unlink()
    written = [IMAGES / "sample-page-1.png", IMAGES / "brands-page-1.png"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (pdf,) = render_sample(out / "plain")
        page_png(pdf, IMAGES / "sample-page-1.png")
        pages = []
        for brand in SAMPLE_BRANDS:
            options = ("--brand", str(ROOT / "brands" / brand), "-f", "pdf", "-f", "docx")
            pdf, docx = render_sample(out / brand, *options)
            pages.append(out / f"{brand}.png")
            page_png(pdf, pages[-1], width_px=620)
            word = word_through_libreoffice(docx, out / brand / "word")
            written += pdf_and_word_pairs(pdf, word, brand, word_images)
        side_by_side(pages, IMAGES / "brands-page-1.png")
    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
