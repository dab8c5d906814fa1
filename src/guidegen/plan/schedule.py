"""The schedule: one person's dated plan, from one pure function.

`schedule` places a template's first steps and tasks day by day from the start
date, at the person's hours a week, and every date of a guide comes from what it
returns: phase dates, each task's due date, the action lists, the chart, the
calendar, the headline. The rules:

- A week gives `hours_per_week` hours (or the pace in force: a pace change
  applies from its day on), spread evenly over its seven days; a day inside a
  break gives none. Tasks are placed in plan order, each starting where the one
  before it stopped, and a task is due on the day its last hour falls.
- Phases are whole weeks counted from the start date: a phase starts on the
  first study day of the week after the previous phase's last task, and ends on
  the last study day of the week in which its own last task is done. At the
  template's baseline pace a phase therefore lasts exactly its baseline weeks.
- The first steps open the first phase (they are small: sign up, install, join).
- A first step or task that only teaches skills the person already has is
  skipped; a task with `refresher_hours` is kept as a refresher of that many
  hours instead. A phase left with nothing disappears, and the next one
  takes its place.
- The action windows are days 1-7 (This Week), 8-30 (This Month) and 31-90
  (Next 90 Days) of the plan, cut at its end. A window lists, in plan order,
  what starts or is due inside it; what runs past the window's end is marked in
  progress. A window in which nothing starts or ends lists what is in progress
  through it, and one spent entirely on a break lists nothing.

Days are handled as ordinals, and a stretch of days with the same capacity is
crossed in one step, so a plan of years costs no more than one of weeks.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from calendar import monthrange
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from guidegen.errors import Problem, UserError
from guidegen.models import limits
from guidegen.models.profile import MAX_HOURS_PER_WEEK, add_years
from guidegen.models.template import FirstStep, Task, TransitionTemplate

EPSILON = 1e-6
"""Hours closer than this are equal: 80 hours at 10/7 a day end on day 56, not 57."""
LAST_DAY = dt.date.max.toordinal()
WINDOWS = (("this_week", 0, 6), ("this_month", 7, 29), ("next_90_days", 30, 89))
"""Each action window: its key, and its first and last day counted from the plan's start."""


@dataclass(frozen=True)
class Pause:
    """A break as the scheduler sees it: days with no study."""

    start: dt.date
    end: dt.date
    """The last day off, inclusive."""
    label: str | None = None


@dataclass(frozen=True)
class ScheduledItem:
    """A first step or task, placed: what to do, and from when to when."""

    key: str
    """Stable across paces and start dates: 'first-step-2', 'phase-3-task-1' (template order)."""
    text: str
    hours: float
    """The hours scheduled: the task's, or its refresher hours."""
    start: dt.date
    due: dt.date
    """The day its last hour falls on."""
    first_step: bool = False
    refreshes: tuple[str, ...] = ()
    """The skills it refreshes, when it is kept as a refresher; empty for a full task."""


@dataclass(frozen=True)
class SkippedItem:
    """A first step or task left out because the person already has what it teaches."""

    key: str
    text: str
    skills: tuple[str, ...]
    first_step: bool = False


@dataclass(frozen=True)
class ScheduledPhase:
    index: int
    """Its position in the template (0-based): stable when earlier phases are left out."""
    number: int
    """Its number in this person's plan (1-based)."""
    name: str
    start: dt.date
    end: dt.date
    """The last study day of the week its last task is done in (inclusive)."""
    items: tuple[ScheduledItem, ...]
    skipped: tuple[SkippedItem, ...]

    @property
    def key(self) -> str:
        return f"phase-{self.index + 1}"

    @property
    def weeks(self) -> int:
        return weeks_between(self.start, self.end)


@dataclass(frozen=True)
class DroppedPhase:
    """A phase whose every task teaches what the person already has."""

    index: int
    name: str
    skills: tuple[str, ...]
    skipped: tuple[SkippedItem, ...]


