"""The mail providers coaches use: verified TLS, logins, XOAUTH2, a pre-flight.

Every test talks to a real aiosmtpd server on loopback with a real TLS handshake:
the certificates come from a throwaway CA made by `trustme`.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import sqlite3
import ssl
import sys
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.deliver.mailing import Recorder, mail

USER = "coach@northstar.example"
PASSWORD = "app-password-1"


class Provider(Recorder):
    """A mail provider: counts connections, checks logins and XOAUTH2 strings."""

    def __init__(self):
        super().__init__()
        self.ehlos = 0
        self.tokens_accepted: set[str] = set()
        self.tokens_seen: list[str] = []
        self.mails = 0
        self.hang_up_at_mail: set[int] = set()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.ehlos += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mails += 1
        if self.mails in self.hang_up_at_mail:
            server.transport.close()  # the connection drops between two messages
        envelope.mail_from = address
        return "250 OK"

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data == LoginPassword(
            USER.encode(), PASSWORD.encode()
        )
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd replies 535

    async def auth_XOAUTH2(self, server, args):
        """RFC-less but universal: base64('user=U\\x01auth=Bearer T\\x01\\x01')."""
        blob = base64.b64decode(args[1]) if len(args) == 2 else b""
        match = re.fullmatch(rb"user=([^\x01]+)\x01auth=Bearer ([^\x01]+)\x01\x01", blob)
        token = match[2].decode() if match else ""
        self.tokens_seen.append(token)
        if match and match[1].decode() == USER and token in self.tokens_accepted:
            return AuthResult(success=True, auth_data=USER)
        # What Google and Microsoft do: a 334 with a JSON error, an empty reply, then 535.
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer"}))
        return AuthResult(
            success=False, handled=False, message="535 5.7.8 Username and Password not accepted"
        )


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def provider(request, ca):
    """A server: STARTTLS (or SMTPS with the `smtps` marker), a certificate for
    `localhost` from `ca`, and a login required."""
    options = getattr(request, "param", {})
    issuer = options.get("ca") or ca
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    issuer.issue_cert(options.get("name", "localhost")).configure_cert(context)
    handler = Provider()
    port = free_port()
    tls = (
        {"ssl_context": context}
        if options.get("smtps")
        else {"tls_context": context, "require_starttls": True}
    )
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=handler.authenticator,
        auth_required=True,
        # aiosmtpd knows TLS from STARTTLS only; an SMTPS connection is TLS from the start.
        auth_require_tls=not options.get("smtps"),
        **tls,
    )
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


def settings(manifest: Path, port: int, *, security="starttls", ca_file="ca.pem", **more) -> Path:
    lines = [
        "[smtp]",
        'host = "localhost"',
        f"port = {port}",
        f'security = "{security}"',
        f'user = "{USER}"',
    ]
    if ca_file:
        lines.append(f'ca_file = "{ca_file}"')
    lines += [f"{key} = {json.dumps(value)}" for key, value in more.items()]
    path = manifest.parents[1] / "guidegen.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def ledger_rows(manifest: Path) -> list:
    path = manifest.parent / "send-ledger.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT email, state FROM messages").fetchall()


def test_starttls_verified_against_the_ca_bundle_in_the_settings(manifest, provider, ca):
    ca.cert_pem.write_to_path(str(manifest.parents[1] / "ca.pem"))
    settings(manifest, provider.port)
    run = mail(manifest, "--send", env={"GUIDEGEN_SMTP_PASSWORD": PASSWORD})
    assert run.returncode == 0, run.stderr
    # The server refuses MAIL before STARTTLS and before a login: delivery proves both.
    assert len(provider.received) == 3
    assert {state for _, state in ledger_rows(manifest)} == {"sent"}


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("provider", [{"smtps": True}], indirect=True)
def test_smtps_verified_against_ssl_cert_file(manifest, provider, ca, tmp_path):
    ca.cert_pem.write_to_path(str(tmp_path / "company-ca.pem"))
    settings(manifest, provider.port, security="ssl", ca_file=None)
    run = mail(
        manifest,
        "--send",
        env={"GUIDEGEN_SMTP_PASSWORD": PASSWORD, "SSL_CERT_FILE": str(tmp_path / "company-ca.pem")},
    )
    assert run.returncode == 0, run.stderr
    assert len(provider.received) == 3


@pytest.mark.parametrize("provider", [{"ca": trustme.CA()}], indirect=True)
def test_an_untrusted_certificate_stops_the_run_at_once_and_marks_nobody(manifest, provider, ca):
    ca.cert_pem.write_to_path(str(manifest.parents[1] / "ca.pem"))  # not the server's CA
    settings(manifest, provider.port)
    run = mail(manifest, "--send", env={"GUIDEGEN_SMTP_PASSWORD": PASSWORD})
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"the certificate of localhost:{provider.port} is not trusted" in run.stderr
    assert "ca.pem (ca_file in guidegen.toml)" in run.stderr and "SSL_CERT_FILE" in run.stderr
    assert provider.ehlos == 1  # one try, not one per person (nor four)
    assert provider.received == [] and ledger_rows(manifest) == []
    # The system's trust store does not know a private CA either: never unverified.
    settings(manifest, provider.port, ca_file=None)
    system = mail(
        manifest, "--send", env={"GUIDEGEN_SMTP_PASSWORD": PASSWORD}, drop=("SSL_CERT_FILE",)
    )
    assert system.returncode == 2
    assert "checked against the system's trusted certificates" in system.stderr


@pytest.mark.parametrize("provider", [{"name": "mail.northstar.test"}], indirect=True)
def test_a_certificate_for_another_host_is_refused(manifest, provider, ca):
    ca.cert_pem.write_to_path(str(manifest.parents[1] / "ca.pem"))
    settings(manifest, provider.port)
    run = mail(manifest, "--send", env={"GUIDEGEN_SMTP_PASSWORD": PASSWORD})
    assert run.returncode == 2
    assert f"the certificate of localhost:{provider.port} is not for 'localhost'" in run.stderr
    assert "Set host to the name on the server's certificate" in run.stderr
    assert provider.received == [] and ledger_rows(manifest) == []


def test_a_refused_login_is_a_setup_error_not_a_failed_person(manifest, provider, ca):
    ca.cert_pem.write_to_path(str(manifest.parents[1] / "ca.pem"))
    settings(manifest, provider.port)
    run = mail(manifest, "--send", env={"GUIDEGEN_SMTP_PASSWORD": "wrong"})
    assert run.returncode == 2
    assert f"the SMTP server refused the login for {USER}: 535" in run.stderr
    assert provider.ehlos == 2  # EHLO, STARTTLS, EHLO: one connection, no retries
    assert provider.received == [] and ledger_rows(manifest) == []


def test_a_server_that_cannot_be_reached_stops_the_run_and_marks_nobody(manifest):
    port = free_port()  # nothing listens there
    run = mail(
        manifest,
        "--send",
        "--retries",
        "1",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        str(port),
        "--smtp-security",
        "none",
    )
    assert run.returncode == 2
    assert f"cannot connect to 127.0.0.1:{port} (tried 2 times)" in run.stderr
    assert "nobody was marked sent or failed" in run.stderr
    assert ledger_rows(manifest) == []


def write_token_command(folder: Path, tokens: list[str]) -> str:
    """A command that prints the next token of `tokens` each time it runs."""
    script = folder / "fetch_token.py"  # not token.py: that would shadow a stdlib module
    script.write_text(
        "import pathlib, sys\n"
        "state = pathlib.Path(sys.argv[1])\n"
        "runs = int(state.read_text()) if state.exists() else 0\n"
        "state.write_text(str(runs + 1))\n"
        f"tokens = {tokens!r}\n"
        "print(tokens[min(runs, len(tokens) - 1)])\n"
    )
    return f"{sys.executable} {script} {folder / 'token-runs'}"


def token_runs(folder: Path) -> int:
    return int((folder / "token-runs").read_text())


def test_xoauth2_with_a_token_from_a_command_run_for_each_connection(manifest, provider, ca):
    folder = manifest.parents[1]
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    provider.tokens_accepted = {"ya29.fresh"}
    provider.hang_up_at_mail = {2}  # the connection drops before the second message
    settings(manifest, provider.port, token_command=write_token_command(folder, ["ya29.fresh"]))
    run = mail(manifest, "--send")  # no password anywhere
    assert run.returncode == 0, run.stderr
    assert len(provider.received) == 3
    assert token_runs(folder) == 2  # a fresh token for each of the two connections
    assert provider.tokens_seen == ["ya29.fresh", "ya29.fresh"]


def test_an_expired_token_is_fetched_again_once(manifest, provider, ca):
    folder = manifest.parents[1]
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    provider.tokens_accepted = {"ya29.renewed"}
    command = write_token_command(folder, ["ya29.expired", "ya29.renewed"])
    run = mail(
        manifest,
        "--send",
        "--smtp-token-command",
        command,
        "--smtp-host",
        "localhost",
        "--smtp-port",
        str(provider.port),
        "--smtp-user",
        USER,
        "--config",
        str(settings(manifest, provider.port)),
    )
    assert run.returncode == 0, run.stderr
    assert provider.tokens_seen == ["ya29.expired", "ya29.renewed"]
    assert len(provider.received) == 3


def test_a_token_refused_twice_is_a_clear_error(manifest, provider, ca):
    folder = manifest.parents[1]
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    command = write_token_command(folder, ["ya29.expired", "ya29.still-expired"])
    settings(manifest, provider.port, token_command=command)
    run = mail(manifest, "--send")
    assert run.returncode == 2
    assert f"the SMTP server refused the access token for {USER} twice: 535" in run.stderr
    assert "SMTP.Send" in run.stderr  # says what to check
    assert token_runs(folder) == 2
    assert provider.received == [] and ledger_rows(manifest) == []


def test_a_failing_token_command_says_so(manifest, provider, ca):
    ca.cert_pem.write_to_path(str(manifest.parents[1] / "ca.pem"))
    command = f"{sys.executable} -c \"import sys; sys.exit('oama: no refresh token for {USER}')\""
    settings(manifest, provider.port, token_command=command)
    run = mail(manifest, "--send")
    assert run.returncode == 2
    assert f"the token command failed (exit code 1): oama: no refresh token for {USER}" in (
        run.stderr
    )
    assert ledger_rows(manifest) == []


def test_check_is_a_pre_flight_that_sends_and_writes_nothing(manifest, provider, ca):
    folder = manifest.parents[1]
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    settings(manifest, provider.port)
    (manifest.parent / "person-3.pdf").unlink()
    run = mail(manifest, "--check", env={"GUIDEGEN_SMTP_PASSWORD": PASSWORD})
    assert run.returncode == 1, run.stderr  # Ben would get nothing
    out = run.stdout
    assert "nothing is sent or written" in out
    assert "2 of 3 people will get their guide by email" in out
    assert "first subject (row 2): Your transition guide, Ana" in out
    assert "1 will not:" in out
    assert "row 3 (Ben <b>Okafor</b>): pdf: got 'person-3.pdf'; cannot read the attachment" in out
    assert "Attachments missing or damaged: 1" in out
    assert (
        f"SMTP: localhost:{provider.port}, STARTTLS, certificate verified against the CA "
        f"bundle ca.pem (ca_file in guidegen.toml), logged in as {USER}"
    ) in out
    assert provider.received == []
    assert not (manifest.parent / "outbox").exists() and ledger_rows(manifest) == []


def test_settings_are_checked_for_typos_and_unencrypted_logins(manifest):
    config = settings(manifest, 2525, tokencommand="x")
    run = mail(manifest, "--send")
    assert run.returncode == 2
    assert "smtp.tokencommand: unknown setting; did you mean 'token_command'?" in run.stderr
    config.write_text(f'[smtp]\nhost = "mail.example.com"\nsecurity = "none"\nuser = "{USER}"\n')
    clear = mail(manifest, "--send", env={"GUIDEGEN_SMTP_PASSWORD": PASSWORD})
    assert clear.returncode == 2
    assert "would send the login for coach@northstar.example unencrypted" in clear.stderr
