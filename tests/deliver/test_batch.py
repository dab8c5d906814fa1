"""Cohort batches, run as a user runs them: real processes, real files, exit codes."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from docx import Document
from pypdf import PdfReader

from tests.conftest import FLAGSHIP_ID, ROOT, guidegen

HEADER = "Full Name,Email,Current Role,Target Role,Skills,Hours per week,Start Date\n"
GOOD = [
    "Ana Souza,ana@example.com,Backend Developer,AI Solutions Architect,Python; AWS,10,2027-01-04",
    "Ben Okafor,ben@example.com,Teacher,Instructional Designer,Lesson Planning,8,2027-01-04",
    "Chloe Martin,chloe@example.com,Data Analyst,Data Scientist,SQL; Tableau,12,2027-01-04",
]


def manifest(folder: Path) -> list[dict[str, str]]:
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def cohort(tmp_path: Path, *rows: str, name: str = "cohort.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_bad_rows_are_reported_and_the_others_render(tmp_path):
    path = cohort(
        tmp_path,
        GOOD[0],
        "Dana Bad,not-an-email,Backend Developer,AI Solutions Architect,,-2,2027-02-30",
        GOOD[1],
        "Eve Nowhere,eve@example.com,Chef,Astronaut,,10,2027-01-04",
    )
    run = guidegen("batch", str(path), "-o", "out", "-j", "2", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "failed: row 3 (Dana Bad): email: got 'not-an-email'" in run.stderr
    assert "hours_per_week: got -2; expected a number greater than 0" in run.stderr
    assert "start_date: got '2027-02-30'" in run.stderr
    assert "failed: row 5 (Eve Nowhere): no template for 'Chef' → 'Astronaut'" in run.stderr
    rows = manifest(tmp_path / "out")
    assert [(r["row"], r["name"], r["status"]) for r in rows] == [
        ("2", "Ana Souza", "rendered"),
        ("3", "Dana Bad", "failed"),
        ("4", "Ben Okafor", "rendered"),
        ("5", "Eve Nowhere", "failed"),
    ]
    assert rows[0]["pdf"] == f"ana-souza--{FLAGSHIP_ID}.pdf" and rows[0]["docx"] == ""
    assert rows[0]["email"] == "ana@example.com" and rows[0]["template"] == FLAGSHIP_ID
    assert "hours_per_week" in rows[1]["error"]
    assert (tmp_path / "out" / rows[0]["pdf"]).is_file()


def test_a_cohort_that_cannot_be_read_exits_2(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("Name,Email\nAna,ana@example.com\n")
    run = guidegen("batch", str(path), cwd=tmp_path)
    assert run.returncode == 2
    assert "no column for current_role, target_role" in run.stderr
    assert not (tmp_path / "output").exists()


def test_duplicate_and_hostile_names_get_safe_unique_files(tmp_path):
    path = cohort(
        tmp_path,
        GOOD[0],
        GOOD[0].replace("ana@", "ana2@"),
        "../../etc/passwd,x@example.com,Teacher,Instructional Designer,,10,2027-01-04",
        "Сергей Иванов,s@example.com,Teacher,Instructional Designer,,10,2027-01-04",
    )
    run = guidegen("batch", str(path), "-o", "out", "-j", "2", "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert names == [
        f"ana-souza--{FLAGSHIP_ID}.pdf",
        f"ana-souza-2--{FLAGSHIP_ID}.pdf",
        "etc-passwd--teacher-to-instructional-designer.pdf",
        "sergei-ivanov--teacher-to-instructional-designer.pdf",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.csv", "out"]


def test_rerun_renders_only_what_changed_and_zip(tmp_path):
    path = cohort(tmp_path, *GOOD)
    args = ("batch", str(path), "-f", "pdf", "-f", "docx", "-o", "out", "-j", "2", "--zip")
    first = guidegen(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "out"
    assert {r["status"] for r in manifest(out)} == {"rendered"}
    for row in manifest(out):
        assert len(PdfReader(out / row["pdf"]).pages) >= 4
        assert Document(out / row["docx"]).tables
    with zipfile.ZipFile(out / "out.zip") as archive:
        names = set(archive.namelist())
    expected = {row[key] for row in manifest(out) for key in ("pdf", "docx")} | {"manifest.csv"}
    assert names == expected

    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    started = time.perf_counter()
    again = guidegen(*args, cwd=tmp_path)
    assert again.returncode == 0
    assert time.perf_counter() - started < 10  # no rendering: a moment, not minutes
    assert {r["status"] for r in manifest(out)} == {"unchanged"}
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == mtimes

    path.write_text(path.read_text().replace("Lesson Planning,8", "Lesson Planning,16"))
    changed = guidegen(*args, cwd=tmp_path)
    statuses = {r["name"]: r["status"] for r in manifest(out)}
    assert changed.returncode == 0
    assert statuses == {
        "Ana Souza": "unchanged",
        "Ben Okafor": "rendered",
        "Chloe Martin": "unchanged",
    }

    forced = guidegen(*args, "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert {r["status"] for r in manifest(out)} == {"rendered"}


def test_a_batch_killed_with_sigkill_leaves_no_truncated_file_and_resumes(tmp_path):
    # Twelve people: one distinct name and address each.
    rows = [
        f"Person {i},p{i}@example.com,{line.split(',', 2)[2]}" for i, line in enumerate(GOOD * 4)
    ]
    path = cohort(tmp_path, *rows)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "guidegen",
            "batch",
            str(path),
            "-f",
            "pdf",
            "-f",
            "docx",
            "-o",
            str(out),
            "-j",
            "2",
            "-q",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the workers die with it
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 3:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = list(out.glob("*.pdf")) + list(out.glob("*.docx"))
    assert finished, "the batch was killed before it wrote anything"
    assert len(list(out.glob("*.pdf"))) < len(rows), "the batch finished before the kill"
    for path_ in finished:  # every file there is whole
        if path_.suffix == ".pdf":
            assert len(PdfReader(path_).pages) >= 4
        else:
            assert zipfile.ZipFile(path_).testzip() is None
    assert not (out / "manifest.csv").exists()

    resumed = guidegen(
        "batch", str(path), "-f", "pdf", "-f", "docx", "-o", "out", "-j", "2", cwd=tmp_path
    )
    assert resumed.returncode == 0, resumed.stderr
    statuses = [row["status"] for row in manifest(out)]
    assert len(statuses) == len(rows)
    assert "unchanged" in statuses and "rendered" in statuses
    assert not list(out.glob(".*.tmp"))  # what the kill left half-written is gone


def test_the_demo_cohort_renders_with_a_brand(tmp_path):
    run = guidegen(
        "batch",
        str(ROOT / "profiles" / "cohort-demo.csv"),
        "--brand",
        str(ROOT / "brands" / "hackforge-bootcamp"),
        "-o",
        "out",
        "-j",
        "2",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    rows = manifest(tmp_path / "out")
    assert len(rows) >= 12 and {row["status"] for row in rows} == {"rendered"}
    assert len({row["template"] for row in rows}) >= 3
    assert "ignored columns: Cohort" in run.stderr


def test_ctrl_c_stops_cleanly_keeps_what_is_done_and_says_how_to_resume(tmp_path):
    rows = [
        f"Person {i},p{i}@example.com,{line.split(',', 2)[2]}" for i, line in enumerate(GOOD * 4)
    ]
    path = cohort(tmp_path, *rows)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "guidegen", "batch", str(path), "-o", str(out), "-j", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 2:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "Interrupted:" in stderr and "run the same command again" in stderr
    statuses = {row["status"] for row in manifest(out)}
    assert statuses <= {"rendered", "pending"} and "rendered" in statuses
    for pdf in out.glob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 4
    resumed = guidegen("batch", str(path), "-o", "out", "-j", "2", "-q", cwd=tmp_path)
    assert resumed.returncode == 0
    assert {row["status"] for row in manifest(out)} <= {"rendered", "unchanged"}


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def test_each_row_is_rendered_in_its_own_language(tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(
        "Full Name,Email,Current Role,Target Role,Language,Start Date\n"
        "Ana Souza,ana@example.com,Teacher,Instructional Designer,Español,2027-01-04\n"
        "Ben Okafor,ben@example.com,Teacher,Instructional Designer,,2027-01-04\n",
        encoding="utf-8",
    )
    run = guidegen("batch", str(path), "-o", "out", "-j", "2", "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    ana, ben = manifest(tmp_path / "out")
    assert (ana["language"], ben["language"]) == ("es", "en")  # --lang en for rows that don't say
    assert "Resumen" in pdf_text(tmp_path / "out" / ana["pdf"])
    assert "Overview" in pdf_text(tmp_path / "out" / ben["pdf"])
    spanish = guidegen("batch", str(path), "-o", "out", "-j", "2", "--lang", "es", cwd=tmp_path)
    statuses = {row["name"]: (row["status"], row["language"]) for row in manifest(tmp_path / "out")}
    assert statuses == {"Ana Souza": ("unchanged", "es"), "Ben Okafor": ("rendered", "es")}
    assert spanish.returncode == 0


def test_failed_rows_keep_every_cell_and_say_how_to_fix_them(tmp_path):
    path = cohort(
        tmp_path,
        GOOD[0],
        "Dana Bad,dana@example.com,Backend Developer,AI Solutions Architect,Go; Rust,lots,"
        "2027-01-04",
        "Eve Nowhere,eve@example.com,Chef,Astronaut,Knife skills,10 hrs,2027-01-04",
    )
    run = guidegen("batch", str(path), "-o", "out", "-j", "2", "-q", cwd=tmp_path)
    assert run.returncode == 1
    _, dana, eve = manifest(tmp_path / "out")
    assert (dana["email"], dana["current_role"], dana["skills"], dana["hours_per_week"]) == (
        "dana@example.com",
        "Backend Developer",
        "Go; Rust",
        "lots",
    )
    assert dana["start_date"] == "2027-01-04" and "hours_per_week: got 'lots'" in dana["error"]
    assert (eve["email"], eve["target_role"], eve["hours_per_week"]) == (
        "eve@example.com",
        "Astronaut",
        "10 hrs",  # as the sheet has it
    )
    fix = (
        "give the row a template id in a Template column (`guidegen templates list` shows "
        'them), map a column that has one with --map "Programme=template", or write a template '
        "for this move with `guidegen templates new`"
    )
    assert eve["error"].endswith(f"; to fix: {fix}")
    assert f"to fix row 4: {fix}" in run.stderr


def test_nobody_is_lost_silently(tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(
        "Full Name,Emial,Current Role,Target Role,Start Date\n"
        "Ana Souza,ana@example.com,Teacher,Instructional Designer,03/02/2027\n"
        "Ben Okafor,ben@example.com,Teacher,Instructional Designer,04/02/2027\n",
        encoding="utf-8",
    )
    run = guidegen("batch", str(path), "-o", "out", "-j", "2", "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (  # even with -q
        "warning: cohort.csv row 1: column 'Emial' is not read: did you mean email? "
        'Rename the header, or add --map "Emial=email"'
    ) in run.stderr
    assert "note: cohort.csv: column 'Start Date': every date could be" in run.stderr
    assert "03/02/2027 (row 2) is March 2, 2027" in run.stderr
    assert "run again with --day-first" in run.stderr
    assert "rendered, no email address (2): row 2 (Ana Souza), row 3 (Ben Okafor)" in run.stderr
    validated = guidegen("validate", str(path), cwd=tmp_path)
    assert validated.returncode == 0
    assert "did you mean email?" in validated.stderr

    required = guidegen(
        "batch", str(path), "-o", "out", "-q", "--require-email", "--day-first", cwd=tmp_path
    )
    assert required.returncode == 1
    assert "failed: row 2 (Ana Souza): email: no email address, and this batch requires one" in (
        required.stderr
    )
    assert "note:" not in required.stderr  # the order was given: nothing to announce
    mapped = guidegen(
        "batch", str(path), "-o", "out", "-q", "--map", "Emial=email", "--day-first", cwd=tmp_path
    )
    assert mapped.returncode == 0, mapped.stderr
    assert [(row["email"], row["start_date"]) for row in manifest(tmp_path / "out")] == [
        ("ana@example.com", "2027-02-03"),
        ("ben@example.com", "2027-02-04"),
    ]


def test_a_change_anywhere_in_a_theme_folder_re_renders(tmp_path):
    from guidegen.deliver.batch import BatchOptions, _look_fingerprint
    from guidegen.models.brand import DEFAULT_BRAND

    theme = tmp_path / "theme"
    (theme / "partials").mkdir(parents=True)
    (theme / "guide.css").write_text("h1 { color: navy; }\n", encoding="utf-8")
    (theme / "partials" / "cover.html.j2").write_text("<h1>{{ title }}</h1>\n")
    options = BatchOptions(out_dir=tmp_path / "out", theme_dir=theme)
    before = _look_fingerprint(DEFAULT_BRAND, options)
    assert _look_fingerprint(DEFAULT_BRAND, options) == before
    (theme / "partials" / "cover.html.j2").write_text("<h1 class=big>{{ title }}</h1>\n")
    changed = _look_fingerprint(DEFAULT_BRAND, options)
    assert changed != before
    (theme / "partials" / "cover.html.j2").rename(theme / "partials" / "title.html.j2")
    assert _look_fingerprint(DEFAULT_BRAND, options) != changed  # a rename counts too