@dataclass(frozen=True)
class WindowItem:
    item: ScheduledItem
    phase: int
    """The number of the item's phase."""
    in_progress: bool
    """Still running at the window's end (it is due later)."""


@dataclass(frozen=True)
class Window:
    key: str
    start: dt.date
    end: dt.date
    items: tuple[WindowItem, ...]
    breaks: tuple[Pause, ...]
    """The breaks that fall (partly) inside it."""
    on_break: bool
    """Every day of it is inside a break: nothing to do."""


@dataclass(frozen=True)
class PaceSpan:
    """A pace in force inside the plan: from `start`, `hours_per_week` hours a week."""

    start: dt.date
    hours_per_week: float


@dataclass(frozen=True)
class Schedule:
    requested_start: dt.date
    start: dt.date
    """The first study day on or after the requested start."""
    end: dt.date
    phases: tuple[ScheduledPhase, ...]
    dropped: tuple[DroppedPhase, ...]
    breaks: tuple[Pause, ...]
    """The breaks inside the plan."""
    paces: tuple[PaceSpan, ...]
    """The paces in force during the plan, the first from its start."""
    windows: tuple[Window, ...]

    @property
    def weeks(self) -> int:
        return weeks_between(self.start, self.end)

    @property
    def months(self) -> int:
        return plan_months(self.start, self.end)

    @property
    def items(self) -> list[ScheduledItem]:
        return [item for phase in self.phases for item in phase.items]

    @property
    def hours(self) -> float:
        return sum(item.hours for item in self.items)

    @property
    def skipped(self) -> list[SkippedItem]:
        kept = [item for phase in self.phases for item in phase.skipped]
        return kept + [item for phase in self.dropped for item in phase.skipped]


def weeks_between(start: dt.date, end: dt.date) -> int:
    """Whole weeks needed to hold the days start..end (inclusive)."""
    return max(1, math.ceil(((end - start).days + 1) / 7))


def plan_months(start: dt.date, end: dt.date) -> int:
    """The days start..end (inclusive) in months, as a reader counts them: the whole
    calendar months from `start`, and one more when the days left over make half a month
    or more. Jan 4 – Apr 4 is 3 months (not 4 for its one extra day), Jan 4 – Aug 15 is 7
    (7 months and 12 days), Jan 4 – Apr 25 is 4 (3 months and 22 days); never less than 1.
    """
    finish = end.toordinal() + 1  # the day after: Jan 4 – Feb 3 is exactly one month
    months = (end.year - start.year) * 12 + end.month - start.month
    while _months_later(start, months + 1) <= finish:
        months += 1
    while months > 0 and _months_later(start, months) > finish:
        months -= 1
    whole, next_whole = _months_later(start, months), _months_later(start, months + 1)
    if 2 * (finish - whole) >= next_whole - whole:
        months += 1
    return max(1, months)


def _months_later(day: dt.date, months: int) -> int:
    """The ordinal of the same day `months` later, or of that month's last day (Jan 31 and
    one month: Feb 28). Past the year 9999 too, 400 years (146097 days) at a time."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    shift = 0
    while year > dt.MAXYEAR:
        year, shift = year - 400, shift + 146097
    return (
        dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1])).toordinal() + shift
    )


class PlanTooLong(UserError):
    """The plan would run longer than `plan.years`, or past the calendar's last day."""


