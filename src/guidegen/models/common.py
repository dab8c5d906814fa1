"""Field types shared by the profile, template and brand schemas.

Text from clients and spreadsheets is checked for size (each type names its
limit from `guidegen.models.limits`) and for control characters: a NUL or an
escape byte is not text anyone meant, breaks Word files ("All strings must be
XML compatible"), and would reach manifests and mail headers. They are refused
with the field's location; a trailing tab or line break is simply stripped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sized
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

from guidegen.errors import NOT_TEXT
from guidegen.language.catalogs import LANGUAGES
from guidegen.models import limits
from guidegen.models.limits import Limit

Item = TypeVar("Item")


@dataclass(frozen=True)
class Within:
    """Pydantic metadata: at most `limit.value` characters or items, or a number at most
    that, refused with a message that names the limit; the JSON Schema says the same
    (maxLength, maxItems or maximum)."""

    limit: Limit

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        json_schema = handler(schema)
        kind = json_schema.get("type")
        keyword = {"string": "maxLength", "array": "maxItems"}.get(kind, "maximum")
        json_schema[keyword] = self.limit.value
        return json_schema

    def _check(self, value: Any) -> Any:
        if isinstance(value, Sized) and not self.limit.allows(len(value)):
            noun = "characters" if isinstance(value, str) else "items"
            raise ValueError(f"it has {len(value):,} {noun}; {self.limit.expected()}")
        if isinstance(value, int | float) and not self.limit.allows(value):
            raise ValueError(self.limit.expected())
        return value


_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]")


def _describe(character: str) -> str:
    return f"U+{ord(character):04X}"


def check_text(value: str) -> str:
    """Multi-line text: tabs and line breaks are text, other control characters are not."""
    found = NOT_TEXT.search(value)
    if found:
        raise ValueError(
            f"contains the control character {_describe(found.group())} at character "
            f"{found.start() + 1}; expected plain text (remove it, or retype the text)"
        )
    return value.replace("\r\n", "\n").replace("\r", "\n")


def check_line(value: str) -> str:
    """One-line text: as `check_text`, and no line break inside (a name, a role)."""
    check_text(value)
    found = _LINE_BREAK.search(value)
    if found:
        raise ValueError(
            f"contains a line break ({_describe(found.group())}) at character "
            f"{found.start() + 1}; expected a single line"
        )
    return value


NonEmptyText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(check_text),
    Within(limits.LONG_TEXT_CHARS),
]
"""Template and brand text: one line or paragraphs."""
# Limits for text that comes from clients and spreadsheets: generous for people,
# small enough that a hostile file cannot make a 500-page guide.
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(check_line),
    Within(limits.SHORT_TEXT_CHARS),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(check_text),
    Within(limits.LONG_TEXT_CHARS),
]
SkillName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(check_line),
    Within(limits.SKILL_NAME_CHARS),
]
TemplateList = Annotated[list[Item], Within(limits.TEMPLATE_LIST_ITEMS)]
"""Any list of a template: at most `template.list_items` items."""


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


def _checked_text(value: str) -> str:
    """One language's text of a LocalText: plain text, within the long-text limit."""
    text = check_text(value)
    if not limits.LONG_TEXT_CHARS.allows(len(text)):
        raise ValueError(f"it has {len(text):,} characters; {limits.LONG_TEXT_CHARS.expected()}")
    return text


LocalText = Annotated[
    str | dict[str, str],
    language_mapping(_checked_text),
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
