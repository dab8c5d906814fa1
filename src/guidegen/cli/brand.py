"""`guidegen brand`: make and check brand folders."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def brand() -> None:
    """Work with brands: the look of your guides."""


@brand.command("new")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def new_brand(folder: Path) -> None:
    """Scaffold a brand in FOLDER: brand.yaml and a placeholder logo."""
    from guidegen.deliver.scaffold import scaffold_brand

    for path in scaffold_brand(folder):
        click.echo(path)
