"""Reading a cohort: many profiles from a spreadsheet, a list, or a folder.

Spreadsheets are read the way people really export them: CSV from Excel or
Google Sheets (UTF-8 with or without BOM, comma or semicolon, CRLF, quoted
cells with line breaks, blank lines, extra columns) and XLSX (first sheet).
Column headers match profile fields ignoring case, spaces, underscores and
punctuation, with the usual synonyms; ``--map "Header=field"`` maps the rest.
A JSON or YAML list of profiles, or a folder of profile files, works too.

Cells are read forgivingly but never by guessing in silence: "10 hrs" and
"ten" are 10 hours; a column of dates is read in one order (day/month or
month/day), the one its dates fit, and the reader says which when the dates
alone could not tell; a header that looks like a misspelt field, or a sheet
with no email column, is reported, because everyone's guide would be affected.

Reading never stops at a bad row: each row is validated on its own later, and
only a cohort that cannot be read at all (no file, no name column...) is a
UserError here. A cell too long for a spreadsheet fails its row; the file's size,
its rows (blank rows count: reading them costs the same) and columns, and an
XLSX workbook's unpacked size are checked before or while reading, each against
its limit in `guidegen.models.limits`, so a small file cannot cost gigabytes.
Text read from a sheet is shown (in messages, in the manifest) with its control
characters escaped: a NUL or a terminal escape stays visible and harmless.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import difflib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import ValidationError

from guidegen.errors import Problem, UserError, printable
from guidegen.language.catalogs import LANGUAGES, language_name
from guidegen.load.sources import Source, SourceMap, load_yaml_file
from guidegen.load.validation import parse_path, problems_from
from guidegen.models import limits
from guidegen.models.profile import Profile, SkillLevel

PROFILE_FIELDS = tuple(Profile.model_fields)
SPREADSHEET_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
LIST_SUFFIXES = (".yaml", ".yml", ".json")

# Normalized header -> profile field. Normalized: lower case, letters and digits only.
SYNONYMS: dict[str, str] = {}
for _field, _names in {
    # English, then the headers Spanish and French sheets use.
    "name": "name fullname candidate candidatename participant participantname student "
    "studentname learner person nombre nombrecompleto nombreyapellidos nom nomcomplet",
    "email": "email emailaddress mail emailid contactemail correo correoelectronico courriel "
    "adresseemail",
    "current_role": "currentrole role currentjobtitle jobtitle currenttitle currentposition "
    "position title fromrole currentjob occupation puestoactual cargoactual rolactual "
    "posteactuel metieractuel",
    "target_role": "targetrole target desiredrole goalrole goal targetjobtitle targettitle "
    "nextrole torole aspiration desiredjob targetjob puestodeseado puestoobjetivo "
    "rolobjetivo postevise metiervise",
    "skills": "skills skillset currentskills keyskills skill habilidades competencias competences",
    "years_experience": "yearsexperience yearsofexperience experience experienceyears years yoe "
    "anosdeexperiencia anosexperiencia experiencia anneesdexperience",
    "hours_per_week": "hoursperweek hours weeklyhours hoursweek hrsweek hrsperweek hourswk "
    "hoursperwk hrswk hpw hoursavailable availability studyhours horasporsemana "
    "horassemanales horas heuresparsemaine heures",
    "start_date": "startdate start cohortstart begin begins fechadeinicio fechainicio inicio "
    "datededebut debut",
    # One cell each: "2027-06-01: 20; 2027-08-01: 10" and
    # "Summer: 2027-07-01..2027-08-31; 2027-12-20..2028-01-02" (see models/profile.py).
    "pace": "pace pacechanges pacechange changesofpace ritmo rythme",
    "breaks": "breaks break timeoff holidays vacation vacations daysoff nostudy pausas "
    "vacaciones pauses conges",
    "location": "location city country place region basedin ubicacion ciudad pais lieu ville",
    "notes": "notes coachnotes comments note remarks coachcomments notas comentarios remarques",
    "template": "template templateid track transition",
    "language": "language lang idioma langue preferredlanguage guidelanguage",
}.items():
    for _name in _names.split():
        SYNONYMS[_name] = _field
FIRST_NAME = {"firstname", "givenname", "first", "forename"}
LAST_NAME = {"lastname", "surname", "familyname", "last"}
REQUIRED = ("name", "current_role", "target_role")
MAX_COHORT_BYTES = limits.COHORT_BYTES.value
MAX_ROWS = limits.COHORT_ROWS.value
MAX_COLUMNS = limits.COHORT_COLUMNS.value
MAX_CELL_CHARS = limits.COHORT_CELL_CHARS.value
SHOWN_CELL_CHARS = 200
"""How much of a cell too long to read the manifest keeps (with an ellipsis)."""
TOO_MANY_ROWS_FIX = (
    "delete the empty rows below the last person (or copy the people into a new "
    "sheet), or split the cohort"
)
NUMERIC_FIELDS = {"years_experience", "hours_per_week"}
SKILL_LEVELS = set(SkillLevel.__args__)

DateOrder = Literal["day-first", "month-first"]
DAY_FIRST: DateOrder = "day-first"
MONTH_FIRST: DateOrder = "month-first"
DEFAULT_DATE_ORDER: DateOrder = MONTH_FIRST
"""What an all-ambiguous column is read as: Google Sheets' and Excel's US default."""
DATE_ORDER_FLAG = {DAY_FIRST: "--day-first", MONTH_FIRST: "--month-first"}
DATE_ORDER_WORDS = {DAY_FIRST: "day first", MONTH_FIRST: "month first"}

ROLE_PAIR_FIX = (
    "give the row a template id in a Template column (`guidegen templates list` shows them), "
    'map a column that has one with --map "Programme=template", '
    "or write a template for this move with `guidegen templates new`"
)
"""How to fix a row whose roles match no template; said by `batch` and `validate`."""


def normalize_header(header: str) -> str:
    """'Current Role' -> 'currentrole'; 'E-mail' -> 'email'; 'Ubicación' -> 'ubicacion':
    case, accents, spaces and punctuation go."""
    return "".join(re.findall(r"[^\W_]+", _fold(header)))


@dataclass
class CohortEntry:
    """One person's row: raw profile fields and how to point at them in errors."""

    number: int
    """The row as a spreadsheet shows it (header = 1), the item (1-based) or file number."""
    data: dict[str, Any]
    file: Path
    source: Source | None = None
    """For YAML/JSON items and profile files: line and column of each field."""
    prefix: tuple = ()
    """Where the entry's fields sit in `source` (the item's index in a list)."""
    load_error: UserError | None = None
    """Why a profile file of a folder cohort could not be read at all."""
    cells: dict[str, str] = field(default_factory=dict)
    """Each field's text as the spreadsheet had it: what a failed row keeps in the manifest."""
    problems: list[Problem] = field(default_factory=list)
    """Cells that could not be read (a date against its column's order, 'lots' hours)."""

    @property
    def name(self) -> str | None:
        """The name as a message shows it: a control character or line break in the cell
        is escaped ('Ana\\x1b[31m'), never sent to a terminal or a manifest as is."""
        value = self.data.get("name") if isinstance(self.data, dict) else None
        if value in (None, ""):
            value = self.cells.get("name")  # a name cell too long to read
        return printable(str(value).strip()) if value not in (None, "") else None

    @property
    def email(self) -> str | None:
        value = self.data.get("email") if isinstance(self.data, dict) else None
        return str(value).strip() if value not in (None, "") else None

    def validate(self) -> Profile:
        """The entry as a Profile, or a UserError naming the row, the person and each field."""
        if self.load_error is not None:
            raise self.load_error
        if not isinstance(self.data, dict):
            raise UserError(self.problem("expected a profile: a mapping of fields (key: value)"))
        problems = [
            dataclasses.replace(p, file=self.file, row=self.row_number, subject=self.name)
            for p in self.problems
        ]
        # A cell the reader could not read is left out of the data: the schema's word on
        # that field ("this field is required") would only repeat it less clearly.
        unread = {_top_field(p.field) for p in problems}
        try:
            profile = Profile.model_validate(self.data)
        except ValidationError as error:
            source = self.source or Source(self.data, SourceMap(self.file))
            found = problems_from(error, source, Profile, prefix=self.prefix)
            problems += [
                _with_row(p, self.row_number, self.name)
                for p in found
                if _top_field(p.field) not in unread
            ]
        if problems:
            # In the order of the profile's fields, as a person reads the row.
            order = {name: index for index, name in enumerate(PROFILE_FIELDS)}
            problems.sort(key=lambda p: order.get(_top_field(p.field), -1))
            raise UserError(problems)
        return profile

    def raw_cells(self) -> dict[str, str]:
        """Every field the row gave, as text: the spreadsheet's cells, or a list item's
        values; control characters escaped (a failed row's cells go into the manifest)."""
        if self.cells:
            cells = self.cells
        elif isinstance(self.data, dict):
            cells = {
                key: _as_text(value) for key, value in self.data.items() if key in PROFILE_FIELDS
            }
        else:
            return {}
        return {key: printable(value, keep_lines=True) for key, value in cells.items()}

    @property
    def row_number(self) -> int | None:
        return self.number if self.source is None or self.prefix else None

    def problem(self, message: str, **details: Any) -> Problem:
        return Problem(message, file=self.file, row=self.row_number, subject=self.name, **details)

    def placed(self, error: UserError) -> UserError:
        """`error` (found while planning this entry's guide) placed on its row, or at the
        line of the field at fault in a list or profile file."""
        problems = []
        for problem in error.problems:
            if self.source is not None and problem.field and problem.line is None:
                path = (*self.prefix, *parse_path(problem.field))
                line, column = self.source.map.locate(path) or (None, None)
                problem = dataclasses.replace(
                    problem, file=self.source.map.file, line=line, column=column
                )
            problems.append(
                dataclasses.replace(
                    problem,
                    file=problem.file or self.file,
                    row=self.row_number,
                    subject=self.name,
                )
            )
        return UserError(problems, hint=error.hint)


