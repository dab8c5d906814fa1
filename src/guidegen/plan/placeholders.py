"""Placeholders in template text: {{ first_name }}, {{ plan_duration }}, and a few more.

A template's prose may address the candidate ("{{ first_name }}, your ...") and
state their plan ("at {{ hours_per_week }} hours a week, your plan runs
{{ plan_duration }}"). The text is rendered in a bounded sandbox
(`guidegen.plan.sandbox`), with the values passed as plain data: profile text is
never compiled as a template, so a name such as "{{ 7*7 }}" is printed as
written. Only the placeholders below exist; a template that uses another, broken
syntax, or anything that could run away is reported by `guidegen validate`,
which runs the very checks a render runs.

Prose must not state a pace or a duration itself ("ten hours a week", "in six
months"): that would be true for one pace only. `literal_paces` and
`literal_durations` find such phrases, for `validate` and for the tests that read
whole guides.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from pydantic import ValidationError

from guidegen.errors import Problem, UserError
from guidegen.load.sources import Source, SourceMap
from guidegen.load.validation import format_path, problems_from
from guidegen.models.template import TransitionTemplate
from guidegen.plan import sandbox

PLACEHOLDERS = {
    "first_name": "the candidate's first name",
    "name": "the candidate's full name",
    "current_role": "the role they have now, as their profile writes it",
    "target_role": "the role they are moving to, as their profile writes it",
    "location": "where they live or work (empty when not given)",
    "hours_per_week": "the hours a week they give at the start of the plan, e.g. 10",
    "pace": "their pace in words, with its changes: '10 hours a week', or '10 hours a week, "
    "then 20 from Jun 1, 2027'",
    "years_experience": "their years of experience",
    "plan_duration": "how long the plan runs, as the headline says it: '7 months', '9 weeks'",
    "total_weeks": "the plan's length in whole weeks, e.g. 32",
    "start_date": "the plan's first day, e.g. 'Jan 4, 2027'",
    "end_date": "the plan's last day, e.g. 'Aug 15, 2027'",
    "end_month": "the month the plan ends, e.g. 'August 2027'",
    "phases": "the person's first and last phase, phases[0] and phases[-1] (a phase in between "
    "may be left out); each has .name, .start, .end, .span ('Mar 1 – Apr 11, 2027'), .weeks, "
    ".start_month, .end_month",
}
RECORDS = {"phases": ("name", "start", "end", "span", "weeks", "start_month", "end_month")}
"""Placeholders that are lists of records, and each record's fields."""
# Fields that are names, identifiers or addresses, not prose: never rendered.
NOT_PROSE = {
    "id",
    "aliases",
    "evidenced_by",
    "covered_by",
    "teaches",
    "url",
    "kind",
    "currency",
    "market",
}


def fill(template: TransitionTemplate, values: Mapping[str, Any]) -> TransitionTemplate:
    """The template with its placeholders filled in with `values` (itself when it has none).

    `values` holds one entry per name of PLACEHOLDERS, as the guide writes it.
    """
    data = template.model_dump(mode="json")
    changed = False
    problems: list[Problem] = []

    def render(value: Any, path: tuple) -> Any:
        nonlocal changed
        if isinstance(value, dict):
            return {k: value[k] if k in NOT_PROSE else render(value[k], (*path, k)) for k in value}
        if isinstance(value, list):
            return [render(item, (*path, index)) for index, item in enumerate(value)]
        if isinstance(value, str) and sandbox.has_syntax(value):
            try:
                text = sandbox.render(value, values, names=PLACEHOLDERS, records=RECORDS)
            except sandbox.TemplateTextError as error:
                problems.append(
                    Problem(
                        f"cannot fill this text's placeholders: {error}", field=format_path(path)
                    )
                )
                return value
            changed = True
            return text
        return value

    filled = render(data, ())
    hint = f"Template {template.id}: run `guidegen validate` on it."
    if problems:
        raise UserError(problems, hint=hint)
    if not changed:
        return template
    try:
        return TransitionTemplate.model_validate(filled)
    except ValidationError as error:  # e.g. a text that is empty once filled for this person
        raise UserError(
            [
                dataclasses.replace(problem, message=f"once filled in: {problem.message}")
                for problem in problems_from(
                    error, Source(filled, SourceMap(None)), TransitionTemplate
                )
            ],
            hint=hint,
        ) from None


