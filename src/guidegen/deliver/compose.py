"""Composing each person's message: a subject and a Markdown body, in their language.

A message template is a Markdown file with {{ placeholders }}; it may begin with
front matter giving its own subject (and, for the default file, its language):

    ---
    subject: Tu guía de transición, {{ first_name }}
    ---
    Hola {{ first_name }}: ...

`welcome.md` is the default body; `welcome.es.md`, `welcome.fr.md`... beside it
are picked for the rows in that language (the manifest's `language` column).

Placeholders are filled in a sandboxed Jinja2 environment where a person's data
is only ever text: every value printed into the body is escaped for Markdown, so
a name can never become markup or a link. Dates read as a person writes them in
the message's language ({{ start_date }} -> "Monday, February 1, 2027"; the
`date` filter takes another format). The Markdown becomes the HTML part and a
plain-text part written as text: no markup characters, link targets in
brackets, line breaks as typed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from functools import cache
from pathlib import Path
from typing import Any

from guidegen.errors import Problem, UserError
from guidegen.language.catalogs import LANGUAGES, locale_of

DEFAULT_LANGUAGE = "en"
FRONT_MATTER_KEYS = ("subject", "language")
MAX_BODY_BYTES = 256 * 1024
# CommonMark lets a backslash escape any ASCII punctuation: a value escaped this way
# is text, whatever it contains.
ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
NUMBER_FIELDS = ("hours_per_week", "years_experience")
DATE_FIELDS = ("start_date", "end_date")


@dataclass
class MessageTemplate:
    """One body file: its subject, its Markdown, the language it is written in."""

    path: Path
    language: str
    subject: str
    body: str
    body_line: int = 1
    """The line the Markdown starts on (after front matter), for error messages."""


@dataclass
class MessageTemplates:
    """The default body and the bodies for particular languages."""

    default: MessageTemplate
    by_language: dict[str, MessageTemplate] = field(default_factory=dict)

    def for_language(self, language: str | None) -> MessageTemplate:
        return self.by_language.get(language or "", self.default)

    def all(self) -> list[MessageTemplate]:
        return [self.default, *self.by_language.values()]


def load_templates(body_path: Path, subject: str | None = None) -> MessageTemplates:
    """`welcome.md` and its `welcome.<lang>.md` siblings; `subject` serves the files
    that give none of their own. Every problem of every file at once."""
    problems: list[Problem] = []
    found: dict[str, tuple[Path, dict, str, int]] = {}
    for language, path in [("", body_path), *_siblings(body_path)]:
        try:
            found[language] = (path, *_read(path))
        except UserError as error:
            problems += error.problems
    templates: dict[str, MessageTemplate] = {}
    for language, (path, meta, body, line) in found.items():
        declared = meta.get("language")
        if language and declared and declared != language:
            problems.append(
                Problem(
                    f"the file name says {language!r}; its front matter says {declared!r}",
                    file=path,
                    field="language",
                )
            )
        own_subject = meta.get("subject") or subject
        if not own_subject:
            problems.append(
                Problem(
                    "no subject: start the file with front matter "
                    "(---, subject: ..., ---) or give --subject",
                    file=path,
                )
            )
            continue
        templates[language] = MessageTemplate(
            path=path,
            language=language or declared or DEFAULT_LANGUAGE,
            subject=own_subject,
            body=body,
            body_line=line,
        )
    if problems:
        raise UserError(problems)
    default = templates.pop("")
    return MessageTemplates(default=default, by_language=templates)


def _siblings(body_path: Path) -> list[tuple[str, Path]]:
    siblings = []
    for language in LANGUAGES:
        path = body_path.with_name(f"{body_path.stem}.{language}{body_path.suffix}")
        if path != body_path and path.is_file():
            siblings.append((language, path))
    return siblings


def _read(path: Path) -> tuple[dict, str, int]:
    """(front matter, Markdown, the line the Markdown starts on)."""
    try:
        if path.stat().st_size > MAX_BODY_BYTES:
            raise UserError(Problem(f"larger than {MAX_BODY_BYTES:,} bytes", file=path))
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except FileNotFoundError:
        raise UserError(Problem("no such body file", file=path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(Problem(f"cannot read this body file: {error}", file=path)) from None
    match = re.match(r"---\n(.*?\n)?---\n", text, flags=re.DOTALL)
    if not match:
        return {}, text, 1
    import yaml  # only for front matter

    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        problem = Problem(f"the front matter is not valid YAML: {error}", file=path)
        raise UserError(problem) from None
    if not isinstance(meta, dict):
        raise UserError(Problem("the front matter must be `key: value` lines", file=path, line=2))
    unknown = [key for key in meta if key not in FRONT_MATTER_KEYS]
    if unknown:
        raise UserError(
            Problem(
                f"unknown front matter {', '.join(map(str, unknown))}; expected "
                + " or ".join(FRONT_MATTER_KEYS),
                file=path,
                line=2,
            )
        )
    if "language" in meta and meta["language"] not in LANGUAGES:
        raise UserError(
            Problem(
                f"expected one of {', '.join(LANGUAGES)}",
                file=path,
                field="language",
                value=meta["language"],
                has_value=True,
            )
        )
    if "subject" in meta and not isinstance(meta["subject"], str):
        raise UserError(Problem("expected text", file=path, field="subject"))
    return meta, text[match.end() :], match.group(0).count("\n") + 1


# --- values as a person reads them ------------------------------------------------------------


class PersonalDate:
    """A date in a message; printed in full in the message's language."""

    def __init__(self, value: dt.date, language: str):
        self.value = value
        self.language = language

    def __str__(self) -> str:
        return format_date(self.value, "full", self.language)

    def __bool__(self) -> bool:
        return True


