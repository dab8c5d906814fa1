"""Make the binary files of the two sample brands in brands/ (run once; they are committed).

    python docs/make_sample_brands.py

- brands/northstar-coaching/logo.png: a solo coach's mark (drawn with Pillow);
  fonts/: Noto Serif, copied from the system (fonts-noto-core; SIL Open Font License).
- brands/hackforge-bootcamp/logo.svg: a bootcamp's mark (vector);
  reference.dotx: a Word template whose styles, header and footer the guide inherits.
"""

from __future__ import annotations

import io
import math
import shutil
import zipfile
from pathlib import Path

import cairosvg
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
NORTHSTAR = ROOT / "brands" / "northstar-coaching"
HACKFORGE = ROOT / "brands" / "hackforge-bootcamp"
NOTO_SERIF = Path("/usr/share/fonts/truetype/noto")

HACKFORGE_LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120">
  <title>Hackforge Coding Bootcamp</title>
  <rect x="4" y="4" width="112" height="112" rx="22" fill="#5B2A86"/>
  <path d="M44 34 L22 60 L44 86" fill="none" stroke="#FFFFFF" stroke-width="10"
        stroke-linecap="round" stroke-linejoin="round"/>
  <path d="M76 34 L98 60 L76 86" fill="none" stroke="#FFFFFF" stroke-width="10"
        stroke-linecap="round" stroke-linejoin="round"/>
  <path d="M66 28 L54 92" stroke="#00A6A6" stroke-width="10" stroke-linecap="round"/>
  <rect x="132" y="30" width="150" height="22" rx="6" fill="#5B2A86"/>
  <rect x="132" y="64" width="108" height="22" rx="6" fill="#00A6A6"/>
</svg>
"""
# The reference document's own header and footer are used as they are in every language,
# so they hold no words: a name, an address, a page number.
HACKFORGE_FOOTER = "Hackforge Coding Bootcamp · hackforge.example"


def northstar_logo() -> bytes:
    size = 480
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill="#2E4A3F")
    center = size / 2
    points = []
    for index in range(16):  # an eight-pointed star: long and short rays
        angle = math.pi / 8 * index - math.pi / 2
        radius = 190 if index % 4 == 0 else (120 if index % 2 == 0 else 48)
        points.append((center + radius * math.cos(angle), center + radius * math.sin(angle)))
    draw.polygon(points, fill="#C8963E")
    draw.ellipse((center - 26, center - 26, center + 26, center + 26), fill="#2E4A3F")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _field(paragraph, code: str) -> None:
    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == code:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = f" {code} "
            run._r.append(instruction)
        else:
            run.text = text


def hackforge_reference() -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    section.left_margin = section.right_margin = Mm(20)
    styles = document.styles
    for name, size in (("Normal", 10), ("Title", 26), ("Heading 1", 16), ("Heading 2", 12)):
        style = styles[name]
        style.font.name = "DejaVu Sans"
        style.font.size = Pt(size)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:asciiTheme", "w:hAnsiTheme"):
            fonts.attrib.pop(qn(attribute), None)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0x5B, 0x2A, 0x86)
    header = section.header.paragraphs[0]
    logo = cairosvg.svg2png(bytestring=HACKFORGE_LOGO.encode(), output_height=120)
    header.add_run().add_picture(io.BytesIO(logo), height=Mm(8))
    header.add_run("  Hackforge Coding Bootcamp").font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(Mm(175.9), WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run(HACKFORGE_FOOTER).font.size = Pt(7.5)
    footer.add_run("\t")
    _field(footer, "PAGE")
    buffer = io.BytesIO()
    document.save(buffer)
    return as_template(buffer.getvalue())


def as_template(docx: bytes) -> bytes:
    """A .docx turned into a .dotx: only the main part's content type differs."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "[Content_Types].xml":
                content = content.replace(
                    b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
                )
            target.writestr(entry, content)
    return output.getvalue()


def main() -> None:
    (NORTHSTAR / "logo.png").write_bytes(northstar_logo())
    fonts = NORTHSTAR / "fonts"
    fonts.mkdir(exist_ok=True)
    for face in ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"):
        shutil.copyfile(NOTO_SERIF / face, fonts / face)
    (HACKFORGE / "logo.svg").write_text(HACKFORGE_LOGO, encoding="utf-8")
    (HACKFORGE / "reference.dotx").write_bytes(hackforge_reference())
    print("sample brand files written")


if __name__ == "__main__":
    main()
