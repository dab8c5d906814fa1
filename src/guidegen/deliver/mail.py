"""Emailing each person their guide, exactly once, even when the mail server fails.

The batch's manifest says who gets what, and in which language. Each message
is composed by `guidegen.deliver.compose` (a personal subject and Markdown body,
HTML and plain text, in the person's language) with the person's PDF attached
(and the .docx on request).

A send ledger (SQLite, beside the manifest) records every message's state, and
each change is committed before the next step, so any stop can be resumed by
running the same command again:

    pending -> sending -> sent
                  |-> failed     (a 5xx reply, or retries exhausted: sent again next run)
                  '-> uncertain  (the connection broke after the message data went out,
                                  or a run died mid-send: never resent silently)

The connection is verified for real: STARTTLS and SMTPS check the server's
certificate against the system's trusted certificates or a CA bundle (`ca_file`
in guidegen.toml, or SSL_CERT_FILE). A certificate, TLS or login problem is the
settings', not a person's: the run stops at the first one, says what to fix,
and the ledger hears nothing of it. Logins are a password or XOAUTH2 with an
access token that a command prints (`token_command`), run afresh for each
connection as msmtp does.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import smtplib
import sqlite3
import ssl
import subprocess
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import parseaddr
from pathlib import Path

from guidegen.deliver.compose import Composer, Person
from guidegen.deliver.output import ensure_folder, spreadsheet_value, write_atomic
from guidegen.errors import Problem, UserError
from guidegen.models.common import check_email

LEDGER = "send-ledger.sqlite3"
OUTBOX = "outbox"
CONFIG_FILE = "guidegen.toml"
PASSWORD_VARIABLE = "GUIDEGEN_SMTP_PASSWORD"
SENT, FAILED, UNCERTAIN, SENDING = "sent", "failed", "uncertain", "sending"
SECURITY = ("none", "starttls", "ssl")
SENDABLE = {"rendered", "unchanged"}
SETTINGS_KEYS = ("host", "port", "security", "user", "token_command", "ca_file", "timeout")
TOKEN_COMMAND_SECONDS = 120
X509_HOSTNAME_MISMATCH = 62


@dataclass
class SmtpSettings:
    host: str
    port: int
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    token_command: str | None = None
    """A command that prints an OAuth2 access token: the login is XOAUTH2."""
    ca_file: Path | None = None
    """The CA bundle to verify the server against, instead of the system's."""

    @property
    def login(self) -> str:
        if self.token_command:
            return "XOAUTH2"
        return "password" if self.user else "none"

    def trust(self) -> tuple[Path | None, str]:
        """The CA bundle to use (None: the system's), and how to say which."""
        if self.ca_file is not None:
            return self.ca_file, f"the CA bundle {self.ca_file} (ca_file in {CONFIG_FILE})"
        variable = os.environ.get("SSL_CERT_FILE")
        if variable:
            return Path(variable), f"the CA bundle {variable} (SSL_CERT_FILE)"
        return None, "the system's trusted certificates"


@dataclass
class Recipient(Person):
    """One manifest row with a guide to send."""

    row: str = ""


@dataclass
class Unsendable:
    """A manifest row that gets no message, and why."""

    row: str
    name: str
    email: str
    reason: str
    no_guide: bool = False
    """True when the batch made no guide (fixed in the cohort, not here)."""
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        who = f" ({self.name})" if self.name else ""
        return f"row {self.row}{who}: {self.reason}"


@dataclass
class MailPlan:
    """Who gets a message, and every row that cannot get one."""

    manifest: Path
    recipients: list[Recipient]
    unsendable: list[Unsendable] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """The problems of rows that have a guide but a bad address or attachment."""
        return [p for row in self.unsendable if not row.no_guide for p in row.problems]

    @property
    def invalid(self) -> list[Unsendable]:
        return [row for row in self.unsendable if not row.no_guide]

    @property
    def no_guide(self) -> list[Unsendable]:
        return [row for row in self.unsendable if row.no_guide]

    @property
    def rows(self) -> int:
        return len(self.recipients) + len(self.unsendable)


@dataclass
class Outcome:
    recipient: Recipient
    status: str
    """sent, already-sent, failed, uncertain, written (dry run), skipped (--limit)."""
    detail: str = ""


# --- reading the manifest ------------------------------------------------------------------------


