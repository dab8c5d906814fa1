"""Personalization: profile + transition template -> Guide, as one pure function.

Every rule that makes a guide someone's own lives here, and nowhere else:

- the candidate's name and roles are used throughout;
- transferable skills the profile evidences come first, and say so;
- skills to learn that the profile already covers are not presented as gaps:
  they move below the real gaps, lose their rank and are marked as covered;
- phase lengths scale with hours_per_week against the template's baseline,
  and each phase is dated from the start date; the headline duration is
  derived from those dates, so the guide never contradicts itself;
- action-plan items carry due dates (this week, this month, the 90 days);
- the coach's notes get their own section when there are any;
- the brand signs the guide (coach and practice) and may replace the
  template's call to action with its own, with its contact details;
- the template's text may name the candidate through placeholders
  ({{ first_name }}, {{ target_role }}...), filled in a sandbox.

`build_guide` reads no clock, file or environment: "today" is an argument.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from guidegen import formatting as fmt
from guidegen import placeholders
from guidegen.models import guide as g
from guidegen.models.brand import DEFAULT_BRAND, Brand
from guidegen.models.profile import Profile
from guidegen.models.template import SkillToLearn, TransferableSkill, TransitionTemplate

LANGUAGE = "en"

# The due date of each action list, counted in days from the start date
# (the list is due at the end of its last day).
ACTION_WINDOWS = {
    "this_week": ("This Week", 7),
    "this_month": ("This Month", 30),
    "next_90_days": ("Next 90 Days", 90),
}


def build_guide(
    profile: Profile,
    template: TransitionTemplate,
    *,
    today: dt.date,
    prepared_by: str | None = None,
    brand: Brand = DEFAULT_BRAND,
) -> g.Guide:
    """The personalized Guide for `profile` following `template`, signed by `brand`.

    `today` is the date the guide is prepared on; it also sets the default start
    (the Monday after it) when the profile gives none. `prepared_by` names who
    prepared it, overriding the brand's coach and name.
    """
    prepared_by = prepared_by or brand.signature
    template = placeholders.fill(template, profile)
    start = profile.start_date_or_default(today)
    roadmap = _roadmap(profile, template, start)
    candidate = g.Candidate(
        name=profile.name,
        first_name=profile.first_name,
        current_role=profile.current_role,
        target_role=profile.target_role,
        email=profile.email,
        location=profile.location,
    )
    transferable = _transferable(profile, template)
    learning = _learning(profile, template)
    return g.Guide(
        template_id=template.id,
        language=LANGUAGE,
        title=f"From {profile.current_role} to {profile.target_role}",
        subtitle=f"Your {_duration_phrase(roadmap)} Transition Guide",
        candidate=candidate,
        prepared_by=prepared_by,
        prepared_on=today,
        overview=_overview(profile, template, roadmap, transferable, learning),
        coach_notes=_coach_notes(profile, prepared_by),
        transferable=transferable,
        learning=learning,
        roadmap=roadmap,
        reality_check=g.RealityCheckSection(
            heading="Reality Check",
            lead="Before you commit, here is an honest look at what to expect.",
            love_heading="What You'll Love",
            miss_heading="What You Might Miss",
            challenges_heading="Biggest Challenges",
            love=template.reality_check.love,
            miss=template.reality_check.miss,
            challenges=template.reality_check.challenges,
        ),
        action_plan=_action_plan(profile, template, start),
        faq=_faq(profile, template),
        call_to_action=_call_to_action(template, brand),
    )


def _call_to_action(template: TransitionTemplate, brand: Brand) -> g.CallToAction:
    action = brand.call_to_action or template.call_to_action
    return g.CallToAction(
        heading=action.heading,
        text=action.text,
        url=str(action.url) if action.url else None,
        contact=brand.contact.lines(),
    )


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


def _transferable(profile: Profile, template: TransitionTemplate) -> g.TransferableSection:
    items = [
        g.TransferableSkillItem(name=skill.name, why=skill.why, evidence=_evidence(profile, skill))
        for skill in template.transferable_skills
    ]
    # Stable sort: evidenced skills first, each group in the template's order.
    items.sort(key=lambda item: not item.evidenced)
    evidenced = sum(item.evidenced for item in items)
    first = profile.first_name
    if evidenced == len(items):
        lead = (
            f"Good news, {first}: all {len(items)} of these skills already show in your "
            "profile. You start this move well ahead."
        )
    elif evidenced:
        lead = (
            f"Good news, {first}: {evidenced} of these {len(items)} skills already show in "
            "your profile, so they come first. The others carry over from work like yours; "
            "add them to your profile and CV if you have them."
        )
    else:
        lead = (
            f"{first}, these skills carry over from work like yours. None of them is on your "
            "profile yet: if you have them, add them to your CV. They are your head start."
        )
    return g.TransferableSection(heading="Your Transferable Skills", lead=lead, items=items)


def _learning(profile: Profile, template: TransitionTemplate) -> g.LearningSection:
    ordered = sorted(template.skills_to_learn, key=lambda skill: skill.priority)
    gaps, covered = [], []
    for skill in ordered:
        coverage = _coverage(profile, skill)
        (covered if coverage else gaps).append((skill, coverage))
    items = []
    for rank, (skill, _) in enumerate(gaps, start=1):
        items.append(_learning_item(skill, rank, []))
    for skill, coverage in covered:
        items.append(_learning_item(skill, None, coverage))
    covered_note = None
    if covered:
        names = _join([skill.name for skill, _ in covered])
        covered_note = (
            f"Your profile shows you already have {names}. "
            f"{'It is' if len(covered) == 1 else 'They are'} listed last, marked as covered "
            "and not counted as a gap: skim the resources to refresh, and spend your hours "
            "on the ranked skills."
        )
    lead = (
        f"Here is what to learn, most important first: {len(gaps)} "
        f"skill{'s' if len(gaps) != 1 else ''} to build for your move to {profile.target_role}."
    )
    return g.LearningSection(
        heading="Skills You'll Need to Learn", lead=lead, items=items, covered_note=covered_note
    )


def _learning_item(skill: SkillToLearn, rank: int | None, coverage: list[str]) -> g.LearningItem:
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
            )
            for resource in skill.resources
        ],
    )


def scaled_weeks(weeks: int, baseline_hours: float, hours_per_week: float) -> int:
    """A phase's length at the candidate's pace: same total hours, whole weeks, at least 1.

    Rounded up, so a plan never promises more than the hours allow.
    """
    exact = weeks * baseline_hours / hours_per_week
    # round() first: 8 * 10 / 12 * 12 / 10 must not become 8.000000001 -> 9.
    return max(1, math.ceil(round(exact, 6)))


def months_spanned(start: dt.date, end: dt.date) -> int:
    """Calendar months needed to hold the days start..end (inclusive), partial counting as one."""
    finish = end + dt.timedelta(days=1)
    months = (finish.year - start.year) * 12 + (finish.month - start.month)
    if finish.day > start.day:
        months += 1
    return max(1, months)


def _roadmap(profile: Profile, template: TransitionTemplate, start: dt.date) -> g.Roadmap:
    phases = []
    phase_start = start
    for number, phase in enumerate(template.roadmap, start=1):
        weeks = scaled_weeks(phase.weeks, template.baseline_hours_per_week, profile.hours_per_week)
        phase_end = phase_start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
        phases.append(
            g.DatedPhase(
                number=number,
                name=phase.name,
                weeks=weeks,
                start=phase_start,
                end=phase_end,
                tasks=phase.tasks,
            )
        )
        phase_start = phase_end + dt.timedelta(days=1)
    end = phases[-1].end
    total_weeks = sum(phase.weeks for phase in phases)
    hours = fmt.number(profile.hours_per_week)
    baseline = fmt.number(template.baseline_hours_per_week)
    span = fmt.date_range(start, end)
    if profile.hours_per_week == template.baseline_hours_per_week:
        pace = f"Paced for {hours} hours a week: {total_weeks} weeks in all, {span}."
    else:
        faster = profile.hours_per_week > template.baseline_hours_per_week
        pace = (
            f"Paced for your {hours} hours a week (the plan is written for {baseline}), "
            f"so each phase is {'shorter' if faster else 'longer'} than usual: "
            f"{total_weeks} weeks in all, {span}."
        )
    alt_text = (
        f"Timeline of your {len(phases)} roadmap phases, {total_weeks} weeks in all: "
        + "; ".join(
            f"{phase.number}. {phase.name}, {fmt.date_range(phase.start, phase.end)}"
            for phase in phases
        )
        + "."
    )
    return g.Roadmap(
        heading="Your Learning Roadmap",
        lead="Work through these phases in order; each one builds on the last.",
        phases=phases,
        start=start,
        end=end,
        total_weeks=total_weeks,
        months=months_spanned(start, end),
        pace_note=pace,
        chart_alt_text=alt_text,
    )


def _duration_phrase(roadmap: g.Roadmap) -> str:
    # Short plans read better in weeks ("Your 10-Week ..."), long ones in months.
    if roadmap.total_weeks < 12:
        return f"{roadmap.total_weeks}-Week"
    return f"{roadmap.months}-Month"


def _overview(
    profile: Profile,
    template: TransitionTemplate,
    roadmap: g.Roadmap,
    transferable: g.TransferableSection,
    learning: g.LearningSection,
) -> g.Overview:
    first = profile.first_name
    experience = ""
    if profile.years_experience:
        years = fmt.number(profile.years_experience)
        experience = f" with {years} year{'s' if years != '1' else ''} of experience"
    intro = (
        f"{first}, this guide maps your move from {profile.current_role}{experience} to "
        f"{profile.target_role}. At {fmt.number(profile.hours_per_week)} hours a week, your "
        f"plan takes {roadmap.total_weeks} weeks, from {fmt.date(roadmap.start)} to "
        f"{fmt.date(roadmap.end)}."
    )
    evidenced = sum(item.evidenced for item in transferable.items)
    gaps = sum(not item.covered for item in learning.items)
    facts = [
        g.Fact(label="From", value=profile.current_role),
        g.Fact(label="To", value=profile.target_role),
        g.Fact(label="Weekly effort", value=f"{fmt.number(profile.hours_per_week)} hours"),
        g.Fact(
            label="Plan",
            value=f"{roadmap.total_weeks} weeks, {fmt.date_range(roadmap.start, roadmap.end)}",
        ),
        g.Fact(
            label="Transferable skills",
            value=f"{evidenced} of {len(transferable.items)} on your profile",
        ),
        g.Fact(label="Skills to learn", value=str(gaps)),
    ]
    if profile.location:
        facts.insert(2, g.Fact(label="Location", value=profile.location))
    return g.Overview(
        heading="Overview",
        intro=intro,
        paragraphs=_paragraphs(template.overview),
        at_a_glance=facts,
    )


def _coach_notes(profile: Profile, prepared_by: str | None) -> g.CoachNotes | None:
    if not profile.notes:
        return None
    heading = f"Notes from {prepared_by}" if prepared_by else "Notes from Your Coach"
    return g.CoachNotes(heading=heading, paragraphs=_paragraphs(profile.notes))


def _action_plan(
    profile: Profile, template: TransitionTemplate, start: dt.date
) -> g.ActionPlanSection:
    lists = []
    for key, (heading, days) in ACTION_WINDOWS.items():
        due = start + dt.timedelta(days=days - 1)
        items = [g.ActionItem(text=text, due=due) for text in getattr(template.action_plan, key)]
        lists.append(g.ActionList(key=key, heading=heading, due=due, items=items))
    return g.ActionPlanSection(
        heading="Start Your Journey Now",
        lead=(
            f"Don't wait, {profile.first_name}. Here is your action plan from "
            f"{fmt.date(start)}: tick each item off as you go."
        ),
        lists=lists,
    )


def _faq(profile: Profile, template: TransitionTemplate) -> g.FAQSection:
    salary = template.salary

    def money(amount: int) -> str:
        return fmt.money(amount, salary.currency)

    answer = (
        f"Salaries for {template.to_role.name} roles range from {money(salary.range.min)} to "
        f"{money(salary.range.max)} ({salary.market}), depending on {salary.varies_with}. "
        f"Coming from your {profile.current_role} role, you can expect to start around "
        f"{money(salary.typical_start.min)}–{money(salary.typical_start.max)}."
    )
    if profile.location:
        answer += (
            f" You are based in {profile.location}: compare these figures with local "
            "job listings, as pay varies by place."
        )
    entries = [
        g.FAQEntry(
            question=f"What can I expect to earn after the move to {profile.target_role}?",
            answer=answer,
        )
    ]
    entries += [g.FAQEntry(question=q.question, answer=q.answer) for q in template.faq]
    return g.FAQSection(heading="Frequently Asked Questions", entries=entries)


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each folded onto one line."""
    return [
        " ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip()) if block.strip()
    ]


def _join(names: list[str]) -> str:
    """['a'] -> 'a'; ['a', 'b', 'c'] -> 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
