"""`guidegen batch`: every guide of a cohort, in parallel, with a manifest."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from guidegen.cli import options


@click.command()
@click.argument("cohort", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: output/<cohort file name>.",
)
@options.rendering
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="the number of CPUs",
    help="Worker processes.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Render on a Dask cluster: its scheduler's address (tcp://host:8786), or local:N "
    "for a Dask cluster of N workers on this machine. Needs guidegen[dask].",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="HEADER=FIELD",
    help='Map a column to a profile field, e.g. --map "Desired job=target_role". Repeatable.',
)
@click.option(
    "--day-first",
    "date_order",
    flag_value="day-first",
    help="Read dates like 04/01/2027 day first (4 January). "
    "Default: the order the column's dates fit, else month first.",
)
@click.option(
    "--month-first",
    "date_order",
    flag_value="month-first",
    help="Read dates like 04/01/2027 month first (April 1).",
)
@click.option(
    "--require-email",
    is_flag=True,
    help="A row without an email address fails instead of rendering.",
)
@click.option("--force", is_flag=True, help="Render every guide, even unchanged ones.")
@click.option("--zip", "make_zip", is_flag=True, help="Also write one .zip of guides + manifest.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
def batch(
    cohort: Path,
    formats: tuple[str, ...],
    out_dir: Path | None,
    brand_path: Path | None,
    theme_dir: Path | None,
    templates_dir: Path | None,
    prepared_by: str | None,
    fillable: bool,
    pdf_variant: str | None,
    language: str,
    jobs: int,
    scheduler: str | None,
    maps: tuple[str, ...],
    date_order: str | None,
    require_email: bool,
    force: bool,
    make_zip: bool,
    quiet: bool,
) -> None:
    """Render the guide of every person in COHORT: a CSV or XLSX spreadsheet, a JSON or
    YAML list of profiles, or a folder of profile files.

    A row may name its own language (a Language column: es, Spanish, español...);
    --lang is the language of the rows that don't. Bad rows are reported and skipped,
    and every row stays in manifest.csv. Exit code 0 when every guide is there, 1 when
    some rows failed, 2 when the cohort cannot be read at all, 3 when the Dask cluster
    went away (run the same command again to render the rest)."""
    from guidegen.deliver.batch import Batch, BatchOptions
    from guidegen.deliver.executors import RenderStopped, open_executor
    from guidegen.load.cohort import parse_mapping_option

    options = BatchOptions(
        out_dir=out_dir or Path("output") / cohort.stem,
        formats=tuple(dict.fromkeys(formats)),
        brand_path=brand_path,
        theme_dir=theme_dir,
        templates_dir=templates_dir,
        prepared_by=prepared_by,
        fillable=fillable,
        pdf_variant=pdf_variant,
        language=language,
        jobs=jobs,
        force=force,
        zip=make_zip,
        mappings=parse_mapping_option(maps),
        date_order=date_order,
        require_email=require_email,
    )
    # The output folder stays locked until the run ends, however it ends.
    run = click.get_current_context().with_resource(Batch(cohort, options))
    # Connected (or the local cluster started) before planning: a wrong address fails now.
    executor = click.get_current_context().with_resource(open_executor(scheduler, jobs=jobs))
    if scheduler and not quiet:
        click.echo(f"rendering on {executor.description}", err=True)
    for warning in executor.warnings:
        click.echo(f"warning: {warning}", err=True)
    run.plan()
    if run.cohort.ignored_columns and not quiet:
        click.echo(f"ignored columns: {', '.join(run.cohort.ignored_columns)}", err=True)
    # What could lose people, and how dates were read, is said even with -q.
    for problem in run.cohort.warnings:
        click.echo(f"warning: {problem}", err=True)
    for problem in run.cohort.notes:
        click.echo(f"note: {problem}", err=True)
    total = len(run.jobs)
    show_bar = not quiet and sys.stderr.isatty() and total > 0
    try:
        if show_bar:
            with click.progressbar(
                length=total, label=f"Rendering {total} guides", file=sys.stderr
            ) as bar:
                for _ in run.render(executor):
                    bar.update(1)
        else:
            for done, result in enumerate(run.render(executor), start=1):
                if not quiet:
                    files = ", ".join(path.name for path in result.files) or result.error
                    click.echo(
                        f"[{done}/{total}] {result.status}: row {result.row} {result.name}: "
                        f"{files}",
                        err=True,
                    )
    except KeyboardInterrupt:
        _stop(run, "Interrupted", 130)
    except RenderStopped as error:
        _stop(run, f"Stopped: {error}", 3)
    report = run.finish()
    _summarize(report, quiet)
    if report.failed:
        sys.exit(1)


def _stop(run, why: str, exit_code: int) -> None:
    """The run ends early: keep what is done, write the manifest, say how to go on."""
    report = run.finish()
    pending = report.count("pending")
    click.echo(
        f"\n{why}: {report.count('rendered')} guides rendered, {pending} not yet. "
        "Every finished guide is kept; run the same command again to render the rest.",
        err=True,
    )
    click.echo(report.manifest)
    sys.exit(exit_code)


def _summarize(report, quiet: bool) -> None:
    from guidegen.deliver.batch import FAILED, RENDERED, UNCHANGED

    failed = report.failed
    for result in failed:
        click.echo(f"failed: row {result.row}{_who(result)}: {result.error}", err=True)
    for fix in dict.fromkeys(result.fix for result in failed if result.fix):
        rows = ", ".join(str(result.row) for result in failed if result.fix == fix)
        click.echo(f"to fix row{'s' if ',' in rows else ''} {rows}: {fix}", err=True)
    warnings = sorted({w for result in report.results for w in result.warnings})
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    without_email = report.without_email
    if without_email:
        click.echo(
            f"rendered, no email address ({len(without_email)}): "
            + ", ".join(f"row {result.row}{_who(result)}" for result in without_email),
            err=True,
        )
    if report.errors_log is not None:  # said even with -q: a bug to report
        count = len(report.internal_errors)
        click.echo(
            f"{count} row{'s' if count != 1 else ''} failed with an unexpected error: the "
            f"traceback{'s are' if count != 1 else ' is'} in {report.errors_log}. Unless a "
            "theme of your own is at fault, it is a bug in guidegen: please report it with "
            "that file",
            err=True,
        )
    if not quiet:
        click.echo(
            f"{len(report.results)} rows: {report.count(RENDERED)} rendered, "
            f"{report.count(UNCHANGED)} unchanged, {report.count(FAILED)} failed"
            + (f", {len(without_email)} without an email address" if without_email else ""),
            err=True,
        )
    click.echo(report.manifest)
    if report.archive is not None:
        click.echo(report.archive)


def _who(result) -> str:
    return f" ({result.name})" if result.name else ""
