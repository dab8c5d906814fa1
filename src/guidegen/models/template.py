"""The career transition template: the content of a guide, as data.

A template describes one move (from one role to another) for everybody who
makes it; personalization turns it into one person's Guide.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from guidegen.models import limits
from guidegen.models.common import LanguageCode, NonEmptyText, TemplateList, Within

TemplateId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
    Within(limits.TEMPLATE_ID_CHARS),
]
ResourceKind = Literal[
    "course",
    "certification",
    "book",
    "article",
    "documentation",
    "video",
    "podcast",
    "tool",
    "community",
    "practice",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Role(_Strict):
    """A role, with the other names people give it (used to match profiles)."""

    name: NonEmptyText
    aliases: TemplateList[NonEmptyText] = Field(default_factory=list)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class TransferableSkill(_Strict):
    name: NonEmptyText
    why: NonEmptyText = Field(description="Why this skill carries over to the target role.")
    evidenced_by: TemplateList[NonEmptyText] = Field(
        default_factory=list,
        description="Profile skills that show the candidate has it (case-insensitive).",
    )


class Resource(_Strict):
    title: NonEmptyText
    provider: NonEmptyText = Field(description="Publisher, platform or author.")
    kind: ResourceKind
    url: AnyHttpUrl | None = None
    language: LanguageCode | None = Field(
        default=None,
        description="The language the resource is in, when it is not the template's "
        "(a Spanish course added by the Spanish translation: es).",
    )


class SkillToLearn(_Strict):
    name: NonEmptyText
    priority: int = Field(ge=1, description="1 is the most important.")
    how: NonEmptyText = Field(description="How to learn it, in a few sentences.")
    resources: TemplateList[Resource] = Field(min_length=1)
    covered_by: TemplateList[NonEmptyText] = Field(
        default_factory=list,
        description="Profile skills that mean the candidate already has it (case-insensitive).",
    )


class Phase(_Strict):
    name: NonEmptyText
    weeks: Annotated[int, Within(limits.TEMPLATE_PHASE_WEEKS)] = Field(
        ge=1, description="Length at the template's baseline hours per week."
    )
    tasks: TemplateList[NonEmptyText] = Field(min_length=1)


class RealityCheck(_Strict):
    love: TemplateList[NonEmptyText] = Field(min_length=1, description="What you'll love.")
    miss: TemplateList[NonEmptyText] = Field(min_length=1, description="What you might miss.")
    challenges: TemplateList[NonEmptyText] = Field(
        min_length=1, description="The biggest challenges."
    )


class ActionPlan(_Strict):
    this_week: TemplateList[NonEmptyText] = Field(min_length=1)
    this_month: TemplateList[NonEmptyText] = Field(min_length=1)
    next_90_days: TemplateList[NonEmptyText] = Field(min_length=1)


class Question(_Strict):
    question: NonEmptyText
    answer: NonEmptyText


class MoneyRange(_Strict):
    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> MoneyRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


class Salary(_Strict):
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        description="ISO 4217 code, e.g. USD."
    )
    range: MoneyRange = Field(description="What people in the target role earn.")
    typical_start: MoneyRange = Field(
        description="What someone making this move typically starts at."
    )
    market: NonEmptyText = Field(description="Where and when the figures hold, e.g. 'US, 2025'.")
    countries: list[CountryCode] = Field(
        default_factory=list,
        description="The countries the figures describe, as ISO 3166 codes (US, ES, MX, FR). "
        "The guide says plainly when the person is based elsewhere.",
    )
    varies_with: NonEmptyText | None = Field(
        default=None,
        description="What the range depends on (default: location, experience and company).",
    )


def _country(code: str) -> str:
    from babel import Locale  # the list of countries, from CLDR

    code = code.strip().upper()
    if len(code) != 2 or not code.isalpha() or code not in Locale("en").territories:
        raise ValueError("expected a two-letter ISO 3166 country code such as US, ES, MX or FR")
    return code


CountryCode = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$", "examples": ["US", "ES", "FR"]}),
]


class CallToAction(_Strict):
    heading: NonEmptyText
    text: NonEmptyText
    url: AnyHttpUrl | None = None


class TransitionTemplate(_Strict):
    """One career move, written once and personalized for every candidate."""

    model_config = ConfigDict(extra="forbid", title="guidegen transition template")

    id: TemplateId
    language: LanguageCode = Field(
        default="en",
        description="The language this template's text is written in. Translations live "
        "beside it, in <language>/<id>.yaml (see docs/templates.md).",
    )
    from_role: Role
    to_role: Role
    baseline_hours_per_week: float = Field(
        gt=0, le=80, description="Weekly hours the phase lengths assume."
    )
    overview: NonEmptyText = Field(description="Paragraphs separated by blank lines.")
    transferable_skills: TemplateList[TransferableSkill] = Field(min_length=1)
    skills_to_learn: TemplateList[SkillToLearn] = Field(min_length=1)
    roadmap: Annotated[list[Phase], Within(limits.TEMPLATE_PHASES)] = Field(min_length=1)
    reality_check: RealityCheck
    action_plan: ActionPlan
    faq: TemplateList[Question] = Field(default_factory=list)
    salary: Salary
    call_to_action: CallToAction

    @field_validator("skills_to_learn")
    @classmethod
    def _unique_priorities(cls, skills: list[SkillToLearn]) -> list[SkillToLearn]:
        seen: dict[int, str] = {}
        for skill in skills:
            if skill.priority in seen:
                raise ValueError(
                    f"priority {skill.priority} is given to both {seen[skill.priority]!r} "
                    f"and {skill.name!r}; each skill to learn needs its own priority"
                )
            seen[skill.priority] = skill.name
        return skills

    @property
    def total_weeks(self) -> int:
        return sum(phase.weeks for phase in self.roadmap)
