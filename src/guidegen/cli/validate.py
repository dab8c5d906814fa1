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

    Exit code 0 when all is well, 2 when anything is wrong. Warnings (a brand
    colour too light for text, which guidegen darkens) do not change the exit code."""
    from guidegen.cli import print_warnings
    from guidegen.errors import UserError
    from guidegen.plan.checks import check_files

    warnings = []
    checked, problems = check_files(
        list(files), kind=kind, templates_dir=templates_dir, warnings=warnings
    )
    print_warnings([str(warning) for warning in warnings])
    if problems:
        raise UserError(problems)
    for path, what in checked:
        click.echo(f"ok: {path} ({what})")
