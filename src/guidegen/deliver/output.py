"""Writing results: safe file names, and files that appear whole or not at all."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from slugify import slugify

from guidegen.errors import Problem, UserError


def name_slug(name: str) -> str:
    """A readable ASCII slug of a person's name, in any script: 'José Núñez' -> 'jose-nunez'."""
    return slugify(name, max_length=60, word_boundary=True) or "guide"


def output_stem(name: str, template_id: str, number: int = 1) -> str:
    """'<name-slug>--<template-id>' (the `number`th person of that name: '<name-slug>-2--...'):
    only [a-z0-9-], so no file named from it can leave its folder."""
    slug = name_slug(name) if number == 1 else f"{name_slug(name)}-{number}"
    return f"{slug}--{template_id}"


def ensure_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(
            Problem(f"cannot create the output folder: {error.strerror}", file=folder)
        ) from None
    return folder


NOT_OURS = (
    "guidegen does not follow links in an output folder, nor read or write files it did "
    "not make there: remove it (or choose another output folder)"
)


def open_own(path: Path, flags: int, mode: int = 0o644) -> int:
    """A file descriptor for a file of guidegen's own in an output folder (a state file,
    a ledger, a log), opened without following a symbolic link (O_NOFOLLOW): a link
    planted there, by accident or to make guidegen overwrite something else, is
    refused with a clear message, as is anything that is not a regular file."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags | nofollow | getattr(os, "O_CLOEXEC", 0), mode)
    except OSError as error:
        if error.errno == errno.ELOOP or (not nofollow and path.is_symlink()):
            raise UserError(Problem(f"this is a symbolic link; {NOT_OURS}", file=path)) from None
        if error.errno == errno.ENOENT and not flags & os.O_CREAT:
            raise
        raise UserError(Problem(f"cannot open it: {error.strerror}", file=path)) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise UserError(Problem(f"this is not a regular file; {NOT_OURS}", file=path))
    return descriptor


def own_folder(folder: Path) -> Path:
    """`folder` (created when missing) when it is a real folder, not a symbolic link to
    one elsewhere (an outbox planted as a link would have guidegen write and delete
    files there)."""
    if folder.is_symlink():
        raise UserError(Problem(f"this is a symbolic link; {NOT_OURS}", file=folder))
    ensure_folder(folder)
    if folder.is_symlink() or not folder.is_dir():
        raise UserError(Problem(f"this is not a folder; {NOT_OURS}", file=folder))
    return folder


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place.

    A reader (or a crash) never sees half a file; an old file stays intact
    until the new one is complete.
    """
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:  # a read-only or full disk, a missing folder
        problem = Problem(f"cannot write into this folder: {error.strerror}", file=path.parent)
        raise UserError(problem) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(Problem(f"cannot write it: {error.strerror}", file=path)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell that Excel or Sheets would run as a formula ('=HYPERLINK(...)') is
    written with a leading apostrophe, which spreadsheets show as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_value(value: str) -> str:
    """The text a spreadsheet_safe() cell stands for."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
