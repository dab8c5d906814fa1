"""Personalization, rule by rule: profile + template -> Guide."""

from __future__ import annotations

import datetime as dt

import pytest

from guidegen.plan.personalize import build_guide
from tests.conftest import TODAY


def guide_for(profile, template, **kwargs):
    return build_guide(profile, template, today=TODAY, **kwargs)


# --- the candidate's name and roles throughout ---------------------------------------


def test_name_and_roles_appear_throughout(make_profile, flagship):
    profile = make_profile(
        name="Priya Natarajan", current_role="Platform Engineer", target_role="AI Architect"
    )
    guide = guide_for(profile, flagship)
    assert guide.title == "From Platform Engineer to AI Architect"
    assert guide.candidate.name == "Priya Natarajan"
    assert guide.overview.intro.startswith("Priya, ")
    assert "Platform Engineer" in guide.overview.intro and "AI Architect" in guide.overview.intro
    assert "Priya" in guide.transferable.lead
    assert "Priya" in guide.action_plan.lead
    assert "AI Architect" in guide.learning.lead
    salary = guide.faq.entries[0]
    assert "AI Architect" in salary.question and "Platform Engineer" in salary.answer


# --- transferable skills the profile evidences come first, and say so ----------------


def test_evidenced_transferable_skills_come_first_and_name_the_evidence(make_profile, flagship):
    profile = make_profile(skills=["PostgreSQL", "Jenkins", "Cooking"])
    items = guide_for(profile, flagship).transferable.items
    assert [item.name for item in items[:2]] == ["SQL and Data Management", "DevOps and CI/CD"]
    assert items[0].evidence == ["PostgreSQL"]
    assert items[1].evidence == ["Jenkins"]
    assert all(not item.evidenced for item in items[2:])
    # the rest keep the template's order
    template_order = [skill.name for skill in flagship.transferable_skills]
    rest = [item.name for item in items[2:]]
    assert rest == [name for name in template_order if name in rest]


def test_skill_matching_ignores_case_and_punctuation(make_profile, flagship):
    profile = make_profile(skills=["ci-cd", "  postgresql "])
    items = {item.name: item for item in guide_for(profile, flagship).transferable.items}
    assert items["DevOps and CI/CD"].evidence == ["ci-cd"]
    assert items["SQL and Data Management"].evidence == ["postgresql"]


def test_transferable_lead_says_how_many_are_evidenced(make_profile, flagship):
    assert (
        "2 of these 5"
        in guide_for(make_profile(skills=["SQL", "Docker"]), flagship).transferable.lead
    )
    assert "None of them" in guide_for(make_profile(skills=[]), flagship).transferable.lead


# --- covered skills to learn are not presented as gaps ---------------------------------


def test_covered_skills_are_not_gaps(make_profile, flagship):
    profile = make_profile(skills=["Python", "Machine Learning", "MLflow"])
    learning = guide_for(profile, flagship).learning
    gaps = [item for item in learning.items if not item.covered]
    covered = [item for item in learning.items if item.covered]
    assert [item.name for item in covered] == [
        "ML Algorithms and Model Selection",
        "MLOps and Model Deployment",
    ]
    assert covered[0].covered_by == ["Machine Learning"]
    assert all(item.rank is None for item in covered)
    # the real gaps are ranked 1..n, in priority order, before the covered ones
    assert [item.rank for item in gaps] == [1, 2, 3, 4]
    assert learning.items[: len(gaps)] == gaps
    assert "ML Algorithms and Model Selection" in learning.covered_note
    assert "4 skills to build" in learning.lead


def test_without_coverage_all_skills_are_ranked_in_priority_order(make_profile, flagship):
    learning = guide_for(make_profile(), flagship).learning
    assert [item.rank for item in learning.items] == [1, 2, 3, 4, 5, 6]
    assert learning.covered_note is None


# --- phases scale with hours per week and are dated -------------------------------------


def test_baseline_hours_keep_the_template_phase_lengths(make_profile, flagship):
    roadmap = guide_for(make_profile(hours_per_week=10), flagship).roadmap
    assert [phase.weeks for phase in roadmap.phases] == [8, 6, 6, 8, 4]
    assert roadmap.total_weeks == 32


def test_more_hours_finish_sooner(make_profile, flagship):
    fast = guide_for(make_profile(hours_per_week=20), flagship).roadmap
    slow = guide_for(make_profile(hours_per_week=5), flagship).roadmap
    assert [phase.weeks for phase in fast.phases] == [4, 3, 3, 4, 2]
    assert [phase.weeks for phase in slow.phases] == [16, 12, 12, 16, 8]
    assert fast.end < slow.end
    assert "faster than usual" in fast.pace_note
    assert "more slowly than usual" in slow.pace_note


# --- every sentence about pace is true with pace changes -----------------------------------


