"""Placeholders in template text: {{ first_name }}, {{ target_role }}, and a few more.

A template's prose may address the candidate ("{{ first_name }}, your ..."). The
text is rendered in Jinja2's immutable sandbox, with the profile's values passed
as plain data: profile text is never compiled as a template, so a name such as
"{{ 7*7 }}" is printed as written. Only the placeholders below exist; a template
that uses another, or broken syntax, is reported by `guidegen validate`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from guidegen.errors import Problem, UserError
from guidegen.language import formatting
from guidegen.load.validation import format_path
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate

PLACEHOLDERS = {
    "first_name": "the candidate's first name",
    "name": "the candidate's full name",
    "current_role": "the role they have now, as their profile writes it",
    "target_role": "the role they are moving to, as their profile writes it",
    "location": "where they live or work (empty when not given)",
    "hours_per_week": "the hours a week they can give",
    "years_experience": "their years of experience",
}
# Fields that are names, identifiers or addresses, not prose: never rendered.
NOT_PROSE = {"id", "aliases", "evidenced_by", "covered_by", "url", "kind", "currency", "market"}


@cache
def _environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def values_for(profile: Profile) -> dict[str, str]:
    return {
        "first_name": profile.first_name,
        "name": profile.name,
        "current_role": profile.current_role,
        "target_role": profile.target_role,
        "location": profile.location or "",
        "hours_per_week": formatting.number(profile.hours_per_week),
        "years_experience": formatting.number(profile.years_experience),
    }


def fill(template: TransitionTemplate, profile: Profile) -> TransitionTemplate:
    """The template with its placeholders filled in for `profile` (itself when it has none)."""
    data = template.model_dump(mode="json")
    values = values_for(profile)
    changed = False
    problems: list[Problem] = []

    def render(value: Any, path: tuple) -> Any:
        nonlocal changed
        if isinstance(value, dict):
            return {k: value[k] if k in NOT_PROSE else render(value[k], (*path, k)) for k in value}
        if isinstance(value, list):
            return [render(item, (*path, index)) for index, item in enumerate(value)]
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            try:
                text = _environment().from_string(value).render(values)
            except TemplateError as error:
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
    if problems:
        raise UserError(problems, hint=f"Template {template.id}: run `guidegen validate` on it.")
    return TransitionTemplate.model_validate(filled) if changed else template


def check(template_data: Any) -> list[tuple[tuple, str]]:
    """(field path, message) for every text whose placeholders are unknown or malformed."""
    found: list[tuple[tuple, str]] = []

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in NOT_PROSE:
                    walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        elif isinstance(value, str) and ("{" in value or "%}" in value):
            try:
                parsed = _environment().parse(value)
            except TemplateError as error:
                found.append((path, f"broken placeholder syntax: {error.message}"))
                return
            unknown = sorted(meta.find_undeclared_variables(parsed) - set(PLACEHOLDERS))
            if unknown:
                found.append(
                    (
                        path,
                        f"unknown placeholder {', '.join(unknown)}; "
                        f"expected one of {', '.join(PLACEHOLDERS)}",
                    )
                )

    walk(template_data, ())
    return found
