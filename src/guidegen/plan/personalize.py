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
  ({{ first_name }}, {{ target_role }}...), filled in a sandbox;
- the guide's own words are in the guide's language (gettext catalogs, see
  `guidegen.language.catalogs`), and so are its dates, numbers and money, the
  brand's words, and a note on each resource in another language;
- the salary answer says plainly whether the person's location lies in the
  market its figures describe.

`build_guide` reads no clock, file or environment: "today" is an argument.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from guidegen.language import formatting as fmt
from guidegen.language.catalogs import locale_of, translations
from guidegen.models import guide as g
from guidegen.models.brand import DEFAULT_BRAND, Brand
from guidegen.models.profile import Profile
from guidegen.models.template import SkillToLearn, TransferableSkill, TransitionTemplate
from guidegen.plan import market, placeholders

# The due date of each action list, counted in days from the start date
# (the list is due at the end of its last day).
ACTION_WINDOWS = {"this_week": 7, "this_month": 30, "next_90_days": 90}


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

    def join(self, names: list[str]) -> str:
        """['a'] -> 'a'; ['a', 'b', 'c'] -> 'a, b and c'."""
        if len(names) == 1:
            return names[0]
        return self._("{items} and {last}").format(items=", ".join(names[:-1]), last=names[-1])


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
    template = placeholders.fill(template, profile)
    start = profile.start_date_or_default(today)
    roadmap = _roadmap(profile, template, start, w)
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
        overview=_overview(profile, template, roadmap, transferable, learning, w),
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
        action_plan=_action_plan(profile, template, start, w),
        faq=_faq(profile, template, w),
        call_to_action=_call_to_action(template, brand),
        footer=brand.footer,
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
            "covered and not counted as a gap: skim the resources to refresh, and spend "
            "your hours on the ranked skills.",
            "Your profile shows you already have {names}. They are listed last, marked as "
            "covered and not counted as a gap: skim the resources to refresh, and spend "
            "your hours on the ranked skills.",
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


def _roadmap(
    profile: Profile, template: TransitionTemplate, start: dt.date, w: _Words
) -> g.Roadmap:
    _ = w._
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
    values = {
        "hours": w.number(profile.hours_per_week),
        "baseline": w.number(template.baseline_hours_per_week),
        "weeks": total_weeks,
        "span": w.span(start, end),
    }
    if profile.hours_per_week == template.baseline_hours_per_week:
        pace = _("Paced for {hours} hours a week: {weeks} weeks in all, {span}.")
    elif profile.hours_per_week > template.baseline_hours_per_week:
        pace = _(
            "Paced for your {hours} hours a week (the plan is written for {baseline}), "
            "so each phase is shorter than usual: {weeks} weeks in all, {span}."
        )
    else:
        pace = _(
            "Paced for your {hours} hours a week (the plan is written for {baseline}), "
            "so each phase is longer than usual: {weeks} weeks in all, {span}."
        )
    phase_list = "; ".join(
        f"{phase.number}. {phase.name}, {w.span(phase.start, phase.end)}" for phase in phases
    )
    alt_text = _("Timeline of your {count} roadmap phases, {weeks} weeks in all: {phases}.")
    return g.Roadmap(
        heading=_("Your Learning Roadmap"),
        lead=_("Work through these phases in order; each one builds on the last."),
        phases=phases,
        start=start,
        end=end,
        total_weeks=total_weeks,
        months=months_spanned(start, end),
        pace_note=pace.format(**values),
        chart_alt_text=alt_text.format(count=len(phases), weeks=total_weeks, phases=phase_list),
    )


def _duration_title(roadmap: g.Roadmap, w: _Words) -> str:
    # Short plans read better in weeks ("Your 10-Week ..."), long ones in months.
    if roadmap.total_weeks < 12:
        return w._("Your {weeks}-Week Transition Guide").format(weeks=roadmap.total_weeks)
    return w._("Your {months}-Month Transition Guide").format(months=roadmap.months)


def _overview(
    profile: Profile,
    template: TransitionTemplate,
    roadmap: g.Roadmap,
    transferable: g.TransferableSection,
    learning: g.LearningSection,
    w: _Words,
) -> g.Overview:
    _ = w._
    values = {
        "first": profile.first_name,
        "current_role": profile.current_role,
        "target_role": profile.target_role,
        "hours": w.number(profile.hours_per_week),
        "weeks": roadmap.total_weeks,
        "start": w.date(roadmap.start),
        "end": w.date(roadmap.end),
    }
    if profile.years_experience:
        years = w.number(profile.years_experience)
        intro = w.n_(
            "{first}, this guide maps your move from {current_role} with {years} year of "
            "experience to {target_role}. At {hours} hours a week, your plan takes {weeks} "
            "weeks, from {start} to {end}.",
            "{first}, this guide maps your move from {current_role} with {years} years of "
            "experience to {target_role}. At {hours} hours a week, your plan takes {weeks} "
            "weeks, from {start} to {end}.",
            1 if profile.years_experience == 1 else 2,
        ).format(years=years, **values)
    else:
        intro = _(
            "{first}, this guide maps your move from {current_role} to {target_role}. At "
            "{hours} hours a week, your plan takes {weeks} weeks, from {start} to {end}."
        ).format(**values)
    evidenced = sum(item.evidenced for item in transferable.items)
    gaps = sum(not item.covered for item in learning.items)
    facts = [
        g.Fact(label=_("From"), value=profile.current_role),
        g.Fact(label=_("To"), value=profile.target_role),
        g.Fact(label=_("Weekly effort"), value=_("{hours} hours").format(**values)),
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
    profile: Profile, template: TransitionTemplate, start: dt.date, w: _Words
) -> g.ActionPlanSection:
    _ = w._
    headings = {
        "this_week": _("This Week"),
        "this_month": _("This Month"),
        "next_90_days": _("Next 90 Days"),
    }
    lists = []
    for key, days in ACTION_WINDOWS.items():
        due = start + dt.timedelta(days=days - 1)
        items = [g.ActionItem(text=text, due=due) for text in getattr(template.action_plan, key)]
        lists.append(g.ActionList(key=key, heading=headings[key], due=due, items=items))
    return g.ActionPlanSection(
        heading=_("Start Your Journey Now"),
        lead=_(
            "Don't wait, {first}. Here is your action plan from {start}: tick each item off "
            "as you go."
        ).format(first=profile.first_name, start=w.date(start)),
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
