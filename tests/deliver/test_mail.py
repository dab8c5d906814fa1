"""Emailing guides through a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import os
import sqlite3
import subprocess

from tests.deliver.mailing import PDF, PEOPLE, mail, mail_command


def test_dry_run_writes_every_message_and_sends_nothing(manifest, server):
    run = mail(manifest)
    assert run.returncode == 0, run.stderr
    outbox = manifest.parent / "outbox"
    messages = sorted(outbox.glob("*.eml"))
    assert [m.name for m in messages] == ["person-2.eml", "person-3.eml", "person-4.eml"]
    assert server.received == []
    assert "dry run: 3 messages written" in run.stderr
    assert not (manifest.parent / "send-ledger.sqlite3").exists()


def test_the_dry_run_is_a_rehearsal_of_the_real_run(manifest, server):
    """Every message that can be written is; every row that can't is listed, with why."""
    text = manifest.read_text().replace("ana@example.com", "")
    text += "9,Failed Row,f@example.com,,failed,,,no template for 'Chef' → 'Astronaut',,,,\n"
    manifest.write_text(text)
    (manifest.parent / "outbox").mkdir()
    (manifest.parent / "outbox" / "someone-from-an-old-run.eml").write_text("stale")
    run = mail(manifest, "-q")
    assert run.returncode == 1, run.stderr  # someone would get nothing
    outbox = manifest.parent / "outbox"
    assert sorted(m.name for m in outbox.glob("*.eml")) == ["person-3.eml", "person-4.eml"]
    assert "not emailed: row 2 (Ana Souza): email: no email address" in run.stderr
    assert "not emailed: row 9 (Failed Row): no guide: no template for 'Chef'" in run.stderr
    assert server.received == []
    # --send asks for --skip-invalid, naming the row; the row with no guide cannot block it.
    refused = mail(manifest, port=server.port)
    assert refused.returncode == 2
    assert "row 2 (Ana Souza): email: no email address" in refused.stderr
    assert "add --skip-invalid" in refused.stderr and "Failed Row" not in refused.stderr
    assert server.received == []
    sent = mail(manifest, "--skip-invalid", port=server.port)
    assert sent.returncode == 1  # two people still get nothing
    assert "sent 2" in sent.stderr and "2 of 4 rows get no message" in sent.stderr


def test_each_person_gets_one_personal_message_with_their_pdf_once(manifest, server):
    run = mail(manifest, port=server.port)
    assert run.returncode == 0, run.stderr
    assert "sent 3, already sent before 0, failed 0, uncertain 0" in run.stderr
    for number, (name, address, _, target) in enumerate(PEOPLE, start=2):
        (message,) = server.to(address)
        first = name.split()[0]
        assert message["Subject"] == f"Your transition guide, {first}"
        assert message["From"] == "Northstar Coaching <coach@northstar.example>"
        assert message["Reply-To"] == "Northstar Coaching <coach@northstar.example>"
        assert message["Message-ID"] and message["Date"]
        text = message.get_body(("plain",)).get_content()
        assert f"Hi {first}," in text and f"Your guide to {target} is attached." in text
        html = message.get_body(("html",)).get_content()
        assert f"<strong>{target}</strong>" in html
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        filename = attachment.get_filename()
        assert filename.startswith("Career transition guide - ") and filename.endswith(".pdf")
        assert not set(filename) & set("<>/")
        assert attachment.get_content() == (manifest.parent / f"person-{number}.pdf").read_bytes()
    # Profile text is data in the HTML part: Ben's name is not markup.
    (ben,) = server.to("ben@example.com")
    assert "<b>" not in ben.get_body(("html",)).get_content()

    again = mail(manifest, port=server.port)
    assert again.returncode == 0
    assert "sent 0, already sent before 3" in again.stderr
    assert len(server.received) == 3


def test_retry_uncertain_and_resume(manifest, server):
    server.busy_once.add("ben@example.com")  # 451 once: retried, then delivered
    server.drop_once.add("chloe@example.com")  # data in, connection dropped before the reply
    first = mail(manifest, port=server.port)
    assert first.returncode == 1
    assert "sent 2, already sent before 0, failed 0, uncertain 1" in first.stderr
    assert "uncertain: Chloe Martin <chloe@example.com>" in first.stderr
    assert len(server.to("ben@example.com")) == 1
    assert len(server.to("chloe@example.com")) == 1  # it did arrive: that is why it is not resent

    second = mail(manifest, port=server.port)
    assert second.returncode == 1
    assert "sent 0, already sent before 2, failed 0, uncertain 1" in second.stderr
    assert len(server.to("chloe@example.com")) == 1

    third = mail(manifest, "--resend-uncertain", port=server.port)
    assert third.returncode == 0, third.stderr
    assert "sent 1, already sent before 2" in third.stderr
    assert len(server.to("chloe@example.com")) == 2
    assert len(server.to("ana@example.com")) == 1

    forced = mail(manifest, "--resend", "ana@example.com", port=server.port)
    assert forced.returncode == 0
    assert len(server.to("ana@example.com")) == 2