def _with_row(problem: Problem, row: int | None, subject: str | None) -> Problem:
    return dataclasses.replace(problem, row=row, subject=subject)


def _top_field(field: str | None) -> str:
    """'skills[2].level' -> 'skills'."""
    return (field or "").split(".")[0].split("[")[0]


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(
            f"{item.get('name')} ({item['level']})"
            if isinstance(item, dict) and item.get("level")
            else str(item.get("name", "") if isinstance(item, dict) else item)
            for item in value
        )
    return "" if value is None else str(value)


@dataclass
class Cohort:
    path: Path
    entries: list[CohortEntry]
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """What may lose people silently: a header close to a field, no email column."""
    notes: list[Problem] = field(default_factory=list)
    """How the reader decided something the cells alone did not say (the date order)."""
    has_email_column: bool = True


def read_cohort(
    path: Path,
    *,
    mappings: dict[str, str] | None = None,
    date_order: DateOrder | None = None,
) -> Cohort:
    """Read a cohort file or folder. `mappings`: header -> field, from --map;
    `date_order`: how to read dates like 03/02/2027 (default: what the column's dates fit)."""
    mappings = _check_mappings(mappings or {})
    if path.is_dir():
        return _read_folder(path)
    if not path.exists():
        raise UserError(Problem("no such file or folder", file=path))
    size = path.stat().st_size
    if not limits.COHORT_BYTES.allows(size):
        raise UserError(Problem(limits.COHORT_BYTES.exceeded("this file is", size), file=path))
    suffix = path.suffix.lower()
    if suffix in LIST_SUFFIXES:
        return _limited(_read_list(path))
    if suffix == ".xlsx":
        headers, rows = _xlsx_rows(path)
    elif suffix in SPREADSHEET_SUFFIXES:
        headers, rows = _csv_rows(path)
    else:
        raise UserError(
            Problem(
                "unknown cohort format; expected .csv, .xlsx, .json, .yaml or a folder "
                "of profile .yaml files",
                file=path,
            )
        )
    return _limited(_from_table(path, headers, rows, mappings, date_order))


