"""The Guide: one person's personalized content, independent of any format.

`guidegen.plan.personalize.build_guide` makes it; the renderers (PDF, and any later
format) only lay it out. Every word a reader sees is in here, so two formats
of the same Guide cannot disagree.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Fact(_Frozen):
    """A labelled value for the at-a-glance box, e.g. ('Weekly effort', '10 hours')."""

    label: str
    value: str


class Candidate(_Frozen):
    name: str
    first_name: str
    current_role: str
    target_role: str
    email: str | None = None
    location: str | None = None


class Overview(_Frozen):
    heading: str
    intro: str
    paragraphs: list[str]
    at_a_glance: list[Fact]


class TransferableSkillItem(_Frozen):
    name: str
    why: str
    evidence: list[str]
    """The candidate's own skills that show they have it; empty when none do."""

    @property
    def evidenced(self) -> bool:
        return bool(self.evidence)


class TransferableSection(_Frozen):
    heading: str
    lead: str
    items: list[TransferableSkillItem]


class ResourceItem(_Frozen):
    title: str
    provider: str
    kind: str
    url: str | None = None
    language: str | None = None
    """The resource's own language when it is not the guide's (an English course in a
    Spanish guide: "en"), so renderers can say so and mark it for screen readers; None:
    the guide's."""


class LearningItem(_Frozen):
    rank: int | None
    """Position among the real gaps (1 = learn first); None when already covered."""
    name: str
    how: str
    resources: list[ResourceItem]
    covered_by: list[str]
    """The candidate's skills that already cover it; empty for a real gap."""

    @property
    def covered(self) -> bool:
        return bool(self.covered_by)


class LearningSection(_Frozen):
    heading: str
    lead: str
    items: list[LearningItem]
    covered_note: str | None
    """How covered skills are treated, shown when there are any."""


class PlannedTask(_Frozen):
    """A first step or task of the plan, with its place in the person's calendar."""

    key: str
    """Stable across re-renders at another pace or start: 'first-step-1', 'phase-2-task-3'."""
    text: str
    hours: float
    """The hours it is scheduled for."""
    start: dt.date
    due: dt.date
    """When the schedule has it done: the day its last hour falls on."""
    first_step: bool = False
    note: str | None = None
    """Why it is shorter than in the template, e.g. 'Refresher: you already have Git'."""


class SkippedTask(_Frozen):
    """A task left out of this person's plan, and why."""

    key: str
    text: str
    note: str
    """E.g. 'Skipped — you already have Git'."""


class BreakPeriod(_Frozen):
    """Days off inside the plan: no study is scheduled on them."""

    label: str | None
    """As the profile names it ('Summer'), if it does."""
    start: dt.date
    end: dt.date
    """The last day off (inclusive)."""


class DatedPhase(_Frozen):
    number: int
    name: str
    weeks: int
    start: dt.date
    end: dt.date
    """The last day of the phase (inclusive)."""
    items: list[PlannedTask]
    """Its first steps (in the first phase) and tasks, in order, each with its dates."""
    key: str
    """Stable when earlier phases are left out: 'phase-3' is the template's third phase."""
    skipped: list[SkippedTask] = []
    breaks: list[BreakPeriod] = []
    """The breaks that fall inside it."""

    @property
    def tasks(self) -> list[str]:
        """The text of each item, in order."""
        return [item.text for item in self.items]


class LeftOutPhase(_Frozen):
    """A phase of the template this person does not need: they have what all its tasks teach."""

    key: str
    """The key it has in a plan that keeps it ('phase-1'): its calendar entries' UIDs."""
    name: str
    note: str
    """One line for the roadmap, e.g. '“Git, Python and Code Habits” is left out: you
    already have Git.'"""
    skipped: list[SkippedTask] = []


class Roadmap(_Frozen):
    heading: str
    lead: str
    phases: list[DatedPhase]
    start: dt.date
    end: dt.date
    total_weeks: int
    months: int
    pace_note: str
    chart_alt_text: str
    breaks: list[BreakPeriod] = []
    """Every break inside the plan."""
    left_out: list[LeftOutPhase] = []
    """The phases left out (the person has what they teach), in template order."""

    @property
    def notes(self) -> list[str]:
        """One line for each phase left out."""
        return [phase.note for phase in self.left_out]

    @property
    def tasks(self) -> list[PlannedTask]:
        return [item for phase in self.phases for item in phase.items]

    @property
    def skipped(self) -> list[SkippedTask]:
        """Every first step and task left out of the plan, with its phase's or not."""
        kept = [task for phase in self.phases for task in phase.skipped]
        return kept + [task for phase in self.left_out for task in phase.skipped]


class RealityCheckSection(_Frozen):
    heading: str
    lead: str
    love: list[str]
    miss: list[str]
    challenges: list[str]
    love_heading: str
    miss_heading: str
    challenges_heading: str


class ActionItem(_Frozen):
    text: str
    due: dt.date
    """Its own due date: when the schedule has it done (maybe after its list's end)."""
    key: str = ""
    """The PlannedTask it is, in the roadmap."""
    phase: int = 0
    """The number of its phase."""
    in_progress: bool = False
    """It runs past the end of its list: work on it then, finish it by `due`. It has no
    check box there: an item is ticked once, in the list where it finishes (and the
    calendar has it once, as one to-do due then)."""


class ActionList(_Frozen):
    key: str
    heading: str
    due: dt.date
    """The last day of its window."""
    items: list[ActionItem]
    start: dt.date | None = None
    """The first day of its window."""
    note: str | None = None
    """A break inside the window, or why it has nothing to do."""


class ActionPlanSection(_Frozen):
    heading: str
    lead: str
    lists: list[ActionList]


class FAQEntry(_Frozen):
    question: str
    answer: str


class FAQSection(_Frozen):
    heading: str
    entries: list[FAQEntry]


class CoachNotes(_Frozen):
    heading: str
    paragraphs: list[str]


class CallToAction(_Frozen):
    heading: str
    text: str
    url: str | None = None
    contact: list[str] = []
    """How to reach the coach or bootcamp: email, phone, website."""


class Guide(_Frozen):
    template_id: str
    language: str
    title: str
    subtitle: str
    candidate: Candidate
    prepared_by: str | None
    prepared_on: dt.date
    overview: Overview
    coach_notes: CoachNotes | None
    transferable: TransferableSection
    learning: LearningSection
    roadmap: Roadmap
    reality_check: RealityCheckSection
    action_plan: ActionPlanSection
    faq: FAQSection
    call_to_action: CallToAction
    footer: str | None = None
    """The brand's line on every page's footer, in the guide's language."""

    @property
    def document_title(self) -> str:
        """The title for file metadata and the browser tab."""
        return f"{self.title}: {self.subtitle}"