def schedule(
    template: TransitionTemplate,
    *,
    start: dt.date,
    hours_per_week: float,
    pace: Iterable[tuple[dt.date, float]] = (),
    breaks: Iterable[Pause] = (),
    covered: Collection[str] = (),
) -> Schedule:
    """Place `template`'s plan in one person's calendar.

    `start` is the requested first day, `hours_per_week` the pace from then on,
    `pace` the (day, hours a week) changes, `breaks` the days off, and `covered`
    the names of the template's skills to learn the person already has.
    """
    calendar = _Calendar(start, hours_per_week, list(pace), list(breaks))
    kept, dropped = _select(template, covered)
    if not kept:
        raise UserError(
            Problem(
                "this profile already has every skill this template's tasks teach, so no "
                "task is left to plan; choose another template for this move",
                field="skills",
            )
        )
    try:
        first_day = calendar.next_study_day(start.toordinal())
        phases = _place(calendar, template, kept, first_day)
    except OverflowError:
        raise _too_long(template, start, hours_per_week) from None
    plan_start, plan_end = phases[0].start, phases[-1].end
    limit = add_years(start, limits.PLAN_YEARS.value)  # None: past the calendar's end
    if limit is not None and plan_end >= limit:
        raise _too_long(template, start, hours_per_week)
    inside = tuple(p for p in calendar.breaks if p.start >= plan_start and p.end <= plan_end)
    return Schedule(
        requested_start=start,
        start=plan_start,
        end=plan_end,
        phases=tuple(phases),
        dropped=tuple(dropped),
        breaks=inside,
        paces=calendar.paces_between(plan_start, plan_end),
        windows=_windows(calendar, phases, plan_start, plan_end),
    )


def _too_long(template: TransitionTemplate, start: dt.date, hours_per_week: float) -> PlanTooLong:
    years = limits.PLAN_YEARS
    if add_years(start, years.value) is not None:
        field, value = "hours_per_week", hours_per_week
        message = (
            f"at this pace, starting {start}, the plan would take more than {years.amount()}; "
            f"{years.expected()}: give it more hours a week, or fewer or shorter breaks"
        )
        return PlanTooLong(Problem(message, field=field, value=value, has_value=True))
    # Near the calendar's end (Dec 31, 9999): the start is at fault when even the most
    # hours a week could not fit the plan in.
    fastest_days = sum(template.phase_hours()) / MAX_HOURS_PER_WEEK * 7
    if start.toordinal() + fastest_days > LAST_DAY:
        field, value = "start_date", start
        message = "the plan would end after the year 9999: expected an earlier start"
    else:
        field, value = "hours_per_week", hours_per_week
        message = (
            f"at this pace, starting {start}, the plan would end after the year 9999: "
            "expected more hours a week, fewer or shorter breaks, or an earlier start"
        )
    return PlanTooLong(Problem(message, field=field, value=value, has_value=True))


# --- what is kept -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kept:
    index: int
    name: str
    items: list[tuple[str, FirstStep | Task, tuple[str, ...]]]
    """(key, item, skills it refreshes)."""
    skipped: list[SkippedItem]


def _select(
    template: TransitionTemplate, covered: Collection[str]
) -> tuple[list[_Kept], list[DroppedPhase]]:
    """The phases with what each keeps, and the phases left with nothing."""
    covered = set(covered)

    def already_has(item: FirstStep | Task) -> bool:
        return bool(item.teaches) and all(name in covered for name in item.teaches)

    steps, skipped_steps = [], []
    for index, step in enumerate(template.first_steps):
        key = f"first-step-{index + 1}"
        if already_has(step):
            skipped_steps.append(SkippedItem(key, step.step, tuple(step.teaches), True))
        else:
            steps.append((key, step, ()))
    kept: list[_Kept] = []
    dropped: list[DroppedPhase] = []
    for index, phase in enumerate(template.roadmap):
        items: list[tuple[str, FirstStep | Task, tuple[str, ...]]] = []
        skipped: list[SkippedItem] = []
        for number, task in enumerate(phase.tasks):
            key = f"phase-{index + 1}-task-{number + 1}"
            if not already_has(task):
                items.append((key, task, ()))
            elif task.refresher_hours is not None:
                items.append((key, task, tuple(task.teaches)))
            else:
                skipped.append(SkippedItem(key, task.task, tuple(task.teaches)))
        if items:
            kept.append(_Kept(index, phase.name, items, skipped))
        else:
            skills = tuple(dict.fromkeys(name for task in phase.tasks for name in task.teaches))
            dropped.append(DroppedPhase(index, phase.name, skills, tuple(skipped)))
    if kept:
        # The first steps open the plan, whichever phase is first.
        first = kept[0]
        kept[0] = _Kept(first.index, first.name, steps + first.items, skipped_steps + first.skipped)
    return kept, dropped


