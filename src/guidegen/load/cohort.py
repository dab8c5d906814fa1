"""Reading a cohort: many profiles from a spreadsheet, a list, or a folder.

Spreadsheets are read the way people really export them: CSV from Excel or
Google Sheets (UTF-8 with or without BOM, comma or semicolon, CRLF, quoted
cells with line breaks, blank lines, extra columns) and XLSX (first sheet).
Column headers match profile fields ignoring case, spaces, underscores and
punctuation, with the usual synonyms; ``--map "Header=field"`` maps the rest.
A JSON or YAML list of profiles, or a folder of profile files, works too.

Reading never stops at a bad row: each row is validated on its own later, and
only a cohort that cannot be read at all (no file, no name column...) is a
UserError here.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from guidegen.errors import Problem, UserError
from guidegen.load.sources import Source, SourceMap, load_yaml_file
from guidegen.load.validation import problems_from
from guidegen.models.profile import Profile, SkillLevel

PROFILE_FIELDS = tuple(Profile.model_fields)
SPREADSHEET_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
LIST_SUFFIXES = (".yaml", ".yml", ".json")

# Normalized header -> profile field. Normalized: lower case, letters and digits only.
SYNONYMS: dict[str, str] = {}
for _field, _names in {
    "name": "name fullname candidate candidatename participant participantname student "
    "studentname learner person",
    "email": "email emailaddress mail emailid contactemail",
    "current_role": "currentrole role currentjobtitle jobtitle currenttitle currentposition "
    "position title fromrole currentjob occupation",
    "target_role": "targetrole target desiredrole goalrole goal targetjobtitle targettitle "
    "nextrole torole aspiration desiredjob targetjob",
    "skills": "skills skillset currentskills keyskills skill",
    "years_experience": "yearsexperience yearsofexperience experience experienceyears years yoe",
    "hours_per_week": "hoursperweek hours weeklyhours hoursweek hrsweek hrsperweek "
    "hoursavailable availability studyhours",
    "start_date": "startdate start cohortstart begin begins",
    # One cell each: "2027-06-01: 20; 2027-08-01: 10" and
    # "Summer: 2027-07-01..2027-08-31; 2027-12-20..2028-01-02" (see models/profile.py).
    "pace": "pace pacechanges pacechange changesofpace",
    "breaks": "breaks break timeoff holidays vacation vacations daysoff nostudy",
    "location": "location city country place region basedin",
    "notes": "notes coachnotes comments note remarks coachcomments",
    "template": "template templateid track transition",
}.items():
    for _name in _names.split():
        SYNONYMS[_name] = _field
FIRST_NAME = {"firstname", "givenname", "first", "forename"}
LAST_NAME = {"lastname", "surname", "familyname", "last"}
REQUIRED = ("name", "current_role", "target_role")
MAX_COHORT_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000
NUMERIC_FIELDS = {"years_experience", "hours_per_week"}
SKILL_LEVELS = set(SkillLevel.__args__)


def normalize_header(header: str) -> str:
    """'Current Role' -> 'currentrole'; 'E-mail' -> 'email': case, spaces and punctuation go."""
    return "".join(re.findall(r"[^\W_]+", header.casefold()))


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

    @property
    def name(self) -> str | None:
        value = self.data.get("name") if isinstance(self.data, dict) else None
        return str(value).strip() if value not in (None, "") else None

    def validate(self) -> Profile:
        """The entry as a Profile, or a UserError naming the row, the person and each field."""
        if self.load_error is not None:
            raise self.load_error
        if not isinstance(self.data, dict):
            raise UserError(self.problem("expected a profile: a mapping of fields (key: value)"))
        try:
            return Profile.model_validate(self.data)
        except ValidationError as error:
            source = self.source or Source(self.data, SourceMap(self.file))
            problems = problems_from(error, source, Profile, prefix=self.prefix)
            raise UserError([_with_row(p, self.row_number, self.name) for p in problems]) from None

    @property
    def row_number(self) -> int | None:
        return self.number if self.source is None or self.prefix else None

    def problem(self, message: str, **details: Any) -> Problem:
        return Problem(message, file=self.file, row=self.row_number, subject=self.name, **details)


def _with_row(problem: Problem, row: int | None, subject: str | None) -> Problem:
    return dataclasses.replace(problem, row=row, subject=subject)


@dataclass
class Cohort:
    path: Path
    entries: list[CohortEntry]
    ignored_columns: list[str] = field(default_factory=list)


def read_cohort(
    path: Path, *, mappings: dict[str, str] | None = None, day_first: bool = False
) -> Cohort:
    """Read a cohort file or folder. `mappings`: header -> field, from --map."""
    mappings = _check_mappings(mappings or {})
    if path.is_dir():
        return _read_folder(path)
    if not path.exists():
        raise UserError(Problem("no such file or folder", file=path))
    if path.stat().st_size > MAX_COHORT_BYTES:
        raise UserError(Problem(f"this file is larger than {MAX_COHORT_BYTES:,} bytes", file=path))
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
    return _limited(_from_table(path, headers, rows, mappings, day_first))


def _limited(cohort: Cohort) -> Cohort:
    if len(cohort.entries) > MAX_ROWS:
        raise UserError(
            Problem(
                f"{len(cohort.entries):,} people; one batch takes at most {MAX_ROWS:,}: "
                "split the cohort",
                file=cohort.path,
            )
        )
    return cohort


# --- spreadsheets ------------------------------------------------------------------------------


def _csv_rows(path: Path) -> tuple[list[str], Iterable[tuple[int, list[Any]]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (Comma delimited)" on Windows writes the ANSI code page.
        text = raw.decode("cp1252", errors="replace")
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
    try:
        return _records(reader, path)
    except csv.Error as error:
        raise UserError(Problem(f"this is not a readable CSV file: {error}", file=path)) from None


def _records(reader, path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    records = []
    row_number = 0
    headers: list[str] | None = None
    for cells in reader:
        row_number += 1  # a spreadsheet row, however many lines its cells span
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are skipped
        if headers is None:
            headers = cells
            continue
        records.append((row_number, cells))
    if headers is None:
        raise UserError(Problem("no header row found", file=path))
    return headers, records


def _xlsx_rows(path: Path) -> tuple[list[str], Iterable[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook  # only XLSX cohorts need it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UserError(Problem(f"cannot read this workbook: {error}", file=path)) from None
    try:
        sheet = workbook.worksheets[0]
        headers: list[str] | None = None
        records = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if value is None else value for value in values]
            if not any(str(cell).strip() for cell in cells):
                continue
            if headers is None:
                headers = [str(cell) for cell in cells]
                continue
            records.append((number, cells))
            if len(records) > MAX_ROWS:  # stop reading: a workbook can unpack to gigabytes
                raise UserError(Problem(f"more than {MAX_ROWS:,} rows", file=path))
    finally:
        workbook.close()
    if headers is None:
        raise UserError(Problem("the first sheet is empty; expected a header row", file=path))
    return headers, records


def _from_table(
    path: Path,
    headers: list[str],
    rows: Iterable[tuple[int, list[Any]]],
    mappings: dict[str, str],
    day_first: bool,
) -> Cohort:
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
    found = set(columns.values())
    if "name" not in found and {"first_name", "last_name"} <= found:
        found.add("name")
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise UserError(
            Problem(
                f"no column for {', '.join(missing)}; the header row has: "
                + ", ".join(repr(str(h)) for h in headers if str(h).strip()),
                file=path,
                row=1,
            ),
            hint='Name columns like the profile fields, or map them: --map "Full name=name".',
        )
    entries = []
    for number, cells in rows:
        data: dict[str, Any] = {}
        for index, target in columns.items():
            value = cells[index] if index < len(cells) else ""
            value = _cell(value, target, day_first)
            if value is not None:
                data[target] = value
        first, last = data.pop("first_name", None), data.pop("last_name", None)
        if "name" not in data and (first or last):
            data["name"] = " ".join(str(part) for part in (first, last) if part)
        entries.append(CohortEntry(number=number, data=data, file=path))
    return Cohort(path=path, entries=entries, ignored_columns=ignored)


def _cell(value: Any, target: str, day_first: bool) -> Any:
    """A spreadsheet cell as a profile value; None for an empty cell."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    if target == "skills":
        return split_skills(str(value))
    if target == "start_date":
        parsed = parse_spreadsheet_date(value, day_first=day_first)
        return parsed if parsed is not None else str(value)
    if target in NUMERIC_FIELDS:
        if isinstance(value, str) and re.fullmatch(r"\d+,\d+", value):
            return value.replace(",", ".")  # "7,5": a decimal comma, as in Europe
        return value  # numbers from XLSX stay numbers; text is checked by the schema
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


MONTH_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d. %B %Y",
)
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_spreadsheet_date(value: Any, *, day_first: bool = False) -> dt.date | None:
    """A date as spreadsheets write it, or None when it is not one.

    ISO (2027-01-04), numeric with slashes, dashes or dots (1/4/2027 is January 4
    unless `day_first`; 13/4/2027 can only be April 13; dots are always day first),
    month names (4 Jan 2027, Jan 4, 2027), and Excel's day serial numbers.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _excel_serial(float(text))
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?", text)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    match = re.fullmatch(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})", text)
    if match:
        first, separator, second, year = int(match[1]), match[2], int(match[3]), int(match[4])
        year += 2000 if year < 100 else 0
        if separator == "." or first > 12 or (day_first and second <= 12):
            return _date(year, second, first)
        return _date(year, first, second)
    for pattern in MONTH_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


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
    source = load_yaml_file(path, max_bytes=MAX_COHORT_BYTES)  # JSON is YAML: one loader
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
