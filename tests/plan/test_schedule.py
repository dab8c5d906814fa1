"""The schedule, rule by rule: one person's dated plan from a template's tasks and hours."""

from __future__ import annotations

import datetime as dt

import pytest

from guidegen.errors import UserError
from guidegen.models.template import TransitionTemplate
from guidegen.plan.schedule import Pause, PlanTooLong, plan_months, schedule

MONDAY = dt.date(2027, 1, 4)


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def make_template(
    *phases, first_steps=(), skills=("Git", "Python", "Docker")
) -> TransitionTemplate:
    """A small template: each phase a list of (hours, teaches) or (hours, teaches, refresher)."""
    roadmap = []
    for number, tasks in enumerate(phases, start=1):
        items = []
        for index, (hours, teaches, *refresher) in enumerate(tasks, start=1):
            task = {"task": f"Task {number}.{index}", "hours": hours, "teaches": list(teaches)}
            if refresher:
                task["refresher_hours"] = refresher[0]
            items.append(task)
        roadmap.append({"name": f"Phase {number}", "tasks": items})
    return TransitionTemplate.model_validate(
        {
            "id": "a-to-b",
            "from_role": {"name": "A"},
            "to_role": {"name": "B"},
            "baseline_hours_per_week": 10,
            "overview": "Why.",
            "transferable_skills": [{"name": "T", "why": "Because."}],
            "skills_to_learn": [
                {
                    "name": name,
                    "priority": priority,
                    "how": "Practise.",
                    "resources": [{"title": "R", "provider": "P", "kind": "book"}],
                }
                for priority, name in enumerate(skills, start=1)
            ],
            "first_steps": [
                {"step": f"Step {index}", "hours": hours, "teaches": list(teaches)}
                for index, (hours, teaches) in enumerate(first_steps, start=1)
            ],
            "roadmap": roadmap,
            "reality_check": {"love": ["x"], "miss": ["y"], "challenges": ["z"]},
            "salary": {
                "currency": "USD",
                "range": {"min": 1, "max": 3},
                "typical_start": {"min": 1, "max": 2},
                "market": "US",
            },
            "call_to_action": {"heading": "Go", "text": "Now."},
        }
    )


def plan(template, hours=10.0, **kwargs):
    return schedule(template, start=kwargs.pop("start", MONDAY), hours_per_week=hours, **kwargs)


# --- hours become dates ---------------------------------------------------------------------


def test_a_task_is_due_the_day_its_last_hour_falls_on():
    # 10 hours a week is 10/7 a day: 10 hours end on Sunday, 5 on Thursday (day 3.5).
    phases = plan(make_template([(10, ()), (5, ()), (5, ())])).phases
    tasks = phases[0].items
    assert [(task.start, task.due) for task in tasks] == [
        (day(0), day(6)),
        (day(7), day(10)),  # 5 hours: 3.5 days, so done on the fourth
        (day(10), day(13)),  # starts where the last one stopped, on the same day
    ]


def test_at_the_baseline_pace_a_phase_lasts_its_hours_over_the_baseline():
    template = make_template([(40, ()), (40, ())], [(30, ()), (30, ())], [(40, ())])
    result = plan(template)
    assert [phase.weeks for phase in result.phases] == template.baseline_weeks() == [8, 6, 4]
    assert result.phases[0].end == day(55)  # 8 weeks, inclusive
    assert result.weeks == 18 and result.end == day(18 * 7 - 1)


def test_a_new_phase_starts_with_a_new_week():
    # 12 hours at 10 a week end on day 8 (a Tuesday): the phase runs to Sunday, the next
    # starts on Monday, and the slack is never counted as done.
    result = plan(make_template([(12, ())], [(10, ())]))
    first, second = result.phases
    assert first.items[0].due == day(8)
    assert (first.end, second.start) == (day(13), day(14))
    assert first.weeks == 2


def test_a_faster_pace_shortens_and_a_slower_one_lengthens_every_phase():
    template = make_template([(80, ())], [(60, ())])
    assert [p.weeks for p in plan(template, 20).phases] == [4, 3]
    assert [p.weeks for p in plan(template, 5).phases] == [16, 12]
    assert [p.weeks for p in plan(template, 12).phases] == [7, 5]  # 6.7 and 5 weeks, rounded up


def test_first_steps_open_the_first_phase_and_count_in_its_time():
    template = make_template([(75, ())], first_steps=[(0, ()), (5, ())])
    result = plan(template)
    steps = result.phases[0].items[:2]
    assert [step.first_step for step in steps] == [True, True]
    assert steps[0].due == day(0)  # no effort: done on the first day
    assert steps[1].due == day(3)  # 5 hours: 3.5 days
    assert result.phases[0].weeks == 8  # 5 + 75 hours at 10 a week


