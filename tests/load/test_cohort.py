"""Reading cohorts as people really export them: CSV, XLSX, JSON/YAML lists, folders."""

from __future__ import annotations

import datetime as dt

import pytest

from guidegen.errors import UserError
from guidegen.language.catalogs import LANGUAGES
from guidegen.load.cohort import (
    DAY_FIRST,
    MONTH_FIRST,
    language_code,
    normalize_header,
    parse_mapping_option,
    parse_spreadsheet_date,
    read_cohort,
    read_number,
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
        "hours_per_week": 12,
    }
    assert first.cells["skills"] == "Python; AWS"  # the cell as written, for the manifest
    assert second.data["skills"] == ["Lesson Planning", "Canva"]
    assert second.data["hours_per_week"] == 7.5  # "7,5": a decimal comma
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
    assert field in entry.cells


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
    ("value", "order", "expected"),
    [
        ("2027-01-04", MONTH_FIRST, dt.date(2027, 1, 4)),
        ("2027-01-04 00:00:00", MONTH_FIRST, dt.date(2027, 1, 4)),
        ("2027/1/4", DAY_FIRST, dt.date(2027, 1, 4)),
        ("1/4/2027", MONTH_FIRST, dt.date(2027, 1, 4)),
        ("1/4/2027", DAY_FIRST, dt.date(2027, 4, 1)),
        ("13/4/2027", DAY_FIRST, dt.date(2027, 4, 13)),
        ("13/4/2027", MONTH_FIRST, None),  # never a silent swap
        ("04.01.2027", DAY_FIRST, dt.date(2027, 1, 4)),
        ("1/4/27", MONTH_FIRST, dt.date(2027, 1, 4)),
        ("4 Jan 2027", MONTH_FIRST, dt.date(2027, 1, 4)),
        ("04-Jan-2027", DAY_FIRST, dt.date(2027, 1, 4)),
        ("Jan 4, 2027", DAY_FIRST, dt.date(2027, 1, 4)),
        ("January 4, 2027", MONTH_FIRST, dt.date(2027, 1, 4)),
        ("Monday, January 4, 2027", MONTH_FIRST, dt.date(2027, 1, 4)),
        ("4 de enero de 2027", MONTH_FIRST, dt.date(2027, 1, 4)),
        ("lunes, 4 de enero de 2027", DAY_FIRST, dt.date(2027, 1, 4)),
        ("46391", MONTH_FIRST, dt.date(2027, 1, 4)),
        (46391, MONTH_FIRST, dt.date(2027, 1, 4)),
        (dt.datetime(2027, 1, 4, 9, 30), MONTH_FIRST, dt.date(2027, 1, 4)),
        ("2027-02-30", MONTH_FIRST, None),
        ("Jan 2027", MONTH_FIRST, None),  # no day: not a date to start a plan on
        ("next monday", MONTH_FIRST, None),
        ("7", MONTH_FIRST, None),
    ],
)
def test_dates_as_spreadsheets_write_them(value, order, expected):
    assert parse_spreadsheet_date(value, order=order) == expected


def csv_with_dates(tmp_path, *dates: str):
    rows = [f"P{i},Teacher,Instructional Designer,{date}" for i, date in enumerate(dates)]
    text = "Name,Current Role,Target Role,Start Date\n" + "\n".join(rows) + "\n"
    return write(tmp_path, "c.csv", text)


def test_a_date_column_is_read_in_the_one_order_its_dates_fit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cohort = read_cohort(csv_with_dates(tmp_path, "15/02/2027", "03/02/2027", "2027-02-08"))
    assert [e.validate().start_date for e in cohort.entries] == [
        dt.date(2027, 2, 15),
        dt.date(2027, 2, 3),  # February, like everyone else: not March 2
        dt.date(2027, 2, 8),
    ]
    (note,) = cohort.notes
    assert str(note) == (
        "c.csv: column 'Start Date' is read day first, since 15/02/2027 (row 2) can only be "
        "read that way: 03/02/2027 (row 3) is February 3, 2027"
    )


def test_an_all_ambiguous_column_says_how_it_was_read_and_the_flag_that_flips_it(tmp_path):
    path = csv_with_dates(tmp_path, "03/02/2027", "04/02/2027")
    cohort = read_cohort(path)
    assert cohort.entries[0].validate().start_date == dt.date(2027, 3, 2)
    (note,) = cohort.notes
    assert "every date could be day/month or month/day, so it is read month first" in str(note)
    assert "03/02/2027 (row 2) is March 2, 2027" in str(note)
    assert "run again with --day-first" in str(note)
    flipped = read_cohort(path, date_order=DAY_FIRST)
    assert flipped.entries[0].validate().start_date == dt.date(2027, 2, 3)
    assert flipped.notes == []  # asked for: nothing to say


