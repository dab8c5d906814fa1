"""The candidate profile: what a coach knows about one person.

Profiles come from clients and spreadsheets, so the schema is strict about
shape (unknown keys are typos, caught with ``extra="forbid"``) and lenient
about convenience (a skill may be a bare name or a name with a level).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from guidegen.models import limits
from guidegen.models.common import (
    CalendarDate,
    LanguageCode,
    LongText,
    ShortText,
    SkillName,
    Within,
    check_email,
)

SkillLevel = Literal["beginner", "intermediate", "advanced", "expert"]


def _bare_name_or_mapping(schema: dict) -> None:
    # The schema says what the validator accepts: a bare name is a skill too.
    mapping = dict(schema)
    schema.clear()
    schema["anyOf"] = [{"type": "string", "minLength": 1}, mapping]


class Skill(BaseModel):
    """One skill the candidate has, optionally with a self-assessed level."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_bare_name_or_mapping)

    name: SkillName = Field(description="The skill as the candidate names it, e.g. 'Python'.")
    level: SkillLevel | None = Field(default=None, description="How strong the candidate is in it.")

    @model_validator(mode="before")
    @classmethod
    def _accept_bare_name(cls, value: object) -> object:
        # "Python" is shorthand for {name: Python}: most profiles are written that way.
        if isinstance(value, str):
            return {"name": value}
        return value


MAX_HOURS_PER_WEEK = 80
MAX_BREAKS = 50
MAX_PACE_CHANGES = 50
MAX_BREAK_YEARS = 10


def add_years(day: dt.date, years: int) -> dt.date | None:
    """The same day `years` later (Feb 29 -> Feb 28); None beyond the calendar's end."""
    if day.year + years > dt.MAXYEAR:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class Break(BaseModel):
    """Days with no study at all: a summer, a holiday, parental leave."""

    model_config = ConfigDict(extra="forbid")

    start: CalendarDate = Field(description="The first day off (YYYY-MM-DD).")
    end: CalendarDate = Field(description="The last day off (YYYY-MM-DD), inclusive.")
    label: ShortText | None = Field(
        default=None, description="What it is, shown in the guide, e.g. 'Summer holidays'."
    )

    @model_validator(mode="after")
    def _a_real_range(self) -> Break:
        if self.end < self.start:
            raise ValueError(
                f"this break ends ({self.end}) before it starts ({self.start}); "
                "expected an end on or after the start"
            )
        limit = add_years(self.start, MAX_BREAK_YEARS)
        if limit is not None and self.end >= limit:
            raise ValueError(
                f"this break ({self.start}..{self.end}) is longer than {MAX_BREAK_YEARS} years; "
                "expected a shorter break, or a later start_date"
            )
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class PaceChange(BaseModel):
    """From a date on, a different number of hours a week."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    starting: CalendarDate = Field(
        alias="from", description="The first day of the new pace (YYYY-MM-DD)."
    )
    hours_per_week: float = Field(
        le=MAX_HOURS_PER_WEEK,
        description="Hours a week from that day on (more than 0).",
        json_schema_extra={"exclusiveMinimum": 0},  # checked below, with a friendlier message
    )

    @field_validator("hours_per_week")
    @classmethod
    def _some_hours(cls, hours: float) -> float:
        if not hours > 0:
            raise ValueError(
                "expected a number greater than 0; for time with no study at all, "
                "add a break (breaks:) instead"
            )
        return hours


_RANGE_SEPARATOR = re.compile(r"\s*(?:\.\.|\s(?:to|–|—|-)\s)\s*")


def _split_cell(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def _parse_breaks(value: Any) -> Any:
    """'Summer: 2027-07-01..2027-08-31; 2027-12-20..2028-01-02' -> a list of breaks.

    The compact form a spreadsheet cell (or a quick profile) can hold.
    """
    if not isinstance(value, str):
        return value
    breaks = []
    for part in _split_cell(value):
        label, _, dates = part.rpartition(":") if ".." in part or " to " in part else ("", "", part)
        pieces = _RANGE_SEPARATOR.split(dates.strip())
        if len(pieces) != 2 or not all(pieces):
            raise ValueError(
                f"{part!r} is not a date range; expected START..END with dates written "
                "YYYY-MM-DD and an optional label, e.g. 'Summer: 2027-07-01..2027-08-31', "
                "several separated by ';'"
            )
        item: dict[str, str] = {"start": pieces[0], "end": pieces[1]}
        if label.strip():
            item["label"] = label.strip()
        breaks.append(item)
    return breaks


def _parse_pace(value: Any) -> Any:
    """'2027-06-01: 20; 2027-08-01: 10' -> a list of pace changes."""
    if not isinstance(value, str):
        return value
    changes = []
    for part in _split_cell(value):
        day, separator, hours = part.partition(":")
        if not separator or not day.strip() or not hours.strip():
            raise ValueError(
                f"{part!r} is not a pace change; expected DATE: HOURS, e.g. '2027-06-01: 20' "
                "(from June 1, 2027, 20 hours a week), several separated by ';'"
            )
        changes.append({"from": day.strip(), "hours_per_week": hours.strip().replace(",", ".")})
    return changes


def _list_or_text(description: str) -> Any:
    def schema(field_schema: dict) -> None:
        # A spreadsheet cell says it in one line: the schema accepts that text too.
        as_list = dict(field_schema)
        field_schema.clear()
        field_schema["anyOf"] = [as_list, {"type": "string", "description": description}]
        for key in ("title", "description"):
            if key in as_list:
                field_schema[key] = as_list.pop(key)

    return schema


def _with_list_check(
    value: Any,
    handler: ValidatorFunctionWrapHandler,
    check: Callable[[list[tuple[int, Any]]], list[tuple[tuple, str]]],
) -> Any:
    """Validate a list's items, then `check` the valid ones against each other: a bad item
    and two items at odds with each other are reported together, each at its own index."""
    errors: list[InitErrorDetails] = []
    try:
        result = handler(value)
    except ValidationError as error:
        result = None
        errors = [_details(detail) for detail in error.errors()]
    if isinstance(value, list):
        valid = []
        for index, item in enumerate(value):
            try:
                valid.append((index, handler([item])[0]))
            except ValidationError:
                continue  # reported above, with its own message
        errors += [
            _details({"loc": loc, "msg": message, "input": None}) for loc, message in check(valid)
        ]
    if errors:
        raise ValidationError.from_exception_data("list", errors)
    return result


def _details(detail: Any) -> InitErrorDetails:
    """A reported error as one to raise again (pydantic's own, or a message of ours)."""
    if "type" in detail and detail["type"] != "value_error":
        return InitErrorDetails(
            type=detail["type"], loc=detail["loc"], input=detail["input"], ctx=detail.get("ctx", {})
        )
    message = str((detail.get("ctx") or {}).get("error", detail["msg"]))
    return InitErrorDetails(
        type=PydanticCustomError("value_error", "{error}", {"error": message}),
        loc=detail["loc"],
        input=detail["input"],
    )


def _overlapping_breaks(breaks: list[tuple[int, Break]]) -> list[tuple[tuple, str]]:
    ordered = sorted(breaks, key=lambda pair: (pair[1].start, pair[0]))
    return [
        (
            (index,),
            f"this break ({after.start}..{after.end}) overlaps the break "
            f"{before.start}..{before.end}; expected breaks that do not overlap "
            "(merge them into one)",
        )
        for (_, before), (index, after) in itertools.pairwise(ordered)
        if after.start <= before.end
    ]


def _same_day_twice(changes: list[tuple[int, PaceChange]]) -> list[tuple[tuple, str]]:
    first: dict[dt.date, int] = {}
    found = []
    for index, change in changes:
        if change.starting in first:
            found.append(
                (
                    (index, "from"),
                    f"pace[{first[change.starting]}] already starts on {change.starting}; "
                    "expected one pace per date",
                )
            )
        first.setdefault(change.starting, index)
    return found


EmailAddress = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(check_email)]


