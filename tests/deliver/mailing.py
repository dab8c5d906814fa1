"""A real SMTP server (aiosmtpd) on loopback, a manifest, and `guidegen email` as a user runs it."""

from __future__ import annotations

import csv
import email
import os
import socket
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PEOPLE = [
    ("Ana Souza", "ana@example.com", "Teacher", "Instructional Designer"),
    ("Ben <b>Okafor</b>", "ben@example.com", "Data Analyst", "Data Scientist"),
    ("Chloe Martin", "chloe@example.com", "Backend Developer", "AI Solutions Architect"),
]
BODY = "Hi {{ first_name }},\n\nYour guide to **{{ target_role }}** is attached.\n"
START = "2027-02-01"


class Recorder:
    """An SMTP server's handler that keeps what it receives and can misbehave on cue."""

    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []
        self.reject: set[str] = set()  # 550 at RCPT
        self.busy_once: set[str] = set()  # 451 at RCPT, once
        self.drop_once: set[str] = set()  # take the data, then hang up without a reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such user here"
        if address in self.busy_once:
            self.busy_once.discard(address)
            return "451 4.3.2 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        dropped = self.drop_once & set(envelope.rcpt_tos)
        if dropped:
            self.drop_once -= dropped
            server.transport.close()  # the message is in, the reply never goes out
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(content, policy=policy.default)
            for recipients, content in self.received
            if address in recipients
        ]


@pytest.fixture
def server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    recorder.port = port
    yield recorder
    controller.stop()


@pytest.fixture
def manifest(tmp_path) -> Path:
    folder = tmp_path / "cohort"
    folder.mkdir()
    path = folder / "manifest.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "row",
                "name",
                "email",
                "template",
                "status",
                "pdf",
                "docx",
                "error",
                "current_role",
                "target_role",
                "language",
                "start_date",
            ]
        )
        for number, (name, address, current, target) in enumerate(PEOPLE, start=2):
            pdf = f"person-{number}.pdf"
            (folder / pdf).write_bytes(PDF + f"% {name}\n".encode())
            writer.writerow(
                [number, name, address, "t", "rendered", pdf, "", "", current, target, "en", START]
            )
    (tmp_path / "body.md").write_text(BODY, encoding="utf-8")
    return path


def mail_command(manifest: Path, *args: str, port: int | None = None) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "guidegen",
        "email",
        str(manifest),
        "--subject",
        "Your transition guide, {{ first_name }}",
        "--body",
        str(manifest.parents[1] / "body.md"),
        "--from",
        "Northstar Coaching <coach@northstar.example>",
        "--retry-delay",
        "0.01",
        *args,
    ]
    if port is not None:
        command += [
            "--send",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(port),
            "--smtp-security",
            "none",
        ]
    return command


def mail(
    manifest: Path,
    *args: str,
    port: int | None = None,
    env: dict | None = None,
    drop: tuple[str, ...] = (),
):
    environment = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        mail_command(manifest, *args, port=port),
        capture_output=True,
        text=True,
        check=False,
        cwd=manifest.parents[1],
        env={**environment, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
