"""The theme: the Jinja2 templates and stylesheets that lay a Guide out as HTML.

Jinja autoescape is on for every template, and profile text only ever reaches
a template as a value: it is never compiled as template source.
"""

from __future__ import annotations

from functools import cached_property
from importlib import resources
from pathlib import Path

import jinja2

from guidegen.language import formatting
from guidegen.models import contrast
from guidegen.models.brand import Brand

HTML_TEMPLATE = "guide.html.j2"
STYLESHEET = "guide.css"


def builtin_theme_dir() -> Path:
    return Path(str(resources.files("guidegen") / "render" / "theme"))


class Theme:
    """The built-in theme; later folders in `folders` shadow earlier ones file by file."""

    def __init__(self, folders: list[Path] | None = None):
        # Highest precedence first, the way Jinja's FileSystemLoader searches.
        self.folders = [*(folders or []), builtin_theme_dir()]

    @cached_property
    def environment(self) -> jinja2.Environment:
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.folders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=False,
        )
        # For theme authors: the same formatting the built-in labels use.
        environment.filters["date"] = formatting.date
        environment.filters["date_range"] = formatting.date_range
        environment.filters["money"] = formatting.money
        return environment

    def find(self, name: str) -> Path:
        """The file that wins for `name` (for stylesheets and images)."""
        for folder in self.folders:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(name)

    def render_html(self, **context: object) -> str:
        return self.environment.get_template(HTML_TEMPLATE).render(**context)


FALLBACK_FONTS = (
    '"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "DejaVu Sans", '
    '"Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif'
)


def brand_stylesheet(brand: Brand) -> str:
    """CSS that applies a brand on top of the theme: colours, font, page size.

    Built from validated values only (hex colours, a family name of letters,
    digits, spaces and hyphens, file URLs), so no brand text can inject CSS.
    Text colours come from the brand's readable palette: a brand colour too
    light for text still fills and underlines, and text is set in its darkened
    twin (`guidegen.models.contrast`).
    """
    palette = brand.text_palette
    variables = {
        "primary": palette.primary,
        "accent": palette.accent,
        "primary-text": palette.primary_text,
        "accent-text": palette.accent_text,
        "text": palette.text,
        "muted": palette.muted,
        "on-primary": palette.on_primary,
        "on-primary-soft": palette.on_primary_soft,
        "tint": contrast.TINT,
        "row-tint": contrast.ROW_TINT,
        "note-tint": contrast.NOTE_TINT,
        "evidence": contrast.EVIDENCE,
        "tick": contrast.TICK,
    }
    lines = [
        ":root {",
        *(f"  --{name}: {value};" for name, value in variables.items()),
        "}",
        # var() does not reach the page's margin boxes: their colour is written out.
        f"@page {{ size: {brand.page_size.lower()}; "
        f"@top-right {{ color: {palette.muted}; }} @bottom-right {{ color: {palette.muted}; }} }}",
        f'html {{ font-family: "{brand.font.family}", {FALLBACK_FONTS}; }}',
    ]
    if brand.font.files:
        for path, weight, style in brand.font.files.faces():
            lines.append(
                f'@font-face {{ font-family: "{brand.font.family}"; src: url("{path.as_uri()}"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    return "\n".join(lines) + "\n"
