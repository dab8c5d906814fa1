"""The ledger's claims: two runs that share a ledger, without the folder lock (a file
system that cannot lock, a library caller), still never send one message twice."""

from __future__ import annotations

import sqlite3
import threading

from guidegen.deliver.compose import Composer, load_templates
from guidegen.deliver.mail import (
    SENDING,
    SENT,
    UNCERTAIN,
    Ledger,
    SendOptions,
    SmtpSettings,
    deliver,
    plan_mail,
)
from tests.deliver.mailing import PEOPLE


def test_two_runs_sharing_a_ledger_send_each_message_once(manifest, server):
    plan = plan_mail(manifest)
    templates = load_templates(manifest.parents[1] / "body.md", "Your guide, {{ first_name }}")
    settings = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
    outcomes: list[list[str]] = [[], []]
    start = threading.Barrier(2)

    def run(index: int) -> None:
        composer = Composer(templates, sender="Coach <coach@northstar.example>")
        start.wait()
        for outcome in deliver(plan, composer, SendOptions(dry_run=False), settings):
            outcomes[index].append(outcome.status)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a run hung on the ledger"
    statuses = outcomes[0] + outcomes[1]
    assert statuses.count("sent") == len(PEOPLE), outcomes
    # The other run's messages are "already sent" or "being sent by another run",
    # never "uncertain".
    assert set(statuses) <= {"sent", "already-sent", "elsewhere"}, outcomes
    received = sorted(r for recipients, _ in server.received for r in recipients)
    assert received == sorted(address for _, address, _, _ in PEOPLE)


def test_a_claim_is_taken_once_and_a_dead_runs_claim_becomes_uncertain(tmp_path):
    path = tmp_path / "send-ledger.sqlite3"
    first, second = Ledger(path), Ledger(path)
    claim = {"forced": False, "resend_uncertain": False}
    assert first.claim("k", "a@example.com", "<m>", **claim) is None
    assert first.state("k")[0] == SENDING
    status, detail = second.claim("k", "a@example.com", "<m>", **claim)
    assert (status, detail) == (
        "elsewhere",
        "another run sharing this ledger is sending it right now",
    )
    first.set("k", "a@example.com", "<m>", SENT)
    assert second.claim("k", "a@example.com", "<m>", **claim)[0] == SENT
    # A claim by a process that is gone: the message may have gone out.
    first.connection.execute(
        "UPDATE messages SET state = 'sending', owner = ? || ':999999999:x'",
        (first.owner.split(":")[0],),
    )
    assert second.claim("k", "a@example.com", "<m>", **claim)[0] == UNCERTAIN
    assert first.state("k") == (UNCERTAIN, "a previous run stopped while sending it")
    assert second.claim("k", "a@example.com", "<m>", forced=False, resend_uncertain=True) is None
    first.close()
    second.close()


def test_a_ledger_from_before_claims_is_upgraded(tmp_path):
    path = tmp_path / "send-ledger.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute(
            "CREATE TABLE messages (key TEXT PRIMARY KEY, email TEXT NOT NULL, message_id TEXT"
            " NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, detail TEXT"
            " NOT NULL DEFAULT '', updated TEXT NOT NULL)"
        )
        old.execute("INSERT INTO messages VALUES ('k', 'a@example.com', '<m>', 'sent', 1, '', '')")
    ledger = Ledger(path)
    assert ledger.claim("k", "a@example.com", "<m>", forced=False, resend_uncertain=False) == (
        SENT,
        "",
    )
    ledger.close()
