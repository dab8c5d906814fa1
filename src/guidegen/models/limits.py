"""Every limit on what guidegen reads, in one place: its name, its value and why.

Input comes from clients, forms, spreadsheets and brand folders, so each kind
of input has a declared size beyond which it is refused before it can cost
memory or time. Each limit has a dotted name (``logo.pixels``) that every
message enforcing it quotes, so a user who hits one can look it up; the table
in SECURITY.md is generated from this module (docs/make_limits_table.py) and a
test fails when the two differ.

The module is plain data with no imports beyond the standard library: the
loaders, the models and the renderers all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

KB = 1024
MB = 1024 * KB


@dataclass(frozen=True)
class Limit:
    """One limit: at most `value` `unit` of `what`."""

    name: str
    """How messages and SECURITY.md name it: 'logo.pixels'."""
    value: int
    unit: str
    """'bytes', 'characters', 'items', 'pixels', ... (bytes are shown in KB or MB)."""
    what: str
    """What it applies to, for the table."""
    why: str
    """Why this value: what real input needs, and what the limit prevents."""

    def amount(self, value: int | None = None) -> str:
        """'2 MB', '20,000 characters': the limit (or `value`) in this limit's unit."""
        value = self.value if value is None else value
        if self.unit == "bytes":
            if value >= MB and value % MB == 0:
                return f"{value // MB:,} MB"
            if value >= KB and value % KB == 0:
                return f"{value // KB:,} KB"
            return f"{value:,} bytes"
        unit = self.unit[:-1] if value == 1 and self.unit.endswith("s") else self.unit
        return f"{value:,} {unit}"

    def expected(self) -> str:
        """'expected at most 2 MB (limit file.bytes)': the end of every message about it."""
        return f"expected at most {self.amount()} (limit {self.name})"

    def exceeded(self, subject: str, value: int | None = None) -> str:
        """'this file is 3,000,000 bytes; expected at most 2 MB (limit file.bytes)'."""
        if value is None:
            return f"{subject}; {self.expected()}"
        return f"{subject} {self.amount(value)}; {self.expected()}"

    def allows(self, value: int) -> bool:
        return value <= self.value


# --- files ----------------------------------------------------------------------------------------

FILE_BYTES = Limit(
    "file.bytes",
    2 * MB,
    "bytes",
    "a profile, template or brand file (YAML)",
    "They are a few kilobytes; parsing YAML takes several times the file's size in memory.",
)
COHORT_BYTES = Limit(
    "cohort.bytes",
    50 * MB,
    "bytes",
    "a cohort file (CSV, XLSX, JSON or YAML)",
    "Ten thousand people with long notes fit in a few MB.",
)
COHORT_ROWS = Limit(
    "cohort.rows",
    10_000,
    "rows",
    "a cohort: spreadsheet rows read (blank rows count), list items or profile files",
    "One batch is one cohort; a bigger one is split. Blank rows count because reading "
    "them costs the same (an XLSX of 1 MB can hold millions).",
)
COHORT_CELL_CHARS = Limit(
    "cohort.cell_chars",
    32_767,
    "characters",
    "one spreadsheet cell",
    "Excel's own limit for a cell; a longer cell fails its row, not the cohort.",
)
COHORT_COLUMNS = Limit(
    "cohort.columns",
    1_000,
    "columns",
    "a cohort spreadsheet's header row",
    "A cohort has about fifteen columns, a form export a hundred; a sheet that declares "
    "16,384 columns would make every row that wide.",
)
COHORT_CELLS = Limit(
    "cohort.cells",
    500_000,
    "cells",
    "one sheet of an XLSX cohort, every cell it writes out (filled or not)",
    "Reading a cell takes openpyxl about 20 µs: 10,000 people with 50 columns take "
    "10 seconds; a row of a million empty cells is 12 MB of XML.",
)
XLSX_PARTS = Limit(
    "xlsx.parts",
    10_000,
    "parts",
    "the files inside an XLSX workbook",
    "A workbook holds a few dozen; each listed part costs memory before any is read.",
)
XLSX_UNPACKED_BYTES = Limit(
    "xlsx.unpacked_bytes",
    200 * MB,
    "bytes",
    "an XLSX workbook, unpacked (the sum of its parts)",
    "An XLSX is a ZIP archive: a small file can unpack to gigabytes.",
)
XLSX_PART_BYTES = Limit(
    "xlsx.part_bytes",
    10 * MB,
    "bytes",
    "one part of an XLSX workbook that is read whole (styles, workbook, theme...), unpacked",
    "Each is parsed into memory at once, at about 20 times its size: 150 MB of styles in "
    "a 440 KB file took 2.9 GB. A workbook's styles are a few hundred KB.",
)
XLSX_SHARED_STRINGS_BYTES = Limit(
    "xlsx.shared_strings_bytes",
    50 * MB,
    "bytes",
    "an XLSX workbook's shared strings (the text of its cells), unpacked",
    "They are read into memory whole, before the first row; 10,000 people need a few "
    "MB. 300 MB of them in a 1 MB file took 770 MB.",
)
XLSX_SHARED_STRINGS = Limit(
    "xlsx.shared_strings",
    200_000,
    "strings",
    "an XLSX workbook's shared strings, counted",
    "Reading one takes openpyxl about 23 µs: 10,000 people with 15 text columns have "
    "150,000; 2.9 million one-letter strings (49 MB) took 66 seconds.",
)