def test_keys_are_template_positions_whatever_the_pace():
    template = make_template([(10, ())], [(10, ()), (10, ())], first_steps=[(1, ())])
    keys = [item.key for item in plan(template).items]
    assert keys == ["first-step-1", "phase-1-task-1", "phase-2-task-1", "phase-2-task-2"]
    assert [item.key for item in plan(template, 3).items] == keys


# --- breaks and pace changes ------------------------------------------------------------------


def test_a_break_pushes_the_work_after_it_and_nothing_is_due_inside_it():
    summer = Pause(day(3), day(16), "Summer")  # two weeks off from Thursday
    result = plan(make_template([(10, ()), (10, ())]), breaks=[summer])
    first, second = result.phases[0].items
    assert first.due == day(20)  # 3 days before the break, 4 after it
    for item in (first, second):
        assert not summer.start <= item.due <= summer.end
    assert result.breaks == (summer,)
    assert result.phases[0].start <= summer.start and summer.end <= result.phases[0].end


def test_a_phase_never_ends_inside_a_break():
    # The task is done on Wednesday; the break starts Thursday: the phase ends Wednesday.
    result = plan(make_template([(5, ())], [(10, ())]), breaks=[Pause(day(4), day(30))])
    first, second = result.phases
    assert first.end == day(3)
    assert second.start == day(31)  # the first study day of the following weeks


def test_a_start_inside_a_break_moves_to_its_first_study_day():
    result = plan(make_template([(10, ())]), breaks=[Pause(day(-5), day(9))])
    assert result.requested_start == MONDAY
    assert result.start == day(10)
    assert result.breaks == ()  # it ends before the plan starts


def test_breaks_outside_the_plan_are_not_part_of_it():
    result = plan(make_template([(10, ())]), breaks=[Pause(day(100), day(120))])
    assert result.breaks == () and result.end == day(6)


def test_a_pace_change_applies_from_its_day_on():
    template = make_template([(40, ())])
    assert plan(template).phases[0].end == day(27)  # 4 weeks at 10
    faster = plan(template, pace=[(day(14), 30.0)])  # 20 hours in 2 weeks, then 30 a week
    assert faster.items[0].due == day(18)  # the last 20 hours take 4.7 days
    assert faster.phases[0].weeks == 3
    assert [(p.start, p.hours_per_week) for p in faster.paces] == [(day(0), 10), (day(14), 30)]


def test_a_pace_change_before_the_start_is_the_pace_at_the_start():
    result = plan(make_template([(40, ())]), pace=[(day(-30), 20.0)])
    assert result.paces[0].hours_per_week == 20 and result.phases[0].weeks == 2


# --- skills the person has -------------------------------------------------------------------


def test_a_task_for_a_skill_the_person_has_is_skipped():
    template = make_template([(10, ("Git",)), (10, ("Python",)), (10, ("Git", "Python"))])
    result = plan(template, covered={"Git"})
    assert [item.text for item in result.items] == ["Task 1.2", "Task 1.3"]  # 1.3 still teaches
    (skipped,) = result.phases[0].skipped
    assert (skipped.text, skipped.skills) == ("Task 1.1", ("Git",))
    assert result.phases[0].weeks == 2  # the phase shrinks with it


def test_a_task_with_refresher_hours_is_kept_short_instead():
    result = plan(make_template([(20, ("Git",), 4), (10, ())]), covered={"Git"})
    refresher, other = result.items
    assert (refresher.hours, refresher.refreshes) == (4, ("Git",))
    assert other.refreshes == ()
    assert refresher.due == day(2)  # 4 hours: 2.8 days


def test_a_phase_left_with_nothing_disappears_and_the_next_takes_its_place():
    template = make_template([(10, ("Git",))], [(10, ())], first_steps=[(1, ()), (1, ("Git",))])
    result = plan(template, covered={"Git"})
    (dropped,) = result.dropped
    assert (dropped.index, dropped.skills) == (0, ("Git",))
    (phase,) = result.phases
    assert (phase.index, phase.number, phase.name, phase.key) == (1, 1, "Phase 2", "phase-2")
    assert phase.start == MONDAY
    # the first steps open the plan, whichever phase comes first; the Git one is skipped
    assert [item.key for item in phase.items] == ["first-step-1", "phase-2-task-1"]
    assert [item.key for item in phase.skipped] == ["first-step-2"]


def test_a_profile_with_every_skill_a_plan_teaches_is_a_user_error():
    with pytest.raises(UserError, match="no task is left to plan"):
        plan(make_template([(10, ("Git",))]), covered={"Git"})


# --- the action windows ----------------------------------------------------------------------


