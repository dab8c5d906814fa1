"""Personalization: profile + transition template -> Guide, as one pure function.

Every rule that makes a guide someone's own lives here, and nowhere else:

- the candidate's name and roles are used throughout;
- transferable skills the profile evidences come first, and say so;
- skills to learn that the profile already covers are not presented as gaps:
  they move below the real gaps, lose their rank and are marked as covered;
- every date comes from one schedule (`guidegen.plan.schedule`): tasks placed
  at the person's hours a week, around their breaks and pace changes; tasks
  for skills they already have are skipped (or kept as short refreshers), and
  a phase left with nothing is left out with a note; the phase dates, each
  task's due date, the headline duration, the action lists (what the schedule
  has them start or finish this week, this month and in 90 days) and the
  prose placeholders ({{ plan_duration }}...) are all read from it;
- the coach's notes get their own section when there are any;
- the brand signs the guide (coach and practice) and may replace the
  template's call to action with its own, with its contact details;
- the template's text may name the candidate and their plan through
  placeholders ({{ first_name }}, {{ hours_per_week }}, {{ plan_duration }}...),
  filled in a sandbox;
- the guide's own words are in the guide's language (gettext catalogs, see
  `guidegen.language.catalogs`), and so are its dates, numbers and money, the
  brand's words, and a note on each resource in another language;
- the salary answer says plainly whether the person's location lies in the
  market its figures describe.

`build_guide` reads no clock, file or environment: "today" is an argument.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from guidegen.language import formatting as fmt
from guidegen.language.catalogs import locale_of, translations
from guidegen.models import guide as g
from guidegen.models.brand import DEFAULT_BRAND, Brand
from guidegen.models.profile import Profile
from guidegen.models.template import SkillToLearn, TransferableSkill, TransitionTemplate
from guidegen.plan import market, placeholders
from guidegen.plan.schedule import (
    Pause,
    Schedule,
    ScheduledItem,
    ScheduledPhase,
    SkippedItem,
    plan_months,
    schedule,
)

__all__ = ["build_guide", "plan_for", "plan_months", "skill_key"]


class _Words:
    """The guide's language: its catalog, and dates and money in its locale."""

    def __init__(self, language: str):
        catalog = translations(language)
        self.language = language
        self.locale = locale_of(language)
        self._ = catalog.gettext
        self.n_ = catalog.ngettext

    def date(self, value: dt.date) -> str:
        return fmt.date(value, self.locale)

    def span(self, start: dt.date, end: dt.date) -> str:
        return fmt.date_range(start, end, self.locale)

    def money(self, amount: int, currency: str) -> str:
        return fmt.money(amount, currency, self.locale)

    def number(self, value: float) -> str:
        return fmt.number(value, self.locale)

    def month(self, value: dt.date) -> str:
        return fmt.month_year(value, self.locale)

    def join(self, names: list[str]) -> str:
        """['a'] -> 'a'; ['a', 'b', 'c'] -> 'a, b, and c' (the locale's own list)."""
        return fmt.names(names, self.locale)


