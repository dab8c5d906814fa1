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
    from guidegen.load.catalog import TemplateCatalog

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


@templates.command("show")
@click.argument("template_id", metavar="ID")
@click.option(
    "--templates-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Your own templates folder (default: ./templates when it exists).",
)
def show_template(template_id: str, templates_dir: Path | None) -> None:
    """Show a template: its roles, file, skills and roadmap."""
    from guidegen.load.catalog import TemplateCatalog

    entry = TemplateCatalog.default(templates_dir).get(template_id)
    template = entry.template
    lines = [
        f"{template.id}  ({entry.path})",
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
