"""Field types shared by the profile and template schemas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BeforeValidator, StringConstraints, WithJsonSchema

from guidegen.language.catalogs import LANGUAGES

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


# --- text in several languages -------------------------------------------------------------

LanguageCode = Literal[tuple(LANGUAGES)]  # type: ignore[valid-type]
"""A language guidegen writes guides in: en, es, fr."""

LANGUAGE_MAPPING_SCHEMA = {
    "type": "object",
    "title": "Text in several languages",
    "description": "The text in each language the guide may be written in, e.g. "
    "{en: Book a call, es: Reserva una llamada}; a guide in a language that is not "
    "given uses the file's own language.",
    "propertyNames": {"enum": list(LANGUAGES)},
    "additionalProperties": {"type": "string", "minLength": 1},
    "minProperties": 1,
}


def language_mapping(check: Callable[[str], object] | None = None):
    """A BeforeValidator: plain text, or a mapping of languages to text.

    Each text is stripped and must not be empty; `check` may validate it further
    (an email address, a web address) and return it normalized.
    """

    def one(text: object) -> object:
        if not isinstance(text, str) or not text.strip():
            raise ValueError("expected some text; it is empty" if text == "" else "expected text")
        return check(text.strip()) if check else text.strip()

    def validate(value: object) -> object:
        if isinstance(value, dict):
            if not value:
                raise ValueError("expected text, or its text in each language (en: ..., es: ...)")
            unknown = [key for key in value if key not in LANGUAGES]
            if unknown:
                raise ValueError(
                    f"unknown language {unknown[0]!r}; expected one of {', '.join(LANGUAGES)}"
                )
            return {key: one(text) for key, text in value.items()}
        return one(value)

    return BeforeValidator(validate)


def _schema_with_languages(text_schema: dict) -> WithJsonSchema:
    return WithJsonSchema({"anyOf": [text_schema, LANGUAGE_MAPPING_SCHEMA]})


LocalText = Annotated[
    str | dict[str, str],
    language_mapping(),
    _schema_with_languages({"type": "string", "minLength": 1}),
]
"""Text written once, or in several languages ({en: ..., es: ...})."""


def in_language(value: object, language: str, own_language: str = "en") -> object:
    """The text of `value` in `language`: a mapping's text in that language, else in the
    file's own language, else in English, else its first; plain text as it is."""
    if not isinstance(value, dict):
        return value
    for key in (language, own_language, "en"):
        if key in value:
            return value[key]
    return next(iter(value.values()))


def has_language(value: object, language: str, own_language: str = "en") -> bool:
    """Whether `value` has text written in `language`."""
    if isinstance(value, dict):
        return language in value
    return value is None or language == own_language