def plan_mail(manifest: Path, *, attach_docx: bool = False) -> MailPlan:
    """Read the manifest; check every address and attachment, collecting every problem."""
    import csv

    try:
        with manifest.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise UserError(
            Problem("no such manifest; run `guidegen batch` first", file=manifest)
        ) from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(Problem(f"cannot read this manifest: {error}", file=manifest)) from None
    if rows and not {"name", "email", "status", "pdf"} <= set(rows[0]):
        raise UserError(
            Problem(
                "this is not a guidegen manifest (no name/email/status/pdf columns)", file=manifest
            )
        )
    plan = MailPlan(manifest=manifest, recipients=[])
    folder = manifest.parent
    for row in rows:
        number, name = row.get("row") or "?", spreadsheet_value(row.get("name") or "")
        where = {"file": manifest, "row": _int(row.get("row")), "subject": name or None}
        address = (row.get("email") or "").strip()
        if row.get("status") not in SENDABLE:
            error = spreadsheet_value(row.get("error") or "") or row.get("status") or "no status"
            error = error.split("; to fix: ")[0]  # how to fix it is the batch's to say
            plan.unsendable.append(
                Unsendable(number, name, address, f"no guide: {error}", no_guide=True)
            )
            continue
        problems = []
        try:
            address = check_email(address) if address else address
        except ValueError as error:
            problems.append(
                Problem(str(error), field="email", value=address, has_value=True, **where)
            )
        if not address:
            problems.append(Problem("no email address for this person", field="email", **where))
        attachments = []
        for column in ("pdf", "docx") if attach_docx else ("pdf",):
            problem = _check_attachment(folder, row.get(column) or "", column, where)
            if problem:
                problems.append(problem)
            else:
                attachments.append(folder / row[column])
        if problems:
            reason = "; ".join(_without_location(p) for p in problems)
            plan.unsendable.append(Unsendable(number, name, address, reason, problems=problems))
            continue
        plan.recipients.append(
            Recipient(
                row=number,
                name=name,
                email=address,
                fields={key: spreadsheet_value(value or "") for key, value in row.items() if key},
                language=(row.get("language") or "").strip() or None,
                attachments=attachments,
                key=f"{address.casefold()} {attachments[0].name}",
            )
        )
    return plan


def _without_location(problem: Problem) -> str:
    text = problem.message
    if problem.has_value:
        text = f"got {problem.value!r}; {text}"
    return f"{problem.field}: {text}" if problem.field else text


