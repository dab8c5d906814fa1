"""Emailing each person their guide, exactly once, even when the mail server fails.

The batch's manifest says who gets what. Each message is built with the
standard library's email package: a personal subject and a Markdown body
(rendered to HTML, with a plain-text part), both from templates rendered in a
sandboxed Jinja2 environment where profile values are data, never code; the
person's PDF attached (and the .docx on request).

A send ledger (SQLite, beside the manifest) records every message's state, and
each change is committed before the next step, so any stop can be resumed by
running the same command again:

    pending -> sending -> sent
                  |-> failed     (a 5xx reply, or retries exhausted: sent again next run)
                  '-> uncertain  (the connection broke after the message data went out,
                                  or a run died mid-send: never resent silently)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import smtplib
import sqlite3
import ssl
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

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
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>])")


@dataclass
class SmtpSettings:
    host: str
    port: int
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0


@dataclass
class Recipient:
    """One manifest row with a guide to send."""

    row: str
    name: str
    email: str
    fields: dict[str, str]
    attachments: list[Path]

    @property
    def key(self) -> str:
        """The ledger's key: who, and which guide (a new guide is a new message)."""
        return f"{self.email.casefold()} {self.attachments[0].name}"


@dataclass
class MailPlan:
    """Who gets a message, and the rows that cannot be sent."""

    manifest: Path
    recipients: list[Recipient]
    problems: list[Problem] = field(default_factory=list)
    not_rendered: list[str] = field(default_factory=list)


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
        where = {"file": manifest, "row": _int(row.get("row")), "subject": row.get("name") or None}
        if row.get("status") not in SENDABLE:
            plan.not_rendered.append(row.get("name") or row.get("row", "?"))
            continue
        problems = []
        address = (row.get("email") or "").strip()
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
            plan.problems.extend(problems)
            continue
        plan.recipients.append(
            Recipient(
                row=row.get("row", ""),
                name=row.get("name", ""),
                email=address,
                fields=_personal_fields(row),
                attachments=attachments,
            )
        )
    return plan


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


def _personal_fields(row: dict[str, str]) -> dict[str, str]:
    fields = {key: spreadsheet_value(value or "") for key, value in row.items() if key}
    name = fields.get("name", "").strip()
    fields["first_name"] = name.split()[0] if name else ""
    return fields


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- composing -----------------------------------------------------------------------------------


class Composer:
    """Builds each person's message from the subject and body templates."""

    def __init__(self, subject: str, body: str, *, sender: str, reply_to: str | None = None):
        self.environment = ImmutableSandboxedEnvironment(
            undefined=StrictUndefined, autoescape=False
        )
        try:
            self.subject = self.environment.from_string(subject)
            self.body = self.environment.from_string(body)
        except TemplateError as error:
            raise UserError(f"the subject or body template is not valid: {error}") from None
        self.sender = sender
        self.reply_to = reply_to or sender
        self.domain = parseaddr(sender)[1].rpartition("@")[2] or "guidegen.invalid"

    def compose(self, recipient: Recipient, *, date: dt.datetime | None = None) -> EmailMessage:
        import markdown  # only the email command needs it

        fields = recipient.fields
        try:
            # Values are data: in the text part as they are; in the HTML part escaped
            # for HTML and for Markdown, so a name can never become markup or a link.
            subject = self.subject.render(fields)
            text = self.body.render(fields)
            safe = {key: _escape_for_markdown(value) for key, value in fields.items()}
            html_body = markdown.markdown(self.body.render(safe))
        except TemplateError as error:
            raise UserError(f"the subject or body template failed: {error}") from None
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = formataddr((recipient.name, recipient.email))
        message["Reply-To"] = self.reply_to
        message["Subject"] = " ".join(subject.split())  # no line breaks in a header
        message["Date"] = formatdate((date or dt.datetime.now(dt.UTC)).timestamp(), localtime=True)
        message["Message-ID"] = self.message_id(recipient)
        message.set_content(text)
        message.add_alternative(_html_document(html_body), subtype="html")
        for path in recipient.attachments:
            maintype, subtype = (
                ("application", "pdf")
                if path.suffix == ".pdf"
                else ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
            )
            message.add_attachment(
                path.read_bytes(),
                maintype=maintype,
                subtype=subtype,
                filename=clean_filename(recipient.name, path.suffix),
            )
        return message

    def message_id(self, recipient: Recipient) -> str:
        """The same message keeps its Message-ID across retries, so clients can
        recognise a copy if one is ever resent."""
        digest = hashlib.sha256(recipient.key.encode()).hexdigest()[:24]
        return f"<{digest}.guidegen@{self.domain}>"


