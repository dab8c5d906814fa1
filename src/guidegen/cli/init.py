"""`guidegen init`: a coach's workspace to start from."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument(
    "folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
def init(folder: Path) -> None:
    """Scaffold a workspace in FOLDER (default: here): a profile to fill in, a brand, a
    cohort spreadsheet with the right headers, an email body, SMTP settings and schemas."""
    from guidegen.deliver.scaffold import init_workspace
    from guidegen.models.schemas import SCHEMAS, json_schema

    for path in init_workspace(folder, {kind: json_schema(kind) for kind in SCHEMAS}):
        click.echo(path)
