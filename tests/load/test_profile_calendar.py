"""A person's real calendar in a profile: breaks and pace changes, in YAML and in a cohort."""

from __future__ import annotations

import datetime as dt

import pytest

from guidegen.errors import UserError
from guidegen.load.cohort import read_cohort
from guidegen.load.sources import load_yaml_file
from guidegen.load.validation import validate
from guidegen.models.profile import Profile

BASE = "name: Sam Doe\ncurrent_role: Teacher\ntarget_role: Instructional Designer\n"


def problems_of(path) -> list:
    with pytest.raises(UserError) as caught:
        validate(Profile, load_yaml_file(path), what="a candidate profile")
    return caught.value.problems


def test_breaks_and_pace_as_a_coach_writes_them(write_yaml):
    path = write_yaml(
        BASE + "hours_per_week: 5\n"
        "pace:\n  - from: 2027-06-01\n    hours_per_week: 20\n"
        "breaks:\n  - start: 2027-07-01\n    end: 2027-08-31\n    label: Summer\n"
    )
    profile = validate(Profile, load_yaml_file(path), what="a candidate profile")
    assert [(p.starting, p.hours_per_week) for p in profile.pace] == [(dt.date(2027, 6, 1), 20)]
    (summer,) = profile.breaks
    assert (summer.start, summer.end, summer.label, summer.days) == (
        dt.date(2027, 7, 1),
        dt.date(2027, 8, 31),
        "Summer",
        62,
    )


def test_each_calendar_mistake_is_located(write_yaml):
    path = write_yaml(
        BASE + "pace:\n"
        "  - from: 2027-06-01\n"  # line 5
        "    hours_per_week: 0\n"  # line 6: a pace of 0
        "breaks:\n"
        "  - start: 2027-07-01\n"  # line 8: ends before it starts
        "    end: 2027-06-30\n"
        "  - start: 2027-12-20\n"  # line 10
        "    end: 2028-01-05\n"
        "  - start: 2028-01-01\n"  # line 12: overlaps the one above
        "    end: 2028-01-02\n"
        "  - start: 2030-01-01\n"  # line 14: longer than ten years
        "    end: 2041-01-01\n"
    )
    found = {(p.line, p.field): p.message for p in problems_of(path)}
    assert set(found) == {
        (6, "pace[0].hours_per_week"),
        (8, "breaks[0]"),
        (12, "breaks[2]"),
        (14, "breaks[3]"),
    }
    assert "add a break (breaks:) instead" in found[(6, "pace[0].hours_per_week")]
    assert "ends (2027-06-30) before it starts (2027-07-01)" in found[(8, "breaks[0]")]
    assert "overlaps the break 2027-12-20..2028-01-05" in found[(12, "breaks[2]")]
    assert "longer than 10 years" in found[(14, "breaks[3]")]


def test_the_same_day_twice_in_pace_is_a_mistake(write_yaml):
    path = write_yaml(
        BASE + "pace:\n  - {from: 2027-06-01, hours_per_week: 5}\n"
        "  - {from: 2027-06-01, hours_per_week: 8}\n"
    )
    (problem,) = problems_of(path)
    assert (problem.line, problem.field) == (6, "pace[1].from")


def test_one_line_forms_for_a_cell(write_yaml):
    path = write_yaml(
        BASE + "pace: '2027-06-01: 20; 2027-08-01: 7,5'\n"
        "breaks: 'Summer: 2027-07-01..2027-08-31; 2027-12-20 to 2028-01-02'\n"
    )
    profile = validate(Profile, load_yaml_file(path), what="a candidate profile")
    assert [(str(p.starting), p.hours_per_week) for p in profile.pace] == [
        ("2027-06-01", 20),
        ("2027-08-01", 7.5),
    ]
    assert [(str(b.start), str(b.end), b.label) for b in profile.breaks] == [
        ("2027-07-01", "2027-08-31", "Summer"),
        ("2027-12-20", "2028-01-02", None),
    ]


def test_a_cohort_says_breaks_and_pace_in_two_columns(tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(
        "Name,Current Role,Target Role,Pace,Breaks\n"
        "Ana Lima,Teacher,Instructional Designer,2027-06-01: 15,Summer: 2027-07-01..2027-08-31\n"
        "Bo Chen,Teacher,Instructional Designer,June: 20,2027-07-01..2027-06-01\n"
        "Cy Dee,Teacher,Instructional Designer,,\n",
        encoding="utf-8",
    )
    ana, bo, cy = read_cohort(path).entries
    assert ana.validate().breaks[0].label == "Summer"
    assert ana.validate().pace[0].hours_per_week == 15
    with pytest.raises(UserError) as caught:
        bo.validate()  # one bad row fails alone, every problem located by row and field
    assert [(p.row, p.field) for p in caught.value.problems] == [
        (3, "pace[0].from"),
        (3, "breaks[0]"),
    ]
    assert cy.validate().breaks == [] and cy.validate().pace == []


@pytest.mark.parametrize(
    "cell",
    ["July", "2027-07-01", "2027-07-01..", "..2027-08-31", "2027-07-01-2027-08-31", ";;x"],
)
def test_a_break_cell_that_is_not_a_range_says_what_is_expected(write_yaml, cell):
    (problem,) = problems_of(write_yaml(BASE + f"breaks: '{cell}'\n"))
    assert problem.field == "breaks" and problem.line == 4
    assert "expected START..END" in problem.message or "expected a real date" in problem.message
