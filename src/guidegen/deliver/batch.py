"""Cohort batches: everyone's guide in one run, in parallel, resumable, with a manifest.

The main process reads the cohort, validates each row and plans each Guide
(cheap, pure). An executor (`guidegen.deliver.executors`: worker processes
here, or a Dask cluster) renders them: each worker loads the renderers once
(WeasyPrint, one FontConfiguration, parsed stylesheets, matplotlib), renders
many guides and returns their files' bytes. A bad row is reported and skipped;
the others render. The main process writes every file atomically, and a state
file in the output folder remembers what inputs made each guide, so running
the same command again renders only what is missing or changed, wherever the
guides were rendered. `manifest.csv` lists every row for the email step, failed
rows with every cell they had, so nobody drops out of sight.

Each row is written in its own language (a `language` column, else --lang):
one template catalog a language, and the manifest records it for the email step.

The state file is a log: one line a finished guide (its stem and the digest of
its inputs), appended as each guide completes, so a run killed at any moment
keeps the record of everything it finished, at the cost of one short write.

One row never stops the others: a problem with its data fails it with a located
message, and an unexpected error in planning or rendering its guide (a bug) fails
it as an "internal error", its traceback written to `guidegen-errors.log` in the
output folder rather than on the screen. The output folder is locked for the
whole run (`guidegen.deliver.locks`): a second batch (or an email run) into the
same folder stops at once and says which run holds it. Files of guidegen's own
there (state, log) are opened without following symbolic links.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import guidegen
from guidegen.deliver.executors import Outcome, PoolExecutor, RenderExecutor
from guidegen.deliver.locks import FolderLock
from guidegen.deliver.output import (
    ensure_folder,
    open_own,
    output_stem,
    spreadsheet_safe,
    write_atomic,
)
from guidegen.deliver.pipeline import write_files
from guidegen.deliver.workers import RenderKit, RenderTask
from guidegen.errors import Problem, UserError
from guidegen.language.catalogs import LANGUAGES
from guidegen.load.branding import load_brand
from guidegen.load.catalog import CatalogEntry, TemplateCatalog
from guidegen.load.clock import build_time
from guidegen.load.cohort import CohortEntry, DateOrder, read_cohort
from guidegen.load.translation import brand_warning
from guidegen.models.brand import Brand
from guidegen.models.guide import Guide
from guidegen.plan.planning import RowError, RowPlanner
from guidegen.render.theming import Theme

MANIFEST = "manifest.csv"
STATE = ".guidegen-batch.jsonl"
ERRORS_LOG = "guidegen-errors.log"
"""Where an unexpected error's traceback goes: a bug, for the developers, not the screen."""
INTERNAL_ERROR = "internal error"
BUSY = (
    "Two runs in one output folder would overwrite each other's manifest (or send from "
    "it while it changes)."
)
MANIFEST_COLUMNS = (
    "row",
    "name",
    "email",
    "template",
    "language",
    "status",
    "pdf",
    "docx",
    "error",
)
# After the columns above, for the email step's personal notes and a coach's follow-up:
# the person's profile (a failed row keeps the cells as the sheet had them).
PROFILE_COLUMNS = (
    "current_role",
    "target_role",
    "location",
    "years_experience",
    "hours_per_week",
    "start_date",
    "end_date",
    "skills",
    "notes",
)
# start_date and end_date are the plan's own (the default start is the next Monday):
# an email that names them agrees with the guide.
RENDERED, UNCHANGED, FAILED, PENDING = "rendered", "unchanged", "failed", "pending"


@dataclass
class BatchOptions:
    out_dir: Path
    formats: tuple[str, ...] = ("pdf",)
    brand_path: Path | None = None
    theme_dir: Path | None = None
    templates_dir: Path | None = None
    prepared_by: str | None = None
    fillable: bool = False
    pdf_variant: str | None = None
    language: str = "en"
    jobs: int = 1
    force: bool = False
    zip: bool = False
    mappings: dict[str, str] = field(default_factory=dict)
    date_order: DateOrder | None = None
    """How to read dates like 03/02/2027; default: the order the column's dates fit."""
    require_email: bool = False
    """A row without an email address fails instead of rendering."""