def prose(template_data: Any) -> list[tuple[tuple, str]]:
    """(field path, text) for every text of a template that a guide shows as prose."""
    found: list[tuple[tuple, str]] = []

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in NOT_PROSE:
                    walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        elif isinstance(value, str):
            found.append((path, value))

    walk(template_data, ())
    return found


def check(template_data: Any) -> list[tuple[tuple, str, str]]:
    """(field path, message, what to point at) for every text whose placeholders are
    unknown or malformed, or that could cost more than the sandbox's limits: the very
    checks `fill` runs, so what passes here renders."""
    found: list[tuple[tuple, str, str]] = []
    for path, value in prose(template_data):
        if not sandbox.has_syntax(value):
            continue
        problems = sandbox.problems(value, PLACEHOLDERS, RECORDS)
        found.extend((path, message, "{") for message in problems)
        if problems:
            continue
        if any(not _first_or_last(item.arg) for item in _phase_items(sandbox.parse(value))):
            found.append(
                (
                    path,
                    "phases[N] is the person's Nth phase, and a phase whose skills they have "
                    "is left out, so only phases[0] (the first) and phases[-1] (the last) "
                    "always exist; use one of them",
                    "phases[",
                )
            )
    return found


def _phase_items(parsed: nodes.Template) -> list[nodes.Getitem]:
    return [
        item
        for item in parsed.find_all(nodes.Getitem)
        if isinstance(item.node, nodes.Name) and item.node.name == "phases"
    ]


def _first_or_last(index: nodes.Expr) -> bool:
    if isinstance(index, nodes.Const):  # -1 too, once Jinja has folded the constant
        return index.value in (0, -1)
    return (
        isinstance(index, nodes.Neg)
        and isinstance(index.node, nodes.Const)
        and index.node.value == 1
    )


# --- paces and durations written out ----------------------------------------------------------
# In English, Spanish and French: a translation may write a pace out as easily as the
# template ("diez horas a la semana", "en six mois"). Each language's phrases are matched
# with its own number words and units, so "once" is eleven only before "horas".

_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a dozen": 12, "a couple of": 2, "a few": None,
    "several": None, "a": 1, "an": 1,
}  # fmt: skip
_ES_NUMBERS = {
    "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintidós": 22, "veintitrés": 23,
    "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
    "sesenta": 60, "una docena de": 12, "un par de": 2, "unas pocas": None, "unos pocos": None,
    "unas": None, "unos": None, "varias": None, "varios": None, "pocas": None,
}  # fmt: skip
_FR_NUMBERS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "une douzaine de": 12, "une dizaine de": 10, "une dizaine d'": 10,
    "une vingtaine de": 20, "quelques": None, "plusieurs": None,
}  # fmt: skip
_NUMBER_WORDS = {**_EN_NUMBERS, **_ES_NUMBERS, **_FR_NUMBERS}


def _number_pattern(words: dict, tens: str, units: str, joiner: str) -> str:
    spelled = "|".join(sorted((w for w in words if w not in {"a", "an"}), key=len, reverse=True))
    return rf"(?:\d+(?:[.,]\d+)?|(?:{tens}){joiner}(?:{units})|{spelled})"


NUMBER = _number_pattern(
    _EN_NUMBERS,
    "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety",
    "one|two|three|four|five|six|seven|eight|nine",
    "[- ]",
)
_ES_NUMBER = _number_pattern(
    _ES_NUMBERS,
    "treinta|cuarenta|cincuenta|sesenta",
    "uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve",
    r"\s+y\s+",
)
_FR_NUMBER = _number_pattern(
    _FR_NUMBERS,
    "dix|vingt|trente|quarante|cinquante|soixante",
    "et-un|et un|un|deux|trois|quatre|cinq|six|sept|huit|neuf",
    "[- ]",
)


