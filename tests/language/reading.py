"""A guide's text as a reader meets it, in blocks: paragraphs, cells, list items, events.

The language test reads every block of a rendered guide and asks a language
detector which language it is in. A block is what a reader takes in at once:
in the PDF, lines of one column that follow each other closely; in Word, a
paragraph (body, table cell, header or footer); in the calendar, an event's or
to-do's title, each line of its description, and its category.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pdfplumber
from docx import Document
from icalendar import Calendar

COLUMN_GAP = 9.0
"""Points between two words of one line that mean two columns (a table's cells)."""


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    return re.sub(r"\s+", " ", text).strip()


# --- PDF --------------------------------------------------------------------------------------


def pdf_blocks(path) -> list[str]:
    blocks: list[str] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            blocks += _page_blocks(page.extract_words(extra_attrs=["size"]))
    return blocks


def _page_blocks(words: list[dict]) -> list[str]:
    segments = sorted(_segments(words), key=lambda s: (round(s["top"]), s["x0"]))
    open_blocks: list[dict] = []
    done: list[dict] = []
    for segment in segments:
        height = segment["bottom"] - segment["top"]
        for block in open_blocks:
            last = block["last"]
            same_column = abs(last["x0"] - segment["x0"]) < 14 or (
                last["x0"] - 14 <= segment["x0"] <= last["x1"] and segment["x1"] <= last["x1"] + 40
            )
            close_below = 0 <= segment["top"] - last["bottom"] < 0.75 * height
            if same_column and close_below:
                block["text"] += " " + segment["text"]
                block["last"] = segment
                break
        else:
            block = {"text": segment["text"], "last": segment}
            open_blocks.append(block)
            done.append(block)
        # Blocks far above this line are finished: keep the search short.
        open_blocks = [b for b in open_blocks if segment["top"] - b["last"]["bottom"] < 40]
    return [_clean(block["text"]) for block in done]


def _segments(words: list[dict]) -> Iterator[dict]:
    """Runs of words on one line, split where a gap says the next word is another column."""
    lines: dict[int, list[dict]] = {}
    for word in words:
        lines.setdefault(round(word["top"] / 2), []).append(word)
    for line in lines.values():
        line.sort(key=lambda w: w["x0"])
        current = [line[0]]
        for word in line[1:]:
            if word["x0"] - current[-1]["x1"] > COLUMN_GAP:
                yield _segment(current)
                current = []
            current.append(word)
        yield _segment(current)


def _segment(words: list[dict]) -> dict:
    return {
        "text": " ".join(w["text"] for w in words),
        "x0": words[0]["x0"],
        "x1": words[-1]["x1"],
        "top": min(w["top"] for w in words),
        "bottom": max(w["bottom"] for w in words),
    }


# --- Word -------------------------------------------------------------------------------------


def docx_blocks(path) -> list[str]:
    document = Document(path)
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_footer):
            paragraphs += part.paragraphs
    return [_clean(paragraph.text) for paragraph in paragraphs if paragraph.text.strip()]


# --- calendar ---------------------------------------------------------------------------------


def ics_blocks(path) -> list[str]:
    calendar = Calendar.from_ical(path.read_bytes())
    blocks: list[str] = []
    for component in calendar.walk():
        if component.name not in {"VEVENT", "VTODO"}:
            continue
        blocks.append(str(component["summary"]))
        if "description" in component:
            blocks += [line.lstrip("• ") for line in str(component["description"]).splitlines()]
        if "categories" in component:
            blocks += [str(category) for category in component["categories"].cats]
    return [_clean(block) for block in blocks if block.strip()]