# --- placing ----------------------------------------------------------------------------------


def _place(
    calendar: _Calendar, template: TransitionTemplate, kept: list[_Kept], first_day: int
) -> list[ScheduledPhase]:
    phases = []
    day, used = first_day, 0.0
    for number, phase in enumerate(kept, start=1):
        if phases:
            # A new phase starts with a new week.
            next_week = calendar.week_start(calendar.week_of(phases[-1].end.toordinal()) + 1)
            day, used = calendar.next_study_day(next_week), 0.0
        phase_start = day
        items = []
        for key, item, refreshes in phase.items:
            if isinstance(item, FirstStep):
                text, hours = item.step, item.hours
            else:
                text = item.task
                hours = item.refresher_hours if refreshes else item.hours
            begin, finish, day, used = calendar.consume(day, used, hours)
            items.append(
                ScheduledItem(
                    key=key,
                    text=text,
                    hours=hours,
                    start=dt.date.fromordinal(begin),
                    due=dt.date.fromordinal(finish),
                    first_step=isinstance(item, FirstStep),
                    refreshes=refreshes,
                )
            )
        last = items[-1].due.toordinal()
        week_end = min(calendar.origin + 7 * (calendar.week_of(last) + 1) - 1, LAST_DAY)
        phases.append(
            ScheduledPhase(
                index=phase.index,
                number=number,
                name=phase.name,
                start=dt.date.fromordinal(phase_start),
                end=dt.date.fromordinal(calendar.last_study_day(week_end)),
                items=tuple(items),
                skipped=tuple(phase.skipped),
            )
        )
    return phases