def build_guide(
    profile: Profile,
    template: TransitionTemplate,
    *,
    today: dt.date,
    prepared_by: str | None = None,
    brand: Brand = DEFAULT_BRAND,
    language: str = "en",
) -> g.Guide:
    """The personalized Guide for `profile` following `template`, signed by `brand`.

    `today` is the date the guide is prepared on; it also sets the default start
    (the Monday after it) when the profile gives none. `prepared_by` names who
    prepared it, overriding the brand's coach and name.
    """
    w = _Words(language)
    _ = w._
    brand = brand.localized(language)
    prepared_by = prepared_by or brand.signature
    plan = plan_for(profile, template, today=today)
    template = placeholders.fill(template, _placeholder_values(profile, plan, w))
    roadmap = _roadmap(template, plan, _evidence_of_covered(profile, template), w)
    candidate = g.Candidate(
        name=profile.name,
        first_name=profile.first_name,
        current_role=profile.current_role,
        target_role=profile.target_role,
        email=profile.email,
        location=profile.location,
    )
    transferable = _transferable(profile, template, w)
    learning = _learning(profile, template, w)
    return g.Guide(
        template_id=template.id,
        language=language,
        title=_("From {current_role} to {target_role}").format(
            current_role=profile.current_role, target_role=profile.target_role
        ),
        subtitle=_duration_title(roadmap, w),
        candidate=candidate,
        prepared_by=prepared_by,
        prepared_on=today,
        overview=_overview(profile, template, roadmap, plan, transferable, learning, w),
        coach_notes=_coach_notes(profile, prepared_by, w),
        transferable=transferable,
        learning=learning,
        roadmap=roadmap,
        reality_check=g.RealityCheckSection(
            heading=_("Reality Check"),
            lead=_("Before you commit, here is an honest look at what to expect."),
            love_heading=_("What You'll Love"),
            miss_heading=_("What You Might Miss"),
            challenges_heading=_("Biggest Challenges"),
            love=template.reality_check.love,
            miss=template.reality_check.miss,
            challenges=template.reality_check.challenges,
        ),
        action_plan=_action_plan(profile, template, plan, w),
        faq=_faq(profile, template, w),
        call_to_action=_call_to_action(template, brand),
        footer=brand.footer,
    )


def plan_for(profile: Profile, template: TransitionTemplate, *, today: dt.date) -> Schedule:
    """The person's schedule on this template: their start, pace, breaks and skills."""
    return schedule(
        template,
        start=profile.start_date_or_default(today),
        hours_per_week=profile.hours_per_week,
        pace=[(change.starting, change.hours_per_week) for change in profile.pace],
        breaks=[Pause(item.start, item.end, item.label) for item in profile.breaks],
        covered=[skill.name for skill in template.skills_to_learn if _coverage(profile, skill)],
    )


def _call_to_action(template: TransitionTemplate, brand: Brand) -> g.CallToAction:
    action = brand.call_to_action or template.call_to_action
    return g.CallToAction(
        heading=action.heading,
        text=action.text,
        url=str(action.url) if action.url else None,
        contact=brand.contact.lines(),
    )


@lru_cache(maxsize=4096)
def skill_key(name: str) -> str:
    """How skills are compared: 'CI/CD' == 'ci cd', 'PostgreSQL ' == 'postgresql'."""
    return " ".join(re.findall(r"[^\W_]+", name.casefold()))


def _matching_skills(profile: Profile, names: list[str]) -> list[str]:
    """The profile's skills (as the profile writes them) that match any of `names`."""
    wanted = {skill_key(name) for name in names}
    return [skill.name for skill in profile.skills if skill_key(skill.name) in wanted]


def _evidence(profile: Profile, skill: TransferableSkill) -> list[str]:
    return _matching_skills(profile, [skill.name, *skill.evidenced_by])


def _coverage(profile: Profile, skill: SkillToLearn) -> list[str]:
    return _matching_skills(profile, [skill.name, *skill.covered_by])


def _evidence_of_covered(profile: Profile, template: TransitionTemplate) -> dict[str, list[str]]:
    """Each covered skill to learn -> the profile's own skills that cover it."""
    found = {skill.name: _coverage(profile, skill) for skill in template.skills_to_learn}
    return {name: skills for name, skills in found.items() if skills}


def _in_their_words(skills: tuple[str, ...], evidence: dict[str, list[str]]) -> list[str]:
    """What the person has, as their profile says it: 'Git' rather than the template's
    'Git and Code-Based Workflows' (which the skills table shows with 'You have: Git')."""
    words = [name for skill in skills for name in evidence.get(skill, [skill])]
    return list(dict.fromkeys(words))