def test_a_date_against_its_columns_order_fails_that_row_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cohort = read_cohort(csv_with_dates(tmp_path, "15/02/2027", "16/02/2027", "02/17/2027"))
    first, _, third = cohort.entries
    assert first.validate().start_date == dt.date(2027, 2, 15)
    with pytest.raises(UserError) as caught:
        third.validate()
    assert str(caught.value) == (
        "c.csv row 4 (P2): start_date: got '02/17/2027'; column 'Start Date' is read day "
        "first, like 15/02/2027 in row 2, and this date cannot be read that way; write it as "
        "YYYY-MM-DD"
    )
    forced = read_cohort(csv_with_dates(tmp_path, "15/02/2027"), date_order=MONTH_FIRST)
    with pytest.raises(UserError, match=r"is read month first \(--month-first\)"):
        forced.entries[0].validate()


@pytest.mark.parametrize(
    ("cell", "hours"),
    [
        ("10", 10),
        ("7,5", 7.5),
        ("10 hrs", 10),
        ("10h", 10),
        ("10 hours/week", 10),
        ("10 h/wk", 10),
        ("~12 hours a week", 12),
        ("ten", 10),
        ("Twelve hours", 12),
        ("diez horas por semana", 10),
    ],
)
def test_hours_as_people_type_them(cell, hours):
    assert read_number(cell, "hours_per_week") == hours


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("10-12", "a range; expected one number"),
        ("10 to 12", "a range; expected one number"),
        ("lots", "expected hours a week as a number, e.g. 10, 7.5, '10 hrs' or 'ten'"),
        ("10 apples", "expected hours a week as a number"),
    ],
)
def test_hours_that_cannot_be_read_say_what_was_expected(cell, message):
    with pytest.raises(ValueError, match=message):
        read_number(cell, "hours_per_week")


def test_a_cell_that_cannot_be_read_fails_its_row_with_every_problem(tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "Name,Current Role,Target Role,Hours,Years,Language\n"
        "Ana,Teacher,Instructional Designer,10 hrs,five years,Spanish\n"
        "Ben,Teacher,Instructional Designer,lots,5+,Klingon\n",
    )
    ana, ben = read_cohort(path).entries
    profile = ana.validate()
    assert (profile.hours_per_week, profile.years_experience, profile.language) == (10, 5, "es")
    with pytest.raises(UserError) as caught:
        ben.validate()
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["years_experience", "hours_per_week", "language"]  # in the profile's order
    assert ben.cells == {
        "name": "Ben",
        "current_role": "Teacher",
        "target_role": "Instructional Designer",
        "hours_per_week": "lots",
        "years_experience": "5+",
        "language": "Klingon",
    }


@pytest.mark.parametrize(
    ("cell", "code"),
    [("es", "es"), ("ES", "es"), ("es-MX", "es"), ("Spanish", "es"), ("Español", "es"),
     ("espanol", "es"), ("English", "en"), ("en_GB", "en"), ("inglés", "en")],
)  # fmt: skip
def test_a_language_cell_names_the_language_any_usual_way(cell, code):
    assert language_code(cell) == code


def test_every_guide_language_is_understood_by_its_own_name():
    from babel import Locale

    for code in LANGUAGES:
        assert language_code(code) == code
        assert language_code(Locale.parse(code).languages[code]) == code


@pytest.mark.parametrize(
    ("header", "field"),
    [("Emial", "email"), ("E-mial", "email"), ("Strat Date", "start_date"), ("Hours/wk", None)],
)
def test_a_header_close_to_a_field_gets_a_did_you_mean(tmp_path, monkeypatch, header, field):
    monkeypatch.chdir(tmp_path)
    email = "" if field == "email" else "Email,"
    path = write(tmp_path, "c.csv", f"Name,{email}Current Role,Target Role,{header}\na,b,c,d\n")
    warnings = [str(problem) for problem in read_cohort(path).warnings]
    if field is None:  # a synonym: read, nothing to say
        assert warnings == []
        return
    assert warnings == [
        f"c.csv row 1: column {header!r} is not read: did you mean {field}? Rename the header, "
        f'or add --map "{header}={field}"'
    ]


def test_a_misspelt_required_header_is_named_in_the_error(tmp_path):
    path = write(tmp_path, "c.csv", "Name,Current Role,Taget Role\na,b,c\n")
    with pytest.raises(UserError) as caught:
        read_cohort(path)
    report = caught.value.report()
    assert "no column for target_role" in report
    assert 'did you mean target_role? Rename the header, or add --map "Taget Role=target_role"' in (
        report
    )


def test_a_cohort_without_an_email_column_says_nobody_can_be_emailed(tmp_path):
    path = write(tmp_path, "c.csv", "Name,Current Role,Target Role\na,b,c\n")
    (warning,) = read_cohort(path).warnings
    assert "no email column: nobody in this cohort can be emailed their guide" in str(warning)


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