def format_date(value: dt.date, format: str, language: str) -> str:
    """'full' -> 'Monday, February 1, 2027'; also 'long', 'medium', 'short' or a CLDR
    pattern such as 'd MMMM' ('1 de febrero' in Spanish)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=format, locale=locale_of(language))


def _number(text: str, language: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    from guidegen.language import formatting  # Babel: loaded when a message is made

    return formatting.number(value, locale_of(language))


def template_values(fields: dict[str, str], language: str) -> dict[str, Any]:
    """A manifest row as a message's placeholders: dates and numbers in `language`."""
    values: dict[str, Any] = dict(fields)
    name = fields.get("name", "").strip()
    values["first_name"] = name.split()[0] if name else ""
    for key in DATE_FIELDS:
        text = fields.get(key, "").strip()
        try:
            values[key] = PersonalDate(dt.date.fromisoformat(text), language) if text else ""
        except ValueError:
            values[key] = text
    for key in NUMBER_FIELDS:
        if fields.get(key):
            values[key] = _number(fields[key], language)
    return values


# --- Markdown as HTML and as text -------------------------------------------------------------


@cache
def _markdown():
    from markdown_it import MarkdownIt  # only the email command needs it

    # breaks: a line break in the file is a line break in the message, as in a mail program.
    return MarkdownIt("commonmark", {"breaks": True, "html": True})


def markdown_parts(source: str) -> tuple[str, str]:
    """Markdown -> (HTML, plain text), from one parse."""
    markdown = _markdown()
    tokens = markdown.parse(source)
    return markdown.renderer.render(tokens, markdown.options, {}), _TextWriter().write(tokens)


