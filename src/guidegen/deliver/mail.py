"""Emailing each person their guide, exactly once, even when the mail server fails.

The batch's manifest says who gets what, and in which language. Each message
is composed by `guidegen.deliver.compose` (a personal subject and Markdown body,
HTML and plain text, in the person's language) with the person's PDF attached
(and the .docx on request).

A send ledger (SQLite, beside the manifest) records every message's state, and
each change is committed before the next step, so any stop can be resumed by
running the same command again. A message is claimed in the ledger (one
`BEGIN IMMEDIATE` transaction that reads its state and marks it `sending` by this
run) before it is composed, so two runs sharing a ledger can never both send it;
`guidegen email` also holds the output folder's lock (deliver/locks.py) for the
whole run, so a second run, or a batch into the same folder, stops at once:

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
import errno
import ipaddress
import os
import re
import smtplib
import socket
import sqlite3
import ssl
import stat
import subprocess
import time
import tomllib
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import parseaddr
from pathlib import Path

from guidegen.deliver.compose import Composer, Person
from guidegen.deliver.output import (
    NOT_OURS,
    open_own,
    own_folder,
    spreadsheet_value,
    write_atomic,
)
from guidegen.errors import NOT_TEXT, Problem, UserError, printable
from guidegen.models import limits
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
LEDGER_WAIT_SECONDS = 10.0
OTHER_HOST_CLAIM_MINUTES = 15
"""How long a ledger write waits for another program's transaction before giving up."""
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# A header value is one line of text: no line break (header injection), no other control
# character (which mail clients show as garbage, or which a server refuses).
_NOT_HEADER_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
# A cell that goes into a message body may hold tabs and line breaks: errors.NOT_TEXT.
HEADER_COLUMNS = ("name", "email", "language")


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
        who = f" ({printable(self.name)})" if self.name else ""
        return f"row {printable(self.row)}{who}: {self.reason}"


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
    """sent, already-sent, failed, uncertain, written (dry run), skipped (--limit),
    elsewhere (being sent by another run that shares the ledger, right now)."""
    detail: str = ""


# --- reading the manifest ------------------------------------------------------------------------