def _transferable(
    profile: Profile, template: TransitionTemplate, w: _Words
) -> g.TransferableSection:
    _ = w._
    items = [
        g.TransferableSkillItem(name=skill.name, why=skill.why, evidence=_evidence(profile, skill))
        for skill in template.transferable_skills
    ]
    # Stable sort: evidenced skills first, each group in the template's order.
    items.sort(key=lambda item: not item.evidenced)
    evidenced = sum(item.evidenced for item in items)
    values = {"first": profile.first_name, "count": evidenced, "total": len(items)}
    if evidenced == len(items):
        lead = _(
            "Good news, {first}: all {total} of these skills already show in your "
            "profile. You start this move well ahead."
        )
    elif evidenced:
        lead = w.n_(
            "Good news, {first}: {count} of these {total} skills already shows in "
            "your profile, so it comes first. The others carry over from work like yours; "
            "add them to your profile and CV if you have them.",
            "Good news, {first}: {count} of these {total} skills already show in "
            "your profile, so they come first. The others carry over from work like yours; "
            "add them to your profile and CV if you have them.",
            evidenced,
        )
    else:
        lead = _(
            "{first}, these skills carry over from work like yours. None of them is on your "
            "profile yet: if you have them, add them to your CV. They are your head start."
        )
    return g.TransferableSection(
        heading=_("Your Transferable Skills"), lead=lead.format(**values), items=items
    )


def _learning(profile: Profile, template: TransitionTemplate, w: _Words) -> g.LearningSection:
    _ = w._
    ordered = sorted(template.skills_to_learn, key=lambda skill: skill.priority)
    gaps, covered = [], []
    for skill in ordered:
        coverage = _coverage(profile, skill)
        (covered if coverage else gaps).append((skill, coverage))
    items = []
    for rank, (skill, _unused) in enumerate(gaps, start=1):
        items.append(_learning_item(skill, rank, [], w.language))
    for skill, coverage in covered:
        items.append(_learning_item(skill, None, coverage, w.language))
    covered_note = None
    if covered:
        covered_note = w.n_(
            "Your profile shows you already have {names}. It is listed last, marked as "
            "covered and not counted as a gap, and your roadmap skips the tasks that teach "
            "it (or keeps a short refresher): spend your hours on the ranked skills.",
            "Your profile shows you already have {names}. They are listed last, marked as "
            "covered and not counted as gaps, and your roadmap skips the tasks that teach "
            "them (or keeps a short refresher): spend your hours on the ranked skills.",
            len(covered),
        ).format(names=w.join([skill.name for skill, _unused in covered]))
    lead = w.n_(
        "Here is what to learn, most important first: {count} skill to build for your "
        "move to {target_role}.",
        "Here is what to learn, most important first: {count} skills to build for your "
        "move to {target_role}.",
        len(gaps),
    ).format(count=len(gaps), target_role=profile.target_role)
    return g.LearningSection(
        heading=_("Skills You'll Need to Learn"), lead=lead, items=items, covered_note=covered_note
    )


def _learning_item(
    skill: SkillToLearn, rank: int | None, coverage: list[str], language: str
) -> g.LearningItem:
    return g.LearningItem(
        rank=rank,
        name=skill.name,
        how=skill.how,
        covered_by=coverage,
        resources=[
            g.ResourceItem(
                title=resource.title,
                provider=resource.provider,
                kind=resource.kind,
                url=str(resource.url) if resource.url else None,
                # Said only when it is not the guide's: "in English" in a Spanish guide.
                language=resource.language if resource.language != language else None,
            )
            for resource in skill.resources
        ],
    )


def placeholder_values(
    profile: Profile, template: TransitionTemplate, *, today: dt.date, language: str = "en"
) -> dict[str, Any]:
    """What each placeholder of `template`'s text says for `profile`, as `build_guide`
    fills them (for tools and tests that fill template text on their own)."""
    return _placeholder_values(profile, plan_for(profile, template, today=today), _Words(language))


