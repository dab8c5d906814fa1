"""Hostile and unlucky email runs: two sends at once, a batch into a folder in use,
header injection in a manifest, the wrong files in its columns, a ledger that is a
link, damaged, or not ours. Real `guidegen email` processes, a real SMTP server."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.deliver.mailing import BODY, PDF, Recorder, mail, mail_command
from tests.deliver.mailing import server as server
from tests.hostile.bounded import MEMORY_MB, SECONDS, run_bounded

FROM = "Northstar Coaching <coach@northstar.example>"
COLUMNS = ["row", "name", "email", "template", "status", "pdf", "docx", "error", "language"]
COLUMNS += ["target_role"]


def write_manifest(folder: Path, people: list[tuple[str, str]], *, docx: bool = False) -> Path:
    """A batch's manifest for `people` (name, address), with a real-looking PDF each."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "manifest.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number, (name, address) in enumerate(people, start=2):
            pdf = f"person-{number}.pdf"
            (folder / pdf).write_bytes(PDF + f"% {number}\n".encode())
            word = ""
            if docx:
                word = f"person-{number}.docx"
                minimal_docx(folder / word)
            writer.writerow(
                [number, name, address, "t", "rendered", pdf, word, "", "en", "Designer"]
            )
    (folder.parent / "body.md").write_text(BODY, encoding="utf-8")
    return path


