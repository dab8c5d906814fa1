"""Loading a brand folder, and scaffolding a new one.

The brand's schema is `guidegen.models.brand.Brand`; this module reads it from
disk (relative paths resolved against the brand's folder) and writes the
starting point of a new brand for `guidegen brand new`.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidegen.errors import Problem, UserError
from guidegen.models.brand import DEFAULT_BRAND, Brand
from guidegen.output import ensure_folder, write_atomic
from guidegen.sources import load_yaml_file
from guidegen.validation import validate

BRAND_FILE = "brand.yaml"


def load_brand(path: Path | None) -> Brand:
    """The brand in `path` (a brand.yaml, or the folder holding one); None: the default."""
    if path is None:
        return DEFAULT_BRAND
    if path.is_dir():
        path = path / BRAND_FILE
    source = load_yaml_file(path)
    return validate(Brand, source, what="a brand", context={"folder": path.parent})


def scaffold_brand(folder: Path) -> list[Path]:
    """Write brand.yaml and a placeholder logo into `folder`; return what was written."""
    brand_file = folder / BRAND_FILE
    if brand_file.exists():
        raise UserError(Problem("a brand already exists here; not overwriting it", file=brand_file))
    ensure_folder(folder)
    name = " ".join(word.capitalize() for word in re.split(r"[-_\s]+", folder.name) if word)
    name = name or "My Practice"
    logo = folder / "logo.svg"
    write_atomic(logo, _placeholder_logo(name).encode())
    write_atomic(brand_file, BRAND_TEMPLATE.format(name=name).encode())
    return [brand_file, logo]


def _placeholder_logo(name: str) -> str:
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "G"
    initials = re.sub(r"[^A-Z0-9]", "", initials) or "G"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">\n'
        "  <!-- A placeholder: replace logo.svg with your own logo (SVG, PNG or JPEG). -->\n"
        '  <rect width="240" height="240" rx="36" fill="#1B3A5C"/>\n'
        '  <circle cx="190" cy="50" r="18" fill="#E07A2E"/>\n'
        f'  <text x="120" y="152" font-family="sans-serif" font-size="96" font-weight="bold"\n'
        f'        fill="#FFFFFF" text-anchor="middle">{initials}</text>\n'
        "</svg>\n"
    )


BRAND_TEMPLATE = """\
# yaml-language-server: $schema=../../schemas/brand.schema.json
# A guidegen brand: the look of your guides, and how you sign them.
# Paths are relative to this folder. Render with:
#   guidegen render PROFILE --brand path/to/this/folder
name: {name}
coach: Your Name
logo: logo.svg                 # SVG, PNG or JPEG in this folder
colors:
  primary: "#1B3A5C"           # headings, table headers, the roadmap chart
  accent: "#E07A2E"            # rules and highlights
  text: "#1F2933"
font:
  family: Noto Sans            # an installed font, or give its files:
  # files:
  #   regular: fonts/MyFont-Regular.ttf
  #   bold: fonts/MyFont-Bold.ttf
page_size: A4                  # A4 or Letter
contact:
  email: you@example.com
  phone: "+1 555 0100"
  website: https://example.com
footer: "{name} · Prepared for one client, in confidence"
call_to_action:
  heading: Let's plan your next step together
  text: Book a free 30-minute session to turn this guide into a plan that fits your week.
  url: https://example.com/book
# reference_doc: reference.dotx  # a Word file whose styles, header and footer to inherit
"""
