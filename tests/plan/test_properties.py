"""The guide never contradicts itself, whoever reads it: invariants over many random people.

For every built-in template and random profiles (1 to 40 hours a week, breaks, pace
changes, skills the template teaches), the Guide keeps its promises: every date lies
inside the plan; each action item is due within its phase and its window, or is marked
in progress; no task is planned for a skill the person has, unless as a refresher; the
headline says the plan's real span; and no sentence states a pace that is not theirs.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidegen.language import formatting
from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir
from guidegen.load.sources import load_yaml_file
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate
from guidegen.plan.personalize import build_guide, plan_for
from guidegen.plan.placeholders import literal_paces
from guidegen.plan.schedule import plan_months
from tests.conftest import TODAY


def _in_the_new_form(path: Path) -> bool:
    data = load_yaml_file(path).data
    return "action_plan" not in data and not any("weeks" in p for p in data["roadmap"])


# Every built-in template. While issue 13 is migrated template by template, those still in
# the old form (phases in `weeks`, an `action_plan`) cannot load and are left out here;
# once all are migrated this is the whole catalog, and the filter selects everything.
TEMPLATES = sorted(
    path.stem for path in builtin_templates_dir().glob("*.yaml") if _in_the_new_form(path)
)


@cache
def template_named(template_id: str) -> TransitionTemplate:
    return TemplateCatalog([builtin_templates_dir()]).get(template_id).template


HOURS = st.one_of(
    st.integers(1, 40).map(float), st.floats(1, 40, allow_nan=False).map(lambda h: round(h, 2))
)
DAY = st.dates(dt.date(2026, 1, 1), dt.date(2035, 12, 31))


@st.composite
def people(draw, template: TransitionTemplate) -> Profile:
    start = draw(DAY)
    breaks = []
    cursor = start - dt.timedelta(days=draw(st.integers(0, 30)))
    for _ in range(draw(st.integers(0, 3))):
        cursor += dt.timedelta(days=draw(st.integers(1, 400)))
        length = draw(st.integers(1, 120))
        breaks.append({"start": str(cursor), "end": str(cursor + dt.timedelta(days=length - 1))})
        if draw(st.booleans()):
            breaks[-1]["label"] = draw(st.sampled_from(["Summer", "Leave", "Holidays"]))
        cursor += dt.timedelta(days=length)
    pace = [
        {"from": str(start + dt.timedelta(days=offset)), "hours_per_week": draw(HOURS)}
        for offset in sorted(draw(st.sets(st.integers(-10, 700), max_size=2)))
    ]
    names = [skill.name for skill in template.skills_to_learn]
    covered = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    return Profile.model_validate(
        {
            "name": "Robin Lee",
            "current_role": template.from_role.name,
            "target_role": template.to_role.name,
            "skills": covered,
            "hours_per_week": draw(HOURS),
            "start_date": str(start),
            "breaks": breaks,
            "pace": pace,
            "template": template.id,
        }
    )


@pytest.mark.parametrize("template_id", TEMPLATES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_guide_agrees_with_its_own_schedule(template_id, data):
    template = template_named(template_id)
    profile = data.draw(people(template))
    guide = build_guide(profile, template, today=TODAY)
    plan = plan_for(profile, template, today=TODAY)
    roadmap = guide.roadmap

    # Every date lies inside the plan.
    values = list(_walk(guide.model_dump()))  # once: the dates and the texts
    for where, day in _dates(values):
        assert roadmap.start <= day <= roadmap.end, (where, day, roadmap.start, roadmap.end)

    # Phases follow each other, and each item lies inside its own phase.
    for before, after in zip(roadmap.phases, roadmap.phases[1:], strict=False):
        assert before.end < after.start
    for phase in roadmap.phases:
        for item in phase.items:
            assert phase.start <= item.start <= item.due <= phase.end

    # Each action item is its task, due within its phase and within its window, or marked in
    # progress; a window never lists a task scheduled after it.
    tasks = {task.key: task for task in roadmap.tasks}
    for action_list in guide.action_plan.lists:
        for item in action_list.items:
            task = tasks[item.key]
            assert (item.text, item.due) == (task.text, task.due)
            phase = roadmap.phases[item.phase - 1]
            assert phase.start <= item.due <= phase.end
            assert task.start <= action_list.due
            if item.in_progress:
                assert item.due > action_list.due
            else:
                assert action_list.start <= item.due <= action_list.due

    # No task for a skill the person has, unless kept as a refresher (and said so).
    has = {skill.name for skill in profile.skills}
    teaches = {}
    for path, item in template.plan_items():
        key = (
            f"first-step-{path[1] + 1}"
            if path[0] == "first_steps"
            else f"phase-{path[1] + 1}-task-{path[3] + 1}"
        )
        teaches[key] = item
    for task in roadmap.tasks:
        source = teaches[task.key]
        if source.teaches and set(source.teaches) <= has:
            assert task.note and task.hours == source.refresher_hours, task

    # The headline says the plan's real span.
    days = (roadmap.end - roadmap.start).days + 1
    assert roadmap.total_weeks == math.ceil(days / 7)
    if roadmap.total_weeks < 12:
        assert guide.subtitle == f"Your {roadmap.total_weeks}-Week Transition Guide"
    else:
        months = plan_months(roadmap.start, roadmap.end)
        assert guide.subtitle == f"Your {months}-Month Transition Guide"

    # No sentence states a pace other than the person's own, and one that states their pace
    # says its changes too ("10 hours a week, then 6 from May 3, 2027"), as {{ pace }} does.
    paces = {profile.hours_per_week, *(change.hours_per_week for change in profile.pace)}
    changes = [formatting.date(change.start, "en") for change in plan.paces[1:]]
    for where, text in _texts(values):
        stated = literal_paces(text)
        for literal in stated:
            assert literal.value in paces, (where, literal.phrase, paces)
        if stated:
            assert all(change in text for change in changes), (where, text, changes)


def _walk(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))
    else:
        yield path, value


def _dates(values):
    for path, value in values:
        if isinstance(value, dt.date) and path != ("prepared_on",):
            yield path, value


def _texts(values):
    for path, value in values:
        if isinstance(value, str):
            yield path, value


def test_the_flagship_and_the_teacher_are_in_the_new_form():
    assert {
        "backend-developer-to-ai-solutions-architect",
        "teacher-to-instructional-designer",
    } <= set(TEMPLATES)
