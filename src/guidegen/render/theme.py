"""The theme: the Jinja2 templates and stylesheets that lay a Guide out as HTML.

Jinja autoescape is on for every template, and profile text only ever reaches
a template as a value: it is never compiled as template source.
"""

from __future__ import annotations

from functools import cached_property
from importlib import resources
from pathlib import Path

import jinja2

from guidegen import formatting

HTML_TEMPLATE = "guide.html.j2"
STYLESHEET = "guide.css"


def builtin_theme_dir() -> Path:
    return Path(str(resources.files("guidegen") / "theme"))


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