@dataclass
class RowResult:
    """What happened to one row of the cohort."""

    row: int
    name: str
    email: str = ""
    template: str = ""
    language: str = ""
    status: str = FAILED
    files: list[Path] = field(default_factory=list)
    error: str = ""
    fix: str = ""
    """How to fix a failed row, when the error alone does not say."""
    warnings: list[str] = field(default_factory=list)
    worker: dict = field(default_factory=dict)
    """Which worker rendered it: pid, its guide count, its resident memory (MB) after."""
    profile: dict = field(default_factory=dict)
    """The PROFILE_COLUMNS for the manifest: a valid row's profile, a failed row's cells."""


@dataclass
class _Job:
    """A planned guide: what to render, where, and the inputs that made it."""

    result: RowResult
    build: Callable[[], Guide]
    """Builds the Guide when it is sent to render: a cohort's guides are never all in memory."""
    stem: str
    fingerprint: str


@dataclass
class BatchReport:
    out_dir: Path
    results: list[RowResult]
    manifest: Path
    archive: Path | None = None
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """What may lose people silently: a misspelt header, no email column."""
    notes: list[Problem] = field(default_factory=list)
    """How the cohort was read where its cells did not say (the date order)."""
    errors_log: Path | None = None
    """The log of this run's internal errors (tracebacks), when it had any."""

    @property
    def internal_errors(self) -> list[RowResult]:
        return [r for r in self.failed if r.error.startswith(INTERNAL_ERROR)]

    def count(self, status: str) -> int:
        return sum(result.status == status for result in self.results)

    @property
    def failed(self) -> list[RowResult]:
        return [result for result in self.results if result.status == FAILED]

    @property
    def without_email(self) -> list[RowResult]:
        """Rows whose guide is there but who cannot be emailed it."""
        return [r for r in self.results if r.status in (RENDERED, UNCHANGED) and not r.email]


