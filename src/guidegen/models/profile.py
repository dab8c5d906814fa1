"""The candidate profile: what a coach knows about one person.

Profiles come from clients and spreadsheets, so the schema is strict about
shape (unknown keys are typos, caught with ``extra="forbid"``) and lenient
about convenience (a skill may be a bare name or a name with a level).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

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
        le=80,
        description="Hours a week the candidate can give to the transition.",
    )
    start_date: CalendarDate | None = Field(
        default=None,
        description="When the plan starts (YYYY-MM-DD). Default: the next Monday.",
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

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    def start_date_or_default(self, today: dt.date) -> dt.date:
        """The plan's first day: the profile's start_date, else the Monday after today."""
        if self.start_date is not None:
            return self.start_date
        return today + dt.timedelta(days=7 - today.weekday())