def test_this_week_lists_what_starts_or_ends_in_it_and_marks_what_runs_on():
    template = make_template([(50, ())], first_steps=[(1, ()), (2, ())])
    week, month, ninety = plan(template).windows
    assert (week.key, week.start, week.end) == ("this_week", day(0), day(6))
    assert [(entry.item.key, entry.in_progress) for entry in week.items] == [
        ("first-step-1", False),
        ("first-step-2", False),
        ("phase-1-task-1", True),  # started this week, due on day 36
    ]
    # nothing starts or ends in days 8-30: the month shows what is in progress then
    assert (month.start, month.end) == (day(7), day(29))
    assert [(entry.item.key, entry.in_progress) for entry in month.items] == [
        ("phase-1-task-1", True)
    ]
    # and the task is due in the 90 days, which end with the plan
    assert (ninety.start, ninety.end) == (day(30), plan(template).end)
    assert [(entry.item.key, entry.in_progress) for entry in ninety.items] == [
        ("phase-1-task-1", False)
    ]


def test_a_window_never_lists_a_task_scheduled_later():
    template = make_template([(10, ()), (300, ()), (10, ())])
    for hours in (1, 3, 10, 40):
        result = plan(template, hours)
        for window in result.windows:
            for entry in window.items:
                assert entry.item.start <= window.end
                assert entry.item.due >= window.start
                assert entry.in_progress == (entry.item.due > window.end)


def test_a_window_spent_on_a_break_has_nothing_to_do():
    result = plan(make_template([(5, ()), (100, ())]), breaks=[Pause(day(5), day(40), "Leave")])
    _week, month, ninety = result.windows
    assert month.on_break and month.items == () and month.breaks[0].label == "Leave"
    assert not ninety.on_break and ninety.items


def test_windows_stop_at_the_end_of_a_short_plan():
    result = plan(make_template([(40, ())]), 40)  # one week
    (week,) = result.windows
    assert week.end == result.end == day(6)


# --- limits ----------------------------------------------------------------------------------


def test_a_plan_longer_than_its_limit_is_a_located_user_error():
    with pytest.raises(PlanTooLong) as caught:
        plan(make_template([(300, ())]), 0.001, start=dt.date(2027, 1, 4))
    (problem,) = caught.value.problems
    assert problem.field == "hours_per_week" and "(limit plan.years)" in problem.message
    with pytest.raises(PlanTooLong) as caught:  # the calendar ends first
        plan(make_template([(300, ())]), 0.001, start=dt.date(9990, 1, 1))
    (problem,) = caught.value.problems
    assert problem.field == "hours_per_week" and "9999" in problem.message
    with pytest.raises(PlanTooLong) as caught:  # even 80 hours a week could not fit it in
        plan(make_template([(300, ()), (300, ()), (300, ())]), 10, start=dt.date(9999, 12, 1))
    assert caught.value.problems[0].field == "start_date"


def test_a_plan_of_years_is_placed_in_one_step_per_stretch():
    result = plan(make_template([(300, ())]), 0.6)  # 500 weeks: nine and a half years
    assert result.end == MONDAY + dt.timedelta(weeks=500, days=-1)
    assert result.phases[0].items[0].due == result.end
    with pytest.raises(PlanTooLong) as caught:  # 30,000 weeks: centuries
        plan(make_template([(300, ())]), 0.01)
    assert "more than 10 years" in caught.value.problems[0].message


def test_a_task_ending_on_the_last_day_of_the_calendar_fits():
    result = plan(make_template([(10, ())]), start=dt.date(9999, 12, 25))
    assert result.end == dt.date(9999, 12, 31)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2027, 1, 4), dt.date(2027, 2, 3), 1),  # exactly one month
        (dt.date(2027, 1, 4), dt.date(2027, 2, 4), 1),  # and a day: still one
        (dt.date(2027, 1, 4), dt.date(2027, 4, 4), 3),  # 13 weeks: 3 months, not 4
        (dt.date(2027, 1, 4), dt.date(2027, 7, 4), 6),  # 26 weeks: 6 months, not 7
        (dt.date(2027, 1, 4), dt.date(2027, 8, 15), 7),  # 32 weeks: 7 months and 12 days
        (dt.date(2027, 1, 4), dt.date(2027, 4, 25), 4),  # 16 weeks: 3 months and 22 days
        (dt.date(2027, 1, 4), dt.date(2027, 2, 17), 2),  # half a month over: rounds up
        (dt.date(2027, 1, 4), dt.date(2027, 2, 16), 1),  # just under half: rounds down
        (dt.date(2027, 1, 31), dt.date(2027, 2, 27), 1),  # Jan 31 + 1 month is Feb 28
        (dt.date(2027, 1, 4), dt.date(2027, 1, 10), 1),  # never less than one
        (dt.date(2027, 1, 1), dt.date(2027, 12, 31), 12),
        (dt.date(9999, 1, 1), dt.date(9999, 12, 31), 12),  # to the calendar's last day
    ],
)
def test_plan_months_counts_whole_months_and_rounds_the_rest_to_the_nearest(start, end, months):
    assert plan_months(start, end) == months