class _TextWriter:
    """Markdown tokens as plain text: what the reader of the HTML part reads, as text."""

    def write(self, tokens) -> str:
        self.out: list[str] = []
        self.lists: list[list] = []  # [ordered, next number] for each open list
        self.quotes: list[int] = []  # where each open blockquote's text starts in `out`
        for token in tokens:
            getattr(self, f"_{token.type}", self._ignore)(token)
        text = re.sub(r"[ \t]+\n", "\n", "".join(self.out))
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def _ignore(self, token) -> None:
        pass

    def _indent(self) -> str:
        return "   " * max(0, len(self.lists) - 1) + ("   " if self.lists else "")

    def _paragraph_close(self, token) -> None:
        self.out.append("\n" if token.hidden else "\n\n")

    def _heading_close(self, token) -> None:
        self.out.append("\n\n")

    def _bullet_list_open(self, token) -> None:
        self._open_list(False, 1)

    def _ordered_list_open(self, token) -> None:
        self._open_list(True, int(token.attrGet("start") or 1))

    def _open_list(self, ordered: bool, start: int) -> None:
        if self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")
        self.lists.append([ordered, start])

    def _bullet_list_close(self, token) -> None:
        self.lists.pop()
        if not self.lists:
            self.out.append("\n")

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token) -> None:
        ordered, number = self.lists[-1]
        marker = f"{number}. " if ordered else "• "
        self.lists[-1][1] += 1
        self.out.append("   " * (len(self.lists) - 1) + marker)

    def _blockquote_open(self, token) -> None:
        self.quotes.append(len(self.out))

    def _blockquote_close(self, token) -> None:
        start = self.quotes.pop()
        quoted = "".join(self.out[start:]).strip("\n")
        del self.out[start:]
        self.out.append("\n".join(f"> {line}".rstrip() for line in quoted.split("\n")) + "\n\n")

    def _code_block(self, token) -> None:
        self.out.append(token.content + "\n")

    _fence = _code_block

    def _hr(self, token) -> None:
        self.out.append("\n")

    def _html_block(self, token) -> None:
        self.out.append(_strip_tags(token.content) + "\n")

    def _inline(self, token) -> None:
        links: list[tuple[str, int]] = []
        for child in token.children or []:
            kind = child.type
            if kind in ("text", "code_inline"):
                self.out.append(child.content)
            elif kind in ("softbreak", "hardbreak"):
                self.out.append("\n" + self._indent())
            elif kind == "html_inline":
                is_break = re.fullmatch(r"<br\s*/?>", child.content.strip(), re.IGNORECASE)
                self.out.append("\n" if is_break else "")
            elif kind == "link_open":
                links.append((child.attrGet("href") or "", len(self.out)))
            elif kind == "link_close" and links:
                href, start = links.pop()
                shown = "".join(self.out[start:]).strip()
                if href and href not in (shown, f"mailto:{shown}"):
                    self.out.append(f" [{href}]")
            elif kind == "image":
                self.out.append(f"{child.content} [{child.attrGet('src')}]")


def _strip_tags(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]*>", "", html)).strip()


# --- composing --------------------------------------------------------------------------------


@dataclass
class Person:
    """Who a message is for: what the composer needs of a manifest row."""

    name: str
    email: str
    fields: dict[str, str]
    language: str | None
    attachments: list[Path]
    key: str
    """The ledger's key; the Message-ID derives from it."""


