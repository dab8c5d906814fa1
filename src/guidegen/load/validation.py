"""Turning pydantic's validation errors into located, friendly problems.

Pydantic says ``Input should be greater than 0 [type=greater_than]`` at
``('hours_per_week',)``; a coach needs ``profile.yaml:7:17: hours_per_week:
got -3; expected a number greater than 0``. Every error of a document is
reported at once.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from guidegen.errors import Problem, UserError
from guidegen.load.sources import FieldPath, Source

Model = TypeVar("Model", bound=BaseModel)

_PATTERN_MEANINGS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "lowercase letters and digits in words joined by hyphens, "
    "e.g. 'teacher-to-instructional-designer'",
    r"^[A-Z]{3}$": "a three-letter ISO 4217 currency code such as USD or EUR",
    r"^#[0-9A-Fa-f]{6}$": "a hex colour written #RRGGBB, e.g. '#1B3A5C'",
    r"^[\w \-]+$": "a font family name: letters, digits, spaces and hyphens",
}


def validate(
    model: type[Model], source: Source, *, what: str, context: dict | None = None
) -> Model:
    """Validate loaded data against `model`, or raise a UserError with every problem.

    `what` names the document for messages about its overall shape ("a profile");
    `context` reaches the model's validators (a brand's folder, for its files).
    """
    if source.data is None:
        raise UserError(Problem(f"the file is empty; expected {what}", file=source.map.file))
    if not isinstance(source.data, dict):
        raise UserError(
            Problem(
                f"expected {what}: a mapping of fields (key: value), not a {_kind_of(source.data)}",
                file=source.map.file,
                line=1,
            )
        )
    try:
        return model.model_validate(source.data, context=context)
    except ValidationError as error:
        raise UserError(problems_from(error, source, model)) from None


def problems_from(
    error: ValidationError, source: Source, model: type[BaseModel], *, prefix: FieldPath = ()
) -> list[Problem]:
    """Every error, located in `source`; `prefix` is where the validated data sits in it
    (an item of a list of profiles)."""
    problems = []
    for detail in error.errors(include_url=False):
        path: FieldPath = tuple(detail["loc"])
        kind = detail["type"]
        # An unknown key, or a whole mapping or list at fault: point at its key's line
        # rather than at its first item.
        at_key = kind == "extra_forbidden" or isinstance(detail.get("input"), dict | list)
        position = source.map.locate((*prefix, *path), key=at_key)
        line, column = position if position else (None, None)
        has_value = kind not in {"missing", "extra_forbidden"} and bool(path)
        problems.append(
            Problem(
                _message(detail, model),
                file=source.map.file,
                line=line,
                column=column,
                field=format_path(path) or None,
                value=detail.get("input"),
                has_value=has_value,
            )
        )
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def parse_path(field: str) -> FieldPath:
    """'skills[2].level' -> ('skills', 2, 'level'): format_path, undone."""
    path: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        path.append(int(index) if index else name)
    return tuple(path)


def locate(problem: Problem, source: Source) -> Problem:
    """`problem` placed in `source` by its field, unless it is placed already."""
    if problem.file is not None or problem.row is not None or not problem.field:
        return problem
    line, column = source.map.locate(parse_path(problem.field)) or (None, None)
    return dataclasses.replace(problem, file=source.map.file, line=line, column=column)


def format_path(path: FieldPath) -> str:
    """('skills', 2, 'level') -> 'skills[2].level'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            # A key is printed as written, unless it holds what a terminal would act on.
            name = str(part) if str(part).isprintable() else repr(part)
            text += f".{name}" if text else name
    return text


def _message(detail: Any, model: type[BaseModel]) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return _unknown_field_message(detail["loc"], model)
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind == "assertion_error":
        return detail["msg"].removeprefix("Assertion failed, ")
    if kind == "greater_than":
        return f"expected a number greater than {_number(ctx['gt'])}"
    if kind == "greater_than_equal":
        return f"expected a number of at least {_number(ctx['ge'])}"
    if kind == "less_than_equal":
        return f"expected a number of at most {_number(ctx['le'])}"
    if kind == "less_than":
        return f"expected a number below {_number(ctx['lt'])}"
    if kind == "string_too_short":
        return "expected some text; it is empty"
    if kind == "string_too_long":
        return f"expected at most {ctx['max_length']} characters"
    if kind == "too_short":
        return f"expected at least {ctx['min_length']} item(s)"
    if kind == "too_long":
        return f"expected at most {ctx['max_length']} item(s)"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        return "expected " + _PATTERN_MEANINGS.get(pattern, f"text matching {pattern}")
    if kind == "literal_error":
        return f"expected one of {ctx['expected']}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "expected a whole number"
    if kind in {"float_parsing", "float_type", "finite_number"}:
        return "expected a number"
    if kind in {"string_type", "string_unicode"}:
        return "expected text"
    if kind in {"list_type", "tuple_type"}:
        return "expected a list (one '- item' per line)"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "expected a mapping of fields (key: value)"
    if kind in {"url_parsing", "url_scheme", "url_type", "url_syntax_violation"}:
        return "expected a web address starting with https:// or http://"
    if kind in {"bool_type", "bool_parsing"}:
        return "expected true or false"
    return detail["msg"]


def _unknown_field_message(loc: tuple, model: type[BaseModel]) -> str:
    fields = fields_at(model, loc[:-1])
    unknown = str(loc[-1])
    if not fields:
        return "unknown field"
    close = difflib.get_close_matches(unknown, fields, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown field; {hint}expected one of: {', '.join(fields)}"


def fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at `loc` inside `model`, by walking its annotations
    (list indexes are skipped)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
        if current is None:
            return []
    # Excluded fields are kept only to explain that they were removed: never suggest them.
    fields = getattr(current, "model_fields", {})
    return [name for name, field in fields.items() if not field.exclude]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel inside an annotation such as list[Skill] or Role | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _kind_of(data: object) -> str:
    if isinstance(data, list):
        return "list"
    if isinstance(data, str):
        return "single line of text"
    return type(data).__name__
