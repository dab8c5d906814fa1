"""Placeholders in template text: {{ first_name }}, {{ target_role }}, and a few more.

A template's prose may address the candidate ("{{ first_name }}, your ..."). The
text is rendered in Jinja2's immutable sandbox, with the profile's values passed
as plain data: profile text is never compiled as a template, so a name such as
"{{ 7*7 }}" is printed as written. Only the placeholders below exist; a template
that uses another, or broken syntax, is reported by `guidegen validate`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import ValidationError

from guidegen.errors import Problem, UserError
from guidegen.language import formatting
from guidegen.load.sources import Source, SourceMap
from guidegen.load.validation import format_path, problems_from
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate
from guidegen.plan import sandbox

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
        if isinstance(value, str) and sandbox.has_syntax(value):
            try:
                text = sandbox.render(value, values, names=PLACEHOLDERS)
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


def check(template_data: Any) -> list[tuple[tuple, str]]:
    """(field path, message) for every text whose placeholders are unknown or malformed,
    or that could cost more than the sandbox's limits (see `guidegen.plan.sandbox`)."""
    found: list[tuple[tuple, str]] = []

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in NOT_PROSE:
                    walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        elif isinstance(value, str) and sandbox.has_syntax(value):
            # The very checks `fill` runs (sandbox.render): what passes here renders.
            found.extend((path, message) for message in sandbox.problems(value, PLACEHOLDERS))

    walk(template_data, ())
    return found