class Batch:
    """One batch run: plan every row, then render what needs rendering."""

    def __init__(self, cohort_path: Path, options: BatchOptions, *, command: str | None = None):
        """Takes the output folder's lock (released by `finish` or `close`); `command`:
        how a second run is told this one was started (default: this process's own)."""
        self.options = options
        self.out_dir = options.out_dir
        self.lock = FolderLock(options.out_dir, command=command, busy=BUSY).acquire()
        self._errors_logged = 0
        try:
            self._load(cohort_path)
        except BaseException:
            self.lock.release()
            raise

    def _load(self, cohort_path: Path) -> None:
        options = self.options
        # Anything that stops the whole batch is found here, before any rendering.
        self.cohort = read_cohort(
            cohort_path, mappings=options.mappings, date_order=options.date_order
        )
        self.brand = load_brand(options.brand_path)
        if options.theme_dir is not None and not options.theme_dir.is_dir():
            raise UserError(f"theme folder not found: {options.theme_dir}")
        # One catalog a language the cohort is written in: every template valid in
        # each, or stop now with all problems.
        self.catalogs: dict[str, TemplateCatalog] = {}
        for language in self._languages():
            catalog = TemplateCatalog.default(options.templates_dir, language=language)
            catalog.entries()
            self.catalogs[language] = catalog
        self.created = build_time()
        self.planner = RowPlanner(
            today=self.created.date(),
            language=options.language,
            templates_dir=options.templates_dir,
            catalogs=self.catalogs,
            brand=self.brand,
            prepared_by=options.prepared_by,
            require_email=options.require_email,
        )
        self.results: list[RowResult] = []
        self.jobs: list[_Job] = []
        self._look = _look_fingerprint(self.brand, options)
        self._digests: dict[tuple[Path, ...], list[str]] = {}

    def close(self) -> None:
        """Release the output folder (`finish` does it too)."""
        self.lock.release()

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _languages(self) -> list[str]:
        """--lang, then every language a row asks for."""
        languages = {self.options.language: None}
        for entry in self.cohort.entries:
            language = entry.data.get("language") if isinstance(entry.data, dict) else None
            if isinstance(language, str) and language in LANGUAGES:
                languages[language] = None
        return list(languages)

    # --- planning ----------------------------------------------------------------------------

    def plan(self) -> None:
        """Validate each row and plan its guide; bad rows become failed results."""
        state = self._load_state()
        stems: set[str] = set()
        for entry in self.cohort.entries:
            result = RowResult(row=entry.number, name=entry.name or "", email=entry.email or "")
            self.results.append(result)
            try:
                job = self._plan_row(entry, result, stems)
            except Exception as error:  # this row's problem, or a bug planning it
                if isinstance(error, UserError):
                    result.error = _one_line(error)
                else:
                    self._internal_error(result, error, "planning its guide")
                # Everything the row had stays in the manifest, so a coach can follow up.
                cells = entry.raw_cells()
                result.profile = {column: cells.get(column, "") for column in PROFILE_COLUMNS}
                result.template = result.template or cells.get("template", "")
                result.language = result.language or cells.get("language", "")
                continue
            known = state.get(job.stem, {})
            outputs = self._outputs(job.stem)
            if (
                not self.options.force
                and known.get("fingerprint") == job.fingerprint
                and all(path.is_file() for path in outputs)
            ):
                result.status, result.files = UNCHANGED, outputs
            else:
                result.status = PENDING  # until a worker renders it
                self.jobs.append(job)

    def _plan_row(self, entry: CohortEntry, result: RowResult, stems: set[str]) -> _Job:
        """The row's job, planned by the same steps `validate` checks (RowPlanner); each
        step's result goes into the manifest even when a later one fails."""
        profile = entry.validate()
        language = profile.language or self.options.language
        result.name, result.email, result.language = profile.name, profile.email or "", language
        values = profile.model_dump(mode="json", include=set(PROFILE_COLUMNS))
        result.profile = {key: _cell_text(value) for key, value in values.items()}
        result.profile["skills"] = "; ".join(
            f"{skill.name} ({skill.level})" if skill.level else skill.name
            for skill in profile.skills
        )
        profile = self.planner.demands(entry, profile)  # an email, when the batch needs one
        try:
            language, catalog_entry = self.planner.template(entry, profile)
        except RowError as error:
            result.fix = error.fix
            raise
        template = catalog_entry.template
        result.template = template.id
        result.warnings += self._language_warnings(catalog_entry)
        # Planned now, so a plan that cannot be made fails its row here and the manifest
        # carries the plan's real dates; not kept (a Guide is ~56 KB: a 100,000-row
        # cohort would hold gigabytes), but built again, in a millisecond or two, when
        # its task is sent.
        build, guide = self.planner.guide(entry, profile, language, catalog_entry)
        roadmap = guide.roadmap
        result.profile["start_date"] = roadmap.start.isoformat()
        result.profile["end_date"] = roadmap.end.isoformat()
        stem = _unique_stem(profile.name, template.id, stems)
        fingerprint = _sha256(
            {
                "profile": profile.model_dump(mode="json"),
                # The template and its translation: a new translation re-renders.
                "template": self._template_digests(catalog_entry),
                "look": self._look,
                "language": language,
                "stem": stem,
            }
        )
        return _Job(result=result, build=build, stem=stem, fingerprint=fingerprint)

    def _template_digests(self, entry: CatalogEntry) -> list[str]:
        """The bytes of a template and its translation, hashed once a batch."""
        files = tuple(entry.files)
        if files not in self._digests:
            self._digests[files] = [_file_digest(path) for path in files]
        return self._digests[files]

    def _language_warnings(self, entry: CatalogEntry) -> list[str]:
        """Template or brand text with none in the guide's language (said once a batch:
        the summary lists each warning once)."""
        found = [
            entry.language_warning(),
            brand_warning(self.brand, self.options.brand_path, entry.language),
        ]
        return [warning for warning in found if warning]

    def _outputs(self, stem: str) -> list[Path]:
        return [self.out_dir / f"{stem}.{extension}" for extension in self.options.formats]

    # --- rendering -----------------------------------------------------------------------------

    def render(self, executor: RenderExecutor | None = None) -> Iterator[RowResult]:
        """Render the planned guides with `executor` (by default a pool of `jobs` worker
        processes); write each guide's files and yield its row as it finishes.

        Raises `executors.RenderStopped` when the executor cannot go on: what finished
        is written and recorded, the rest stays pending for the next run."""
        ensure_folder(self.out_dir)
        _remove_stale_temporaries(self.out_dir)
        if not self.jobs:
            return
        owned = executor is None
        executor = executor or PoolExecutor(self.options.jobs)
        kit = RenderKit(
            formats=self.options.formats,
            brand=self.brand,
            theme_dir=self.options.theme_dir,
            fillable=self.options.fillable,
            pdf_variant=self.options.pdf_variant,
        )
        unbuilt: list[_Job] = []  # rows whose guide could not be built: they fail here
        try:
            work = self._tasks(unbuilt)
            for job, outcome in executor.render(kit, work, total=len(self.jobs)):
                yield from self._fail_unbuilt(unbuilt)
                yield self._collect(job, outcome)
            yield from self._fail_unbuilt(unbuilt)
        finally:
            if owned:
                executor.close()

    def _tasks(self, unbuilt: list[_Job]) -> Iterator[tuple[_Job, RenderTask]]:
        """Each job's task, its Guide built only as the executor takes it."""
        for job in self.jobs:
            try:
                guide = job.build()
            except Exception as error:  # built once already: only a bug fails it here
                if isinstance(error, UserError):
                    job.result.error = _one_line(error)
                else:
                    self._internal_error(job.result, error, "building its guide")
                unbuilt.append(job)
                continue
            yield job, RenderTask(job.stem, guide, self.created)

    @staticmethod
    def _fail_unbuilt(unbuilt: list[_Job]) -> Iterator[RowResult]:
        while unbuilt:
            result = unbuilt.pop(0).result
            result.status = FAILED
            yield result

    def _collect(self, job: _Job, outcome: Outcome) -> RowResult:
        """Write a rendered guide's files and record it; or fail its row."""
        result = job.result
        if isinstance(outcome, Exception):  # a bug or a crash in one guide: report, go on
            result.status = FAILED
            self._internal_error(result, outcome, "rendering its guide")
            return result
        if outcome.error is not None:
            result.status, result.error = FAILED, _one_line(outcome.error)
            return result
        try:
            files = write_files(self.out_dir, job.stem, outcome.files)
        except UserError as error:
            result.status, result.error = FAILED, _one_line(error)
            return result
        except Exception as error:
            result.status = FAILED
            self._internal_error(result, error, "writing its files")
            return result
        result.status, result.files = RENDERED, files
        result.warnings = [*result.warnings, *outcome.warnings]  # after the plan's
        result.worker = outcome.worker
        self._record(job)
        return result

    # --- manifest, archive and state ---------------------------------------------------------

    def finish(self) -> BatchReport:
        """Write the manifest (and the archive); release the output folder."""
        try:
            manifest = self.out_dir / MANIFEST
            ensure_folder(self.out_dir)
            write_atomic(manifest, self._manifest_bytes())
            archive = self._write_zip(manifest) if self.options.zip else None
        finally:
            self.close()
        return BatchReport(
            out_dir=self.out_dir,
            results=self.results,
            manifest=manifest,
            archive=archive,
            ignored_columns=self.cohort.ignored_columns,
            warnings=self.cohort.warnings,
            notes=self.cohort.notes,
            errors_log=self.out_dir / ERRORS_LOG if self._errors_logged else None,
        )

    # --- internal errors -----------------------------------------------------------------------

    def _internal_error(self, result: RowResult, error: BaseException, doing: str) -> None:
        """A bug met while `doing` one row: that row fails, with a short line in the
        manifest and on screen, and the traceback goes to the errors log."""
        result.status = FAILED
        result.error = (
            f"{INTERNAL_ERROR} while {doing}: {type(error).__name__}: {error} "
            f"(unexpected; its traceback is in {ERRORS_LOG})"
        )
        heading = ""
        if not self._errors_logged:
            heading = (
                f"=== {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC, guidegen "
                f"{guidegen.__version__}: {self.lock.command}\n"
            )
        who = f" ({result.name})" if result.name else ""
        text = "".join(traceback.format_exception(error)).rstrip()
        entry = f"{heading}row {result.row}{who}, {doing}:\n{text}\n\n"
        try:
            ensure_folder(self.out_dir)
            descriptor = open_own(self.out_dir / ERRORS_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(descriptor, entry.encode("utf-8", errors="replace"))
            finally:
                os.close(descriptor)
        except (UserError, OSError) as problem:
            result.error += f"; it could not be written there: {problem}"
            return
        self._errors_logged += 1

    def _manifest_bytes(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow((*MANIFEST_COLUMNS, *PROFILE_COLUMNS))
        for result in self.results:
            writer.writerow([spreadsheet_safe(cell) for cell in self._manifest_row(result)])
        return buffer.getvalue().encode("utf-8")

    @staticmethod
    def _manifest_row(result: RowResult) -> list:
        by_extension = {path.suffix.lstrip("."): path.name for path in result.files}
        error = f"{result.error}; to fix: {result.fix}" if result.fix else result.error
        return [
            result.row,
            result.name,
            result.email,
            result.template,
            result.language,
            result.status,
            by_extension.get("pdf", ""),
            by_extension.get("docx", ""),
            error,
            *(result.profile.get(column, "") for column in PROFILE_COLUMNS),
        ]

    def _write_zip(self, manifest: Path) -> Path:
        archive = self.out_dir / f"{self.out_dir.name}.zip"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for result in self.results:
                for path in result.files:
                    # PDFs and .docx are compressed already: store them as they are.
                    target.write(path, path.name, compress_type=zipfile.ZIP_STORED)
            target.write(manifest, manifest.name)
        write_atomic(archive, buffer.getvalue())
        return archive

    def _load_state(self) -> dict[str, dict]:
        """stem -> its last record; a damaged line is skipped (that guide renders again)."""
        state: dict[str, dict] = {}
        try:
            descriptor = open_own(self.out_dir / STATE, os.O_RDONLY)
        except FileNotFoundError:
            return state
        with os.fdopen(descriptor, "rb") as handle:
            lines = handle.read().decode("utf-8", errors="replace").splitlines()
        for line in lines:
            try:
                record = json.loads(line)
                state[record["stem"]] = record
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a kill
        return state

    def _record(self, job: _Job) -> None:
        """Append the guide to the state file; if it cannot be, the guide is rendered
        again by the next run, and this one says so."""
        line = json.dumps({"stem": job.stem, "fingerprint": job.fingerprint}) + "\n"
        try:
            descriptor = open_own(self.out_dir / STATE, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        except UserError as error:
            job.result.warnings.append(f"{error.problems[0]}: the next run renders it again")
            return
        try:
            os.write(descriptor, line.encode("utf-8"))
        except OSError as error:
            job.result.warnings.append(
                f"{STATE}: cannot record this guide ({error.strerror}): the next run renders "
                "it again"
            )
        finally:
            os.close(descriptor)


def run_batch(
    cohort_path: Path,
    options: BatchOptions,
    on_row: Callable[[RowResult], None] | None = None,
    executor: RenderExecutor | None = None,
) -> BatchReport:
    """Plan, render and write the manifest; `on_row` hears about each rendered row.
    `executor`: where guides render (default: a pool of `options.jobs` processes)."""
    with Batch(cohort_path, options) as batch:
        batch.plan()
        for result in batch.render(executor):
            if on_row is not None:
                on_row(result)
        return batch.finish()


# --- helpers ----------------------------------------------------------------------------------


def _unique_stem(name: str, template_id: str, taken: set[str]) -> str:
    """'<name-slug>--<template-id>'; the next person of the same name gets '-2', and so on."""
    stem, number = output_stem(name, template_id), 1
    while stem in taken:
        number += 1
        stem = output_stem(name, template_id, number)
    taken.add(stem)
    return stem


def _look_fingerprint(brand: Brand, options: BatchOptions) -> str:
    """Everything besides the profile and template that changes how a guide looks."""
    files = [
        brand.logo,
        brand.reference_doc,
        *([face[0] for face in brand.font.files.faces()] if brand.font.files else []),
    ]
    theme = Theme([options.theme_dir] if options.theme_dir else [])
    # Every file of every theme folder, subfolders too (a template may include a partial
    # or a stylesheet may use an image there), by its place in the theme and its bytes.
    theme_files = [
        (str(path.relative_to(folder)), _file_digest(path))
        for folder in theme.folders
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]
    return _sha256(
        {
            "brand": brand.model_dump(mode="json"),
            "brand_files": [_file_digest(path) for path in files if path is not None],
            "theme": theme_files,
            "formats": list(options.formats),
            "prepared_by": options.prepared_by,
            "fillable": options.fillable,
            "pdf_variant": options.pdf_variant,
            "guidegen": guidegen.__version__,
        }
    )


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sha256(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files a killed run left behind (never a finished guide)."""
    for path in folder.glob(".*.tmp"):
        path.unlink(missing_ok=True)


def _cell_text(value: object) -> str:
    """A manifest cell: '' for nothing, 10 rather than 10.0."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _one_line(error: UserError) -> str:
    """A row's problems on one line, for the manifest and the report."""
    parts = []
    for problem in error.problems:
        text = problem.message
        if problem.has_value:
            text = f"got {problem.value!r}; {text}"
        if problem.field:
            text = f"{problem.field}: {text}"
        parts.append(text)
    return "; ".join(parts)