class Profile(BaseModel):
    """A candidate profile, as written in a profile YAML file or a cohort row."""

    model_config = ConfigDict(extra="forbid", title="guidegen candidate profile")

    name: ShortText = Field(description="The candidate's full name.")
    email: EmailAddress | None = Field(
        default=None, description="Where the guide is sent; optional."
    )
    current_role: ShortText = Field(description="The role the candidate has now.")
    target_role: ShortText = Field(description="The role the candidate is moving to.")
    skills: Annotated[list[Skill], Within(limits.PROFILE_SKILLS)] = Field(
        default_factory=list,
        description="Skills the candidate already has: names, or {name, level}.",
    )
    years_experience: float = Field(
        default=0, ge=0, description="Years of experience in the current career."
    )
    hours_per_week: float = Field(
        default=10,
        gt=0,
        le=MAX_HOURS_PER_WEEK,
        description="Hours a week the candidate can give to the transition (from the start; "
        "`pace` may change it later).",
    )
    start_date: CalendarDate | None = Field(
        default=None,
        description="When the plan starts (YYYY-MM-DD). Default: the next Monday.",
    )
    pace: list[PaceChange] = Field(
        default_factory=list,
        max_length=MAX_PACE_CHANGES,
        description="Changes of pace: from a date on, a different number of hours a week "
        "(e.g. more in June and July). Also written '2027-06-01: 20; 2027-08-01: 10'.",
        json_schema_extra=_list_or_text("DATE: HOURS, several separated by ';'"),
    )
    breaks: list[Break] = Field(
        default_factory=list,
        max_length=MAX_BREAKS,
        description="Date ranges with no study at all: a summer, a holiday, parental leave. "
        "Also written 'Summer: 2027-07-01..2027-08-31; 2027-12-20..2028-01-02'.",
        json_schema_extra=_list_or_text("[LABEL:] START..END, several separated by ';'"),
    )
    location: ShortText | None = Field(
        default=None, description="Where the candidate lives or works."
    )
    notes: LongText | None = Field(
        default=None, description="Free text from the coach; shown in its own section."
    )
    template: ShortText | None = Field(
        default=None,
        description="Transition template id; by default chosen from the two roles.",
    )
    language: LanguageCode | None = Field(
        default=None,
        description="The language of this person's guide and email. Default: --lang.",
    )

    @field_validator("breaks", mode="wrap")
    @classmethod
    def _breaks(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> list[Break]:
        return _with_list_check(_parse_breaks(value), handler, _overlapping_breaks)

    @field_validator("pace", mode="wrap")
    @classmethod
    def _pace(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> list[PaceChange]:
        return _with_list_check(_parse_pace(value), handler, _same_day_twice)

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    def start_date_or_default(self, today: dt.date) -> dt.date:
        """The plan's first day: the profile's start_date, else the Monday after today."""
        if self.start_date is not None:
            return self.start_date
        return today + dt.timedelta(days=7 - today.weekday())