def _range(number: str, to: str, between: str) -> str:
    """'8-10', '8 to 10', 'between 8 and 10': the lower bound is named `number`."""
    return (
        rf"(?:(?:{between})\s+)?(?P<number>{number})"
        rf"(?:\s*(?:-|–|{to})\s*(?P<upper>{number}))?\s*\+?"
    )


_EN_PACE = re.compile(
    rf"\b{_range(NUMBER, 'to|or|and', 'between')}\s*(?:hours?|hrs?|h)\b\.?\s*"
    r"(?:(?:a|per|each|every|an)\s+week\b|/\s*(?:week|wk|w)\b|"
    r"weekly\b|of\s+(?:study|work|practice|learning)\s+(?:a|per|each|every)\s+week\b)",
    re.IGNORECASE,
)
_ES_PACE = re.compile(
    rf"\b{_range(_ES_NUMBER, 'a|o|y', 'entre')}\s*(?:horas?|h)\b\.?\s*"
    r"(?:de\s+(?:estudio|trabajo|práctica|aprendizaje)\s+)?"
    r"(?:(?:a\s+la|por|cada|/)\s*semana\b|semanales\b|semanal\b)",
    re.IGNORECASE,
)
_FR_PACE = re.compile(
    rf"\b{_range(_FR_NUMBER, 'à|a|ou|et', 'entre')}\s*(?:heures?|h)\b\.?\s*"
    r"(?:d[e'’]\s*(?:étude|études|travail|pratique|apprentissage)\s+)?"
    r"(?:(?:par|chaque|/)\s*semaine\b|hebdomadaires?\b)",
    re.IGNORECASE,
)
_PLAN_NOUN = r"(?:plan|roadmap|program|programme|journey|transition|timeline|path|schedule|guide)"
_DURATION = re.compile(
    rf"\b(?:in|within|over|after|for|takes?|took|taking|lasts?|lasting|spend|spending)\s+"
    rf"(?:(?:about|around|roughly|nearly|just|only|under|less\s+than|more\s+than|"
    rf"the\s+next|the\s+coming)\s+)?(?:{NUMBER}|a|an)\s+(?:weeks?|months?)\b"
    rf"|\b(?:the\s+)?(?:next|coming)\s+{NUMBER}\s+(?:weeks|months)\b"
    rf"|\b(?:in|within)\s+(?:{NUMBER}|a|an)\s+years?\b"
    rf"|\b(?:{NUMBER}|a|an)[- ](?:week|month|year)[- ]long\b"
    rf"|\b{NUMBER}-(?:week|month)\s+{_PLAN_NOUN}\b"
    # Spanish: "en seis meses", "durante las próximas 12 semanas", "un plan de 6 meses"
    rf"|\b(?:en|dentro\s+de|durante|tras|después\s+de|al\s+cabo\s+de|a\s+lo\s+largo\s+de)\s+"
    rf"(?:(?:unos|unas|aproximadamente|apenas|solo|sólo|menos\s+de|más\s+de|"
    rf"los\s+próximos|las\s+próximas)\s+)?{_ES_NUMBER}\s+(?:semanas?|mes(?:es)?)\b"
    rf"|\b(?:los|las)\s+próxim[oa]s\s+{_ES_NUMBER}\s+(?:semanas|meses)\b"
    rf"|\b(?:en|dentro\s+de)\s+{_ES_NUMBER}\s+años?\b"
    rf"|\b(?:plan|programa|hoja\s+de\s+ruta|transición|recorrido)\s+de\s+{_ES_NUMBER}\s+"
    rf"(?:semanas|meses)\b"
    # French: "en six mois", "d'ici 12 semaines", "les 6 prochains mois", "un plan sur 8 mois"
    # (not a bare "sur 12 mois": a forecast or a data horizon, as in "une prévision sur 12 mois")
    rf"|\b(?:en|dans|d['’]ici|pendant|durant|après|au\s+bout\s+de)\s+"
    rf"(?:(?:environ|à\s+peine|seulement|moins\s+de|plus\s+de|"
    rf"les\s+prochain(?:e)?s)\s+)?{_FR_NUMBER}\s+(?:semaines?|mois)\b"
    rf"|\bles\s+{_FR_NUMBER}\s+prochain(?:e)?s\s+(?:semaines|mois)\b"
    rf"|\bles\s+prochain(?:e)?s\s+{_FR_NUMBER}\s+(?:semaines|mois)\b"
    rf"|\b(?:en|dans|d['’]ici)\s+{_FR_NUMBER}\s+(?:ans?|années?)\b"
    rf"|\b(?:plan|programme|parcours|feuille\s+de\s+route|reconversion)\s+(?:de|sur|en)\s+"
    rf"{_FR_NUMBER}\s+(?:semaines|mois)\b",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
# Every pace names the week: a text without one is passed over before the long patterns.
_WEEKLY = re.compile(r"week|wk\b|/\s*w\b|semana|semaine|hebdomadaire", re.IGNORECASE)


@dataclass(frozen=True)
class Literal:
    phrase: str
    value: float | None
    """The pace it states in hours a week (the lower bound of a range); None for a duration
    or an unknown number ('a few')."""
    start: int


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    word = " ".join(text.casefold().split())
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    parts = [part for part in re.split(r"\s+(?:y|et)\s+|[- ]", word) if part]
    if len(parts) == 2 and all(_NUMBER_WORDS.get(part) for part in parts):
        return _NUMBER_WORDS[parts[0]] + _NUMBER_WORDS[parts[1]]
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


def _outside_placeholders(text: str) -> str:
    # What a placeholder will say is not written in the template: blank it out, keeping offsets.
    return _PLACEHOLDER.sub(lambda match: " " * len(match.group()), text)


def literal_paces(text: str) -> list[Literal]:
    """Every pace the text states in words or digits, in English, Spanish or French:
    'ten hours a week', '8-10 h/week', 'diez horas a la semana', 'dix heures par semaine'."""
    if not _WEEKLY.search(text):
        return []
    blanked = _outside_placeholders(text)
    found = [
        Literal(" ".join(match.group().split()), _number(match.group("number")), match.start())
        for pattern in (_EN_PACE, _ES_PACE, _FR_PACE)
        for match in pattern.finditer(blanked)
    ]
    return sorted(found, key=lambda literal: literal.start)


def literal_durations(text: str) -> list[Literal]:
    """Every plan duration the text states: 'in six months', 'over the next 12 weeks',
    'en seis meses', 'd'ici six mois'."""
    return [
        Literal(" ".join(match.group().split()), None, match.start())
        for match in _DURATION.finditer(_outside_placeholders(text))
    ]


PACE_ADVICE = (
    "write {{ pace }} (or {{ hours_per_week }} hours a week), which each guide fills with "
    "its own pace"
)
DURATION_ADVICE = (
    "write {{ plan_duration }} (or {{ total_weeks }} weeks, {{ end_month }}, "
    "{{ phases[0].span }}), which each guide fills from its own schedule"
)


def literal_problems(template_data: Any) -> list[tuple[tuple, str, str]]:
    """(field path, message, phrase) for every pace or duration a template's prose writes out."""
    found = []
    for path, text in prose(template_data):
        for literal in literal_paces(text):
            found.append(
                (
                    path,
                    f"states a pace ({literal.phrase!r}) that is true for one pace only; "
                    + PACE_ADVICE,
                    literal.phrase,
                )
            )
        for literal in literal_durations(text):
            found.append(
                (
                    path,
                    f"states a duration ({literal.phrase!r}) that is true for one pace only; "
                    + DURATION_ADVICE,
                    literal.phrase,
                )
            )
    return found
