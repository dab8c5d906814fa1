"""Reading cohorts as people really export them: CSV, XLSX, JSON/YAML lists, folders."""

from __future__ import annotations

import datetime as dt

import pytest

from guidegen.errors import UserError
from guidegen.load.cohort import (
    normalize_header,
    parse_mapping_option,
    parse_spreadsheet_date,
    read_cohort,
    split_skills,
)
from tests.conftest import ROOT


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding, newline="")
    return path


def test_an_excel_style_csv(tmp_path):
    # BOM, semicolons, CRLF, a quoted cell with a line break, a blank line, an extra column.
    content = (
        "\ufeffFull Name;E-mail;Current Role;Target Role;Skills;Hours per week;Shoe size\r\n"
        'Ana Souza;ana@example.com;Backend Developer;AI Architect;"Python; AWS";12;38\r\n'
        "\r\n"
        'Ben Okafor;ben@example.com;Teacher;Instructional Designer;"Lesson Planning,\r\n'
        'Canva";7,5;44\r\n'
    )
    cohort = read_cohort(write(tmp_path, "c.csv", content))
    assert cohort.ignored_columns == ["Shoe size"]
    first, second = cohort.entries
    assert first.number == 2 and second.number == 4  # spreadsheet rows; the blank is row 3
    assert first.data == {
        "name": "Ana Souza",
        "email": "ana@example.com",
        "current_role": "Backend Developer",
        "target_role": "AI Architect",
        "skills": ["Python", "AWS"],
        "hours_per_week": "12",
    }
    assert second.data["skills"] == ["Lesson Planning", "Canva"]
    assert second.data["hours_per_week"] == "7.5"
    assert second.validate().hours_per_week == 7.5


def test_a_windows_ansi_csv(tmp_path):
    content = "Name,Current Role,Target Role\nJosé Núñez,Teacher,Instructional Designer\n"
    cohort = read_cohort(write(tmp_path, "c.csv", content, encoding="cp1252"))
    assert cohort.entries[0].data["name"] == "José Núñez"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Full Name", "name"),
        ("E-mail", "email"),
        ("Email Address", "email"),
        ("Current Role", "current_role"),
        ("current_role", "current_role"),
        ("CURRENT-ROLE", "current_role"),
        ("Job Title", "current_role"),
        ("Desired Role", "target_role"),
        ("Years of Experience", "years_experience"),
        ("Hours/week", "hours_per_week"),
        ("Start date", "start_date"),
    ],
)
def test_headers_match_fields_and_synonyms(tmp_path, header, field):
    columns = {"name": "Name", "current_role": "Current Role", "target_role": "Target Role"}
    columns[field] = header
    path = write(
        tmp_path,
        "c.csv",
        ",".join(columns.values()) + "\n" + ",".join(f"v{i}" for i in range(len(columns))),
    )
    if field == "start_date":
        path.write_text(path.read_text().replace("v3", "2027-01-04"))
    entry = read_cohort(path).entries[0]
    assert field in entry.data


def test_first_and_last_name_make_the_name(tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "First Name,Last Name,Current Role,Target Role\nAna,Souza,Teacher,Instructional Designer\n",
    )
    assert read_cohort(path).entries[0].data["name"] == "Ana Souza"


def test_map_option_maps_any_header(tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "Participant,Today,Dream job,Weekly commitment\nAna,Teacher,Instructional Designer,6\n",
    )
    with pytest.raises(UserError) as caught:
        read_cohort(path)
    assert "no column for current_role, target_role" in caught.value.report()
    mappings = parse_mapping_option(
        ["Today=current_role", "Dream job=target_role", "Weekly commitment=hours_per_week"]
    )
    entry = read_cohort(path, mappings=mappings).entries[0]
    assert entry.validate().hours_per_week == 6
    with pytest.raises(UserError):
        read_cohort(path, mappings={"Today": "favourite_colour"})
    with pytest.raises(UserError):
        parse_mapping_option(["no equals sign"])


def test_two_columns_for_one_field_are_an_error(tmp_path):
    path = write(tmp_path, "c.csv", "Name,Full Name,Current Role,Target Role\na,b,c,d\n")
    with pytest.raises(UserError) as caught:
        read_cohort(path)
    assert "both give name" in caught.value.report()


def test_skills_split_on_semicolons_or_commas_with_levels():
    assert split_skills("Python (advanced); SQL, with commas") == [
        {"name": "Python", "level": "advanced"},
        "SQL, with commas",
    ]
    assert split_skills("Python, SQL ,, Excel") == ["Python", "SQL", "Excel"]
    assert split_skills("C (the language)") == ["C (the language)"]