class _Calendar:
    """Hours a day, day by day: the person's pace, with breaks at zero.

    Kept as segments, (first day, hours a day) sorted by day, each running to the
    next one's first day: a break or a pace change starts a new segment.
    """

    def __init__(
        self,
        start: dt.date,
        hours_per_week: float,
        pace: list[tuple[dt.date, float]],
        breaks: list[Pause],
    ):
        self.origin = start.toordinal()
        self.breaks = sorted(breaks, key=lambda pause: pause.start)
        self._off = [(p.start.toordinal(), p.end.toordinal()) for p in self.breaks]
        self._off_starts = [first for first, _ in self._off]
        changes = sorted((day.toordinal(), hours) for day, hours in pace)
        self._pace_days = [day for day, _ in changes]
        self._pace_hours = [hours for _, hours in changes]
        self._hours = hours_per_week
        bounds = {self.origin}
        bounds.update(day for day in self._pace_days if day > self.origin)
        for first, last in self._off:
            bounds.update(day for day in (first, last + 1) if self.origin < day <= LAST_DAY)
        self.starts: list[int] = []
        self.rates: list[float] = []
        for day in sorted(bounds):
            rate = 0.0 if self.on_break(day) else self.pace_on(day) / 7
            if not self.rates or rate != self.rates[-1]:
                self.starts.append(day)
                self.rates.append(rate)

    def pace_on(self, day: int) -> float:
        index = bisect.bisect_right(self._pace_days, day) - 1
        return self._pace_hours[index] if index >= 0 else self._hours

    def on_break(self, day: int) -> bool:
        index = bisect.bisect_right(self._off_starts, day) - 1
        return index >= 0 and day <= self._off[index][1]

    def week_of(self, day: int) -> int:
        return (day - self.origin) // 7

    def week_start(self, week: int) -> int:
        first = self.origin + 7 * week
        if first > LAST_DAY:
            raise OverflowError
        return first

    def _segment(self, day: int) -> int:
        return bisect.bisect_right(self.starts, day) - 1

    def _segment_end(self, index: int) -> int:
        return self.starts[index + 1] - 1 if index + 1 < len(self.starts) else LAST_DAY

    def next_study_day(self, day: int) -> int:
        """`day` itself, or the first day after it that is not inside a break."""
        index = self._segment(day)
        while self.rates[index] == 0:
            if index + 1 == len(self.starts):
                raise OverflowError
            index += 1
            day = self.starts[index]
        return day

    def last_study_day(self, day: int) -> int:
        """`day` itself, or the last day before it that is not inside a break."""
        while self.on_break(day):
            index = bisect.bisect_right(self._off_starts, day) - 1
            day = self._off[index][0] - 1
        return day

    def consume(self, day: int, used: float, hours: float) -> tuple[int, int, int, float]:
        """Spend `hours` from `day`, of which `used` hours are spent already.

        Returns the first and last day the hours fall on, and where the next work
        starts (a day, and the hours of it already spent).
        """
        if hours <= EPSILON:
            return day, day, day, used  # nothing to spend: done where it stands
        index = self._segment(day)
        # Move to the first day with hours left.
        while self.rates[index] - used <= EPSILON:
            if self.rates[index] > 0 and day < self._segment_end(index):
                day, used = day + 1, 0.0
            elif index + 1 < len(self.starts):
                index += 1
                day, used = self.starts[index], 0.0
            else:
                raise OverflowError
        first = day
        remaining = hours
        while True:
            rate, last = self.rates[index], self._segment_end(index)
            if rate > 0:
                if day <= last:
                    spare = rate - used
                    if remaining <= spare + EPSILON:
                        return first, day, day, used + remaining
                    remaining -= spare
                    day, used = day + 1, 0.0
                if day <= last:
                    # Whole days of this segment, in one step.
                    days = math.ceil((remaining - EPSILON) / rate)
                    if day + days - 1 <= last:
                        finish = day + days - 1
                        return first, finish, finish, remaining - (days - 1) * rate
                    remaining -= (last - day + 1) * rate
            if index + 1 == len(self.starts):
                raise OverflowError
            index += 1
            day, used = self.starts[index], 0.0

    def paces_between(self, start: dt.date, end: dt.date) -> tuple[PaceSpan, ...]:
        spans = [PaceSpan(start, self.pace_on(start.toordinal()))]
        for day, hours in zip(self._pace_days, self._pace_hours, strict=True):
            if start.toordinal() < day <= end.toordinal() and hours != spans[-1].hours_per_week:
                spans.append(PaceSpan(dt.date.fromordinal(day), hours))
        return tuple(spans)

    def study_days_between(self, first: int, last: int) -> bool:
        """Whether any day of first..last is outside every break."""
        return self.next_study_day_or_none(first, last) is not None

    def next_study_day_or_none(self, first: int, last: int) -> int | None:
        day = first
        while day <= last:
            if not self.on_break(day):
                return day
            index = bisect.bisect_right(self._off_starts, day) - 1
            day = self._off[index][1] + 1
        return None


# --- the action windows -----------------------------------------------------------------------


def _windows(
    calendar: _Calendar, phases: list[ScheduledPhase], start: dt.date, end: dt.date
) -> tuple[Window, ...]:
    placed = [(item, phase.number) for phase in phases for item in phase.items]
    windows = []
    for key, first_offset, last_offset in WINDOWS:
        if start.toordinal() + first_offset > end.toordinal():
            break  # the plan is over by then
        first = start + dt.timedelta(days=first_offset)
        last = dt.date.fromordinal(min(start.toordinal() + last_offset, end.toordinal()))
        pauses = tuple(p for p in calendar.breaks if p.start <= last and p.end >= first)
        on_break = not calendar.study_days_between(first.toordinal(), last.toordinal())
        chosen = [
            (item, number)
            for item, number in placed
            if first <= item.start <= last or first <= item.due <= last
        ]
        if not chosen and not on_break:
            chosen = [(item, n) for item, n in placed if item.start < first and item.due > last]
        if on_break:
            chosen = []
        items = tuple(WindowItem(item, number, item.due > last) for item, number in chosen)
        if items or on_break:
            windows.append(Window(key, first, last, items, pauses, on_break))
    return tuple(windows)
