"""The career transition template: the content of a guide, as data.

A template describes one move (from one role to another) for everybody who
makes it; personalization turns it into one person's Guide.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
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
from pydantic.json_schema import SkipJsonSchema

from guidegen.models import limits
from guidegen.models.common import (
    LanguageCode,
    NonEmptyText,
    TemplateList,
    Within,
    located_errors,
)

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


MAX_FIRST_STEP_HOURS = 8
MAX_FIRST_STEPS = 6
SkillNames = Annotated[
    list[NonEmptyText],
    Field(
        default_factory=list,
        description="The skills to learn (their `name`, as written under skills_to_learn) "
        "this builds. A candidate whose profile covers all of them skips it.",
    ),
]


def _removed(field: str, instead: str) -> Callable[..., object]:
    """A validator for a field of the old template form: always an error saying what to do."""

    def reject(cls: type, value: object) -> object:
        raise ValueError(f"`{field}` is no longer part of a template: {instead}")

    return classmethod(reject)


class Task(_Strict):
    """One piece of work of a phase, with the hours it takes."""

    task: NonEmptyText = Field(description="What to do, as one instruction.")
    hours: Annotated[float, Within(limits.TEMPLATE_TASK_HOURS)] = Field(
        gt=0,
        description="The hours it takes at a steady pace (study, practice, the exam). "
        "The phase lasts as long as its tasks' hours at the candidate's pace.",
    )
    teaches: SkillNames
    refresher_hours: float | None = Field(
        default=None,
        gt=0,
        description="For a candidate who already has every skill it teaches: keep it as a "
        "refresher of this many hours instead of skipping it.",
    )

    @model_validator(mode="before")
    @classmethod
    def _say_what_a_task_is(cls, value: object) -> object:
        if isinstance(value, str):
            raise ValueError(
                "a task is now a mapping with its effort: write `- task: <the text>` and, "
                "below it, `hours: N` (and `teaches: [skill]` when it builds a skill to learn)"
            )
        if isinstance(value, dict) and "hours" not in value:
            raise ValueError(
                "this task has no effort: give the hours it takes, e.g. `hours: 10` "
                "(a phase's weeks times baseline_hours_per_week is the sum of its tasks' hours)"
            )
        return value

    @model_validator(mode="after")
    def _refresher_is_shorter(self) -> Task:
        if self.refresher_hours is not None:
            if not self.teaches:
                raise ValueError(
                    "refresher_hours only applies to a task that `teaches` a skill to learn"
                )
            if self.refresher_hours >= self.hours:
                raise ValueError(
                    f"refresher_hours ({self.refresher_hours:g}) must be less than "
                    f"hours ({self.hours:g}): a refresher is the short version"
                )
        return self


class FirstStep(_Strict):
    """A small thing to do at once: sign up, install, join a community."""

    step: NonEmptyText = Field(description="What to do, as one instruction.")
    hours: float = Field(
        default=0,
        ge=0,
        le=MAX_FIRST_STEP_HOURS,
        description="Its effort in hours (0 for a minute's work). More than a day's work "
        "is a task of the first phase, not a first step.",
    )
    teaches: SkillNames

    @model_validator(mode="before")
    @classmethod
    def _say_what_a_step_is(cls, value: object) -> object:
        if isinstance(value, str):
            raise ValueError(
                "a first step is a mapping: write `- step: <the text>` and, below it, "
                "`hours: N` (0 for a minute's work)"
            )
        return value


class Phase(_Strict):
    name: NonEmptyText
    tasks: TemplateList[Task] = Field(
        min_length=1,
        description="The work of the phase, in order. Its length follows from their hours "
        "at the candidate's pace.",
    )
    # The old form's field, kept only to say what replaced it (never an attribute to read).
    removed_weeks: SkipJsonSchema[object] = Field(default=None, alias="weeks", exclude=True)

    _no_weeks = field_validator("removed_weeks")(
        _removed(
            "weeks",
            "a phase lasts as long as its tasks' hours at the candidate's pace. Remove "
            "`weeks` and give each task its `hours`, so that they add up to these weeks "
            "times baseline_hours_per_week (the first phase: minus the first steps' hours)",
        )
    )

    @property
    def hours(self) -> float:
        return sum(task.hours for task in self.tasks)


class RealityCheck(_Strict):
    love: TemplateList[NonEmptyText] = Field(min_length=1, description="What you'll love.")
    miss: TemplateList[NonEmptyText] = Field(min_length=1, description="What you might miss.")
    challenges: TemplateList[NonEmptyText] = Field(
        min_length=1, description="The biggest challenges."
    )


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
        gt=0,
        le=80,
        description="The weekly hours the task efforts were written for: a phase of N weeks "
        "at this pace has tasks adding up to N times these hours.",
    )
    overview: NonEmptyText = Field(description="Paragraphs separated by blank lines.")
    transferable_skills: TemplateList[TransferableSkill] = Field(min_length=1)
    skills_to_learn: TemplateList[SkillToLearn] = Field(min_length=1)
    first_steps: list[FirstStep] = Field(
        default_factory=list,
        max_length=MAX_FIRST_STEPS,
        description="Small things to do in the first days (sign up, install, join a "
        "community), done before the first phase's tasks and counted in its time.",
    )
    roadmap: Annotated[list[Phase], Within(limits.TEMPLATE_PHASES)] = Field(min_length=1)
    reality_check: RealityCheck
    # The old form's field, kept only to say what replaced it (never an attribute to read).
    removed_action_plan: SkipJsonSchema[object] = Field(
        default=None, alias="action_plan", exclude=True
    )
    faq: TemplateList[Question] = Field(default_factory=list)
    salary: Salary
    call_to_action: CallToAction

    _no_action_plan = field_validator("removed_action_plan")(
        _removed(
            "action_plan",
            "This Week, This Month and Next 90 Days now come from the candidate's own "
            "schedule. Move sign-ups, installs and communities to `first_steps`, and make "
            "every other item a task of the roadmap (see docs/templates.md, Migrating)",
        )
    )

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

    @model_validator(mode="after")
    def _teaches_names_a_skill_to_learn(self) -> TransitionTemplate:
        names = [skill.name for skill in self.skills_to_learn]
        errors = []
        for path, item in self.plan_items():
            for index, name in enumerate(item.teaches):
                if name not in names:
                    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    errors.append(
                        (
                            (*path, "teaches", index),
                            f"not a skill to learn of this template; {hint}expected one of: "
                            + "; ".join(names),
                            name,
                        )
                    )
        if errors:
            raise located_errors(type(self).__name__, errors)
        return self

    def plan_items(self) -> list[tuple[tuple, FirstStep | Task]]:
        """Every first step and task with its field path, in plan order."""
        items: list[tuple[tuple, FirstStep | Task]] = [
            (("first_steps", index), step) for index, step in enumerate(self.first_steps)
        ]
        for number, phase in enumerate(self.roadmap):
            items += [
                (("roadmap", number, "tasks", index), task)
                for index, task in enumerate(phase.tasks)
            ]
        return items

    def phase_hours(self) -> list[float]:
        """Each phase's hours at the baseline; the first steps count in the first phase."""
        hours = [phase.hours for phase in self.roadmap]
        hours[0] += sum(step.hours for step in self.first_steps)
        return hours

    def baseline_weeks(self) -> list[int]:
        """Each phase's length in whole weeks at baseline_hours_per_week."""
        return [
            max(1, math.ceil(round(hours / self.baseline_hours_per_week, 6)))
            for hours in self.phase_hours()
        ]

    @property
    def total_weeks(self) -> int:
        """The plan's length at the baseline pace."""
        return sum(self.baseline_weeks())