def clean_filename(name: str, suffix: str) -> str:
    """'Career transition guide - Alex Rivera.pdf': readable, no path or odd characters."""
    cleaned = " ".join(re.sub(r"[^\w .,'-]", " ", name).split()) or "guide"
    return f"Career transition guide - {cleaned}{suffix}"


def _escape_for_markdown(value: str) -> str:
    return MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(value, quote=True))


def _html_document(body: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
        '<body style="font-family: Arial, sans-serif; line-height: 1.5">'
        f"{body}</body></html>\n"
    )


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


class SmtpSender:
    """One SMTP connection, reused for many messages and re-opened when it drops."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        try:
            connection = self._connected()
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

    def _connected(self) -> smtplib.SMTP:
        if self.connection is not None:
            return self.connection
        settings = self.settings
        try:
            if settings.security == "ssl":
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host,
                    settings.port,
                    timeout=settings.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
                if settings.security == "starttls":
                    connection.ehlo()
                    connection.starttls(context=ssl.create_default_context())
            connection.ehlo_or_helo_if_needed()
            if settings.user:
                connection.login(settings.user, settings.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise UserError(
                f"the SMTP server refused the login for {settings.user}: "
                f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}",
                hint="Check the user and the password (many providers want an app password).",
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise Transient(f"cannot connect to {settings.host}:{settings.port}: {error}") from None
        self.connection = connection
        return connection

    def _refused(self, code: int, reply: bytes | str) -> None:
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
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
        for recipient in plan.recipients:
            message = composer.compose(recipient)
            path = outbox / f"{Path(recipient.attachments[0]).stem}.eml"
            write_atomic(path, message.as_bytes(policy=SMTP_POLICY))
            yield Outcome(recipient, "written", str(path))
        return
    sender_address = parseaddr(composer.sender)[1]
    with closing(Ledger(folder / LEDGER)) as ledger:
        transport = SmtpSender(smtp)
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


# --- settings ------------------------------------------------------------------------------------


def smtp_settings(
    *,
    host: str | None,
    port: int | None,
    security: str | None,
    user: str | None,
    config: Path | None,
    password: str | None,
) -> SmtpSettings:
    """Options win over the config file's [smtp] section; the password is never read from a file."""
    section: dict = {}
    config = config or (Path(CONFIG_FILE) if Path(CONFIG_FILE).is_file() else None)
    if config is not None:
        try:
            section = tomllib.loads(config.read_text(encoding="utf-8")).get("smtp", {})
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise UserError(Problem(f"cannot read the settings: {error}", file=config)) from None
        if "password" in section:
            raise UserError(
                Problem(
                    f"a password in a file is not accepted; set {PASSWORD_VARIABLE} or type it "
                    "when asked",
                    file=config,
                    field="smtp.password",
                )
            )
    host = host or section.get("host")
    security = security or section.get("security", "starttls")
    if not host:
        raise UserError(f"no SMTP host: give --smtp-host or set host in [smtp] of {CONFIG_FILE}")
    if security not in SECURITY:
        raise UserError(f"smtp security must be one of {', '.join(SECURITY)}, not {security!r}")
    default_port = {"none": 25, "starttls": 587, "ssl": 465}[security]
    return SmtpSettings(
        host=host,
        port=int(port or section.get("port", default_port)),
        security=security,
        user=user or section.get("user"),
        password=password if password is not None else os.environ.get(PASSWORD_VARIABLE),
    )
