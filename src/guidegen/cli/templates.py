"""`guidegen templates`: the transition templates available to this run."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def templates() -> None:
    """Work with transition templates."""


@templates.command("list")
@click.option(
    "--templates-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Your own templates folder (default: ./templates when it exists).",
)
def list_templates(templates_dir: Path | None) -> None:
    """List templates: id, from → to, and total weeks at the template's pace."""
    from guidegen.catalog import TemplateCatalog

    entries = TemplateCatalog.default(templates_dir).entries()
    rows = [
        (
            entry.template.id,
            f"{entry.template.from_role.name} → {entry.template.to_role.name}",
            f"{entry.template.total_weeks} weeks",
        )
        for entry in entries
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(2)] if rows else [0, 0]
    for template_id, roles, weeks in rows:
        click.echo(f"{template_id:<{widths[0]}}  {roles:<{widths[1]}}  {weeks}")