def test_a_permanent_refusal_is_reported_and_the_others_arrive(manifest, server):
    server.reject.add("ben@example.com")
    run = mail(manifest, port=server.port)
    assert run.returncode == 1
    assert "failed: Ben <b>Okafor</b> <ben@example.com>: 550" in run.stderr
    assert len(server.to("ana@example.com")) == 1 and len(server.to("chloe@example.com")) == 1
    server.reject.clear()
    retry = mail(manifest, port=server.port)  # a failed message was not sent: it goes now
    assert retry.returncode == 0
    assert "sent 1, already sent before 2" in retry.stderr


def test_a_run_that_died_mid_send_reports_uncertain(manifest, server):
    assert mail(manifest, "--limit", "1", port=server.port).returncode == 0
    ledger = sqlite3.connect(manifest.parent / "send-ledger.sqlite3")
    ledger.execute(
        "INSERT INTO messages (key, email, message_id, state, attempts, detail, updated)"
        " VALUES ('ben@example.com person-3.pdf', 'ben@example.com', '<x>', 'sending', 1, '', '')"
    )
    ledger.commit()
    ledger.close()
    run = mail(manifest, port=server.port)
    assert run.returncode == 1
    assert "uncertain: Ben <b>Okafor</b> <ben@example.com>: a previous run stopped" in run.stderr
    assert server.to("ben@example.com") == []
    assert len(server.to("chloe@example.com")) == 1


def test_limit_and_rate(manifest, server):
    run = mail(manifest, "--limit", "2", "--rate", "6000", port=server.port)
    assert run.returncode == 0
    assert "sent 2" in run.stderr and "not sent (--limit) 1" in run.stderr
    assert len(server.received) == 2
    rest = mail(manifest, port=server.port)
    assert "sent 1, already sent before 2" in rest.stderr


def test_bad_addresses_and_attachments_stop_everything_unless_skipped(manifest, server):
    text = (
        manifest.read_text()
        .replace("ana@example.com", "ana-at-example")
        .replace("person-3.pdf", "missing.pdf")
    )
    manifest.write_text(text)
    (manifest.parent / "person-4.pdf").write_bytes(b"%PDF-1.7\ntruncated")
    run = mail(manifest, port=server.port)
    assert run.returncode == 2
    assert "error: 3 problems:" in run.stderr
    assert "row 2 (Ana Souza): email: got 'ana-at-example'" in run.stderr
    assert (
        "row 3 (Ben <b>Okafor</b>): pdf: got 'missing.pdf'; cannot read the attachment"
        in run.stderr
    )
    assert "row 4 (Chloe Martin): pdf: got 'person-4.pdf'; not a complete PDF file" in run.stderr
    assert "Nothing was sent" in run.stderr
    assert server.received == []
    (manifest.parent / "person-4.pdf").write_bytes(PDF)
    skipping = mail(manifest, "--skip-invalid", port=server.port)
    assert skipping.returncode == 1  # the skipped rows count as not sent
    assert [r for r, _ in server.received] == [["chloe@example.com"]]


def test_settings_file_and_password_rules(manifest, server):
    config = manifest.parents[1] / "guidegen.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n')
    run = mail(manifest, "--send")
    assert run.returncode == 0, run.stderr
    assert len(server.received) == 3
    config.write_text(config.read_text() + 'password = "hunter2"\n')
    refused = mail(manifest, "--send")
    assert refused.returncode == 2
    assert "a password in a file is not accepted" in refused.stderr
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nuser = "coach"\n')
    no_password = mail(manifest, "--send", "--smtp-security", "none")
    assert no_password.returncode == 2
    assert "set GUIDEGEN_SMTP_PASSWORD" in no_password.stderr


def test_ctrl_c_while_sending_then_resume_without_duplicates(manifest, server):
    import signal
    import time

    command = mail_command(manifest, "--rate", "60", port=server.port)  # one a second
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not server.received:
        time.sleep(0.05)
    time.sleep(0.3)  # past the first reply, into the --rate pause before the next message
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "run the same command again" in stderr
    sent_before = len(server.received)
    assert 1 <= sent_before < 3
    resumed = mail(manifest, port=server.port)
    assert resumed.returncode == 0, resumed.stderr
    assert f"already sent before {sent_before}" in resumed.stderr
    assert sorted(r for rs, _ in server.received for r in rs) == [
        "ana@example.com",
        "ben@example.com",
        "chloe@example.com",
    ]
