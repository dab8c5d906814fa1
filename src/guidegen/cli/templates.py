"""`guidegen templates`: the transition templates available to this run."""

from __future__ import annotations

from pathlib import Path

import click

from guidegen.cli import options
from guidegen.language.catalogs import LANGUAGES


@click.group()
def templates() -> None:
    """Work with transition templates."""


@templates.command("list")
@options.templates_dir
def list_templates(templates_dir: Path | None) -> None:
    """List templates: id, from → to, total weeks at the template's pace, and the
    languages each can be read in (a * marks one partly translated)."""
    from guidegen.load.catalog import TemplateCatalog

    catalog = TemplateCatalog.default(templates_dir)
    rows = []
    partly = False
    for entry in catalog.entries():
        languages = []
        for language, missing in catalog.languages(entry.template.id).items():
            languages.append(language + ("*" if missing else ""))
            partly = partly or bool(missing)
        rows.append(
            (
                entry.template.id,
                f"{entry.template.from_role.name} → {entry.template.to_role.name}",
                f"{entry.template.total_weeks} weeks",
                " ".join(languages),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(3)] if rows else [0] * 3
    for template_id, roles, weeks, languages in rows:
        click.echo(
            f"{template_id:<{widths[0]}}  {roles:<{widths[1]}}  {weeks:<{widths[2]}}  {languages}"
        )
    if partly:
        click.echo(
            "* partly translated: `guidegen validate --lang LANG` on the template lists "
            "what is missing"
        )


@templates.command("show")
@click.argument("template_id", metavar="ID")
@options.templates_dir
@click.option(
    "--lang",
    "language",
    type=click.Choice(list(LANGUAGES)),
    help="Show it in this language (default: the template's own).",
)
def show_template(template_id: str, templates_dir: Path | None, language: str | None) -> None:
    """Show a template: its roles, files, languages, skills and roadmap."""
    from guidegen.load.catalog import TemplateCatalog

    catalog = TemplateCatalog.default(templates_dir)
    entry = catalog.get(template_id, language)
    template = entry.template
    files = ", ".join(str(path) for path in entry.files)
    languages = ", ".join(
        f"{code} ({missing} texts missing)" if missing else code
        for code, missing in catalog.languages(template_id).items()
    )
    lines = [
        f"{template.id}  ({files})",
        f"languages: {languages}",
        f"from: {template.from_role.name}" + _aliases(template.from_role.aliases),
        f"to:   {template.to_role.name}" + _aliases(template.to_role.aliases),
        f"pace: {template.baseline_hours_per_week:g} hours a week, {template.total_weeks} weeks",
        "transferable skills: " + "; ".join(s.name for s in template.transferable_skills),
        "skills to learn:",
        *(
            f"  {s.priority}. {s.name} ({len(s.resources)} resources)"
            for s in sorted(template.skills_to_learn, key=lambda s: s.priority)
        ),
        "roadmap:",
        *(
            f"  {weeks:>2} wk  {phase.name} ({len(phase.tasks)} tasks, {phase_hours:g} h)"
            for phase, weeks, phase_hours in zip(
                template.roadmap, template.baseline_weeks(), template.phase_hours(), strict=True
            )
        ),
        f"salary: {template.salary.currency} {template.salary.range.min:,}-"
        f"{template.salary.range.max:,} ({template.salary.market})",
    ]
    click.echo("\n".join(lines))


def _aliases(aliases: list[str]) -> str:
    return f" (also: {', '.join(aliases)})" if aliases else ""


@templates.command("translate")
@click.argument("template_id", metavar="ID")
@click.option(
    "--lang",
    "language",
    type=click.Choice([code for code in LANGUAGES if code != "en"] + ["en"]),
    required=True,
    help="The language to translate into.",
)
@options.templates_dir
@click.option(
    "-o",
    "--out",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("templates"),
    show_default=True,
    help="Templates folder to write LANG/ID.yaml into.",
)
def translate_template(
    template_id: str, language: str, templates_dir: Path | None, folder: Path
) -> None:
    """Start a translation of template ID: write LANG/ID.yaml with its text to rewrite.

    The file has the template's structure and only its text, in the template's own
    language, to overwrite in place; facts stay in the template. `guidegen validate
    --lang LANG` then lists every text still to translate."""
    import os

    from guidegen.deliver.output import ensure_folder, write_atomic
    from guidegen.deliver.scaffold_translation import translation_skeleton
    from guidegen.errors import Problem, UserError
    from guidegen.load.catalog import TemplateCatalog
    from guidegen.load.sources import load_yaml_file
    from guidegen.load.translation import localize, own_language

    entry = TemplateCatalog.default(templates_dir).get(template_id)
    data = load_yaml_file(entry.path).data
    own = own_language(data)
    if language == own:
        raise UserError(
            Problem(f"this template is already written in {language!r}", file=entry.path)
        )
    target = folder / language / f"{template_id}.yaml"
    if target.exists():
        raise UserError(Problem("already exists; not overwriting it", file=target))
    schema = Path(os.path.relpath(Path("schemas") / "translation.schema.json", target.parent))
    text = translation_skeleton(
        localize(data, own, own), language, entry.path.name, schema.as_posix()
    )
    ensure_folder(target.parent)
    write_atomic(target, text.encode("utf-8"))
    click.echo(target)


@templates.command("new")
@click.argument("template_id", metavar="ID")
@click.option("--from", "from_role", required=True, help="The role people leave.")
@click.option("--to", "to_role", required=True, help="The role they move to.")
@click.option(
    "-o",
    "--out",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("templates"),
    show_default=True,
    help="Folder to write ID.yaml into.",
)
def new_template(template_id: str, from_role: str, to_role: str, folder: Path) -> None:
    """Scaffold a complete template ID.yaml to fill in."""
    import os

    from guidegen.deliver.output import ensure_folder, write_atomic
    from guidegen.deliver.scaffold import template_skeleton
    from guidegen.errors import Problem, UserError

    target = folder / f"{template_id}.yaml"
    if target.exists():
        raise UserError(Problem("already exists; not overwriting it", file=target))
    schema = Path(os.path.relpath(Path("schemas") / "template.schema.json", folder))
    text = template_skeleton(template_id, from_role, to_role, schema.as_posix())
    ensure_folder(folder)
    write_atomic(target, text.encode("utf-8"))
    click.echo(target)