def _placeholder_values(profile: Profile, plan: Schedule, w: _Words) -> dict[str, Any]:
    """What each placeholder says for this person, in the guide's language."""
    return {
        "first_name": profile.first_name,
        "name": profile.name,
        "current_role": profile.current_role,
        "target_role": profile.target_role,
        "location": profile.location or "",
        "hours_per_week": w.number(plan.paces[0].hours_per_week),
        "pace": _pace_text(plan, w),
        "years_experience": w.number(profile.years_experience),
        "plan_duration": _duration(plan.weeks, plan.months, w),
        "total_weeks": plan.weeks,
        "start_date": w.date(plan.start),
        "end_date": w.date(plan.end),
        "end_month": w.month(plan.end),
        "phases": [_PhaseFacts(phase, w) for phase in plan.phases],
    }


class _PhaseFacts:
    """A phase as the placeholders see it ({{ phases[-1].start_month }}).

    Each fact is written out only when a template asks for it: dates in the guide's
    locale cost more than the rest of planning.
    """

    def __init__(self, phase: ScheduledPhase, w: _Words):
        self._phase, self._w = phase, w
        self.name = phase.name
        self.weeks = phase.weeks

    @property
    def start(self) -> str:
        return self._w.date(self._phase.start)

    @property
    def end(self) -> str:
        return self._w.date(self._phase.end)

    @property
    def span(self) -> str:
        return self._w.span(self._phase.start, self._phase.end)

    @property
    def start_month(self) -> str:
        return self._w.month(self._phase.start)

    @property
    def end_month(self) -> str:
        return self._w.month(self._phase.end)


def _pace_text(plan: Schedule, w: _Words) -> str:
    """'10 hours a week', or '10 hours a week, then 20 from Jun 1, 2027'."""
    text = w._("{hours} hours a week").format(hours=w.number(plan.paces[0].hours_per_week))
    changes = [
        w._("{hours} from {date}").format(
            hours=w.number(change.hours_per_week), date=w.date(change.start)
        )
        for change in plan.paces[1:]
    ]
    if changes:
        text = w._("{pace}, then {changes}").format(pace=text, changes=w.join(changes))
    return text


def _duration(weeks: int, months: int, w: _Words) -> str:
    # Short plans read better in weeks, long ones in months: the headline's rule.
    if weeks < 12:
        return w.n_("{count} week", "{count} weeks", weeks).format(count=weeks)
    return w.n_("{count} month", "{count} months", months).format(count=months)


def _task(
    item: ScheduledItem, text: str, evidence: dict[str, list[str]], w: _Words
) -> g.PlannedTask:
    note = None
    if item.refreshes:
        note = w._("Refresher: you already have {skills}, so it is cut to {hours} hours").format(
            skills=w.join(_in_their_words(item.refreshes, evidence)), hours=w.number(item.hours)
        )
    return g.PlannedTask(
        key=item.key,
        text=text,
        hours=item.hours,
        start=item.start,
        due=item.due,
        first_step=item.first_step,
        note=note,
    )


def _skipped(
    item: SkippedItem, text: str, evidence: dict[str, list[str]], w: _Words
) -> g.SkippedTask:
    note = w._("Skipped — you already have {skills}").format(
        skills=w.join(_in_their_words(item.skills, evidence))
    )
    return g.SkippedTask(key=item.key, text=text, note=note)


def _texts(template: TransitionTemplate) -> dict[str, str]:
    """Each first step's and task's text (placeholders filled) by its schedule key."""
    texts = {f"first-step-{i + 1}": step.step for i, step in enumerate(template.first_steps)}
    for p, phase in enumerate(template.roadmap):
        for t, task in enumerate(phase.tasks):
            texts[f"phase-{p + 1}-task-{t + 1}"] = task.task
    return texts


def _break(pause: Pause) -> g.BreakPeriod:
    return g.BreakPeriod(label=pause.label, start=pause.start, end=pause.end)


def _breaks_text(breaks: list[g.BreakPeriod], w: _Words) -> str:
    """'Summer, Jul 1 – Aug 31, 2027; Dec 20, 2027 – Jan 2, 2028'."""
    return "; ".join(
        f"{item.label}, {w.span(item.start, item.end)}"
        if item.label
        else w.span(item.start, item.end)
        for item in breaks
    )


