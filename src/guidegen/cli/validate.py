"""`guidegen validate`: check profiles, cohorts, templates and brands."""

from __future__ import annotations

from pathlib import Path

import click

from guidegen.language.catalogs import LANGUAGES


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["profile", "cohort", "template", "translation", "brand"]),
    help="What the files are (default: recognized by their content).",
)
@click.option(
    "--lang",
    "languages",
    type=click.Choice(list(LANGUAGES)),
    multiple=True,
    help="Also list every text of a template or brand not yet written in this language, "
    "with its line. Repeatable.",
)
@click.option(
    "--templates-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Your own templates folder, for matching cohort rows to templates.",
)
def validate(
    files: tuple[Path, ...],
    kind: str | None,
    templates_dir: Path | None,
    languages: tuple[str, ...],
) -> None:
    """Check FILES and report every problem, each with file:line:column and field.

    A template is checked with each of its translations (es/ID.yaml, fr/ID.yaml).
    Warnings (a cohort header that looks like a misspelt field, rows without an email
    address, a brand colour too light for text, which guidegen darkens) do not change
    the exit code: 0 when all is well, 2 when anything is wrong."""
    from guidegen.cli import print_warnings
    from guidegen.errors import UserError
    from guidegen.plan.checks import check_files

    warnings: list = []
    checked, problems = check_files(
        list(files),
        kind=kind,
        templates_dir=templates_dir,
        languages=languages,
        warnings=warnings,
    )
    # What may lose someone or change the look, whether or not anything is wrong.
    print_warnings([str(warning) for warning in warnings])
    if problems:
        raise UserError(problems)
    for path, what in checked:
        click.echo(f"ok: {path} ({what})")
