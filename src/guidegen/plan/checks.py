"""`guidegen validate`: check what people write, every problem at once, located.

Files are recognized by their content (a template has a roadmap, a brand has
colours or a logo, a profile has roles, a cohort is a spreadsheet, a list or a
folder) or named with --kind. Templates are also checked for consistency:
placeholders, a salary start inside its range, skills that can be evidenced.
"""

from __future__ import annotations

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

Kind = Literal["profile", "cohort", "template", "brand"]
KINDS: tuple[Kind, ...] = ("profile", "cohort", "template", "brand")
BRAND_KEYS = {"colors", "logo", "coach", "footer", "page_size", "font", "reference_doc", "contact"}


def check_files(
    paths: list[Path],
    *,
    kind: Kind | None = None,
    templates_dir: Path | None = None,
    warnings: list[Problem] | None = None,
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Check every file; return what each was taken for, and every problem found.

    What is not wrong but worth knowing (a brand colour too light for text, which
    guidegen darkens) is appended to `warnings` when given."""
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
                brand = load_brand(path)
                if warnings is not None:
                    warnings += brand.warnings
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
    problems: dict[str, Problem] = {}
    for language in LANGUAGES:
        source = Source(localize(loaded.data, language), loaded.map)
        try:
            template = validate(TransitionTemplate, source, what="a transition template")
        except UserError as error:
            found = error.problems + _placeholder_problems(source)
        else:
            found = _placeholder_problems(source) + _consistency(template, source, path)
        for problem in found:  # the same problem in two languages is reported once
            problems.setdefault(str(problem), problem)
    return list(problems.values())


def _placeholder_problems(source: Source) -> list[Problem]:
    return [_at(source, path, message) for path, message in check_placeholders(source.data)]


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