def _roadmap(
    template: TransitionTemplate, plan: Schedule, evidence: dict[str, list[str]], w: _Words
) -> g.Roadmap:
    _ = w._
    texts = _texts(template)
    breaks = [_break(pause) for pause in plan.breaks]
    phases = [
        g.DatedPhase(
            number=phase.number,
            key=phase.key,
            name=template.roadmap[phase.index].name,
            weeks=phase.weeks,
            start=phase.start,
            end=phase.end,
            items=[_task(item, texts[item.key], evidence, w) for item in phase.items],
            skipped=[_skipped(item, texts[item.key], evidence, w) for item in phase.skipped],
            breaks=[item for item in breaks if phase.start <= item.start <= phase.end],
        )
        for phase in plan.phases
    ]
    left_out = [
        g.LeftOutPhase(
            key=f"phase-{dropped.index + 1}",
            name=template.roadmap[dropped.index].name,
            note=_("“{phase}” is left out: you already have {skills}.").format(
                phase=template.roadmap[dropped.index].name,
                skills=w.join(_in_their_words(dropped.skills, evidence)),
            ),
            skipped=[_skipped(item, texts[item.key], evidence, w) for item in dropped.skipped],
        )
        for dropped in plan.dropped
    ]
    return g.Roadmap(
        heading=_("Your Learning Roadmap"),
        lead=_("Work through these phases in order; each one builds on the last."),
        phases=phases,
        start=plan.start,
        end=plan.end,
        total_weeks=plan.weeks,
        months=plan.months,
        pace_note=_pace_note(template, plan, breaks, w),
        chart_alt_text=_chart_alt_text(phases, breaks, plan, w),
        breaks=breaks,
        left_out=left_out,
    )


def _pace_note(
    template: TransitionTemplate, plan: Schedule, breaks: list[g.BreakPeriod], w: _Words
) -> str:
    _ = w._
    hours = plan.paces[0].hours_per_week
    baseline = template.baseline_hours_per_week
    values = {
        "hours": w.number(hours),
        "pace": _pace_text(plan, w),
        "weeks": plan.weeks,
        "span": w.span(plan.start, plan.end),
    }
    # The template's own pace is never stated: it is not this person's. Their pace is
    # compared with it only when it holds for the whole plan: with a change of pace, part
    # of the plan may go faster than usual and part slower, and the pace is said with its
    # changes, as {{ pace }} says it.
    if len(plan.paces) > 1:
        pace = _("Paced for your {pace}: {weeks} weeks in all, {span}.")
    elif hours == baseline:
        pace = _("Paced for {hours} hours a week: {weeks} weeks in all, {span}.")
    elif hours > baseline:
        pace = _(
            "Paced for your {hours} hours a week, more than this plan usually gets, so you "
            "move through it faster than usual: {weeks} weeks in all, {span}."
        )
    else:
        pace = _(
            "Paced for your {hours} hours a week, less than this plan usually gets, so you "
            "move through it more slowly than usual: {weeks} weeks in all, {span}."
        )
    sentences = [pace.format(**values)]
    if plan.start != plan.requested_start:
        sentences.append(
            _("It starts on {start}, the first day after your break.").format(
                start=w.date(plan.start)
            )
        )
    if breaks:
        sentences.append(
            w.n_(
                "Nothing is planned during your break ({breaks}).",
                "Nothing is planned during your breaks ({breaks}).",
                len(breaks),
            ).format(breaks=_breaks_text(breaks, w))
        )
    skipped = len(plan.skipped)
    if skipped:
        sentences.append(
            w.n_(
                "{count} task is skipped because you already have what it teaches.",
                "{count} tasks are skipped because you already have what they teach.",
                skipped,
            ).format(count=skipped)
        )
    return " ".join(sentences)


