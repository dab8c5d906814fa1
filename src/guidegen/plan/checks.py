"""`guidegen validate`: check what people write, every problem at once, located.

Files are recognized by their content (a template has a roadmap, a brand has
colours or a logo, a profile has roles, a cohort is a spreadsheet, a list or a
folder) or named with --kind. Templates are also checked for consistency:
placeholders, a salary start inside its range, skills that can be evidenced,
every skill to learn taught by some task, plausible efforts, and no pace or
duration written out in prose (each guide says its own, from its schedule).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Literal

from guidegen.errors import Problem, UserError
from guidegen.language.catalogs import LANGUAGES
from guidegen.load.branding import BRAND_FILE, load_brand
from guidegen.load.catalog import TemplateCatalog, localize
from guidegen.load.cohort import SPREADSHEET_SUFFIXES, read_cohort
from guidegen.load.sources import Source, load_yaml_file
from guidegen.load.validation import format_path, validate
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate
from guidegen.plan.placeholders import check as check_placeholders
from guidegen.plan.placeholders import literal_problems

LARGEST_PLAUSIBLE_TASK = 120
"""Hours: more is months of work at a usual pace, with nothing to tick off meanwhile."""
LARGEST_PLAUSIBLE_FIRST_STEPS = 10
"""Hours of first steps in all: they belong in the first week."""

Kind = Literal["profile", "cohort", "template", "brand"]
KINDS: tuple[Kind, ...] = ("profile", "cohort", "template", "brand")
BRAND_KEYS = {"colors", "logo", "coach", "footer", "page_size", "font", "reference_doc", "contact"}


def check_files(
    paths: list[Path], *, kind: Kind | None = None, templates_dir: Path | None = None
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Check every file; return what each was taken for, and every problem found."""
    checked: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    catalog = None
    for path in paths:
        try:
            what = kind or recognize(path)
            checked.append((path, what))
            if what == "cohort":
                catalog = catalog or TemplateCatalog.default(templates_dir)
                problems += _check_cohort(path, catalog)
            elif what == "template":
                problems += template_problems(path)
            elif what == "brand":
                load_brand(path)
            else:
                validate(Profile, load_yaml_file(path), what="a candidate profile")
        except UserError as error:
            problems += error.problems
    return checked, problems


def recognize(path: Path) -> Kind:
    """What a file is, from its name and content."""
    if path.is_dir():
        return "brand" if (path / BRAND_FILE).is_file() else "cohort"
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return "cohort"
    source = load_yaml_file(path)
    data = source.data
    if isinstance(data, list) or (isinstance(data, dict) and "profiles" in data):
        return "cohort"
    if isinstance(data, dict):
        if "roadmap" in data or "from_role" in data or "skills_to_learn" in data:
            return "template"
        if path.name == BRAND_FILE or (BRAND_KEYS & set(data) and "current_role" not in data):
            return "brand"
        if "current_role" in data or "target_role" in data or "name" in data:
            return "profile"
    raise UserError(
        Problem(
            "cannot tell what this file is (a profile, cohort, template or brand); "
            "name it with --kind",
            file=path,
        )
    )


def template_problems(path: Path) -> list[Problem]:
    """Schema and consistency problems of one template file, in every language."""
    loaded = load_yaml_file(path)
    lines = _lines(path)
    problems: dict[str, Problem] = {}
    for language in LANGUAGES:
        source = Source(localize(loaded.data, language), loaded.map)
        found = _placeholder_problems(source, lines) + _literal_problems(source, lines)
        try:
            template = validate(TransitionTemplate, source, what="a transition template")
        except UserError as error:
            found = error.problems + found
        else:
            found += _consistency(template, source, path) + _plan_problems(template, source)
        for problem in found:  # the same problem in two languages is reported once
            problems.setdefault(str(problem), problem)
    return sorted(problems.values(), key=lambda problem: (problem.line or 0, problem.column or 0))


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []  # load_yaml_file has said what is wrong with the file


def _placeholder_problems(source: Source, lines: list[str]) -> list[Problem]:
    return [
        _pointed(_at(source, path, message), lines, needle)
        for path, message, needle in check_placeholders(source.data)
    ]


def _literal_problems(source: Source, lines: list[str]) -> list[Problem]:
    """A pace or duration written out in prose, at the line that says it."""
    return [
        _pointed(_at(source, path, message), lines, phrase)
        for path, message, phrase in literal_problems(source.data)
    ]


