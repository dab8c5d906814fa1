"""`guidegen render`: one profile's guide."""

from __future__ import annotations

from pathlib import Path

import click

from guidegen.cli import options, print_warnings


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
@options.rendering
def render(
    profile: Path,
    template: str | None,
    out_dir: Path,
    formats: tuple[str, ...],
    templates_dir: Path | None,
    brand_path: Path | None,
    theme_dir: Path | None,
    prepared_by: str | None,
    fillable: bool,
    pdf_variant: str | None,
    language: str,
) -> None:
    """Render the guide for PROFILE (a YAML file); print each file written."""
    from guidegen.deliver.pipeline import render_profile

    result = render_profile(
        profile,
        out_dir=out_dir,
        formats=tuple(dict.fromkeys(formats)),
        template=template,
        templates_dir=templates_dir,
        prepared_by=prepared_by,
        brand_path=brand_path,
        theme_dir=theme_dir,
        fillable=fillable,
        pdf_variant=pdf_variant,
        language=language,
    )
    print_warnings(result.warnings)
    for path in result.files:
        click.echo(path)