def _chart_alt_text(
    phases: list[g.DatedPhase], breaks: list[g.BreakPeriod], plan: Schedule, w: _Words
) -> str:
    phase_list = "; ".join(
        f"{phase.number}. {phase.name}, {w.span(phase.start, phase.end)}" for phase in phases
    )
    text = w._("Timeline of your {count} roadmap phases, {weeks} weeks in all: {phases}.").format(
        count=len(phases), weeks=plan.weeks, phases=phase_list
    )
    if breaks:
        text += " " + w._("Breaks: {breaks}.").format(breaks=_breaks_text(breaks, w))
    return text


def _duration_title(roadmap: g.Roadmap, w: _Words) -> str:
    # Short plans read better in weeks ("Your 10-Week ..."), long ones in months:
    # the same rule as {{ plan_duration }}.
    if roadmap.total_weeks < 12:
        return w._("Your {weeks}-Week Transition Guide").format(weeks=roadmap.total_weeks)
    return w._("Your {months}-Month Transition Guide").format(months=roadmap.months)


def _overview(
    profile: Profile,
    template: TransitionTemplate,
    roadmap: g.Roadmap,
    plan: Schedule,
    transferable: g.TransferableSection,
    learning: g.LearningSection,
    w: _Words,
) -> g.Overview:
    _ = w._
    values = {
        "first": profile.first_name,
        "current_role": profile.current_role,
        "target_role": profile.target_role,
        "hours": w.number(plan.paces[0].hours_per_week),
        "pace": _pace_text(plan, w),
        "weeks": roadmap.total_weeks,
        "start": w.date(roadmap.start),
        "end": w.date(roadmap.end),
    }
    if profile.years_experience:
        years = w.number(profile.years_experience)
        intro = w.n_(
            "{first}, this guide maps your move from {current_role} with {years} year of "
            "experience to {target_role}. At {pace}, your plan takes {weeks} weeks, from "
            "{start} to {end}.",
            "{first}, this guide maps your move from {current_role} with {years} years of "
            "experience to {target_role}. At {pace}, your plan takes {weeks} weeks, from "
            "{start} to {end}.",
            fmt.plural_count(profile.years_experience, w.locale),
        ).format(years=years, **values)
    else:
        intro = _(
            "{first}, this guide maps your move from {current_role} to {target_role}. At "
            "{pace}, your plan takes {weeks} weeks, from {start} to {end}."
        ).format(**values)
    evidenced = sum(item.evidenced for item in transferable.items)
    gaps = sum(not item.covered for item in learning.items)
    effort = _("{hours} hours").format(**values)
    # The same pace, in the words of the glance box: '10 hours; 20 from Jun 1, 2027'.
    for change in plan.paces[1:]:
        effort += "; " + _("{hours} from {date}").format(
            hours=w.number(change.hours_per_week), date=w.date(change.start)
        )
    facts = [
        g.Fact(label=_("From"), value=profile.current_role),
        g.Fact(label=_("To"), value=profile.target_role),
        g.Fact(label=_("Weekly effort"), value=effort),
        g.Fact(
            label=_("Plan"),
            value=_("{weeks} weeks, {span}").format(
                weeks=roadmap.total_weeks, span=w.span(roadmap.start, roadmap.end)
            ),
        ),
        g.Fact(
            label=_("Transferable skills"),
            value=_("{count} of {total} on your profile").format(
                count=evidenced, total=len(transferable.items)
            ),
        ),
        g.Fact(label=_("Skills to learn"), value=str(gaps)),
    ]
    if roadmap.breaks:
        facts.insert(-2, g.Fact(label=_("Breaks"), value=_breaks_text(roadmap.breaks, w)))
    if profile.location:
        facts.insert(2, g.Fact(label=_("Location"), value=profile.location))
    return g.Overview(
        heading=_("Overview"),
        intro=intro,
        paragraphs=_paragraphs(template.overview),
        at_a_glance=facts,
    )