def _pointed(problem: Problem, lines: list[str], phrase: str) -> Problem:
    """`problem` moved to the line (and column) of `phrase`: a long text spans lines."""
    if problem.line is None:
        return problem
    wanted = " ".join(phrase.casefold().split())
    for number in range(problem.line, min(len(lines), problem.line + 200) + 1):
        line = lines[number - 1].casefold()
        if wanted in " ".join(line.split()):
            column = line.find(wanted.split()[0]) + 1 if wanted.split() else 0
            return replace(problem, line=number, column=column or None)
    return problem


def _plan_problems(template: TransitionTemplate, source: Source) -> list[Problem]:
    """A plan every person can follow: each skill taught, efforts plausible, never empty."""
    problems = []
    taught = {name for _path, item in template.plan_items() for name in item.teaches}
    for index, skill in enumerate(template.skills_to_learn):
        if skill.name not in taught:
            problems.append(
                _at(
                    source,
                    ("skills_to_learn", index, "name"),
                    "no task teaches this skill; add its name to the `teaches` of the "
                    "tasks that build it, so a candidate who has it skips them",
                    skill.name,
                )
            )
    for path, item in template.plan_items():
        if path[0] == "roadmap" and item.hours > LARGEST_PLAUSIBLE_TASK:
            problems.append(
                _at(
                    source,
                    (*path, "hours"),
                    f"more than {LARGEST_PLAUSIBLE_TASK} hours is months of work with "
                    "nothing to tick off; split it into tasks a person finishes in a few weeks",
                    item.hours,
                )
            )
    first_steps = sum(step.hours for step in template.first_steps)
    if first_steps > LARGEST_PLAUSIBLE_FIRST_STEPS:
        problems.append(
            _at(
                source,
                ("first_steps",),
                f"the first steps add up to {first_steps:g} hours; they belong in the first "
                f"week (at most {LARGEST_PLAUSIBLE_FIRST_STEPS} hours in all): make the "
                "bigger ones tasks of the first phase",
            )
        )
    if all(task.teaches for phase in template.roadmap for task in phase.tasks):
        problems.append(
            _at(
                source,
                ("roadmap",),
                "every task teaches a skill to learn, so a candidate who has them all would "
                "get an empty plan; leave `teaches` off the tasks anyone making the move "
                "needs (the job search, the portfolio)",
            )
        )
    return problems


def _consistency(template: TransitionTemplate, source: Source, path: Path) -> list[Problem]:
    problems = []
    if template.id != path.stem:
        problems.append(
            _at(source, ("id",), f"the id must match the file name {path.stem!r}", template.id)
        )
    salary = template.salary
    if not (
        salary.range.min <= salary.typical_start.min <= salary.typical_start.max <= salary.range.max
    ):
        problems.append(
            _at(
                source,
                ("salary", "typical_start"),
                f"the typical start ({salary.typical_start.min}-{salary.typical_start.max}) "
                f"must lie inside the range ({salary.range.min}-{salary.range.max})",
            )
        )
    for index, skill in enumerate(template.transferable_skills):
        if not skill.evidenced_by:
            problems.append(
                _at(
                    source,
                    ("transferable_skills", index, "evidenced_by"),
                    "list the profile skills that show a candidate has it; "
                    "without them no guide can say the candidate has it",
                )
            )
    names = [skill.name.casefold() for skill in template.skills_to_learn]
    for index, name in enumerate(names):
        if name in names[:index]:
            problems.append(
                _at(source, ("skills_to_learn", index, "name"), "this skill is listed twice")
            )
    return problems


def _at(source: Source, path: tuple, message: str, value: object = None) -> Problem:
    line, column = source.map.locate(path) or (None, None)
    return Problem(
        message,
        file=source.map.file,
        line=line,
        column=column,
        field=format_path(path),
        value=value,
        has_value=value is not None,
    )


def _check_cohort(path: Path, catalog: TemplateCatalog) -> list[Problem]:
    problems = []
    for entry in read_cohort(path).entries:
        try:
            profile = entry.validate()
            catalog.resolve(profile)
        except UserError as error:
            problems += [
                problem
                if problem.row is not None or problem.file is not None
                else entry.problem(problem.message, field=problem.field)
                for problem in error.problems
            ]
    return problems
