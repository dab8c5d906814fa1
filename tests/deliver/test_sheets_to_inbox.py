"""Done when: a 25-row Google Sheets export goes from spreadsheet to inbox.

The sheet (tests/fixtures/sheets-export-25.csv) has what real ones have: a form's
Timestamp column, an email header typed "Emial", a person without an email, dates
written day first where most could be read either way, role variants ("Sr. Backend
Engineer" → "AI Architect"), "10 hrs", "ten" and "12h", a Track column, Spanish rows
("Español", "es", "Spanish") and a move no template covers. Everyone must be accounted
for: a message in their inbox, or a line saying why not.
"""

from __future__ import annotations

import csv
import email
import shutil
from email import policy

import pytest

from tests.conftest import ROOT, guidegen

SHEET = ROOT / "tests" / "fixtures" / "sheets-export-25.csv"
FROM = "HackForge Bootcamp <admissions@hackforge.example>"


@pytest.mark.slow
def test_a_sheets_export_from_batch_to_inbox_with_everyone_accounted_for(tmp_path, server):
    shutil.copy(SHEET, tmp_path / "cohort.csv")
    shutil.copytree(ROOT / "emails", tmp_path / "emails")

    checked = guidegen("validate", "cohort.csv", cwd=tmp_path)
    assert 'did you mean email? Rename the header, or add --map "Emial=email"' in checked.stderr
    assert "column 'Start date' is read day first, since 15/02/2027 (row 2)" in checked.stderr

    batch = guidegen("batch", "cohort.csv", "--map", "Emial=email", "-o", "out", cwd=tmp_path)
    assert batch.returncode == 1, batch.stderr  # the chef's move has no template
    assert "25 rows: 24 rendered, 0 unchanged, 1 failed, 1 without an email address" in (
        batch.stderr
    )
    assert "rendered, no email address (1): row 5 (Kwame Mensah)" in batch.stderr
    assert "to fix row 24: give the row a template id in a Template column" in batch.stderr
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["name"]: row for row in csv.DictReader(handle)}
    assert len(rows) == 25
    assert rows["Sofía Hernández"]["hours_per_week"] == "10"  # "10 hrs"
    assert rows["James O'Connor"]["hours_per_week"] == "10"  # "ten"
    assert rows["Lucía Fernández"]["start_date"] == "2027-02-03"  # 03/02/2027, day first
    assert rows["Maya Chen"]["template"] == "backend-developer-to-ai-solutions-architect"
    spanish = {name for name, row in rows.items() if row["language"] == "es"}
    assert spanish == {
        "Sofía Hernández",
        "Lucía Fernández",
        "Tomás Silva",
        "Camila Torres",
        "Diego Ramírez",
        "Valentina Rossi",
        "Mateo Gómez",
        "Carlos Mendoza",
    }
    assert rows["Rafael Gomes"]["status"] == "failed"
    assert rows["Rafael Gomes"]["email"] == "rafael.gomes@example.com"  # kept for follow-up

    mail = ("email", "out/manifest.csv", "--body", "emails/welcome.md", "--from", FROM)
    dry = guidegen(*mail, cwd=tmp_path)
    assert dry.returncode == 1  # two people would get nothing, and are named
    assert "not emailed: row 5 (Kwame Mensah): email: no email address" in dry.stderr
    assert "not emailed: row 24 (Rafael Gomes): no guide: no template for 'Chef'" in dry.stderr
    assert "dry run: 23 messages written" in dry.stderr
    assert len(list((tmp_path / "out" / "outbox").glob("*.eml"))) == 23

    smtp = ("--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-security", "none")
    refused = guidegen(*mail, "--send", *smtp, cwd=tmp_path)
    assert refused.returncode == 2 and "add --skip-invalid" in refused.stderr
    assert server.received == []
    sent = guidegen(*mail, "--send", "--skip-invalid", *smtp, cwd=tmp_path)
    assert sent.returncode == 1
    assert "sent 23, already sent before 0, failed 0, uncertain 0; 2 of 25 rows get no " in (
        sent.stderr
    )
    delivered = {rcpt for rcpts, _ in server.received for rcpt in rcpts}
    missing = {rows[name]["email"] for name in ("Kwame Mensah", "Rafael Gomes")}
    assert delivered == {row["email"] for row in rows.values()} - missing
    (sofia,) = server.to("sofia.hernandez@example.com")
    message = email.message_from_bytes(sofia.as_bytes(), policy=policy.default)
    assert message["Subject"] == "Tu guía de transición profesional, Sofía"
    text = message.get_body(("plain",)).get_content()
    assert "arranca el lunes 1 de febrero de 2027" in text and "**" not in text
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "Guía de transición profesional - Sofía Hernández.pdf"
