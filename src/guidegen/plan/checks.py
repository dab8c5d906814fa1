"""`guidegen validate`: check what people write, every problem at once, located.

Files are recognized by their content (a template has a roadmap, a brand has
colours or a logo, a profile has roles, a cohort is a spreadsheet, a list or a
folder, a translation stands in a language folder beside its template) or named
with --kind. A profile, and each row of a cohort, is checked exactly as `render`
and `batch` plan it (`guidegen.plan.planning`): its template is found and its
dated plan made, so a plan it cannot have is reported here, at its line or row.
Templates are also checked for consistency: placeholders, a salary start inside its
range, skills that can be evidenced, every skill to learn taught by some task,
plausible efforts, and no pace or duration written out in prose (each guide says its
own, from its schedule); and each of their translations against them. With
`languages` (``validate --lang es``), every text of a template or brand that has no
text in that language is a problem too, at its line.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Literal

from guidegen.errors import Problem, UserError, display_path
from guidegen.language.catalogs import LANGUAGES, language_name
from guidegen.load.branding import BRAND_FILE, load_brand
from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir
from guidegen.load.clock import build_time
from guidegen.load.cohort import SPREADSHEET_SUFFIXES, read_cohort
from guidegen.load.profiles import load_profile_source
from guidegen.load.sources import Source, load_yaml_file
from guidegen.load.translation import (
    localize,
    mark_resource_languages,
    merge,
    missing_texts,
    own_language,
    translation_file,
)
from guidegen.load.validation import format_path, validate
from guidegen.models.brand import Brand
from guidegen.models.template import TransitionTemplate
from guidegen.plan.placeholders import check as check_placeholders
from guidegen.plan.placeholders import literal_problems
from guidegen.plan.planning import RowError, RowPlanner, plan_profile

LARGEST_PLAUSIBLE_TASK = 120
"""Hours: more is months of work at a usual pace, with nothing to tick off meanwhile."""
LARGEST_PLAUSIBLE_FIRST_STEPS = 10
"""Hours of first steps in all: they belong in the first week."""

Kind = Literal["profile", "cohort", "template", "translation", "brand"]
KINDS: tuple[Kind, ...] = ("profile", "cohort", "template", "translation", "brand")
BRAND_KEYS = {"colors", "logo", "coach", "footer", "page_size", "font", "reference_doc", "contact"}


def check_files(
    paths: list[Path],
    *,
    kind: Kind | None = None,
    templates_dir: Path | None = None,
    languages: tuple[str, ...] = (),
    warnings: list[Problem] | None = None,
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Check every file; return what each was taken for, and every problem found.

    `languages`: the languages templates and brands must have all their text in.
    `warnings`, when given, receives what is not wrong but worth knowing: a cohort
    header close to a field, rows without an email address, a brand colour too light
    for text (which guidegen darkens)."""
    checked: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            what = kind or recognize(path)
            checked.append((path, what))
            if what == "cohort":
                found, cohort_warnings = _check_cohort(path, templates_dir)
                problems += found
                if warnings is not None:
                    warnings += cohort_warnings
            elif what == "template":
                problems += template_problems(path, languages)
            elif what == "translation":
                problems += translation_problems(path, languages)
            elif what == "brand":
                brand = load_brand(path)
                problems += brand_language_problems(path, brand, languages)
                if warnings is not None:
                    warnings += brand.warnings
            else:
                _check_profile(path, templates_dir)
        except UserError as error:
            problems += error.problems
    return checked, problems


def _check_profile(path: Path, templates_dir: Path | None) -> None:
    """The profile, its template, and the plan `render` would make of them."""
    profile, source = load_profile_source(path)
    language = profile.language or "en"
    entry = TemplateCatalog.default(templates_dir, language=language).resolve(profile)
    plan_profile(profile, entry.template, source, today=build_time().date(), language=language)


def recognize(path: Path) -> Kind:
    """What a file is, from its name and content."""
    if path.is_dir():
        return "brand" if (path / BRAND_FILE).is_file() else "cohort"
    if translated_template(path) is not None:
        return "translation"
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


def translated_template(path: Path) -> Path | None:
    """The template a translation file translates: ``es/<id>.yaml`` -> ``<id>.yaml`` in
    the folder above, else the built-in template of that id (a coach's own translation
    of a built-in template)."""
    if path.parent.name not in LANGUAGES or path.suffix not in {".yaml", ".yml"}:
        return None
    for folder in (path.parent.parent, builtin_templates_dir()):
        for suffix in (".yaml", ".yml"):
            base = folder / f"{path.stem}{suffix}"
            if base.is_file():
                return base
    return None