class Composer:
    """Builds each person's message from the message templates."""

    def __init__(self, templates: MessageTemplates, *, sender: str, reply_to: str | None = None):
        from jinja2 import StrictUndefined, TemplateError, pass_context
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        @pass_context
        def date_filter(context, value: Any, format: str = "full") -> str:
            """{{ start_date | date("d MMMM") }}: a date in the message's language."""
            if value in (None, ""):
                return ""
            try:
                date = value.value if isinstance(value, PersonalDate) else _iso_date(value)
                return format_date(date, format, context.get("language") or DEFAULT_LANGUAGE)
            except (ValueError, KeyError, AttributeError) as error:
                raise TemplateError(f"date format {format!r}: {error}") from None

        def environment(finalize):
            env = ImmutableSandboxedEnvironment(
                undefined=StrictUndefined, autoescape=False, finalize=finalize
            )
            env.filters["date"] = date_filter
            return env

        # The body is Markdown: every printed value escaped, so it stays text.
        body_environment = environment(lambda value: _escape_markdown(str(value)))
        subject_environment = environment(lambda value: str(value))
        self.templates = templates
        self._compiled = {}
        problems = []
        for template in templates.all():
            try:
                self._compiled[template.path] = (
                    subject_environment.from_string(template.subject),
                    body_environment.from_string(template.body),
                )
            except TemplateError as error:
                line = getattr(error, "lineno", None)
                problems.append(
                    Problem(
                        f"not a valid template: {error}",
                        file=template.path,
                        line=template.body_line + line - 1 if line else None,
                    )
                )
        if problems:
            raise UserError(problems)
        self.sender = sender
        self.reply_to = reply_to or sender
        self.domain = parseaddr(sender)[1].rpartition("@")[2] or "guidegen.invalid"

    def template_for(self, person: Person) -> MessageTemplate:
        return self.templates.for_language(person.language)

    def render(self, person: Person) -> tuple[str, str, str]:
        """(subject, HTML, text) of this person's message."""
        from jinja2 import TemplateError

        template = self.template_for(person)
        subject, body = self._compiled[template.path]
        values = template_values(person.fields, template.language)
        values["language"] = template.language
        try:
            subject_text = " ".join(subject.render(values).split())  # no line breaks in a header
            markdown = body.render(values)
        except TemplateError as error:
            raise UserError(
                Problem(
                    f"the message template failed for this person: {error}",
                    file=template.path,
                    subject=person.name or None,
                ),
                hint="Placeholders: " + ", ".join(sorted(values)),
            ) from None
        html, text = markdown_parts(markdown)
        return subject_text, html, text

    def compose(
        self, person: Person, *, date: dt.datetime | None = None, attach: bool = True
    ) -> EmailMessage:
        subject, html, text = self.render(person)
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = formataddr((person.name, person.email))
        message["Reply-To"] = self.reply_to
        message["Subject"] = subject
        message["Date"] = formatdate((date or dt.datetime.now(dt.UTC)).timestamp(), localtime=True)
        message["Message-ID"] = self.message_id(person)
        message.set_content(text)
        message.add_alternative(_html_document(html, self.template_for(person).language), "html")
        for path in person.attachments if attach else []:
            maintype, subtype = (
                ("application", "pdf")
                if path.suffix == ".pdf"
                else ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
            )
            message.add_attachment(
                path.read_bytes(),
                maintype=maintype,
                subtype=subtype,
                filename=attachment_name(person.name, path.suffix, person.language),
            )
        message["Content-Language"] = self.template_for(person).language  # after the parts
        return message

    def message_id(self, person: Person) -> str:
        """The same message keeps its Message-ID across retries, so clients can
        recognise a copy if one is ever resent."""
        digest = hashlib.sha256(person.key.encode()).hexdigest()[:24]
        return f"<{digest}.guidegen@{self.domain}>"


def attachment_name(name: str, suffix: str, language: str | None = None) -> str:
    """'Career transition guide - Alex Rivera.pdf', in the guide's language: readable,
    no path or odd characters."""
    from guidegen.render.labels import labels_for

    title = labels_for(language if language in LANGUAGES else DEFAULT_LANGUAGE).eyebrow
    cleaned = " ".join(re.sub(r"[^\w .,'-]", " ", name).split()) or "guide"
    title = " ".join(re.sub(r"[^\w .,'-]", " ", title).split())
    return f"{title} - {cleaned}{suffix}"


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _escape_markdown(value: str) -> str:
    return ASCII_PUNCTUATION.sub(r"\\\1", value)


def _html_document(body: str, language: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"></head>'
        '<body style="font-family: Arial, sans-serif; line-height: 1.5">'
        f"{body}</body></html>\n"
    )