def _limited(cohort: Cohort) -> Cohort:
    if not limits.COHORT_ROWS.allows(len(cohort.entries)):
        raise UserError(
            Problem(
                f"{len(cohort.entries):,} people; {limits.COHORT_ROWS.expected()}: "
                "split the cohort",
                file=cohort.path,
            )
        )
    return cohort


def _too_many_rows(path: Path, found: str) -> UserError:
    """More rows than a cohort may have; `found` says how many and how it is known."""
    return UserError(
        Problem(f"{found}; {limits.COHORT_ROWS.expected()}: {TOO_MANY_ROWS_FIX}", file=path)
    )


# --- spreadsheets ------------------------------------------------------------------------------


def _csv_rows(path: Path) -> tuple[list[str], Iterable[tuple[int, list[Any]]]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UserError(Problem(f"cannot read it: {error.strerror}", file=path)) from None
    text = _decoded(raw, path)
    if not text.strip():
        raise UserError(
            Problem("the file is empty; expected a header row and one row a person", file=path)
        )
    first_line = text.lstrip("\r\n").splitlines()[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Any cell up to the file's own size is read, so that a cell too long fails its
    # row (cohort.cell_chars) rather than the whole file; csv's limit is global.
    field_limit = csv.field_size_limit()
    csv.field_size_limit(max(field_limit, len(text) + 1))
    try:
        return _records(((cells[: MAX_COLUMNS + 1]) for cells in reader), path)
    except csv.Error as error:
        raise UserError(Problem(f"this is not a readable CSV file: {error}", file=path)) from None
    finally:
        csv.field_size_limit(field_limit)


def _decoded(raw: bytes, path: Path) -> str:
    """The text of a CSV as Excel, Sheets or Numbers wrote it: UTF-8 with or without a
    byte-order mark, UTF-16 (Excel's "Unicode text", with one), or Windows' ANSI."""
    encoding = None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in raw[:4096] and not raw.startswith(codecs.BOM_UTF8):
        # UTF-16 without its mark: ASCII text has a zero byte beside every letter.
        sample = raw[:4096]
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if max(odd, even) > len(sample) // 4:
            encoding = "utf-16-le" if odd > even else "utf-16-be"
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise UserError(
                Problem(
                    f"this looks like UTF-16 text but byte {error.start} cannot be read as "
                    "UTF-16; save it again as CSV UTF-8",
                    file=path,
                )
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (Comma delimited)" on Windows writes the ANSI code page.
        return raw.decode("cp1252", errors="replace")


def _records(rows: Iterable[list[Any]], path: Path) -> tuple[list[str], list[tuple[int, list]]]:
    """The header (the first row with a cell) and the rows below it, with their numbers;
    at most `cohort.rows` rows below the header, blank ones included, are read."""
    records = []
    headers: list[str] | None = None
    header_row = 0
    for row_number, cells in enumerate(rows, start=1):  # a spreadsheet row, however many
        below = row_number - header_row  # lines its cells span
        if below > MAX_ROWS:
            where = "below its header" if headers is not None else "before any header"
            raise _too_many_rows(path, f"more than {MAX_ROWS:,} rows {where} (blank rows count)")
        if not any(str(cell).strip() for cell in cells):
            continue  # blank lines are skipped
        if headers is None:
            _check_columns(cells, path, row_number)
            headers, header_row = [str(cell) for cell in cells], row_number
            continue
        records.append((row_number, cells))
    if headers is None:
        raise UserError(Problem("no header row found", file=path))
    return headers, records


def _check_columns(header: list[Any], path: Path, row: int) -> None:
    """Rows are read `cohort.columns` cells wide (plus one, to see a wider header)."""
    if len(header) > MAX_COLUMNS and any(str(cell).strip() for cell in header[MAX_COLUMNS:]):
        raise UserError(
            Problem(
                f"the header row has more than {MAX_COLUMNS:,} columns; "
                f"{limits.COHORT_COLUMNS.expected()}: delete the columns no profile field needs",
                file=path,
                row=row,
            )
        )


def _xlsx_rows(path: Path) -> tuple[list[str], Iterable[tuple[int, list[Any]]]]:
    _check_workbook_archive(path)
    from openpyxl import load_workbook  # only XLSX cohorts need it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UserError(Problem(f"cannot read this workbook: {error}", file=path)) from None
    try:
        sheet = workbook.worksheets[0]
        # The range the sheet declares (A1:E20000000): openpyxl yields every row of it,
        # blank or not, so a sheet that declares too many is refused before reading.
        if sheet.max_row is not None and sheet.max_row - (sheet.min_row or 1) > MAX_ROWS:
            raise _too_many_rows(
                path,
                f"the first sheet has {sheet.max_row:,} rows (its range is "
                f"{sheet.calculate_dimension()}; blank rows count: reading them costs the same)",
            )
        # Rows as wide as the sheet declares, or as the limit (plus one, to see a header
        # too wide) when it declares no width or a wider one.
        width = sheet.max_column
        max_col = None if width is not None and width <= MAX_COLUMNS + 1 else MAX_COLUMNS + 1
        try:
            return _records(_sheet_rows(sheet, max_col), path)
        except UserError:
            raise
        except Exception as error:  # a damaged sheet, found while streaming it
            raise UserError(
                Problem(f"cannot read this workbook's first sheet: {error}", file=path)
            ) from None
    finally:
        workbook.close()


def _sheet_rows(sheet, max_col: int | None) -> Iterator[list[Any]]:
    for values in sheet.iter_rows(values_only=True, max_col=max_col):
        width = len(values)
        while width and values[width - 1] is None:  # a row padded to the sheet's width
            width -= 1
        yield ["" if value is None else value for value in values[:width]]


def _check_workbook_archive(path: Path) -> None:
    """An XLSX is a ZIP archive, and openpyxl reads most of its parts whole: the parts'
    count and unpacked sizes, as its directory declares them (zipfile never unpacks a
    part past its declared size), and the rows of sheets that declare no range, are
    checked before openpyxl opens it."""
    parts = _zip_entry_count(path)
    if parts is not None and not limits.XLSX_PARTS.allows(parts):
        problem = limits.XLSX_PARTS.exceeded("this workbook holds", parts)
        raise UserError(Problem(problem, file=path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UserError(
            Problem(
                f"this is not an XLSX workbook ({error}); save it again from your spreadsheet "
                "as Excel Workbook (.xlsx), or as CSV",
                file=path,
            )
        ) from None
    with archive:
        entries = archive.infolist()
        if not limits.XLSX_PARTS.allows(len(entries)):
            raise UserError(
                Problem(limits.XLSX_PARTS.exceeded("this workbook holds", len(entries)), file=path)
            )
        for entry in entries:
            # A part too small to cost much, or to hold that many rows, is not read twice.
            if entry.file_size > min(limits.XLSX_PART_BYTES.value, 6 * MAX_ROWS):
                problem = _part_problem(archive, entry)
                if problem:
                    raise UserError(Problem(problem, file=path))
        unpacked = sum(entry.file_size for entry in entries)
        if not limits.XLSX_UNPACKED_BYTES.allows(unpacked):
            largest = max(entries, key=lambda entry: entry.file_size)
            raise UserError(
                Problem(
                    f"it unpacks to {unpacked:,} bytes ({largest.filename} alone: "
                    f"{largest.file_size:,}); {limits.XLSX_UNPACKED_BYTES.expected()}",
                    file=path,
                )
            )


class _Stop(Exception):
    pass


@dataclass
class _PartCount:
    """What one pass of expat over a part found: its root element, and what it counts."""

    root: str | None = None
    declared: bool = False
    """A worksheet's `<dimension>` came before its rows."""
    in_data: bool = False
    rows: int = 0
    cells: int = 0
    strings: int = 0


def _part_problem(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> str | None:
    """What is wrong with one large part of a workbook, read once with expat (which
    keeps nothing) and only as far as needed; None when openpyxl may read it.

    openpyxl streams a worksheet row by row, but at about 20 µs a cell, and only once
    it knows the sheet's range from its `<dimension>`: without one it builds an
    element for every row just to look for it (20 million blank rows took 2 GB). The
    shared strings (23 µs each) and every other XML part are read whole."""
    from xml.parsers import expat

    name = entry.filename
    found = _PartCount()
    row_limit = MAX_ROWS + 1  # the header, and the people

    def start(tag: str, _attributes) -> None:
        local = tag.rpartition(" ")[2]
        if found.root is None:
            found.root = local
            if local not in ("worksheet", "sst"):
                raise _Stop  # what kind of part it is: that is all
            if local == "sst" and not limits.XLSX_SHARED_STRINGS_BYTES.allows(entry.file_size):
                raise _Stop  # too big already
        elif local == "c" and found.in_data:
            found.cells += 1
            if not limits.COHORT_CELLS.allows(found.cells):
                raise _Stop
        elif local == "row" and found.in_data:
            found.rows += 1
            if found.rows > row_limit:
                # Without a range openpyxl would build them all; with one it reads no more
                # than the range, which read_cohort checks.
                raise _Stop
        elif local == "si":
            found.strings += 1
            if not limits.XLSX_SHARED_STRINGS.allows(found.strings):
                raise _Stop
        elif local == "dimension" and not found.in_data:
            found.declared = True
        elif local == "sheetData":
            found.in_data = True

    def no_doctype(*_args) -> None:
        raise _Stop  # no part of a workbook has one; openpyxl refuses them

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_doctype
    try:
        with archive.open(entry) as handle:
            while chunk := handle.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop:
        pass
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        if found.root is None:
            return None  # not XML (a picture): openpyxl does not read it
    if found.root == "worksheet":
        if not limits.COHORT_CELLS.allows(found.cells):
            found_cells = f"a sheet ({name}) writes out more than {found.cells - 1:,} cells"
            return (
                f"{limits.COHORT_CELLS.exceeded(found_cells + ', filled or not')}: keep only "
                "the cohort's sheet in the workbook, without the rows and columns it does not use"
            )
        if found.rows > row_limit and not found.declared:
            return (
                f"a sheet ({name}) has more than {MAX_ROWS:,} rows and does not declare its "
                f"range (blank rows count: reading them costs the same); "
                f"{limits.COHORT_ROWS.expected()}: {TOO_MANY_ROWS_FIX}"
            )
        return None
    if found.root == "sst":
        if limits.XLSX_SHARED_STRINGS_BYTES.allows(entry.file_size) and not (
            limits.XLSX_SHARED_STRINGS.allows(found.strings)
        ):
            return limits.XLSX_SHARED_STRINGS.exceeded(
                f"its text ({name}) holds more than {limits.XLSX_SHARED_STRINGS.value:,} strings"
            )
        limit, what = limits.XLSX_SHARED_STRINGS_BYTES, f"its text ({name})"
    elif found.root is not None:
        limit, what = limits.XLSX_PART_BYTES, f"its part {name}"
    else:
        return None
    if limit.allows(entry.file_size):
        return None
    return limit.exceeded(f"{what} unpacks to", entry.file_size)


def _zip_entry_count(path: Path) -> int | None:
    """How many parts a ZIP archive declares, read from its end record alone: zipfile
    builds an object for each part of the directory before anything can be checked."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 65_557))  # the end record, and a comment of 64 KB at most
            tail = handle.read()
    except OSError:
        return None
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None  # not a ZIP archive: zipfile will say so
    count = struct.unpack_from("<H", tail, at + 10)[0]
    if count == 0xFFFF:  # ZIP64: the count is in the ZIP64 end record, found by its locator
        locator = tail.rfind(b"PK\x06\x07", 0, at)
        if locator < 0:
            return None
        offset = struct.unpack_from("<Q", tail, locator + 8)[0]
        try:
            with path.open("rb") as handle:
                handle.seek(offset)
                record = handle.read(56)
        except OSError:
            return None
        if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
            return None
        count = struct.unpack_from("<Q", record, 32)[0]
    return count


def _from_table(
    path: Path,
    headers: list[str],
    rows: Iterable[tuple[int, list[Any]]],
    mappings: dict[str, str],
    date_order: DateOrder | None,
) -> Cohort:
    columns, ignored = _columns(path, headers, mappings)
    found = set(columns.values())
    if "name" not in found and {"first_name", "last_name"} <= found:
        found.add("name")
    header_warnings = _header_warnings(path, ignored, found)
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise UserError(
            [
                Problem(
                    f"no column for {', '.join(missing)}; the header row has: "
                    + ", ".join(repr(str(h)) for h in headers if str(h).strip()),
                    file=path,
                    row=1,
                ),
                *(w for w in header_warnings if any(f"mean {m}?" in w.message for m in missing)),
            ],
            hint='Name columns like the profile fields, or map them: --map "Full name=name".',
        )
    cohort = Cohort(path=path, entries=[], ignored_columns=ignored)
    cohort.warnings += header_warnings
    cohort.has_email_column = "email" in found
    dates: list[tuple[CohortEntry, Any]] = []
    for number, cells in rows:
        entry = CohortEntry(number=number, data={}, file=path)
        raw: dict[str, Any] = {}
        for index, target in columns.items():
            value = cells[index] if index < len(cells) else ""
            if isinstance(value, str):
                value = value.strip()
            if value in ("", None):
                continue
            text = _cell_text(value)
            if not limits.COHORT_CELL_CHARS.allows(len(text)):
                # This row fails; the others are read. The manifest keeps the cell's start.
                entry.problems.append(
                    Problem(
                        limits.COHORT_CELL_CHARS.exceeded(
                            f"this cell has {len(text):,} characters"
                        ),
                        field="name" if target in ("first_name", "last_name") else target,
                    )
                )
                entry.cells[target] = text[:SHOWN_CELL_CHARS] + "…"
                continue
            raw[target] = value
            entry.cells[target] = text
        first, last = raw.pop("first_name", None), raw.pop("last_name", None)
        entry.cells.pop("first_name", None), entry.cells.pop("last_name", None)
        if "name" not in raw and (first or last):
            raw["name"] = " ".join(str(part) for part in (first, last) if part)
            entry.cells["name"] = raw["name"]
        # The language first: number words ("diez") are read in the row's language.
        for target, value in sorted(raw.items(), key=lambda item: item[0] != "language"):
            if target == "start_date":
                dates.append((entry, value))
                continue
            try:
                entry.data[target] = _cell(value, target, entry)
            except ValueError as error:
                entry.problems.append(
                    Problem(str(error), field=target, value=_cell_text(value), has_value=True)
                )
        cohort.entries.append(entry)
    header = next((str(headers[i]).strip() for i, t in columns.items() if t == "start_date"), "")
    cohort.notes += _read_date_column(path, header, dates, date_order)
    return cohort


def _columns(
    path: Path, headers: list[str], mappings: dict[str, str]
) -> tuple[dict[int, str], list[str]]:
    """Column index -> field, and the headers read as nothing."""
    columns: dict[int, str] = {}
    ignored = []
    for index, header in enumerate(headers):
        key = normalize_header(str(header))
        target = mappings.get(key) or SYNONYMS.get(key)
        if target is None and key in FIRST_NAME:
            target = "first_name"
        if target is None and key in LAST_NAME:
            target = "last_name"
        if target is None:
            if str(header).strip():
                ignored.append(str(header).strip())
            continue
        if target in columns.values():
            first = headers[next(i for i, t in columns.items() if t == target)]
            raise UserError(
                Problem(
                    f"columns {first!r} and {header!r} both give {target}; "
                    f'choose one with --map "{header}=..."',
                    file=path,
                    row=1,
                )
            )
        columns[index] = target
    return columns, ignored


def _header_warnings(path: Path, ignored: list[str], found: set[str]) -> list[Problem]:
    """A did-you-mean for each ignored header close to a field no column gives; no email."""
    warnings = []
    known = {key: target for key, target in SYNONYMS.items() if target not in found}
    suggested = set()
    for header in ignored:
        close = difflib.get_close_matches(normalize_header(header), known, n=1, cutoff=0.75)
        if not close:
            continue
        target = known[close[0]]
        suggested.add(target)
        warnings.append(
            Problem(
                f"column {header!r} is not read: did you mean {target}? "
                f'Rename the header, or add --map "{header}={target}"',
                file=path,
                row=1,
            )
        )
    if "email" not in found and "email" not in suggested:
        warnings.append(
            Problem(
                "no email column: nobody in this cohort can be emailed their guide; "
                'add an Email column, or map one with --map "HEADER=email"',
                file=path,
                row=1,
            )
        )
    return warnings


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell(value: Any, target: str, entry: CohortEntry) -> Any:
    """A spreadsheet cell as a profile value; a ValueError says why it cannot be one."""
    if target == "skills":
        return split_skills(str(value))
    if target in NUMERIC_FIELDS:
        return read_number(value, target, language=entry.data.get("language"))
    if target == "language":
        return language_code(str(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a text column: 42.0 reads 42
    return value if isinstance(value, str) else str(value)


def split_skills(text: str) -> list[Any]:
    """'Python (advanced); SQL, Excel' -> [{name: Python, level: advanced}, 'SQL', 'Excel']."""
    separator = ";" if ";" in text else ","
    skills: list[Any] = []
    for part in text.split(separator):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(.+?)\s*\((\w+)\)", part)
        if match and match.group(2).casefold() in SKILL_LEVELS:
            skills.append({"name": match.group(1), "level": match.group(2).casefold()})
        else:
            skills.append(part)
    return skills


# --- numbers: "10", "7,5", "10 hrs", "10 hours/week", "ten", "diez horas" ---------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


UNIT_WORDS = {
    "hours_per_week": _words(
        "h hr hrs hs hour hours hora horas heure heures std stunden ore "
        "per a an each por par la el le al x "
        "w wk wks week weeks weekly semana semanas semanal semanales semaine semaines sem "
        "hpw pw"
    ),
    "years_experience": _words(
        "y yr yrs year years yoe ano anos an ans annee annees of de d in en experience experiencia"
    ),
}
APPROXIMATELY = _words(
    "about around approx approximately roughly aprox aproximadamente unos unas environ circa ca"
)
NUMBER_WORD_LANGUAGES = ("en", "es", "fr", "pt", "de", "it", "nl", "da")
"""The languages text2num reads number words in."""
EXPECTED_NUMBER = {
    "hours_per_week": "hours a week as a number, e.g. 10, 7.5, '10 hrs' or 'ten'",
    "years_experience": "years as a number, e.g. 5, '5 years' or 'five'",
}


def read_number(value: Any, target: str, *, language: str | None = None) -> float | int:
    """A number of hours or years as people type it into a spreadsheet.

    '7,5' (a decimal comma), '10 hrs', '10h', '10 hours/week', '~10', 'ten',
    'diez horas' are read; a range ('10-12') or other words are a ValueError
    that says what was expected: one guess would be the wrong plan for someone.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected {EXPECTED_NUMBER[target]}")
    if isinstance(value, int | float):
        return value
    text = _fold(str(value)).replace("½", ".5")
    text = re.sub(r"^(~|≈|\+/-|±)\s*", "", text)
    sign = -1 if re.match(r"-\s*\d", text) else 1  # -2: read, and refused by the schema
    text = text.lstrip("-") if sign < 0 else text
    words = re.findall(r"\d+(?:[.,]\d+)?|[^\W\d_]+(?:-[^\W\d_]+)*|[-–—+]", text)
    words = [word for word in words if word not in APPROXIMATELY]
    number, rest = _leading_number(words, language)
    if number is None:
        raise ValueError(f"expected {EXPECTED_NUMBER[target]}")
    if (
        rest
        and (rest[0] in "-–—" or rest[0] in {"to", "a", "or", "o", "ou"})
        and any(re.fullmatch(r"\d+(?:[.,]\d+)?", word) for word in rest[1:2])
    ):
        raise ValueError(f"a range; expected one number: {EXPECTED_NUMBER[target]}")
    unknown = [word for word in rest if word not in UNIT_WORDS[target]]
    if unknown:
        raise ValueError(f"expected {EXPECTED_NUMBER[target]}")
    return sign * number


def _leading_number(words: list[str], language: str | None) -> tuple[float | int | None, list]:
    if not words:
        return None, words
    if re.fullmatch(r"\d+(?:[.,]\d+)?", words[0]):
        number = float(words[0].replace(",", "."))
        return (int(number) if number.is_integer() else number), words[1:]
    from text_to_num import text2num  # only cells with number words need it

    languages = [language] if language in NUMBER_WORD_LANGUAGES else []
    languages += [code for code in NUMBER_WORD_LANGUAGES if code not in languages]
    for size in range(min(len(words), 6), 0, -1):  # the longest run of number words
        phrase = " ".join(words[:size])
        for code in languages:
            try:
                return text2num(phrase, code), words[size:]
            except ValueError:
                continue
    return None, words


def _fold(text: str) -> str:
    """Lower case without accents: 'Años' -> 'anos', 'Année' -> 'annee'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().strip())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- languages: "es", "es-MX", "Spanish", "Español" -----------------------------------------


@cache
def _language_names() -> dict[str, str]:
    """Every way a cohort may name a guide language -> its code, from Babel's locale data."""
    from babel import Locale

    names: dict[str, str] = {}
    for code in LANGUAGES:
        names[code] = code
        for display in {*LANGUAGES, code}:
            name = Locale.parse(display).languages.get(code)
            if name:
                names[_fold(name)] = code
    return names


def language_code(text: str) -> str:
    """'es', 'ES', 'es-MX', 'Spanish', 'español' -> 'es'; ValueError for another language."""
    folded = _fold(text)
    names = _language_names()
    if folded in names:
        return names[folded]
    base = re.split(r"[-_ ]", folded, maxsplit=1)[0]
    if base in LANGUAGES and re.fullmatch(r"[a-z]{2,3}([-_][a-z0-9]{2,8})*", folded):
        return base
    expected = ", ".join(f"{code} ({language_name(code)})" for code in LANGUAGES)
    raise ValueError(f"not a language guides are written in; expected one of {expected}")


# --- dates, a column at a time ----------------------------------------------------------------

MONTH_FORMATS_HINT = "e.g. 2027-01-04, 4 Jan 2027 or 1/4/2027"
EXCEL_EPOCH = dt.date(1899, 12, 30)
NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})")


@dataclass(frozen=True)
class DateReading:
    """What one cell can mean: one date, or (for 03/02/2027) one date per order."""

    text: str
    fixed: dt.date | None = None
    by_order: tuple[tuple[DateOrder, dt.date | None], ...] = ()

    def in_order(self, order: DateOrder) -> dt.date | None:
        return self.fixed or dict(self.by_order).get(order)

    @property
    def orders(self) -> set[DateOrder]:
        """The orders this cell can be read in (both for 03/02/2027, one for 15/02/2027)."""
        if self.fixed is not None:
            return {DAY_FIRST, MONTH_FIRST}
        return {order for order, date in self.by_order if date is not None}

    @property
    def ambiguous(self) -> bool:
        return self.fixed is None and len(self.orders) == 2


def read_date(value: Any) -> DateReading | None:
    """A date as spreadsheets write it, or None when it is not one.

    ISO (2027-01-04), numeric with slashes, dashes or dots (03/02/2027 can be
    either order, 15/02/2027 only day first; dots are always day first), month
    names in any guide language (4 Jan 2027, January 4, 2027, 4 de enero de
    2027, lundi 4 janvier 2027: python-dateutil), and Excel's day serial numbers.
    """
    if isinstance(value, dt.datetime):
        return DateReading(str(value), fixed=value.date())
    if isinstance(value, dt.date):
        return DateReading(str(value), fixed=value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        serial = _excel_serial(value)
        return DateReading(str(value), fixed=serial) if serial else None
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        serial = _excel_serial(float(text))
        return DateReading(text, fixed=serial) if serial else None
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?", text)
    if match:
        date = _date(int(match[1]), int(match[2]), int(match[3]))
        return DateReading(text, fixed=date) if date else None
    match = NUMERIC_DATE.fullmatch(text)
    if match:
        first, separator, second, year = int(match[1]), match[2], int(match[3]), int(match[4])
        year += 2000 if year < 100 else 0
        day_first = _date(year, second, first)
        month_first = None if separator == "." else _date(year, first, second)
        if day_first is None and month_first is None:
            return None
        if day_first == month_first:
            return DateReading(text, fixed=day_first)
        return DateReading(text, by_order=((DAY_FIRST, day_first), (MONTH_FIRST, month_first)))
    date = _named_month_date(text)
    return DateReading(text, fixed=date) if date else None


def parse_spreadsheet_date(value: Any, *, order: DateOrder = DEFAULT_DATE_ORDER) -> dt.date | None:
    """One cell's date read in `order` (a whole column is read with `_read_date_column`)."""
    reading = read_date(value)
    return reading.in_order(order) if reading else None


def _read_date_column(
    path: Path, header: str, cells: list[tuple[CohortEntry, Any]], order: DateOrder | None
) -> list[Problem]:
    """Read a column of dates in one order; return the notes that say how it was read.

    The order is the one given (--day-first/--month-first), else the one the
    column's unambiguous cells show (15/02/2027 is day first), else the default,
    said once with the first date as it was read. A cell that cannot be read in
    the column's order is an error for its row, never a silent swap.
    """
    readings = []
    for entry, value in cells:
        reading = read_date(value)
        if reading is None:
            entry.problems.append(
                Problem(
                    f"not a date; expected a real date, {MONTH_FORMATS_HINT}",
                    field="start_date",
                    value=_cell_text(value),
                    has_value=True,
                )
            )
            continue
        readings.append((entry, reading))
    decisive = {DAY_FIRST: [], MONTH_FIRST: []}
    for entry, reading in readings:
        if reading.fixed is None and len(reading.orders) == 1:
            decisive[next(iter(reading.orders))].append((entry, reading))
    ambiguous = [(entry, reading) for entry, reading in readings if reading.ambiguous]
    notes = []
    given = order is not None
    if order is None:
        days, months = len(decisive[DAY_FIRST]), len(decisive[MONTH_FIRST])
        if days or months:
            order = DAY_FIRST if days > months else MONTH_FIRST if months > days else None
        chosen_by_cells = order is not None
        order = order or DEFAULT_DATE_ORDER
        if ambiguous:
            notes.append(_order_note(path, header, order, ambiguous[0], decisive, chosen_by_cells))
    for entry, reading in readings:
        date = reading.in_order(order)
        if date is not None:
            entry.data["start_date"] = date
            continue
        if given:
            because = f" ({DATE_ORDER_FLAG[order]})"
        else:
            example_entry, example = decisive[order][0] if decisive[order] else (None, None)
            because = f", like {example.text} in row {example_entry.number}" if example else ""
        entry.problems.append(
            Problem(
                f"column {header!r} is read {DATE_ORDER_WORDS[order]}{because}, and this date "
                "cannot be read that way; write it as YYYY-MM-DD",
                field="start_date",
                value=reading.text,
                has_value=True,
            )
        )
    return notes


def _order_note(path, header, order, first, decisive, chosen_by_cells) -> Problem:
    entry, reading = first
    date = reading.in_order(order)
    as_read = f"{reading.text} (row {entry.number}) is {date:%B} {date.day}, {date.year}"
    other = DAY_FIRST if order == MONTH_FIRST else MONTH_FIRST
    if chosen_by_cells:
        example_entry, example = decisive[order][0]
        return Problem(
            f"column {header!r} is read {DATE_ORDER_WORDS[order]}, since {example.text} "
            f"(row {example_entry.number}) can only be read that way: {as_read}",
            file=path,
        )
    return Problem(
        f"column {header!r}: every date could be day/month or month/day, so it is read "
        f"{DATE_ORDER_WORDS[order]}: {as_read}. If the sheet writes the "
        f"{DATE_ORDER_WORDS[other].split()[0]} first, run again with {DATE_ORDER_FLAG[other]}",
        file=path,
    )


def _named_month_date(text: str) -> dt.date | None:
    """'4 Jan 2027', 'Monday, January 4, 2027', '4 de enero de 2027': a full date or None."""
    if not re.search(r"[^\W\d_]{3,}", text) or not re.search(r"\d", text):
        return None
    from dateutil import parser

    info = _date_words()
    readings = set()
    # Read twice with two different defaults: a date missing its day, month or
    # year would take them from the default, and so would differ.
    for default in (dt.datetime(2001, 1, 1), dt.datetime(2002, 2, 2)):
        try:
            readings.add(parser.parse(_fold(text), parserinfo=info, default=default).date())
        except (ValueError, OverflowError, parser.ParserError):
            return None
    return readings.pop() if len(readings) == 1 else None


@cache
def _date_words():
    """dateutil's parser knowing every guide language's month and weekday names (Babel)."""
    from babel import Locale
    from dateutil import parser

    months = [set(names) for names in parser.parserinfo.MONTHS]
    weekdays = [set(names) for names in parser.parserinfo.WEEKDAYS]
    for language in LANGUAGES:
        locale = Locale.parse(LANGUAGES[language])
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in locale.months[context][width].items():
                    months[number - 1].add(_fold(name).rstrip("."))
                for number, name in locale.days[context][width].items():
                    weekdays[number].add(_fold(name).rstrip("."))

    class DateWords(parser.parserinfo):
        MONTHS: ClassVar = [tuple(sorted(names)) for names in months]
        WEEKDAYS: ClassVar = [tuple(sorted(names)) for names in weekdays]
        JUMP: ClassVar = [*parser.parserinfo.JUMP, "de", "del", "le", "el"]

    return DateWords()


def _excel_serial(number: float) -> dt.date | None:
    if 20000 <= number < 80000:  # 1954 to 2119: a date, not some other number
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- lists and folders ----------------------------------------------------------------------


def _read_list(path: Path) -> Cohort:
    source = load_yaml_file(path, limit=limits.COHORT_BYTES)  # JSON is YAML: one loader
    items = source.data
    if isinstance(items, dict) and isinstance(items.get("profiles"), list):
        items = items["profiles"]
        prefix: tuple = ("profiles",)
    else:
        prefix = ()
    if not isinstance(items, list):
        raise UserError(
            Problem("expected a list of profiles (or a mapping with a 'profiles' list)", file=path)
        )
    entries = [
        CohortEntry(number=index + 1, data=item, file=path, source=source, prefix=(*prefix, index))
        for index, item in enumerate(items)
    ]
    return Cohort(path=path, entries=entries)


def _read_folder(folder: Path) -> Cohort:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
    if not files:
        raise UserError(Problem("no profile .yaml files in this folder", file=folder))
    entries = []
    if len(files) > MAX_ROWS:
        raise UserError(Problem(f"more than {MAX_ROWS:,} profiles in this folder", file=folder))
    for number, path in enumerate(files, start=1):
        try:
            source = load_yaml_file(path)
        except UserError as error:
            # An unreadable file is that person's failure, not the cohort's.
            entries.append(CohortEntry(number=number, data={}, file=path, load_error=error))
            continue
        entries.append(CohortEntry(number=number, data=source.data, file=path, source=source))
    return Cohort(path=folder, entries=entries)


def _check_mappings(mappings: dict[str, str]) -> dict[str, str]:
    checked = {}
    allowed = (*PROFILE_FIELDS, "first_name", "last_name")
    for header, target in mappings.items():
        if target not in allowed:
            raise UserError(
                f"--map {header}={target}: {target!r} is not a profile field; "
                f"expected one of {', '.join(allowed)}"
            )
        checked[normalize_header(header)] = target
    return checked


def parse_mapping_option(values: Iterable[str]) -> dict[str, str]:
    """['Full Name=name', ...] -> {'Full Name': 'name'}; a malformed one is a UserError."""
    mappings = {}
    for value in values:
        header, separator, target = value.partition("=")
        if not separator or not header.strip() or not target.strip():
            raise UserError(f'--map {value!r}: expected HEADER=FIELD, e.g. "Full name=name"')
        mappings[header.strip()] = target.strip()
    return mappings