def minimal_docx(path: Path) -> None:
    """The smallest file that is a Word document by its content."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            "/></Types>",
        )
        archive.writestr("word/document.xml", "<w:document/>")


def ledger_rows(folder: Path) -> dict[str, str]:
    with sqlite3.connect(folder / "send-ledger.sqlite3") as ledger:
        return dict(ledger.execute("SELECT email, state FROM messages"))


def holder_pid(folder: Path) -> int | None:
    try:
        return json.loads((folder / ".guidegen.lock").read_text())["pid"]
    except (OSError, ValueError, KeyError):
        return None


def wait_for_lock(folder: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while holder_pid(folder) != process.pid:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never took the folder's lock"
        time.sleep(0.02)


class SlowRecorder(Recorder):
    """Takes a while over each message, as a real server does: two runs overlap."""

    delay = 0.15

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_server(server):
    server.__class__ = SlowRecorder
    return server


PEOPLE = [(f"Person {n}", f"person{n}@example.com") for n in range(8)]


# --- exactly once under concurrency -------------------------------------------------------------


@pytest.mark.parametrize("rate", [[], ["--rate", "600"]], ids=["no-rate", "rate"])
def test_two_sends_at_once_mail_everyone_exactly_once(tmp_path, slow_server, rate):
    manifest = write_manifest(tmp_path / "cohort", PEOPLE)
    command = mail_command(manifest, *rate, port=slow_server.port)
    runs = [
        subprocess.Popen(
            command,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (_, stderr) in zip(runs, outputs, strict=True):
        assert "Traceback" not in stderr and "uncertain:" not in stderr, stderr
        assert run.returncode in (0, 2), stderr
        if run.returncode == 2:  # it started while the other held the folder
            other = next(r for r in runs if r is not run)
            assert "this folder is in use by `guidegen email" in stderr, stderr
            assert f"process {other.pid}" in stderr and "this run sent nothing" in stderr
    received = sorted(address for recipients, _ in slow_server.received for address in recipients)
    assert received == sorted(address for _, address in PEOPLE)
    assert ledger_rows(manifest.parent) == {address: "sent" for _, address in PEOPLE}


def test_a_second_send_while_the_first_holds_the_folder_stops_and_names_it(tmp_path, slow_server):
    manifest = write_manifest(tmp_path / "cohort", PEOPLE)
    first = subprocess.Popen(
        mail_command(manifest, "--rate", "600", port=slow_server.port),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    (tmp_path / "cohort.csv").write_text(
        "name,email,current_role,target_role\nAna Lima,ana@example.com,Teacher,"
        "Instructional Designer\n",
        encoding="utf-8",
    )
    wait_for_lock(manifest.parent, first)
    os.kill(first.pid, signal.SIGSTOP)  # mid-run, for as long as the second one takes
    try:
        second = mail(manifest, port=slow_server.port)
        batch = subprocess.run(
            [sys.executable, "-m", "guidegen", "batch", "cohort.csv", "-o", "cohort"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.kill(first.pid, signal.SIGCONT)
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert "sent 8, already sent before 0" in stderr
    assert second.returncode == 2, second.stderr
    assert second.stderr.startswith("error: ")
    assert f"this folder is in use by `guidegen email {manifest}" in second.stderr
    assert f"process {first.pid} on " in second.stderr and "this run sent nothing" in second.stderr
    # A batch into the folder being mailed from stops before it reads its cohort.
    assert batch.returncode == 2, batch.stderr
    assert "this folder is in use by `guidegen email" in batch.stderr
    assert len(slow_server.received) == 8
    assert ledger_rows(manifest.parent) == {address: "sent" for _, address in PEOPLE}


def test_two_batches_into_one_folder_the_second_is_refused_and_names_the_first(tmp_path):
    for name, people in (("a.csv", ("Ana Lima", "Ben Cho")), ("b.csv", ("Cy Dorn", "Di Eve"))):
        rows = [
            f"{person},{person.split()[0].lower()}@example.com,Backend Developer,"
            "AI Solutions Architect,Python,10,2027-01-04"
            for person in people
        ]
        (tmp_path / name).write_text(
            "name,email,current_role,target_role,skills,hours_per_week,start_date\n"
            + "\n".join(rows)
            + "\n",
            encoding="utf-8",
        )
    batch = [sys.executable, "-m", "guidegen", "batch"]
    first = subprocess.Popen(
        [*batch, "a.csv", "-o", "out", "-f", "ics"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_lock(tmp_path / "out", first)
    os.kill(first.pid, signal.SIGSTOP)
    try:
        second = subprocess.run(
            [*batch, "b.csv", "-o", "out", "-f", "ics"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.kill(first.pid, signal.SIGCONT)
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert second.returncode == 2 and "Traceback" not in second.stderr, second.stderr
    assert "this folder is in use by `guidegen batch a.csv -o out -f ics`" in second.stderr
    assert f"(process {first.pid} on " in second.stderr
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert names == ["Ana Lima", "Ben Cho"]  # the first run's, whole
    assert not (tmp_path / "out" / ".guidegen.lock").exists()


# --- the manifest's cells and files -------------------------------------------------------------


def test_a_line_break_in_a_name_fails_that_person_only(tmp_path, server):
    people = [
        ("Ana Souza", "ana@example.com"),
        ("Eve\r\nBcc: victim@example.org", "eve@example.com"),
        ("Mal\x1b[31m", "mal@example.com"),
        ("Chloe Martin", "chloe@example.com"),
    ]
    manifest = write_manifest(tmp_path / "cohort", people)
    refused = mail(manifest, port=server.port)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
    assert "row 3 (Eve\\r\\nBcc: victim@example.org): name: contains a line break U+000D at " in (
        refused.stderr
    )
    assert "row 4 (Mal\\x1b[31m): name: contains the control character U+001B" in refused.stderr
    assert "\x1b" not in refused.stderr and "\r" not in refused.stderr
    assert server.received == []
    run = mail(manifest, "--skip-invalid", port=server.port)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "sent 2" in run.stderr and "2 of 4 rows get no message" in run.stderr
    assert sorted(r for recipients, _ in server.received for r in recipients) == [
        "ana@example.com",
        "chloe@example.com",
    ]
    for _, content in server.received:
        assert b"victim" not in content and b"Bcc" not in content


@pytest.mark.parametrize("option", ["--from", "--reply-to"])
def test_a_line_break_in_from_or_reply_to_is_exit_2(tmp_path, server, option):
    manifest = write_manifest(tmp_path / "cohort", PEOPLE[:2])
    value = "Coach <coach@northstar.example>\r\nBcc: victim@example.org"
    command = mail_command(manifest, port=server.port)
    if option == "--from":
        command[command.index("--from") + 1] = value
    else:
        command += [option, value]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith(f"error: {option}: got ")
    assert "contains a line break U+000D at character 32" in run.stderr
    assert "Nothing was sent" in run.stderr
    assert server.received == []


def test_only_a_word_document_is_attached_as_one(tmp_path):
    manifest = write_manifest(tmp_path / "cohort", PEOPLE[:4], docx=True)
    folder = manifest.parent
    # The batch's own archive, a spreadsheet, a PDF renamed: none is a Word document.
    with zipfile.ZipFile(folder / "person-2.docx", "w") as archive:
        archive.writestr("guides/person-2.pdf", PDF)
        archive.writestr("manifest.csv", "row,name\n")
    with zipfile.ZipFile(folder / "person-3.docx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    (folder / "person-4.docx").write_bytes(PDF)
    (folder / "person-5.pdf").write_bytes(b"PK\x03\x04 not a pdf %%EOF")
    run = mail(manifest, "--attach", "docx")
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    said = run.stderr
    assert (
        "not emailed: row 2 (Person 0): docx: got 'person-2.docx'; not a Word document: a zip "
        "archive without word/document.xml (it holds 2 files: guides/person-2.pdf, manifest.csv)"
    ) in said
    assert "row 3 (Person 1): docx: got 'person-3.docx'; not a Word document: a zip" in said
    assert "row 4 (Person 2): docx: got 'person-4.docx'; not a Word document (expected" in said
    assert "row 5 (Person 3): pdf: got 'person-5.pdf'; not a complete PDF file" in said
    assert not list((folder / "outbox").glob("*.eml"))


def test_an_attachment_past_its_limit_is_refused_without_reading_it(tmp_path):
    manifest = write_manifest(tmp_path / "cohort", PEOPLE[:2])
    with (manifest.parent / "person-2.pdf").open("r+b") as handle:
        handle.truncate(1024**3)  # a sparse gigabyte
    run = run_bounded(
        ["email", str(manifest), "--body", "body.md", "--subject", "Hi", "--from", FROM],
        cwd=tmp_path,
    )
    assert run.returncode == 1 and not run.timed_out, run.outcome() + run.stderr
    assert (
        "row 2 (Person 0): pdf: got 'person-2.pdf'; this file is 1,024 MB; expected at most "
        in (run.stderr)
    )
    assert "(limit email.attachment_bytes)" in run.stderr
    assert run.peak_mb < MEMORY_MB and run.seconds < SECONDS
    assert [path.name for path in (manifest.parent / "outbox").iterdir()] == ["person-3.eml"]


# --- files in the folder are ours ---------------------------------------------------------------


@pytest.mark.parametrize(
    "planted", ["send-ledger.sqlite3", "send-ledger.sqlite3-wal", "outbox", "manifest.csv"]
)
def test_a_link_planted_in_the_folder_is_refused(tmp_path, server, planted):
    manifest = write_manifest(tmp_path / "cohort", PEOPLE[:2])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / planted
    link = manifest.parent / planted
    if planted == "outbox":
        target.mkdir()
    elif planted == "manifest.csv":
        link.replace(target)
    else:
        target.write_bytes(b"precious")
    link.symlink_to(target)
    run = mail(manifest, port=None if planted == "outbox" else server.port)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    shown = link.relative_to(tmp_path)  # where the run stands
    assert f"{shown}: this is a symbolic link; guidegen does not follow links" in run.stderr
    assert server.received == []
    if planted == "outbox":
        assert not any(target.iterdir())
    elif planted != "manifest.csv":
        assert target.read_bytes() == b"precious"


def test_a_damaged_ledger_says_what_to_do_and_sends_nothing(tmp_path, server):
    manifest = write_manifest(tmp_path / "cohort", PEOPLE[:2])
    ledger = manifest.parent / "send-ledger.sqlite3"
    ledger.write_bytes(os.urandom(8192))
    run = mail(manifest, port=server.port)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    shown = ledger.relative_to(tmp_path)
    assert f"error: {shown}: this send ledger is damaged (file is not a database)" in run.stderr
    assert "Move it aside" in run.stderr and "manifest.csv lists who gets which guide" in run.stderr
    assert server.received == []
    # Moved aside, as told: the run starts a new ledger.
    ledger.rename(ledger.with_suffix(".damaged"))
    assert mail(manifest, port=server.port).returncode == 0
    assert len(server.received) == 2


def test_a_ledger_held_by_another_program_is_reported_not_waited_on_forever(
    tmp_path,
    server,
    monkeypatch,
):
    from guidegen.deliver import mail as mailing

    manifest = write_manifest(tmp_path / "cohort", PEOPLE[:2])
    assert mail(manifest, "--limit", "1", port=server.port).returncode == 0
    monkeypatch.setattr(mailing, "LEDGER_WAIT_SECONDS", 0.2)
    holder = sqlite3.connect(manifest.parent / "send-ledger.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # a database browser with a write open
    try:
        with pytest.raises(mailing.LedgerError) as caught:
            ledger = mailing.Ledger(manifest.parent / "send-ledger.sqlite3")
            ledger.claim("k", "e@example.com", "<m>", forced=False, resend_uncertain=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    report = caught.value.report()
    assert "this send ledger is in use by another program (database is locked" in report
    assert "Nobody is mailed twice" in report


def test_a_full_disk_is_reported_with_what_to_do(tmp_path):
    from guidegen.deliver import mail as mailing

    ledger = mailing.Ledger(tmp_path / "send-ledger.sqlite3")
    ledger.connection.execute("PRAGMA max_page_count = 3")  # the disk, as SQLite sees it
    with pytest.raises(mailing.LedgerError) as caught:
        for number in range(1000):
            ledger.set(f"key-{number}" * 20, "e@example.com", "<m>", "sent", "x" * 500)
    ledger.close()
    report = caught.value.report()
    assert "cannot write the send ledger: the disk is full (database or disk is full)" in report
    assert "Free some space" in report


def test_the_corpus_of_bad_manifests_never_gives_a_traceback(tmp_path):
    """Odd shapes a hand-edited manifest takes: each run ends with a clear outcome."""
    cases = {
        "extra-cells": "row,name,email,status,pdf\n2,Ana,ana@example.com,rendered,p.pdf,x,y\n",
        "nul-in-email": "row,name,email,status,pdf\n2,Ana,ana\x00@example.com,rendered,p.pdf\n",
        "not-utf8": b"row,name,email,status,pdf\n2,\xff\xfe,a@example.com,rendered,p.pdf\n",
        "no-columns": "just,some,csv\n1,2,3\n",
    }
    for name, text in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        data = text if isinstance(text, bytes) else text.encode()
        (folder / "manifest.csv").write_bytes(data)
        (folder / "p.pdf").write_bytes(PDF)
        (tmp_path / "body.md").write_text(BODY, encoding="utf-8")
        run = mail(folder / "manifest.csv")
        assert run.returncode in (0, 1, 2), (name, run.stderr)
        assert "Traceback" not in run.stderr and "\x00" not in run.stderr, (name, run.stderr)
