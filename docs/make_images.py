"""Make the README's pictures from the real sample guide (never drawn by hand).

    python docs/make_images.py

Renders profiles/alex-rivera.yaml with a fixed build date (SOURCE_DATE_EPOCH),
then rasterizes page 1 to docs/images/sample-page-1.png with pypdfium2.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
BUILD_DATE = "1796083200"  # 2026-12-01 00:00 UTC, so the picture only changes when the guide does


def render_sample(out_dir: Path) -> Path:
    command = [
        sys.executable,
        "-m",
        "guidegen",
        "render",
        str(ROOT / "profiles" / "alex-rivera.yaml"),
        "--prepared-by",
        "Jordan Lee, Northstar Coaching",
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


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_sample(Path(tmp))
        target = IMAGES / "sample-page-1.png"
        page_png(pdf, target)
    print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
