"""Hostile and unlucky cohorts: small files with huge costs, one bad cell among good
rows, Excel's "Unicode text". Each batch runs in a bounded process (500 MB, 30 s)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.hostile import bombs
from tests.hostile.bounded import MEMORY_MB, SECONDS, run_bounded

MB = 1024 * 1024


def blank_rows(folder: Path) -> Path:
    return bombs.xlsx_with_blank_rows(folder / "blank.xlsx", 20_000_000)


def blank_rows_undeclared(folder: Path) -> Path:
    return bombs.xlsx_with_blank_rows(
        folder / "gap.xlsx", 20_000_000, dimension=False, explicit=False
    )


def shared_strings(folder: Path) -> Path:
    return bombs.xlsx_with_shared_strings(folder / "text.xlsx", size=60 * MB, length=1000)


WHOLE_FILE_REFUSED = {
    # name: (make the cohort, what the message must say)
    "xlsx-20-million-blank-rows": (
        blank_rows,
        ["blank.xlsx: the first sheet has 20,000,000 rows", "(limit cohort.rows)"],
    ),
    "xlsx-blank-rows-undeclared": (
        blank_rows_undeclared,
        ["gap.xlsx: more than 10,000 rows below its header (blank rows count)", "cohort.rows"],
    ),
    "xlsx-60mb-of-shared-strings": (
        shared_strings,
        ["text.xlsx: its text (xl/sharedStrings.xml) unpacks to", "xlsx.shared_strings_bytes"],
    ),
}


@pytest.mark.parametrize("case", list(WHOLE_FILE_REFUSED))
def test_a_cohort_bomb_is_refused_before_it_is_read_within_budget(case, tmp_path):
    make, expected = WHOLE_FILE_REFUSED[case]
    cohort = make(tmp_path)
    run = run_bounded(["batch", cohort.name, "-o", "out", "-f", "ics"], cwd=tmp_path)
    assert not run.timed_out and not run.out_of_memory, run.outcome()
    assert run.returncode == 2 and run.stderr.startswith("error: "), run.outcome() + run.stderr
    for words in expected:
        assert words in run.stderr, run.stderr
    assert run.peak_mb < MEMORY_MB and run.seconds < SECONDS
    assert not (tmp_path / "out" / "manifest.csv").exists()


def manifest(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


def test_one_huge_cell_fails_its_row_only(tmp_path):
    bad = ("Cy Dorn", "cy@example.com", "Teacher", "Instructional Designer", "9" * 1_100_000)
    cohort = bombs.cohort_csv(tmp_path / "cohort.csv", bombs.cohort_rows(bad))
    run = run_bounded(["batch", cohort.name, "-o", "out", "-f", "ics"], cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.outcome() + run.stderr
    assert (
        "failed: row 4 (Cy Dorn): hours_per_week: this cell has 1,100,000 characters; expected "
        "at most 32,767 characters (limit cohort.cell_chars)"
    ) in run.stderr
    rows = manifest(tmp_path / "out")
    assert [rows[name]["status"] for name in ("Ana Souza", "Ben Okafor", "Cy Dorn")] == [
        "rendered",
        "rendered",
        "failed",
    ]
    assert len(rows["Cy Dorn"]["hours_per_week"]) < 1000  # the manifest keeps no megabyte
    assert run.peak_mb < MEMORY_MB


def test_excels_unicode_text_is_read(tmp_path):
    person = ("Zoë Ĺuçia", "zoe@example.com", "Teacher", "Instructional Designer", 9)
    cohort = bombs.cohort_csv(
        tmp_path / "unicode.csv", bombs.cohort_rows(person), encoding="utf-16"
    )
    run = run_bounded(["batch", cohort.name, "-o", "out", "-f", "ics"], cwd=tmp_path)
    assert run.returncode == 0, run.outcome() + run.stderr
    assert manifest(tmp_path / "out")["Zoë Ĺuçia"]["email"] == "zoe@example.com"


def test_a_date_in_9999_and_a_microscopic_pace_fail_their_rows_in_validate_and_batch(tmp_path):
    header = (*bombs.COHORT_HEADER, "Start date")
    rows = [
        header,
        *((*person, "2027-01-04") for person in bombs.COHORT_PEOPLE),
        ("Di Eve", "di@example.com", "Teacher", "Instructional Designer", 10, "12/1/9999"),
        ("Ed Fox", "ed@example.com", "Teacher", "Instructional Designer", 0.000001, "2027-01-04"),
    ]
    cohort = bombs.cohort_csv(tmp_path / "dates.csv", rows)
    validate = run_bounded(["validate", cohort.name], cwd=tmp_path)
    assert validate.returncode == 2, validate.outcome() + validate.stderr
    assert "dates.csv row 4 (Di Eve): hours_per_week: got 10.0; at this pace, starting " in (
        validate.stderr
    )
    assert "the plan would end after the year 9999" in validate.stderr
    assert "dates.csv row 5 (Ed Fox): hours_per_week: got '1e-06'" in validate.stderr
    run = run_bounded(["batch", cohort.name, "-o", "out", "-f", "ics"], cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.outcome() + run.stderr
    statuses = {name: row["status"] for name, row in manifest(tmp_path / "out").items()}
    assert statuses == {
        "Ana Souza": "rendered",
        "Ben Okafor": "rendered",
        "Di Eve": "failed",
        "Ed Fox": "failed",
    }
