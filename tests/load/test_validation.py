"""Bad input: every problem at once, located by file, line, field, value and expectation."""

from __future__ import annotations

import pytest

from guidegen.errors import UserError
from guidegen.load.profiles import load_profile
from guidegen.load.sources import load_yaml_file
from guidegen.load.validation import validate
from guidegen.models.template import TransitionTemplate
from tests.conftest import FLAGSHIP_PATH


def problems_of(path):
    with pytest.raises(UserError) as caught:
        load_profile(path)
    return caught.value.problems


def test_a_profile_with_several_problems_reports_them_all(write_yaml):
    path = write_yaml(
        "name: Sam Doe\n"
        "email: sam@@example\n"
        "current_role: Teacher\n"
        "target_role: Instructional Designer\n"
        "skils: [Python]\n"
        "hours_per_week: -3\n"
        "start_date: 2026-02-30\n"
        "skills:\n"
        "  - Python\n"
        "  - name: Excel\n"
        "    level: guru\n"
    )
    problems = problems_of(path)
    by_field = {problem.field: problem for problem in problems}
    assert set(by_field) == {"email", "skils", "hours_per_week", "start_date", "skills[1].level"}
    assert all(problem.file == path for problem in problems)
    assert by_field["email"].line == 2
    assert "not a valid email address" in by_field["email"].message
    assert by_field["skils"].line == 5 and by_field["skils"].column == 1
    assert "did you mean 'skills'?" in by_field["skils"].message
    hours = by_field["hours_per_week"]
    assert (hours.line, hours.column, hours.value) == (6, 17, -3)
    assert hours.message == "expected a number greater than 0"
    assert by_field["start_date"].line == 7
    assert "YYYY-MM-DD" in by_field["start_date"].message
    level = by_field["skills[1].level"]
    assert level.line == 11 and level.value == "guru"
    assert "'beginner'" in level.message


def test_the_report_reads_file_line_column_field_value_expectation(write_yaml):
    path = write_yaml("name: Sam\ncurrent_role: A\ntarget_role: B\nhours_per_week: 0\n")
    with pytest.raises(UserError) as caught:
        load_profile(path)
    report = caught.value.report()
    assert report.endswith(
        "profile.yaml:4:17: hours_per_week: got 0; expected a number greater than 0"
    )


def test_missing_fields_are_located_at_the_mapping(write_yaml):
    problems = problems_of(write_yaml("# just a comment\nname: Sam\n"))
    assert {(p.field, p.message) for p in problems} == {
        ("current_role", "this field is required"),
        ("target_role", "this field is required"),
    }
    assert all(p.line == 2 for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty; expected a candidate profile"),
        ("- a\n- b\n", "not a list"),
        ("name: [unclosed\n", "this is not valid YAML"),
        ("name: Sam\n  current_role: x\n", "this is not valid YAML"),
    ],
)
def test_files_that_are_not_profiles(write_yaml, text, expected):
    problems = problems_of(write_yaml(text))
    assert len(problems) == 1
    assert expected in problems[0].message


def test_yaml_syntax_errors_have_a_line(write_yaml):
    (problem,) = problems_of(write_yaml("name: Sam\ncurrent_role: [a\ntarget_role: b\n"))
    assert problem.line is not None and problem.line >= 2


def test_a_missing_file(tmp_path):
    (problem,) = problems_of(tmp_path / "nope.yaml")
    assert problem.message == "no such file"


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: José\n".encode("latin-1"))
    (problem,) = problems_of(path)
    assert "not UTF-8" in problem.message


def test_numbers_are_not_dates(write_yaml):
    problems = problems_of(
        write_yaml("name: S\ncurrent_role: a\ntarget_role: b\nstart_date: 20261201\n")
    )
    assert [p.field for p in problems] == ["start_date"]


def test_the_flagship_template_is_valid_and_complete(flagship):
    assert flagship.total_weeks == 32
    assert flagship.baseline_weeks() == [8, 6, 6, 8, 4]
    assert flagship.phase_hours() == [80, 60, 60, 80, 40]


def test_template_problems_are_located_too(tmp_path):
    text = FLAGSHIP_PATH.read_text(encoding="utf-8")
    text = text.replace("priority: 2", "priority: 1").replace("hours: 30", "hours: 0", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        validate(TransitionTemplate, load_yaml_file(path), what="a transition template")
    messages = [str(problem) for problem in caught.value.problems]
    assert any(
        "roadmap[1].tasks[0].hours: got 0; expected a number greater than 0" in m for m in messages
    )
    assert any("priority 1 is given to both" in m for m in messages)


def test_a_key_given_twice_is_reported(write_yaml):
    (problem,) = problems_of(
        write_yaml("name: Sam\ncurrent_role: a\ntarget_role: b\nname: Samuel\n")
    )
    assert (problem.line, problem.field) == (4, "name")
    assert "given twice (first on line 1)" in problem.message
