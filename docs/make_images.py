"""Make the README's pictures from the real sample guide (never drawn by hand).

    python docs/make_images.py

Renders profiles/alex-rivera.yaml with a fixed build date (SOURCE_DATE_EPOCH)
and rasterizes page 1 with pypdfium2: docs/images/sample-page-1.png in the
neutral built-in brand, and docs/images/brands-page-1.png, the two sample
brands side by side.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
BUILD_DATE = "1796083200"  # 2026-12-01 00:00 UTC, so the picture only changes when the guide does


def render_sample(out_dir: Path, *options: str) -> Path:
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
    return Path(run.stdout.strip())


def page_png(pdf: Path, target: Path, *, page: int = 0, width_px: int = 900) -> None:
    document = pypdfium2.PdfDocument(pdf)
    pdf_page = document[page]
    scale = width_px / pdf_page.get_width()
    pdf_page.render(scale=scale).to_pil().convert("RGB").save(target, optimize=True)
    document.close()


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
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        pdf = render_sample(out / "plain")
        page_png(pdf, IMAGES / "sample-page-1.png")
        pages = []
        for brand in ("northstar-coaching", "hackforge-bootcamp"):
            pdf = render_sample(out / brand, "--brand", str(ROOT / "brands" / brand))
            pages.append(out / f"{brand}.png")
            page_png(pdf, pages[-1], width_px=620)
        side_by_side(pages, IMAGES / "brands-page-1.png")
    for name in ("sample-page-1.png", "brands-page-1.png"):
        print((IMAGES / name).relative_to(ROOT))


if __name__ == "__main__":
    main()
