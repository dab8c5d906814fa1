"""A plan a profile cannot have: exit 2 and a located message for one guide, one failed row in
a batch, and never a traceback."""

from __future__ import annotations

import csv

from tests.conftest import FLAGSHIP_ID, guidegen


def test_a_plan_longer_than_its_limit_is_exit_2_at_its_line(tmp_path):
    profile = tmp_path / "slow.yaml"
    profile.write_text(
        "name: Di Eve\ncurrent_role: Backend Developer\ntarget_role: AI Solutions Architect\n"
        f"template: {FLAGSHIP_ID}\nhours_per_week: 0.001\nstart_date: 2027-01-04\n",
        encoding="utf-8",
    )
    run = guidegen("render", str(profile), "-o", "out", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith(
        "error: slow.yaml:5:17: hours_per_week: got 0.001; at this pace, starting 2027-01-04, "
        "the plan would take more than 10 years; expected at most 10 years (limit plan.years)"
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_in_a_batch_that_row_fails_alone(tmp_path):
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(
        "Name,Current Role,Target Role,Hours per week,Start Date,Breaks,Template\n"
        f"Ana Lima,Backend Developer,AI Solutions Architect,10,2027-01-04,"
        f"Summer: 2027-07-01..2027-08-31,{FLAGSHIP_ID}\n"
        f"Di Eve,Backend Developer,AI Solutions Architect,0.001,9000-01-04,,{FLAGSHIP_ID}\n",
        encoding="utf-8",
    )
    run = guidegen("batch", str(cohort), "-o", "out", "-f", "ics", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "row 3 (Di Eve)" in run.stderr and "(limit plan.years)" in run.stderr
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["name"]: row for row in csv.DictReader(handle)}
    assert rows["Ana Lima"]["status"] == "rendered"
    assert "hours_per_week" in rows["Di Eve"]["error"]
    assert (tmp_path / "out" / f"ana-lima--{FLAGSHIP_ID}.ics").is_file()