def template_problems(path: Path, required: tuple[str, ...] = ()) -> list[Problem]:
    """Schema and consistency problems of one template file and of each of its
    translations, in every language; and the texts missing in the `required` languages."""
    loaded = load_yaml_file(path)
    own = own_language(loaded.data)
    problems: dict[str, Problem] = {}
    for language in LANGUAGES:
        translation = (
            translation_file(path.parent, language, path.stem) if language != own else None
        )
        for problem in _problems_in(path, loaded, language, translation, language in required):
            problems.setdefault(str(problem), problem)  # the same in two languages: once
    return sorted(problems.values(), key=lambda problem: (problem.line or 0, problem.column or 0))


def translation_problems(path: Path, required: tuple[str, ...] = ()) -> list[Problem]:
    """A translation file's problems: merged over its template, in its language."""
    base = translated_template(path)
    if base is None:
        return [Problem("no template beside this translation's folder to translate", file=path)]
    language = path.parent.name
    return _problems_in(base, load_yaml_file(base), language, path, language in required)


def _problems_in(
    path: Path, loaded: Source, language: str, translation: Path | None, required: bool
) -> list[Problem]:
    own = own_language(loaded.data)
    data = localize(loaded.data, language, own)
    if language != own:
        data = mark_resource_languages(data, own)
    found: list[Problem] = []
    translated = None
    if translation is not None:
        translated = load_yaml_file(translation)
        translation_lines = _lines(translation)
        # The translation's own prose, at its own lines: "diez horas a la semana" is as
        # wrong as "ten hours a week".
        found += _placeholder_problems(translated, translation_lines)
        found += _literal_problems(translated, translation_lines)
        merged, merge_problems = merge(
            Source(data, loaded.map), translated, language, TransitionTemplate
        )
        if merge_problems:
            return found + merge_problems
        data = merged
    source = Source(data, loaded.map)
    try:
        template = validate(TransitionTemplate, source, what="a transition template")
    except UserError as error:
        found += error.problems
    else:
        found += _consistency(template, source, path) + _plan_problems(template, source)
    lines = _lines(path)
    own_text = Source(localize(loaded.data, language, own), loaded.map)
    found += _placeholder_problems(own_text, lines) + _literal_problems(own_text, lines)
    if required:
        found += _missing_problems(path, loaded, translated, translation, language)
    return found


def _missing_problems(
    path: Path, loaded: Source, translated: Source | None, translation: Path | None, language: str
) -> list[Problem]:
    own = own_language(loaded.data)
    name = language_name(language)
    target = display_path(translation or path.parent / language / path.name)
    problems = []
    for missing in missing_texts(
        loaded.data, translated.data if translated else None, language, own
    ):
        if missing.copied and translated is not None:
            problems.append(
                _at(
                    translated,
                    missing.path,
                    f"still the template's {language_name(own)} text; write it in {name}",
                )
            )
        else:
            problems.append(_at(loaded, missing.path, f"no {name} text yet; add it to {target}"))
    return problems


def brand_language_problems(path: Path, brand: Brand, languages: tuple[str, ...]) -> list[Problem]:
    """The brand's texts (footer, call to action) with no text in each of `languages`."""
    if not languages:
        return []
    file = path / BRAND_FILE if path.is_dir() else path
    source = load_yaml_file(file)
    problems = []
    for language in languages:
        for field in brand.untranslated(language):
            where = tuple(field.split("."))
            problems.append(
                _at(
                    source,
                    where,
                    f"no {language_name(language)} text; write it as a mapping of languages "
                    f"({brand.language}: ..., {language}: ...)",
                )
            )
    return problems


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


def _check_cohort(path: Path, templates_dir: Path | None) -> tuple[list[Problem], list[Problem]]:
    """Every row's problems, found by the steps `batch` plans it with (in its own
    language's catalog), and the cohort's warnings."""
    problems = []
    cohort = read_cohort(path)
    warnings = [*cohort.warnings, *cohort.notes]
    planner = RowPlanner(today=build_time().date(), templates_dir=templates_dir)
    for entry in cohort.entries:
        try:
            planned = planner.plan(entry)
        except RowError as error:
            fix = f"; to fix: {error.fix}" if error.fix else ""
            problems += [replace(p, message=p.message + fix) for p in error.problems]
            continue
        except UserError as error:
            problems += error.problems
            continue
        if not planned.profile.email and cohort.has_email_column:
            warnings.append(entry.problem("no email address: this guide cannot be emailed"))
    return problems, warnings
