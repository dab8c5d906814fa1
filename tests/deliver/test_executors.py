"""The executor seam: tasks in, each guide's bytes out, a bounded number in flight.

Calendars (.ics) keep these fast: no WeasyPrint, the same path as every format.
Real Dask clusters are in test_dask.py.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys

import pytest
from icalendar import Calendar

import guidegen
from guidegen.deliver import workers
from guidegen.deliver.executors import (
    TASKS_PER_WORKER,
    PoolExecutor,
    RenderStopped,
    open_executor,
)
from guidegen.deliver.workers import (
    RenderedGuide,
    RenderKit,
    RenderTask,
    pack_kit,
    unpack_kit,
)
from guidegen.errors import UserError
from guidegen.load.branding import load_brand
from guidegen.models.brand import DEFAULT_BRAND
from guidegen.plan.personalize import build_guide
from tests.conftest import FLAGSHIP_ID, ROOT, TODAY

CREATED = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def counted(tasks: list[RenderTask], pulled: list[int]):
    """`tasks` as lazy work, counting how many the executor has taken."""
    for number, task in enumerate(tasks):
        pulled[0] = number + 1
        yield number, task


def test_the_pool_streams_with_a_bounded_number_of_tasks_in_flight(make_profile, flagship):
    guide = build_guide(make_profile(), flagship, today=TODAY)
    tasks = [RenderTask(f"guide-{n}", guide, CREATED) for n in range(24)]
    kit = RenderKit(formats=("ics",), brand=DEFAULT_BRAND)
    pulled, seen = [0], []
    with PoolExecutor(2) as executor:
        for done, (tag, outcome) in enumerate(
            executor.render(kit, counted(tasks, pulled), total=len(tasks)), start=1
        ):
            # Taken so far: those done, those in flight, and the one about to be sent.
            assert pulled[0] - done <= 2 * TASKS_PER_WORKER, (pulled[0], done)
            assert isinstance(outcome, RenderedGuide) and outcome.error is None
            assert outcome.key == f"guide-{tag}" and list(outcome.files) == ["ics"]
            seen.append(tag)
    assert sorted(seen) == list(range(24))  # each once
    calendar = Calendar.from_ical(outcome.files["ics"])
    assert calendar.walk("VEVENT")


def test_a_pool_worker_killed_from_outside_stops_the_run_cleanly(make_profile, flagship):
    guide = build_guide(make_profile(), flagship, today=TODAY)
    kit = RenderKit(formats=("ics",), brand=DEFAULT_BRAND)
    work = ((n, RenderTask(f"guide-{n}", guide, CREATED)) for n in range(20))
    with PoolExecutor(1) as executor:
        outcomes = executor.render(kit, work, total=20)
        _, first = next(outcomes)
        os.kill(first.worker["pid"], signal.SIGKILL)  # as the kernel's OOM killer would
        with pytest.raises(RenderStopped, match="a worker process died"):
            list(outcomes)


def test_a_kit_travels_as_bytes_and_unpacks_anywhere(tmp_path):
    brand = load_brand(ROOT / "brands" / "northstar-coaching")
    theme = tmp_path / "theme"
    (theme / "images").mkdir(parents=True)
    (theme / "guide.css").write_text("body { color: black; }")
    (theme / "images" / "mark.svg").write_text("<svg/>")
    kit = RenderKit(formats=("pdf", "docx"), brand=brand, theme_dir=theme, fillable=True)

    portable = pack_kit(kit)
    assert sorted(portable.files) == [
        "brand/fonts/bold.ttf",
        "brand/fonts/regular.ttf",
        "brand/logo.png",
        "theme/guide.css",
        "theme/images/mark.svg",
    ]
    assert not portable.brand.logo.is_absolute()  # nothing of this machine's folders

    unpacked = unpack_kit(portable, tmp_path / "worker")
    folder = (tmp_path / "worker").resolve()
    assert unpacked.brand.logo == folder / "brand/logo.png"
    assert unpacked.brand.logo.read_bytes() == brand.logo.read_bytes()
    assert unpacked.brand.font.files.bold.read_bytes() == brand.font.files.bold.read_bytes()
    assert unpacked.theme_dir == folder / "theme"
    assert (folder / "theme/images/mark.svg").read_text() == "<svg/>"
    assert unpacked.fillable and unpacked.formats == ("pdf", "docx")
    # Everything else about the brand is as it was.
    assert unpacked.brand.model_dump(exclude={"logo", "font"}) == brand.model_dump(
        exclude={"logo", "font"}
    )
    assert unpacked.brand.font.family == brand.font.family


def test_a_worker_with_another_guidegen_version_refuses_the_kit(tmp_path, monkeypatch):
    portable = pack_kit(RenderKit(formats=("pdf",), brand=DEFAULT_BRAND))
    monkeypatch.setattr(guidegen, "__version__", "0.0.1-other")
    with pytest.raises(UserError, match=r"this worker has guidegen 0\.0\.1-other"):
        unpack_kit(portable, tmp_path)


def test_a_brand_too_large_to_send_to_every_worker_is_refused(monkeypatch):
    brand = load_brand(ROOT / "brands" / "northstar-coaching")
    monkeypatch.setattr(workers, "PORTABLE_LIMIT_BYTES", 1000)
    with pytest.raises(UserError, match="every Dask worker is sent a copy"):
        pack_kit(RenderKit(formats=("pdf",), brand=brand))


def test_without_the_dask_extra_scheduler_says_how_to_install_it(monkeypatch):
    monkeypatch.delitem(sys.modules, "guidegen.deliver.dask_cluster", raising=False)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(UserError) as caught:
        open_executor("local:2", jobs=1)
    assert "needs Dask, which is not installed" in str(caught.value)
    assert "pip install 'guidegen[dask]'" in str(caught.value)


def test_the_default_batch_imports_no_dask(tmp_path):
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(
        "Full Name,Email,Current Role,Target Role,Hours per week,Start Date\n"
        "Ana Souza,ana@example.com,Backend Developer,AI Solutions Architect,10,2027-01-04\n"
    )
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from guidegen.deliver.batch import BatchOptions, run_batch\n"
        f"report = run_batch(Path({str(cohort)!r}), "
        f"BatchOptions(out_dir=Path({str(tmp_path / 'out')!r}), formats=('ics',), jobs=1))\n"
        "print('RENDERED', report.count('rendered'))\n"
        "print('DASK', sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'dask', 'distributed', 'guidegen.deliver.dask_cluster'}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert "RENDERED 1" in run.stdout and "DASK []" in run.stdout, run.stdout + run.stderr
    assert (tmp_path / "out" / f"ana-souza--{FLAGSHIP_ID}.ics").is_file()


def test_a_guide_that_cannot_be_built_fails_its_row_only(tmp_path, monkeypatch):
    from guidegen.deliver import batch as batch_module
    from guidegen.plan import planning

    def build(profile, *args, **kwargs):
        if profile.name == "Ben Okafor":
            raise UserError("roadmap: 40 weeks of tasks do not fit in 8 hours a week")
        return build_guide(profile, *args, **kwargs)

    monkeypatch.setattr(planning, "build_guide", build)
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(
        "Full Name,Email,Current Role,Target Role,Hours per week,Start Date\n"
        "Ana Souza,ana@example.com,Backend Developer,AI Solutions Architect,10,2027-01-04\n"
        "Ben Okafor,ben@example.com,Teacher,Instructional Designer,8,2027-01-04\n"
        "Chloe Martin,chloe@example.com,Data Analyst,Data Scientist,12,2027-01-04\n"
    )
    options = batch_module.BatchOptions(out_dir=tmp_path / "out", formats=("ics",), jobs=1)
    seen = []
    report = batch_module.run_batch(cohort, options, on_row=lambda row: seen.append(row.name))
    # The plan is made when the row is read, so its row fails there, before any rendering.
    assert sorted(seen) == ["Ana Souza", "Chloe Martin"]
    statuses = {result.name: (result.status, result.error) for result in report.results}
    too_much = "roadmap: 40 weeks of tasks do not fit in 8 hours a week"
    assert statuses["Ben Okafor"][0] == "failed" and too_much in statuses["Ben Okafor"][1]
    assert statuses["Ana Souza"][0] == statuses["Chloe Martin"][0] == "rendered"
