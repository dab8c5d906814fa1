"""User errors, kept apart from internal ones.

A `UserError` is something the person running guidegen can fix (a typo in a
profile, an unknown template). It carries every `Problem` found, each located
as precisely as the input allows, and the CLI prints them and exits with 2.
Anything else that escapes is a bug in guidegen and keeps its traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_MAX_VALUE_CHARS = 60
# C0 and C1 controls and DEL (Unicode category Cc) but tab and line breaks, lone
# surrogates (from a YAML "\ud800" escape) and U+FFFE/U+FFFF: none is XML-compatible text
# or anything a person typed. The one definition: models check text with it, the mail
# step cells, and messages escape what it finds.
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same, and line breaks (not tab): what may not stand in a one-line message.
_CONTROL_OR_LINE_BREAK = re.compile(
    r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)


def printable(text: str, *, keep_lines: bool = False) -> str:
    """`text` with its control characters escaped as Python writes them ('\\x1b', '\\n'):
    what a name from a spreadsheet looks like in a message, a terminal or a manifest
    cell, where a raw NUL or escape sequence would do harm. `keep_lines` keeps line
    breaks and tabs (a notes cell)."""
    pattern = NOT_TEXT if keep_lines else _CONTROL_OR_LINE_BREAK
    return pattern.sub(lambda match: repr(match.group())[1:-1], text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, and where it is."""

    message: str
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    """The field path, e.g. ``skills[2].level``."""
    value: object = None
    has_value: bool = False
    """Whether `value` is the offending input (None is a legitimate bad value)."""
    row: int | None = None
    """A cohort row, numbered as the spreadsheet shows it (the header is row 1)."""
    subject: str | None = None
    """Whose row it is: the person's name, when known."""

    def location(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(display_path(self.file))
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
        location = ":".join(parts)
        if self.row is not None:
            location = f"{location} row {self.row}".strip()
        if self.subject:
            location = f"{location} ({printable(self.subject)})".strip()
        return location

    def __str__(self) -> str:
        text = self.message
        if self.has_value:
            text = f"got {_short_repr(self.value)}; {text}"
        if self.field:
            text = f"{self.field}: {text}"
        location = self.location()
        return f"{location}: {text}" if location else text


class UserError(Exception):
    """Input the user can fix. Holds every problem found, not just the first."""

    def __init__(self, problems: Problem | str | Iterable[Problem], *, hint: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.hint = hint
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(problem) for problem in self.problems]
        if len(self.problems) > 1:
            lines.insert(0, f"{len(self.problems)} problems:")
            lines[1:] = [f"  - {line}" for line in lines[1:]]
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


def _short_repr(value: object) -> str:
    text = repr(value)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 1] + "…"
    return text


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to where they stand when possible."""
    try:
        # The folder resolved, not the file: a message about a symbolic link names the link.
        absolute = path.absolute()
        return str((absolute.parent.resolve() / absolute.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