def _coach_notes(profile: Profile, prepared_by: str | None, w: _Words) -> g.CoachNotes | None:
    if not profile.notes:
        return None
    if prepared_by:
        heading = w._("Notes from {name}").format(name=prepared_by)
    else:
        heading = w._("Notes from Your Coach")
    return g.CoachNotes(heading=heading, paragraphs=_paragraphs(profile.notes))


def _action_plan(
    profile: Profile, template: TransitionTemplate, plan: Schedule, w: _Words
) -> g.ActionPlanSection:
    _ = w._
    headings = {
        "this_week": _("This Week"),
        "this_month": _("This Month"),
        "next_90_days": _("Next 90 Days"),
    }
    texts = _texts(template)
    lists = []
    for window in plan.windows:
        items = [
            g.ActionItem(
                text=texts[entry.item.key],
                due=entry.item.due,
                key=entry.item.key,
                phase=entry.phase,
                in_progress=entry.in_progress,
            )
            for entry in window.items
        ]
        note = None
        if window.breaks:
            breaks = _breaks_text([_break(pause) for pause in window.breaks], w)
            if window.on_break:
                note = _("Nothing to do: you are on your break ({breaks}).").format(breaks=breaks)
            else:
                note = _("No study is planned during your break ({breaks}).").format(breaks=breaks)
        lists.append(
            g.ActionList(
                key=window.key,
                heading=headings[window.key],
                start=window.start,
                due=window.end,
                items=items,
                note=note,
            )
        )
    return g.ActionPlanSection(
        heading=_("Start Your Journey Now"),
        lead=_(
            "Don't wait, {first}. Here is your action plan from {start}: tick each item off "
            "as you go."
        ).format(first=profile.first_name, start=w.date(plan.start)),
        lists=lists,
    )


def _faq(profile: Profile, template: TransitionTemplate, w: _Words) -> g.FAQSection:
    _ = w._
    salary = template.salary
    answer = _(
        "Salaries for {to_role} roles range from {low} to {high} ({market}), depending on "
        "{varies_with}. Coming from your {current_role} role, you can expect to start around "
        "{start_low}–{start_high}."
    ).format(
        to_role=template.to_role.name,
        low=w.money(salary.range.min, salary.currency),
        high=w.money(salary.range.max, salary.currency),
        market=salary.market,
        varies_with=salary.varies_with or _("location, experience and company"),
        current_role=profile.current_role,
        start_low=w.money(salary.typical_start.min, salary.currency),
        start_high=w.money(salary.typical_start.max, salary.currency),
    )
    if profile.location:
        answer += " " + _where_you_are(profile, template, w)
    question = _("What can I expect to earn after the move to {target_role}?").format(
        target_role=profile.target_role
    )
    entries = [g.FAQEntry(question=question, answer=answer)]
    entries += [g.FAQEntry(question=q.question, answer=q.answer) for q in template.faq]
    return g.FAQSection(heading=_("Frequently Asked Questions"), entries=entries)


def _where_you_are(profile: Profile, template: TransitionTemplate, w: _Words) -> str:
    """Whether the salary figures describe the person's own market, said plainly."""
    _ = w._
    location = profile.location or ""
    countries = template.salary.countries
    country = market.country_of(location, w.language) if countries else None
    if country is None:
        return _(
            "You are based in {location}: compare these figures with local job listings, "
            "as pay varies by place."
        ).format(location=location)
    if country in countries:
        return _(
            "You are based in {location}, inside the market these figures describe; pay "
            "still varies from city to city, so compare them with local job listings."
        ).format(location=location)
    return _(
        "These figures describe one market ({market}). You are based in {location}, outside "
        "that market, "
        "where pay for this role can be very different: take them only as a rough guide, and "
        "look up what {target_role} roles pay where you live."
    ).format(
        market=w.join([fmt.country(code, w.locale) for code in countries]),
        location=location,
        target_role=profile.target_role,
    )


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each folded onto one line."""
    return [
        " ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip()) if block.strip()
    ]