@pytest.mark.parametrize(
    ("value", "day_first", "expected"),
    [
        ("2027-01-04", False, dt.date(2027, 1, 4)),
        ("2027-01-04 00:00:00", False, dt.date(2027, 1, 4)),
        ("2027/1/4", False, dt.date(2027, 1, 4)),
        ("1/4/2027", False, dt.date(2027, 1, 4)),
        ("1/4/2027", True, dt.date(2027, 4, 1)),
        ("13/4/2027", False, dt.date(2027, 4, 13)),
        ("04.01.2027", False, dt.date(2027, 1, 4)),
        ("1/4/27", False, dt.date(2027, 1, 4)),
        ("4 Jan 2027", False, dt.date(2027, 1, 4)),
        ("04-Jan-2027", False, dt.date(2027, 1, 4)),
        ("Jan 4, 2027", False, dt.date(2027, 1, 4)),
        ("January 4, 2027", False, dt.date(2027, 1, 4)),
        ("46391", False, dt.date(2027, 1, 4)),
        (46391, False, dt.date(2027, 1, 4)),
        (dt.datetime(2027, 1, 4, 9, 30), False, dt.date(2027, 1, 4)),
        ("2027-02-30", False, None),
        ("next monday", False, None),
        ("7", False, None),
    ],
)
def test_dates_as_spreadsheets_write_them(value, day_first, expected):
    assert parse_spreadsheet_date(value, day_first=day_first) == expected


def test_xlsx_first_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Email", "Current Role", "Target Role", "Hours per week", "Start Date"])
    sheet.append(
        [
            "Ana Souza",
            "ana@example.com",
            "Teacher",
            "Instructional Designer",
            12,
            dt.datetime(2027, 1, 4),
        ]
    )
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Ben Okafor", None, "Data Analyst", "Data Scientist", 7.5, "1/11/2027"])
    workbook.create_sheet("Other").append(["ignored"])
    workbook.save(tmp_path / "c.xlsx")
    first, second = read_cohort(tmp_path / "c.xlsx").entries
    assert (first.number, second.number) == (2, 4)
    assert first.validate().start_date == dt.date(2027, 1, 4)
    assert first.validate().hours_per_week == 12
    assert second.validate().start_date == dt.date(2027, 1, 11)
    assert second.validate().email is None


def test_a_yaml_list_reports_problems_with_lines(tmp_path):
    path = write(
        tmp_path,
        "c.yaml",
        "- name: Ana\n  current_role: Teacher\n  target_role: Instructional Designer\n"
        "- name: Ben\n  current_role: Teacher\n  target_role: Instructional Designer\n"
        "  hours_per_week: -1\n",
    )
    first, second = read_cohort(path).entries
    assert first.validate().name == "Ana"
    with pytest.raises(UserError) as caught:
        second.validate()
    (problem,) = caught.value.problems
    assert (problem.line, problem.field, problem.row, problem.subject) == (
        7,
        "hours_per_week",
        2,
        "Ben",
    )
    assert "c.yaml:7:19 row 2 (Ben): hours_per_week: got -1" in str(problem)


def test_a_json_list(tmp_path):
    path = write(
        tmp_path,
        "c.json",
        '[{"name": "Ana", "current_role": "Teacher", "target_role": "Instructional Designer"}]',
    )
    assert read_cohort(path).entries[0].validate().name == "Ana"


def test_a_folder_of_profiles(tmp_path):
    (tmp_path / "a.yaml").write_text((ROOT / "profiles" / "alex-rivera.yaml").read_text())
    (tmp_path / "b.yaml").write_text("name: [broken\n")
    (tmp_path / "notes.txt").write_text("not a profile")
    first, second = read_cohort(tmp_path).entries
    assert first.validate().name == "Alex Rivera"
    with pytest.raises(UserError) as caught:
        second.validate()
    assert "not valid YAML" in caught.value.report()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("c.csv", "", "the file is empty"),
        ("c.csv", "Name,Email\nAna,a@example.com\n", "no column for current_role, target_role"),
        ("c.yaml", "name: Ana\n", "expected a list of profiles"),
        ("c.pdf", "%PDF", "unknown cohort format"),
    ],
)
def test_a_cohort_that_cannot_be_read(tmp_path, name, content, message):
    with pytest.raises(UserError) as caught:
        read_cohort(write(tmp_path, name, content))
    assert message in caught.value.report()


def test_normalize_header():
    assert normalize_header(" E-mail Address ") == "emailaddress"
    assert normalize_header("years_experience") == "yearsexperience"


def test_the_demo_cohort(flagship):
    cohort = read_cohort(ROOT / "profiles" / "cohort-demo.csv")
    assert len(cohort.entries) >= 12
    profiles = [entry.validate() for entry in cohort.entries]
    assert len({(p.current_role, p.target_role) for p in profiles}) >= 12
    assert cohort.ignored_columns == ["Cohort"]
