"""Writing results: safe file names, and files that appear whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from slugify import slugify

from guidegen.errors import Problem, UserError


def name_slug(name: str) -> str:
    """A readable ASCII slug of a person's name, in any script: 'José Núñez' -> 'jose-nunez'."""
    return slugify(name, max_length=60, word_boundary=True) or "guide"


def output_name(name: str, template_id: str, extension: str) -> str:
    """'<name-slug>--<template-id>.<ext>': only [a-z0-9-], so it cannot leave its folder."""
    return f"{name_slug(name)}--{template_id}.{extension}"


def ensure_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(
            Problem(f"cannot create the output folder: {error.strerror}", file=folder)
        ) from None
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