@pytest.mark.parametrize("later", [6, 15])
def test_a_change_of_pace_is_said_with_the_pace_and_never_compared(make_profile, flagship, later):
    # At the baseline 10 hours, then a change: neither "more" nor "less than usual" holds for
    # the whole plan, and every sentence that says the pace says its change too.
    profile = make_profile(
        start_date="2027-01-04",
        hours_per_week=10,
        pace=[{"from": "2027-05-03", "hours_per_week": later}],
    )
    guide = guide_for(profile, flagship)
    pace = f"10 hours a week, then {later} from May 3, 2027"
    note = guide.roadmap.pace_note
    assert note.startswith(f"Paced for your {pace}: {guide.roadmap.total_weeks} weeks in all")
    assert "usually gets" not in note and "than usual" not in note
    assert note.count("May 3, 2027") == 1  # said once, with the pace, not again after it
    assert f"At {pace}, your plan takes {guide.roadmap.total_weeks} weeks" in guide.overview.intro
    effort = {fact.label: fact.value for fact in guide.overview.at_a_glance}["Weekly effort"]
    assert effort == f"10 hours; {later} from May 3, 2027"


def test_one_pace_reads_as_it_always_did(make_profile, flagship):
    guide = guide_for(make_profile(start_date="2027-01-04", hours_per_week=10), flagship)
    assert "At 10 hours a week, your plan takes 32 weeks, from Jan 4, 2027" in guide.overview.intro
    assert guide.roadmap.pace_note.startswith("Paced for 10 hours a week: 32 weeks in all")
    slow = guide_for(make_profile(start_date="2027-01-04", hours_per_week=3), flagship)
    assert slow.overview.intro.count("3 hours a week") == 1
    assert slow.roadmap.pace_note.startswith(
        "Paced for your 3 hours a week, less than this plan usually gets, so you move through "
        "it more slowly than usual:"
    )


def test_a_pace_between_baselines_rounds_each_phase_up_to_whole_weeks(make_profile, flagship):
    # 80 hours at 12 a week is 6.7 weeks: the phase takes 7, never promising more than the hours.
    roadmap = guide_for(make_profile(hours_per_week=12), flagship).roadmap
    assert [phase.weeks for phase in roadmap.phases] == [7, 5, 5, 7, 4]