EMAIL_ATTACHMENT_BYTES = Limit(
    "email.attachment_bytes",
    20 * MB,
    "bytes",
    "a file attached to a person's message (their PDF or Word guide)",
    "A guide is a few hundred KB; most mail servers refuse messages over 25 MB.",
)

# --- text -----------------------------------------------------------------------------------------

SHORT_TEXT_CHARS = Limit(
    "text.short_chars",
    200,
    "characters",
    "a name, role or location in a profile",
    "One line on a cover or in a table; longer is not a name.",
)
LONG_TEXT_CHARS = Limit(
    "text.long_chars",
    20_000,
    "characters",
    "a profile's notes; any text of a template or brand, before and after its "
    "placeholders are filled",
    "About eight pages; the longest text of the built-in templates has 1,400 characters.",
)
SKILL_NAME_CHARS = Limit(
    "skill.name_chars",
    100,
    "characters",
    "one skill's name in a profile",
    "A skill is a few words; it is matched against every template's skill lists.",
)
PROFILE_SKILLS = Limit(
    "profile.skills",
    200,
    "items",
    "the skills of one profile",
    "A long CV lists fifty.",
)

# --- templates ------------------------------------------------------------------------------------

TEMPLATE_ID_CHARS = Limit(
    "template.id_chars",
    120,
    "characters",
    "a template's id",
    "It is part of every output file's name, which file systems keep under 255 bytes.",
)
TEMPLATE_LIST_ITEMS = Limit(
    "template.list_items",
    100,
    "items",
    "any one list of a template (skills, resources, tasks, aliases, FAQ entries...)",
    "The longest list of the built-in templates has 28 items; each item is laid out on "
    "the guide's pages.",
)
TEMPLATE_PHASES = Limit(
    "template.phases",
    30,
    "phases",
    "a template's roadmap",
    "Every phase is a bar of the timeline chart and a section of the guide; 10,000 "
    "phases took 3 minutes and 5.7 GB to draw.",
)
TEMPLATE_TASK_HOURS = Limit(
    "template.task_hours",
    400,
    "hours",
    "one roadmap task of a template (a course, a project, an exam)",
    "The longest built-in task is 60 hours; `validate` already asks about anything over "
    "120. A billion-hour task made dates past the year 9999.",
)
TEMPLATE_TEXT_LOOP_ITERATIONS = Limit(
    "template.loop_iterations",
    10_000,
    "iterations",
    "the {% for %} loops of one template text, nested ones multiplied, counted for the "
    "longest values the placeholders can have",
    "Template text is prose with placeholders; nested loops over range() never ended.",
)
TEMPLATE_TEXT_LOOP_NESTING = Limit(
    "template.loop_nesting",
    2,
    "levels",
    "{% for %} loops inside {% for %} loops in one template text",
    "Each level multiplies the work; prose needs one, a table two.",
)

# --- brands ---------------------------------------------------------------------------------------

LOGO_BYTES = Limit(
    "logo.bytes",
    5 * MB,
    "bytes",
    "a brand's logo file (PNG, JPEG or SVG)",
    "A logo at print resolution is a few hundred KB.",
)
LOGO_PIXELS = Limit(
    "logo.pixels",
    16_000_000,
    "pixels",
    "a brand's PNG or JPEG logo, width times height (e.g. 4000×4000)",
    "Decoding takes 4 bytes a pixel whatever the file's size: a 13000×13000 PNG took "
    "1.4 GB. Logos are downscaled to what a page needs once loaded.",
)
FONT_BYTES = Limit(
    "font.bytes",
    32 * MB,
    "bytes",
    "one font file of a brand",
    "A CJK font with every weight is about 20 MB; fonts are embedded (subset) in PDFs.",
)
REFERENCE_DOC_BYTES = Limit(
    "reference_doc.bytes",
    10 * MB,
    "bytes",
    "a brand's Word reference document (.docx or .dotx)",
    "Styles, a header and a footer with a logo fit in a few hundred KB.",
)
REFERENCE_DOC_UNPACKED_BYTES = Limit(
    "reference_doc.unpacked_bytes",
    30 * MB,
    "bytes",
    "a reference document, unpacked (the sum of its parts)",
    "A .docx is a ZIP archive: a 400 MB zero-filled part is 400 KB packed and took 870 MB to open.",
)
REFERENCE_DOC_PARTS = Limit(
    "reference_doc.parts",
    1_000,
    "parts",
    "the files inside a reference document",
    "Word writes about twenty.",
)

# --- plans ----------------------------------------------------------------------------------------

PLAN_YEARS = Limit(
    "plan.years",
    10,
    "years",
    "a personalized plan, from its start date to its last phase",
    "Very few hours a week stretch the roadmap: 0.000001 hours a week made dates past "
    "the year 9999.",
)

LIMITS: tuple[Limit, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Limit)
)
"""Every limit, in the order of this module (the order of SECURITY.md's table)."""


def markdown_table() -> str:
    """The limits as SECURITY.md shows them."""
    lines = ["| Limit | At most | Applies to | Why |", "| --- | --- | --- | --- |"]
    for limit in LIMITS:
        lines.append(f"| `{limit.name}` | {limit.amount()} | {limit.what} | {limit.why} |")
    return "\n".join(lines) + "\n"
