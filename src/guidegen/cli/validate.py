"""`guidegen validate`: check profiles, cohorts, templates and brands."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["profile", "cohort", "template", "brand"]),
    help="What the files are (default: recognized by their content).",
)
@click.option(
    "--templates-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Your own templates folder, for matching cohort rows to templates.",
)
def validate(files: tuple[Path, ...], kind: str | None, templates_dir: Path | None) -> None:
    """Check FILES and report every problem, each with file:line:column and field.

    Warnings (a cohort header that looks like a misspelt field, rows without an email
    address) do not change the exit code: 0 when all is well, 2 when anything is wrong."""
    from guidegen.errors import UserError
    from guidegen.plan.checks import check_files

    warnings: list = []
    checked, problems = check_files(
        list(files), kind=kind, templates_dir=templates_dir, warnings=warnings
    )
    for warning in warnings:  # what may lose someone, whether or not anything is wrong
        click.echo(f"warning: {warning}", err=True)
    if problems:
        raise UserError(problems)
    for path, what in checked:
        click.echo(f"ok: {path} ({what})")
