"""Field types shared by the profile and template schemas."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BeforeValidator, StringConstraints, ValidationError, WithJsonSchema
from pydantic_core import InitErrorDetails, PydanticCustomError

NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Limits for text that comes from clients and spreadsheets: generous for people,
# small enough that a hostile file cannot make a 500-page guide.
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]


def check_email(value: str) -> str:
    """Reject what is not a deliverable-looking address; return it normalized."""
    # Imported here: email_validator is only needed when a profile has an email.
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(f"not a valid email address ({error})") from None


def _parse_calendar_date(value: object) -> object:
    # Pydantic's lax mode reads a number as a Unix timestamp, so 20261201 would
    # silently become a day in 1970; only ISO text or a real date is a date here.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("expected a real date written YYYY-MM-DD") from None
    raise ValueError("expected a date written YYYY-MM-DD")


CalendarDate = Annotated[
    dt.date,
    BeforeValidator(_parse_calendar_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


def located_errors(title: str, errors: list[tuple[tuple, str, object]]) -> ValidationError:
    """A ValidationError with one error per (field path, message, bad value).

    Raised from a model validator, it keeps each path: a check that needs the whole
    document (a name used elsewhere, two overlapping dates) is then reported at the
    exact item, with its file and line, like any schema error.
    """
    return ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(
                type=PydanticCustomError("value_error", "{error}", {"error": message}),
                loc=path,
                input=value,
            )
            for path, message, value in errors
        ],
    )