def plan_mail(manifest: Path, *, attach_docx: bool = False) -> MailPlan:
    """Read the manifest; check every address and attachment, collecting every problem."""
    import csv

    try:
        # Not through a symbolic link: the manifest says which files are attached.
        descriptor = open_own(manifest, os.O_RDONLY)
    except FileNotFoundError:
        raise UserError(
            Problem("no such manifest; run `guidegen batch` first", file=manifest)
        ) from None
    try:
        with os.fdopen(descriptor, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
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
        if None in row:  # more cells than the header has columns: csv keys them None
            row.pop(None)
        address = (row.get("email") or "").strip()
        if row.get("status") not in SENDABLE:
            error = spreadsheet_value(row.get("error") or "") or row.get("status") or "no status"
            error = error.split("; to fix: ")[0]  # how to fix it is the batch's to say
            plan.unsendable.append(
                Unsendable(number, name, address, f"no guide: {error}", no_guide=True)
            )
            continue
        problems = _text_problems(row, where)
        if any(problem.field == "email" for problem in problems):
            pass  # said above: a line break in an address is no address at all
        elif address:
            try:
                address = check_email(address)
            except ValueError as error:
                problems.append(
                    Problem(str(error), field="email", value=address, has_value=True, **where)
                )
        else:
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


def _text_problems(row: dict[str, str | None], where: dict) -> list[Problem]:
    """The cells of a row to be mailed that cannot go into a message: a line break or
    control character in a header's value (name, address, language: a hand-edited
    manifest, or one from an older guidegen), a control character anywhere else."""
    problems = []
    for column, cell in row.items():
        pattern = _NOT_HEADER_TEXT if column in HEADER_COLUMNS else NOT_TEXT
        found = pattern.search(cell or "")
        if found:
            problems.append(
                Problem(
                    f"{_control(found.group(), found.start())}; expected "
                    + (
                        "one line of text (it goes into the message's header)"
                        if column in HEADER_COLUMNS
                        else "plain text"
                    )
                    + ": fix it in the cohort and run `guidegen batch` again",
                    field=column,
                    **where,
                )
            )
    return problems


def _control(character: str, index: int) -> str:
    kind = "a line break" if character in "\r\n\u2028\u2029" else "the control character"
    return f"contains {kind} U+{ord(character):04X} at character {index + 1}"


def check_header_option(value: str | None, option: str) -> None:
    """--from and --reply-to are header values: one line, no control character."""
    found = _NOT_HEADER_TEXT.search(value or "")
    if found:
        raise UserError(
            Problem(
                f"{_control(found.group(), found.start())}; expected one line, "
                'like "Northstar Coaching <coach@northstar.example>"',
                field=option,
                value=value,
                has_value=True,
            ),
            hint="Nothing was sent.",
        )


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

    def problem(message: str) -> Problem:
        return Problem(message, field=column, value=name, has_value=True, **where)

    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if not limits.EMAIL_ATTACHMENT_BYTES.allows(size):
                return problem(limits.EMAIL_ATTACHMENT_BYTES.exceeded("this file is", size))
            head = handle.read(8)
            handle.seek(max(0, size - 1024))
            tail = handle.read()
            if column == "docx" and head.startswith(b"PK"):
                handle.seek(0)
                return _word_problem(handle, problem)
    except OSError as error:
        return problem(f"cannot read the attachment: {error.strerror}")
    if column == "pdf" and not (head.startswith(b"%PDF-") and b"%%EOF" in tail):
        return problem("not a complete PDF file (expected one starting %PDF- and ending %%EOF)")
    if column == "docx":
        return problem("not a Word document (expected a .docx file, which is a zip archive)")
    return None


def _word_problem(handle, problem: Callable[[str], Problem]) -> Problem | None:
    """A .docx is a zip archive with word/document.xml, declared a Word document in
    [Content_Types].xml: any other zip (the batch's own archive, a spreadsheet) is not
    attached as one."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        with zipfile.ZipFile(handle) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                shown = ", ".join(printable(n) for n in names[:3]) + (
                    ", ..." if len(names) > 3 else ""
                )
                return problem(
                    "not a Word document: a zip archive without word/document.xml "
                    f"(it holds {len(names):,} files: {shown or 'none'}); the docx column "
                    "must name the person's own .docx guide"
                )
            types = archive.getinfo("[Content_Types].xml")
            if types.file_size > limits.MB:
                return problem("not a Word document: its [Content_Types].xml is too large")
            root = ElementTree.fromstring(archive.read(types))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, DefusedXmlException, ValueError) as error:
        return problem(f"not a Word document (a damaged zip archive: {error})")
    except (ElementTree.ParseError, RuntimeError, NotImplementedError, EOFError) as error:
        return problem(f"not a Word document (a damaged zip archive: {error})")
    for override in root:
        if override.tag.rpartition("}")[2] == "Override" and (
            override.get("PartName") == "/word/document.xml"
        ):
            if override.get("ContentType") == WORD_MAIN:
                return None
            break
    return problem(
        "not a Word document: its word/document.xml is not declared a Word document "
        "(a macro-enabled file or a template is not attached)"
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- the ledger ----------------------------------------------------------------------------------


class LedgerError(UserError):
    """The ledger cannot be read or written: the run stops, saying what to do."""


DAMAGED_HINT = (
    "The ledger is how guidegen knows who already has their message, so nothing more was "
    "sent. Move it aside (rename it, e.g. to send-ledger.damaged), then see who was "
    "already mailed: your mail server's sent log, or `sqlite3 {path} .recover` on a "
    "copy. manifest.csv lists who gets which guide, and a dry run (without --send) "
    "writes each message into outbox/. A run with a new ledger mails everyone in the "
    "manifest: remove the people already mailed from a copy of it first."
)


class Ledger:
    """Every message's state, committed at each step (SQLite, in the output folder).

    A message is claimed before it is sent: `claim` reads its state and marks it
    `sending` by this run in one `BEGIN IMMEDIATE` transaction, which SQLite grants to
    one connection at a time, so two runs sharing the ledger cannot both claim it."""

    def __init__(self, path: Path):
        self.path = path
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        """Who claims messages: this run (host and process, to tell a live run from a dead one)."""
        _refuse_links(path)
        try:
            # nofollow: SQLite refuses a symbolic link in place of the file (SQLite >= 3.31).
            self.connection = sqlite3.connect(
                f"{path.resolve().parent.as_uri()}/{path.name}?nofollow=1",
                uri=True,
                isolation_level=None,  # autocommit, and explicit BEGIN IMMEDIATE for claims
                timeout=LEDGER_WAIT_SECONDS,
            )
        except sqlite3.Error as error:
            raise self._error(error, "open") from None
        with self._reporting("read"):
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS messages ("
                " key TEXT PRIMARY KEY, email TEXT NOT NULL, message_id TEXT NOT NULL,"
                " state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
                " detail TEXT NOT NULL DEFAULT '', updated TEXT NOT NULL,"
                " owner TEXT NOT NULL DEFAULT '')"
            )
            columns = {row[1] for row in self.connection.execute("PRAGMA table_info(messages)")}
            if "owner" not in columns:  # a ledger from before claims
                self.connection.execute(
                    "ALTER TABLE messages ADD COLUMN owner TEXT NOT NULL DEFAULT ''"
                )
            _refuse_links(path)  # the -wal and -shm files SQLite made beside it

    def state(self, key: str) -> tuple[str, str] | None:
        with self._reporting("read"):
            row = self.connection.execute(
                "SELECT state, detail FROM messages WHERE key = ?", (key,)
            ).fetchone()
        return (row[0], row[1]) if row else None

    def claim(
        self,
        key: str,
        email: str,
        message_id: str,
        *,
        forced: bool,
        resend_uncertain: bool,
        take: bool = True,
    ) -> tuple[str, str] | None:
        """Mark the message `sending` by this run and return None, or return (status,
        detail) of why this run must not send it: already sent, uncertain, or being
        sent right now by another live run. `take=False` only looks (and records a dead
        run's `sending` as `uncertain`)."""
        with self._reporting("write"):
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                row = self.connection.execute(
                    "SELECT state, detail, owner, updated FROM messages WHERE key = ?", (key,)
                ).fetchone()
                stop = self._stop(row, forced=forced, resend_uncertain=resend_uncertain)
                if stop is None and take:
                    self._upsert(key, email, message_id, SENDING, "")
                elif stop is not None and stop[0] == UNCERTAIN and row[0] == SENDING:
                    self._upsert(key, email, message_id, UNCERTAIN, stop[1])
                self.connection.execute("COMMIT")
            except BaseException:
                with suppress(sqlite3.Error):
                    self.connection.execute("ROLLBACK")
                raise
        return stop

    def _stop(self, row, *, forced: bool, resend_uncertain: bool) -> tuple[str, str] | None:
        if row is None:
            return None
        state, detail, owner, updated = row
        if state == SENDING and owner != self.owner and _alive(owner, updated):
            return "elsewhere", "another run sharing this ledger is sending it right now"
        if forced:
            return None
        if state == SENT:
            return SENT, detail
        if state == SENDING:  # a run died mid-send: it may have gone out
            state, detail = UNCERTAIN, "a previous run stopped while sending it"
        if state == UNCERTAIN and not resend_uncertain:
            return UNCERTAIN, detail
        return None

    def set(self, key: str, email: str, message_id: str, state: str, detail: str = "") -> None:
        with self._reporting("write"):
            self._upsert(key, email, message_id, state, detail)

    def _upsert(self, key: str, email: str, message_id: str, state: str, detail: str) -> None:
        self.connection.execute(
            "INSERT INTO messages (key, email, message_id, state, attempts, detail, updated,"
            " owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET state = excluded.state,"
            " detail = excluded.detail, updated = excluded.updated, owner = excluded.owner,"
            " attempts = messages.attempts + (excluded.state = 'sending')",
            (key, email, message_id, state, int(state == SENDING), detail, _now(), self.owner),
        )

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self.connection.close()

    @contextmanager
    def _reporting(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise self._error(error, doing) from None

    def _error(self, error: sqlite3.Error, doing: str) -> LedgerError:
        """What an SQLite error means for the person running the command."""
        text = str(error)
        code = getattr(error, "sqlite_errorcode", None)
        name = getattr(error, "sqlite_errorname", "") or ""
        where = {"file": self.path}
        if (
            name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT"))
            or "not a database" in text
            or ("malformed" in text)
        ):
            return LedgerError(
                Problem(f"this send ledger is damaged ({text})", **where),
                hint=DAMAGED_HINT.format(path=self.path.name),
            )
        if name.startswith("SQLITE_BUSY") or "locked" in text:
            return LedgerError(
                Problem(
                    f"this send ledger is in use by another program ({text}, after "
                    f"waiting {LEDGER_WAIT_SECONDS:g} s)",
                    **where,
                ),
                hint="Another guidegen run on a different computer, or a program reading it "
                "(a database browser), holds it: close that, then run the same command "
                "again. Nobody is mailed twice.",
            )
        if name.startswith("SQLITE_FULL") or code == errno.ENOSPC or "full" in text:
            return LedgerError(
                Problem(f"cannot {doing} the send ledger: the disk is full ({text})", **where),
                hint="Free some space on that disk, then run the same command again: the "
                "ledger keeps what was sent (a message sent just before the disk filled is "
                "reported as uncertain, never sent again silently).",
            )
        if name.startswith(
            ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")
        ) or ("readonly" in text or "unable to open" in text):
            return LedgerError(
                Problem(f"cannot {doing} the send ledger ({text})", **where),
                hint="The ledger must be a file guidegen can read and write beside the "
                f"manifest; {NOT_OURS}.",
            )
        return LedgerError(
            Problem(f"cannot {doing} the send ledger ({type(error).__name__}: {text})", **where),
            hint="Run the same command again; if this persists: "
            + DAMAGED_HINT.format(path=self.path.name),
        )


def _refuse_links(path: Path) -> None:
    """The ledger and SQLite's files beside it must be regular files of ours, not links."""
    for candidate in (
        path,
        *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")),
    ):
        try:
            info = candidate.lstat()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise LedgerError(
                Problem(f"cannot read it: {error.strerror}", file=candidate)
            ) from None
        if stat.S_ISLNK(info.st_mode):
            raise LedgerError(Problem(f"this is a symbolic link; {NOT_OURS}", file=candidate))
        if not stat.S_ISREG(info.st_mode):
            raise LedgerError(Problem(f"this is not a regular file; {NOT_OURS}", file=candidate))


def _alive(owner: str, updated: str) -> bool:
    """Whether the run that claimed a message is still running: its process, on this
    host; on another host (a ledger in a shared network folder), a claim of the last
    OTHER_HOST_CLAIM_MINUTES minutes."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if not host or not pid.isdigit():
        return False  # a ledger from before claims
    if host != socket.gethostname():
        try:
            age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(updated)
        except (TypeError, ValueError):
            return False
        return age < dt.timedelta(minutes=OTHER_HOST_CLAIM_MINUTES)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, run by another user
    return True


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
        outbox = own_folder(folder / OUTBOX)
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
                forced = recipient.email.casefold() in options.resend
                message_id = composer.message_id(recipient)

                def claim(take: bool, recipient=recipient, forced=forced, message_id=message_id):
                    return ledger.claim(
                        recipient.key,
                        recipient.email,
                        message_id,
                        forced=forced,
                        resend_uncertain=options.resend_uncertain,
                        take=take,
                    )

                # Said without waiting for --rate or a connection (and a dead run's
                # `sending` recorded as `uncertain`).
                stop = claim(take=False)
                if stop is not None:
                    yield _stopped(recipient, stop)
                    continue
                if options.limit is not None and sent_now >= options.limit:
                    yield Outcome(recipient, "skipped", "--limit reached")
                    continue
                if options.rate_per_minute and last_send is not None:
                    wait = 60.0 / options.rate_per_minute - (time.monotonic() - last_send)
                    if wait > 0:
                        sleep(wait)
                # Connected (and verified, and logged in) before the message is claimed:
                # a setup error stops the run with nobody marked sending or uncertain.
                transport.connect()
                stop = claim(take=True)  # read and marked `sending` at once: no other run sends it
                if stop is not None:
                    yield _stopped(recipient, stop)
                    continue
                outcome = _send_one(
                    recipient, composer, transport, ledger, sender_address, options, sleep
                )
                last_send = time.monotonic()
                sent_now += outcome.status == SENT
                yield outcome
        finally:
            transport.close()


def _stopped(recipient: Recipient, stop: tuple[str, str]) -> Outcome:
    status, detail = stop
    return Outcome(recipient, "already-sent" if status == SENT else status, detail)


def _send_one(recipient, composer, transport, ledger, sender_address, options, sleep) -> Outcome:
    """Send one message this run has claimed (its ledger state is `sending`)."""
    message_id = composer.message_id(recipient)
    try:
        message = composer.compose(recipient)
    except OSError as error:  # its attachment went away since the manifest was read
        detail = f"cannot read the attachment: {error.strerror or error}"
        ledger.set(recipient.key, recipient.email, message_id, FAILED, detail)
        return Outcome(recipient, FAILED, detail)
    except BaseException:
        ledger.set(recipient.key, recipient.email, message_id, FAILED, "not composed")
        raise
    delay, error = options.retry_delay, ""
    for attempt in range(options.retries + 1):
        if attempt:
            try:
                # Connected (and verified, and logged in) again before the ledger hears of
                # this try: a setup error leaves it failed, to be sent by the next run.
                transport.connect()
            except BaseException:
                ledger.set(recipient.key, recipient.email, message_id, FAILED, error)
                raise
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
