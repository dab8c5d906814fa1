"""Options shared by the commands that render guides (render, batch)."""

from __future__ import annotations

from pathlib import Path

import click

from guidegen.language.catalogs import LANGUAGES
from guidegen.render import FORMATS

formats = click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    default=("pdf",),
    show_default=True,
    help="Output format; repeat for several.",
)
templates_dir = click.option(
    "--templates-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Your own templates folder, adding to and overriding the built-in ones. "
    "Default: ./templates when it exists.",
)
brand = click.option(
    "--brand",
    "brand_path",
    type=click.Path(path_type=Path),
    help="A brand folder or its brand.yaml: logo, colours, font, page size, footer.",
)
theme = click.option(
    "--theme",
    "theme_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder whose guide.html.j2 and guide.css replace the built-in ones, file by file.",
)
prepared_by = click.option(
    "--prepared-by", metavar="NAME", help="Who prepared the guide (default: the brand's coach)."
)


fillable = click.option(
    "--fillable",
    is_flag=True,
    help="Make the PDF's action-list checkboxes form fields a reader can tick and save.",
)
pdf_variant = click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/ua-1", "pdf/a-3a", "pdf/a-3b", "none"]),
    default="pdf/ua-1",
    show_default=True,
    help="pdf/ua-1: tagged and accessible; pdf/a-3a or pdf/a-3b: archival PDF/A-3, "
    "tagged and PDF/UA-1 too; none: untagged.",
)


language = click.option(
    "--lang",
    "language",
    type=click.Choice(list(LANGUAGES)),
    default="en",
    show_default=True,
    help="The guide's language: its text (the template's translation, the brand's words), "
    "dates and money.",
)


def rendering(command):
    """The options every rendering command takes, in one order."""
    options = (language, pdf_variant, fillable, prepared_by, theme, brand, templates_dir, formats)
    for option in options:
        command = option(command)
    return command
