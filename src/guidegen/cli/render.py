"""`guidegen render`: one profile's guide."""

from __future__ import annotations

from pathlib import Path

import click

from guidegen.cli import print_warnings
from guidegen.render import FORMATS


@click.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option(
    "-t",
    "--template",
    metavar="ID|FILE",
    help="Transition template id or YAML file. Default: the profile's `template`, "
    "else the template matching its roles.",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder to write the guide into.",
)
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    default=("pdf",),
    show_default=True,
    help="Output format; repeat for several.",
)
@click.option(
    "--templates-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Your own templates folder, adding to and overriding the built-in ones. "
    "Default: ./templates when it exists.",
)
@click.option(
    "--brand",
    "brand_path",
    type=click.Path(path_type=Path),
    help="A brand folder or its brand.yaml: logo, colours, font, page size, footer.",
)
@click.option(
    "--theme",
    "theme_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder whose guide.html.j2 and guide.css replace the built-in ones, file by file.",
)
@click.option(
    "--prepared-by", metavar="NAME", help="Who prepared the guide (default: the brand's coach)."
)
def render(
    profile: Path,
    template: str | None,
    out_dir: Path,
    formats: tuple[str, ...],
    templates_dir: Path | None,
    brand_path: Path | None,
    theme_dir: Path | None,
    prepared_by: str | None,
) -> None:
    """Render the guide for PROFILE (a YAML file); print each file written."""
    from guidegen.pipeline import render_profile

    result = render_profile(
        profile,
        out_dir=out_dir,
        formats=tuple(dict.fromkeys(formats)),
        template=template,
        templates_dir=templates_dir,
        prepared_by=prepared_by,
        brand_path=brand_path,
        theme_dir=theme_dir,
    )
    print_warnings(result.warnings)
    for path in result.files:
        click.echo(path)