def _check_attachment(folder: Path, name: str, column: str, where: dict) -> Problem | None:
    if not name:
        return Problem(f"no {column} in the manifest for this person", field=column, **where)
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        return Problem(
            "the file is outside the manifest's folder",
            field=column,
            value=name,
            has_value=True,
            **where,
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            handle.seek(max(0, path.stat().st_size - 1024))
            tail = handle.read()
    except OSError as error:
        return Problem(
            f"cannot read the attachment: {error.strerror}",
            field=column,
            value=name,
            has_value=True,
            **where,
        )
    if column == "pdf" and not (head.startswith(b"%PDF-") and b"%%EOF" in tail):
        return Problem("not a complete PDF file", field=column, value=name, has_value=True, **where)
    if column == "docx" and not head.startswith(b"PK"):
        return Problem("not a Word file", field=column, value=name, has_value=True, **where)
    return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- the ledger ----------------------------------------------------------------------------------


class Ledger:
    """Every message's state, committed at each step (SQLite, in the output folder)."""

    def __init__(self, path: Path):
        self.path = path
        self.connection = sqlite3.connect(path, isolation_level=None)  # autocommit
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS messages ("
            " key TEXT PRIMARY KEY, email TEXT NOT NULL, message_id TEXT NOT NULL,"
            " state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
            " detail TEXT NOT NULL DEFAULT '', updated TEXT NOT NULL)"
        )

    def state(self, key: str) -> tuple[str, str] | None:
        row = self.connection.execute(
            "SELECT state, detail FROM messages WHERE key = ?", (key,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def set(self, key: str, email: str, message_id: str, state: str, detail: str = "") -> None:
        self.connection.execute(
            "INSERT INTO messages (key, email, message_id, state, attempts, detail, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET state = excluded.state,"
            " detail = excluded.detail, updated = excluded.updated,"
            " attempts = messages.attempts + (excluded.state = 'sending')",
            (key, email, message_id, state, int(state == SENDING), detail, _now()),
        )

    def close(self) -> None:
        self.connection.close()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# --- sending -------------------------------------------------------------------------------------


class Transient(Exception):
    """Worth another try: a 4xx reply, a dropped connection before the data, a time-out."""


class Permanent(Exception):
    """A 5xx reply: this message will not go through as it is."""


class Uncertain(Exception):
    """The connection broke after the message data went out: it may have been delivered."""


class SmtpSetupError(UserError):
    """The settings are wrong (certificate, TLS, login): no person's fault, stop the run."""


class SmtpSender:
    """One SMTP connection, verified and logged in, reused for many messages and
    re-opened when it drops."""

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        retries: int = 3,
        retry_delay: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self.retries = retries
        self.retry_delay = retry_delay
        self.sleep = sleep
        self.connection: smtplib.SMTP | None = None
        self.tokens_run = 0

    # --- connecting ------------------------------------------------------------------------

    def connect(self) -> smtplib.SMTP:
        """The open connection, or a new one: retried while the server cannot be
        reached; a setup problem (certificate, TLS, login) raises SmtpSetupError at once."""
        if self.connection is not None:
            return self.connection
        delay, error = self.retry_delay, None
        for attempt in range(self.retries + 1):
            try:
                self.connection = self._open()
                return self.connection
            except Transient as problem:
                error = problem
                if attempt < self.retries:
                    self.sleep(delay)
                    delay *= 2
        settings = self.settings
        raise UserError(
            f"cannot connect to {settings.host}:{settings.port} "
            f"(tried {self.retries + 1} times): {error}",
            hint="Check host, port and security in guidegen.toml or the --smtp-* options. "
            "If they are right the server may be down: run the same command again later; "
            "nobody was marked sent or failed by this.",
        )

    def _open(self) -> smtplib.SMTP:
        settings = self.settings
        where = f"{settings.host}:{settings.port}"
        try:
            if settings.security == "ssl":
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host, settings.port, timeout=settings.timeout, context=self._tls()
                )
            else:
                connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
                if settings.security == "starttls":
                    connection.ehlo()
                    connection.starttls(context=self._tls())
            connection.ehlo_or_helo_if_needed()
        except ssl.SSLCertVerificationError as error:
            raise self._certificate_error(error) from None
        except ssl.SSLError as error:
            raise SmtpSetupError(
                f"the TLS handshake with {where} failed: {error.reason or error}",
                hint=f"Check the port and security: {settings.security!r} on port "
                f'{settings.port}. Port 465 is usually security = "ssl", 587 "starttls".',
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise SmtpSetupError(
                f"{where} does not offer STARTTLS, so the connection cannot be encrypted",
                hint='Use security = "ssl" (usually port 465); use "none" only for a relay '
                "on a network you trust, without a login.",
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise Transient(f"{type(error).__name__}: {error}") from None
        try:
            self._login(connection)
        except BaseException:
            with suppress(smtplib.SMTPException, OSError):
                connection.close()
            raise
        return connection

    def _tls(self) -> ssl.SSLContext:
        bundle, described = self.settings.trust()
        if bundle is None:
            return ssl.create_default_context()
        try:
            return ssl.create_default_context(cafile=str(bundle))
        except (OSError, ssl.SSLError) as error:
            raise SmtpSetupError(
                f"cannot read {described}: {getattr(error, 'strerror', None) or error}",
                hint="Give a PEM file of the CA certificates to trust.",
            ) from None

    def _certificate_error(self, error: ssl.SSLCertVerificationError) -> SmtpSetupError:
        settings = self.settings
        where = f"{settings.host}:{settings.port}"
        _, described = settings.trust()
        if error.verify_code == X509_HOSTNAME_MISMATCH:
            return SmtpSetupError(
                f"the certificate of {where} is not for {settings.host!r} ({error.verify_message})",
                hint="Set host to the name on the server's certificate (the provider's "
                "documented host name, not an IP address or an alias).",
            )
        return SmtpSetupError(
            f"the certificate of {where} is not trusted: {error.verify_message} "
            f"(checked against {described})",
            hint="If the server uses a private or company CA, give its certificate: "
            f'ca_file = "/path/to/ca.pem" in [smtp] of {CONFIG_FILE}, or SSL_CERT_FILE. '
            "The connection is never made unverified.",
        )

    def _login(self, connection: smtplib.SMTP) -> None:
        settings = self.settings
        if settings.token_command:
            self._login_xoauth2(connection)
            return
        if not settings.user:
            return
        try:
            connection.login(settings.user, settings.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise SmtpSetupError(
                f"the SMTP server refused the login for {settings.user}: "
                f"{error.smtp_code} {_text(error.smtp_error)}",
                hint="Check the user and the password (many providers want an app password; "
                "Microsoft 365 and Google Workspace want OAuth2: see token_command).",
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise SmtpSetupError(
                f"{settings.host} offers no login on this connection",
                hint='Most servers offer it only after STARTTLS: use security = "starttls" '
                'or "ssl".',
            ) from None
        except smtplib.SMTPException as error:
            raise SmtpSetupError(f"cannot log in to {settings.host}: {error}") from None

    def _login_xoauth2(self, connection: smtplib.SMTP) -> None:
        settings = self.settings
        offered = connection.esmtp_features.get("auth", "").upper().split()
        if "XOAUTH2" not in offered:
            raise SmtpSetupError(
                f"{settings.host} does not offer XOAUTH2 login "
                f"(it offers: {', '.join(offered) or 'no login'})",
                hint="Check host and security; or log in with a password instead of token_command.",
            )
        refused = None
        for _ in range(2):  # a token that just expired: ask the command for a fresh one, once
            token = self._token()
            try:
                connection.auth("XOAUTH2", _xoauth2(settings.user or "", token))
                return
            except smtplib.SMTPAuthenticationError as error:
                refused = error
        raise SmtpSetupError(
            f"the SMTP server refused the access token for {settings.user} twice: "
            f"{refused.smtp_code} {_text(refused.smtp_error)}",
            hint="The token command ran twice and its token was refused both times: check "
            "that it gives a token for this account with SMTP permission (Microsoft 365: "
            "the SMTP.Send scope; Google: https://mail.google.com/), and that user is that "
            "account.",
        )

    def _token(self) -> str:
        command = self.settings.token_command or ""
        self.tokens_run += 1
        try:
            done = subprocess.run(
                command,
                shell=True,  # like msmtp's passwordeval: a command line from the user's settings
                capture_output=True,
                text=True,
                timeout=TOKEN_COMMAND_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SmtpSetupError(
                f"the token command did not finish in {TOKEN_COMMAND_SECONDS} s: {command}"
            ) from None
        except OSError as error:
            raise SmtpSetupError(f"cannot run the token command {command}: {error}") from None
        if done.returncode != 0:
            said = (done.stderr.strip().splitlines() or ["(it printed nothing on stderr)"])[-1]
            raise SmtpSetupError(
                f"the token command failed (exit code {done.returncode}): {said}",
                hint=f"Run it yourself to see why: {command}",
            )
        lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
        if not lines:
            raise SmtpSetupError(
                "the token command printed no access token", hint=f"Command: {command}"
            )
        return lines[0]

    # --- sending ---------------------------------------------------------------------------

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        connection = self.connect()
        try:
            code, reply = connection.mail(sender)
            if code != 250:
                self._refused(code, reply)
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                self._refused(code, reply)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self.close()
            raise Transient(f"connection lost: {error}") from None
        try:
            # From here the outcome of a broken connection is unknown.
            code, reply = connection.data(message.as_bytes(policy=SMTP_POLICY))
        except smtplib.SMTPDataError as error:  # refused before the message went out
            self._refused(error.smtp_code, error.smtp_error)
        except (smtplib.SMTPServerDisconnected, OSError, TimeoutError) as error:
            self.close()
            raise Uncertain(f"the connection broke after the message was sent: {error}") from None
        if code != 250:  # the server answered, and did not take it
            self._refused(code, reply)

    def verify(self) -> str:
        """Connect, verify, log in and leave: what a pre-flight says of the server."""
        settings = self.settings
        self.connect()
        self.close()
        parts = [f"{settings.host}:{settings.port}"]
        if settings.security == "none":
            parts.append("not encrypted")
        else:
            parts.append(
                f"{'SMTPS' if settings.security == 'ssl' else 'STARTTLS'}, certificate "
                f"verified against {settings.trust()[1]}"
            )
        if settings.token_command:
            parts.append(f"logged in as {settings.user} with XOAUTH2")
        elif settings.user:
            parts.append(f"logged in as {settings.user}")
        return ", ".join(parts)

    def _refused(self, code: int, reply: bytes | str) -> None:
        text = _text(reply)
        self._reset()
        if 400 <= code < 500:
            raise Transient(f"{code} {text}")
        raise Permanent(f"{code} {text}")

    def _reset(self) -> None:
        try:
            if self.connection is not None:
                self.connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        if self.connection is not None:
            with suppress(smtplib.SMTPException, OSError):
                self.connection.quit()
            self.connection = None


def _xoauth2(user: str, token: str) -> Callable[..., str]:
    """smtplib's auth object for XOAUTH2: the initial response, then an empty reply to
    the server's error challenge so that it answers with its 535."""

    def respond(challenge: bytes | None = None) -> str:
        return f"user={user}\x01auth=Bearer {token}\x01\x01" if challenge is None else ""

    return respond


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


@dataclass
class SendOptions:
    dry_run: bool = True
    resend_uncertain: bool = False
    resend: set[str] = field(default_factory=set)
    rate_per_minute: float | None = None
    limit: int | None = None
    retries: int = 3
    retry_delay: float = 2.0


def deliver(
    plan: MailPlan,
    composer: Composer,
    options: SendOptions,
    smtp: SmtpSettings | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Outcome]:
    """Send (or, in a dry run, write as .eml) every planned message; yield each outcome."""
    folder = plan.manifest.parent
    if options.dry_run:
        outbox = ensure_folder(folder / OUTBOX)
        written = set()
        for recipient in plan.recipients:
            message = composer.compose(recipient)
            path = outbox / f"{Path(recipient.attachments[0]).stem}.eml"
            write_atomic(path, message.as_bytes(policy=SMTP_POLICY))
            written.add(path.name)
            yield Outcome(recipient, "written", str(path))
        for stale in outbox.glob("*.eml"):  # a rehearsal shows this run's messages only
            if stale.name not in written:
                stale.unlink(missing_ok=True)
        return
    sender_address = parseaddr(composer.sender)[1]
    with closing(Ledger(folder / LEDGER)) as ledger:
        transport = SmtpSender(
            smtp, retries=options.retries, retry_delay=options.retry_delay, sleep=sleep
        )
        sent_now, last_send = 0, None
        try:
            for recipient in plan.recipients:
                known = ledger.state(recipient.key)
                forced = recipient.email.casefold() in options.resend
                if known and not forced:
                    state, detail = known
                    if state == SENT:
                        yield Outcome(recipient, "already-sent")
                        continue
                    if state == SENDING:  # a run died mid-send: it may have gone out
                        state, detail = UNCERTAIN, "a previous run stopped while sending it"
                        ledger.set(
                            recipient.key,
                            recipient.email,
                            composer.message_id(recipient),
                            state,
                            detail,
                        )
                    if state == UNCERTAIN and not options.resend_uncertain:
                        yield Outcome(recipient, UNCERTAIN, detail)
                        continue
                if options.limit is not None and sent_now >= options.limit:
                    yield Outcome(recipient, "skipped", "--limit reached")
                    continue
                if options.rate_per_minute and last_send is not None:
                    wait = 60.0 / options.rate_per_minute - (time.monotonic() - last_send)
                    if wait > 0:
                        sleep(wait)
                outcome = _send_one(
                    recipient, composer, transport, ledger, sender_address, options, sleep
                )
                last_send = time.monotonic()
                sent_now += outcome.status == SENT
                yield outcome
        finally:
            transport.close()


def _send_one(recipient, composer, transport, ledger, sender_address, options, sleep) -> Outcome:
    message = composer.compose(recipient)
    message_id = message["Message-ID"]
    delay, error = options.retry_delay, ""
    for attempt in range(options.retries + 1):
        # Connected (and verified, and logged in) before the ledger hears of this
        # message: a setup error stops the run with nobody marked failed or uncertain.
        transport.connect()
        ledger.set(recipient.key, recipient.email, message_id, SENDING)
        try:
            transport.send(message, sender_address, recipient.email)
        except Transient as problem:
            error = str(problem)
            ledger.set(recipient.key, recipient.email, message_id, FAILED, error)
            if attempt < options.retries:
                sleep(delay)
                delay *= 2
            continue
        except Permanent as problem:
            ledger.set(recipient.key, recipient.email, message_id, FAILED, str(problem))
            return Outcome(recipient, FAILED, str(problem))
        except Uncertain as problem:
            ledger.set(recipient.key, recipient.email, message_id, UNCERTAIN, str(problem))
            return Outcome(recipient, UNCERTAIN, str(problem))
        ledger.set(recipient.key, recipient.email, message_id, SENT)
        return Outcome(recipient, SENT)
    return Outcome(recipient, FAILED, f"{error} (after {options.retries + 1} tries)")


# --- the pre-flight ------------------------------------------------------------------------------


@dataclass
class BodyUse:
    """How many people get one body file, and the first one's subject."""

    path: Path
    language: str
    people: int = 0
    first_subject: str = ""
    first_row: str = ""
    languages: set[str] = field(default_factory=set)
    """The rows' own languages, when they have no body of their own."""


def rehearse(plan: MailPlan, composer: Composer) -> list[BodyUse]:
    """Render every message in memory (no attachment read, nothing written): a template
    that fails for anyone fails here. Which body each person gets, and its first subject."""
    uses: dict[Path, BodyUse] = {}
    for recipient in plan.recipients:
        template = composer.template_for(recipient)
        subject, _, _ = composer.render(recipient)
        use = uses.setdefault(template.path, BodyUse(template.path, template.language))
        use.people += 1
        if recipient.language and recipient.language != template.language:
            use.languages.add(recipient.language)
        if not use.first_subject:
            use.first_subject, use.first_row = subject, recipient.row
    return list(uses.values())


# --- settings ------------------------------------------------------------------------------------


def smtp_settings(
    *,
    host: str | None,
    port: int | None,
    security: str | None,
    user: str | None,
    config: Path | None,
    password: str | None,
    token_command: str | None = None,
) -> SmtpSettings:
    """Options win over the config file's [smtp] section; the password is never read from a file."""
    section: dict = {}
    config = config or (Path(CONFIG_FILE) if Path(CONFIG_FILE).is_file() else None)
    if config is not None:
        section = _read_settings(config)
    host = host or section.get("host")
    security = security or section.get("security", "starttls")
    if not host:
        raise UserError(f"no SMTP host: give --smtp-host or set host in [smtp] of {CONFIG_FILE}")
    if security not in SECURITY:
        raise UserError(f"smtp security must be one of {', '.join(SECURITY)}, not {security!r}")
    default_port = {"none": 25, "starttls": 587, "ssl": 465}[security]
    ca_file = section.get("ca_file")
    if ca_file is not None:
        ca_file = Path(str(ca_file)).expanduser()
        ca_file = ca_file if ca_file.is_absolute() else config.parent / ca_file
    settings = SmtpSettings(
        host=host,
        port=int(port or section.get("port", default_port)),
        security=security,
        user=user or section.get("user"),
        password=password if password is not None else os.environ.get(PASSWORD_VARIABLE),
        timeout=float(section.get("timeout", 30.0)),
        token_command=token_command or section.get("token_command"),
        ca_file=ca_file,
    )
    if settings.token_command and not settings.user:
        raise UserError(
            "an access token needs the account it is for: set user in [smtp] or --smtp-user"
        )
    if security == "none" and (settings.user or settings.token_command) and not _loopback(host):
        raise UserError(
            f'security = "none" would send the login for {settings.user} unencrypted to {host}',
            hint='Use security = "starttls" (port 587) or "ssl" (port 465).',
        )
    return settings


def _read_settings(config: Path) -> dict:
    try:
        section = tomllib.loads(config.read_text(encoding="utf-8")).get("smtp", {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UserError(Problem(f"cannot read the settings: {error}", file=config)) from None
    if "password" in section:
        raise UserError(
            Problem(
                f"a password in a file is not accepted; set {PASSWORD_VARIABLE} or type it "
                "when asked (or use token_command for OAuth2)",
                file=config,
                field="smtp.password",
            )
        )
    import difflib

    problems = []
    for key in section:
        if key not in SETTINGS_KEYS:
            close = difflib.get_close_matches(key, SETTINGS_KEYS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                Problem(
                    f"unknown setting; {hint}expected one of {', '.join(SETTINGS_KEYS)}",
                    file=config,
                    field=f"smtp.{key}",
                )
            )
    if problems:
        raise UserError(problems)
    return section


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