def test_phases_are_dated_back_to_back_from_the_start_date(make_profile, flagship):
    roadmap = guide_for(make_profile(start_date="2027-01-04"), flagship).roadmap
    assert roadmap.phases[0].start == dt.date(2027, 1, 4)
    assert roadmap.phases[0].end == dt.date(2027, 2, 28)  # 8 weeks, inclusive
    for before, after in zip(roadmap.phases, roadmap.phases[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    for phase in roadmap.phases:
        assert (phase.end - phase.start).days + 1 == phase.weeks * 7
    assert roadmap.end == dt.date(2027, 8, 15)


def test_headline_duration_is_derived_from_the_dated_plan(make_profile, flagship):
    guide = guide_for(make_profile(start_date="2027-01-04"), flagship)
    # 32 weeks from Jan 4 end on Aug 15: 7 months and 12 days, so "7-Month" (the nearest
    # whole month), not the sample's "6" (it miscounted its own 32 weeks), nor 8.
    assert guide.roadmap.months == 7
    assert guide.subtitle == "Your 7-Month Transition Guide"
    faq = {entry.question: entry.answer for entry in guide.faq.entries}
    assert (
        "your plan runs 7 months, from Jan 4, 2027 to Aug 15, 2027"
        in faq["How long will this take me?"]
    )
    # 14 weeks from Jan 4 end on Apr 11: 3 months and a week is "3 months" everywhere (the old
    # rule counted the extra week as a whole month, and said 4).
    from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir

    frontend = TemplateCatalog([builtin_templates_dir()]).get(
        "frontend-developer-to-product-manager"
    )
    move = {"current_role": "Frontend Developer", "target_role": "Product Manager"}
    profile = make_profile(start_date="2027-01-04", hours_per_week=25, **move)
    short = guide_for(profile, frontend.template)
    assert (short.roadmap.total_weeks, short.roadmap.end) == (14, dt.date(2027, 4, 11))
    assert short.subtitle == "Your 3-Month Transition Guide"
    answer = {entry.question: entry.answer for entry in short.faq.entries}
    assert (
        "your plan runs 3 months, from Jan 4, 2027 to Apr 11, 2027"
        in answer["How long will this take me?"]
    )
    fast = guide_for(make_profile(start_date="2027-01-04", hours_per_week=40), flagship)
    assert fast.roadmap.total_weeks == 9  # 2 + 2 + 2 + 2 + 1: each phase rounds up
    assert fast.subtitle == "Your 9-Week Transition Guide"


def test_default_start_is_the_next_monday(make_profile, flagship):
    profile = make_profile(start_date=None)
    assert guide_for(profile, flagship).roadmap.start == dt.date(2026, 11, 30)  # TODAY is a Wed
    monday = dt.date(2026, 11, 30)
    assert build_guide(profile, flagship, today=monday).roadmap.start == dt.date(2026, 12, 7)


# --- action items come from the schedule -----------------------------------------------------


def test_action_items_are_due_at_the_end_of_their_window(make_profile, flagship):
    lists = guide_for(make_profile(start_date="2027-01-04"), flagship).action_plan.lists
    due = {action_list.key: action_list.due for action_list in lists}
    assert due == {
        "this_week": dt.date(2027, 1, 10),
        "this_month": dt.date(2027, 2, 2),
        "next_90_days": dt.date(2027, 4, 3),
    }
    for action_list in lists:
        assert action_list.items
        for item in action_list.items:  # each item has its own date: due in its window...
            assert item.due <= action_list.due or item.in_progress  # ...or running past it
    first_steps = [step.step for step in flagship.first_steps]
    assert [item.text for item in lists[0].items][: len(first_steps)] == first_steps


# --- coach notes ----------------------------------------------------------------------


def test_coach_notes_get_their_own_section(make_profile, flagship):
    guide = guide_for(make_profile(notes="First point.\n\nSecond\npoint."), flagship)
    assert guide.coach_notes.paragraphs == ["First point.", "Second point."]
    assert guide.coach_notes.heading == "Notes from Your Coach"
    named = guide_for(make_profile(notes="Hi."), flagship, prepared_by="Jordan Lee")
    assert named.coach_notes.heading == "Notes from Jordan Lee"


def test_no_notes_no_section(make_profile, flagship):
    assert guide_for(make_profile(notes=None), flagship).coach_notes is None


# --- salary and purity ------------------------------------------------------------------


def test_salary_answer_uses_the_template_figures_and_market(make_profile, flagship):
    answer = guide_for(make_profile(), flagship).faq.entries[0].answer
    for figure in ("$150,000", "$280,000", "$160,000", "$180,000", flagship.salary.market):
        assert figure in answer
    assert "Austin, Texas, USA" in answer


def test_build_guide_is_pure(make_profile, flagship):
    profile = make_profile()
    assert guide_for(profile, flagship) == guide_for(profile, flagship)
    assert guide_for(profile, flagship).prepared_on == TODAY


# --- what is skipped, in the person's own words -------------------------------------------


def test_skip_notes_name_what_the_profile_says_and_join_names_as_a_list(make_profile):
    from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir

    catalog = TemplateCatalog([builtin_templates_dir()])
    sysadmin = catalog.get("system-administrator-to-devops-engineer").template
    profile = make_profile(
        current_role="System Administrator",
        target_role="DevOps Engineer",
        skills=["Git", "Linux", "Docker"],
    )
    roadmap = guide_for(profile, sysadmin).roadmap
    skipped = [task.note for phase in roadmap.phases for task in phase.skipped]
    assert skipped and set(skipped) == {"Skipped — you already have Git"}
    # The phase keeps its Python rewrite: Git does not cover Python (tests/plan/test_covered_by.py).
    assert not roadmap.notes and roadmap.phases[0].name == "Git, Python and Code Habits"
    refresher = [task.note for task in roadmap.tasks if task.note]
    assert refresher == ["Refresher: you already have Docker, so it is cut to 3 hours"]

    manager = catalog.get("software-engineer-to-engineering-manager").template
    profile = make_profile(
        current_role="Software Engineer",
        target_role="Engineering Manager",
        skills=["1:1s", "Radical Candor", "Performance Reviews"],
    )
    guide = guide_for(profile, manager)
    notes = [task.note for phase in guide.roadmap.phases for task in phase.skipped]
    assert notes[:2] == [
        "Skipped — you already have 1:1s and Performance Reviews",  # The Manager's Path
        "Skipped — you already have 1:1s",  # the podcast
    ]
    assert "Skipped — you already have 1:1s and Radical Candor" in notes  # Manager Tools
    # Three skill names that contain "and" stay apart: the serial comma.
    assert guide.learning.covered_note.startswith(
        "Your profile shows you already have One-on-Ones and Coaching, Feedback and Difficult "
        "Conversations, and Performance Management and Career Development."
    )


def test_names_are_joined_in_the_guides_language(make_profile, flagship):
    profile = make_profile(skills=["Machine Learning", "MLOps", "Python"])
    spanish = guide_for(profile, flagship, language="es")
    french = guide_for(profile, flagship, language="fr")
    # (The skill names are the template's, in English here: it has no translation.)
    assert "ML Algorithms and Model Selection y MLOps" in spanish.learning.covered_note
    assert "ML Algorithms and Model Selection et MLOps" in french.learning.covered_note


@pytest.mark.parametrize(
    ("language", "month"),
    [("en", "February 2028"), ("es", "febrero de 2028"), ("fr", "février 2028")],
)
def test_a_month_of_the_plan_is_written_as_the_language_writes_it(language, month):
    # "hasta febrero 2028" read as a machine's Spanish: CLDR's yMMMM says "febrero de 2028".
    from guidegen.language.formatting import month_year

    assert month_year(dt.date(2028, 2, 13), language) == month
