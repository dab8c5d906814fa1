"""Batches rendered on a real Dask cluster: a scheduler and two worker processes on loopback.

The cluster is started as an operations team would start one (`dask scheduler`,
`dask worker`), in an empty folder elsewhere, and each worker runs with an audit
hook that refuses to open anything of the project or of the driver's folder: the
brand, theme and guides must reach the workers with the tasks, and come back as
bytes. One cluster serves the whole module; the tests that kill a scheduler start
their own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from guidegen.render.theming import builtin_theme_dir
from tests.conftest import IN_CI, ROOT
from tests.deliver.test_batch import GOOD, HEADER, guidegen, manifest

try:  # the `dask` extra: `make test` installs it, so CI always runs these
    import distributed
except ImportError:
    if IN_CI:
        raise
    pytest.skip("Dask is not installed: pip install -e '.[test]'", allow_module_level=True)

EPOCH = {"SOURCE_DATE_EPOCH": "1796083200"}
STATE = ".guidegen-batch.jsonl"

# Refuses, on a worker, every open() and directory listing under the given folders
# (but the installed package's): what it would need from there must travel with the run.
NO_SHARED_FILES = """
import os
import sys

FORBIDDEN = {forbidden!r}
ALLOWED = {allowed!r}


def _inside(path, folders):
    return any(path == folder or path.startswith(folder + os.sep) for folder in folders)


def _guard(event, args):
    if event not in ("open", "os.listdir", "os.scandir") or not args:
        return
    path = args[0]
    if not isinstance(path, (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(path))
    if _inside(path, FORBIDDEN) and not _inside(path, ALLOWED):
        raise PermissionError(f"this worker shares no files with the driver: {{path}}")


sys.addaudithook(_guard)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """`dask scheduler` and `dask worker` processes, started in `home` (an empty folder)."""

    def __init__(self, home: Path, *, workers: int, forbidden: list[Path], port: int = 0):
        self.home = home
        self.workers = workers
        self.forbidden = forbidden
        self.port = port or free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        home.mkdir(parents=True, exist_ok=True)
        guard = home / "no_shared_files.py"
        guard.write_text(
            NO_SHARED_FILES.format(
                forbidden=[str(path) for path in forbidden],
                allowed=[str(ROOT / "src"), str(ROOT / ".venv")],
            )
        )
        self.guard = guard

    def _spawn(self, name: str, *args: str) -> None:
        log = (self.home / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "dask", *args],
            cwd=self.home,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: a worker's processes stop with it
        )

    def start_scheduler(self) -> None:
        self._spawn(
            "scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(self.port),
            "--no-dashboard",
        )  # fmt: skip

    def start_workers(self) -> None:
        self._spawn(
            "workers", "worker", self.address, "--nworkers", str(self.workers),
            "--nthreads", "1", "--no-dashboard", "--preload", str(self.guard),
            "--local-directory", str(self.home / "scratch"),
        )  # fmt: skip

    def client(self):
        return distributed.Client(self.address, timeout="30s")

    def wait_for_workers(self) -> None:
        with self.client() as client:
            client.wait_for_workers(self.workers, timeout=90)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):  # gone already
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop(self) -> None:
        for name in ("workers", "scheduler"):
            if name in self.processes:
                self.kill(name, signal.SIGTERM if name == "workers" else signal.SIGKILL)

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.home.glob("*.log"))


@pytest.fixture(scope="module")
def driver(tmp_path_factory) -> Path:
    """The driver's folder: the cohort, the brand, the theme and the output."""
    return tmp_path_factory.mktemp("driver")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, driver):
    home = tmp_path_factory.mktemp("elsewhere")
    started = Cluster(home, workers=2, forbidden=[ROOT, driver])
    started.start_scheduler()
    started.start_workers()
    try:
        started.wait_for_workers()
        yield started
    finally:
        started.stop()


@pytest.fixture
def dask_cluster(cluster):
    """The module's cluster with both its workers (a test may have killed one)."""
    cluster.wait_for_workers()
    return cluster


@pytest.fixture(scope="module")
def look(driver) -> dict[str, Path]:
    """A brand whose font exists only as its files (so a PDF shows whether they travelled),
    with a logo and a Word reference document, and a theme that changes the cover and
    breaks the guide of anyone called 'Boom Boom' (a guide failing for its own reasons)."""
    brand = driver / "brand"
    shutil.copytree(ROOT / "brands" / "northstar-coaching", brand)
    shutil.copy(ROOT / "brands" / "hackforge-bootcamp" / "reference.dotx", brand)
    text = (brand / "brand.yaml").read_text(encoding="utf-8")
    text = text.replace("family: Noto Serif", "family: Cluster Test Serif")
    (brand / "brand.yaml").write_text(text + "reference_doc: reference.dotx\n", encoding="utf-8")
    theme = driver / "theme"
    (theme / "partials").mkdir(parents=True)
    (theme / "partials" / "edition.txt").write_text("CLUSTER EDITION")
    html = (builtin_theme_dir() / "guide.html.j2").read_text(encoding="utf-8")
    boom = '{% if guide.candidate.name == "Boom Boom" %}{{ no_such_value }}{% endif %}'
    edition = '{% include "partials/edition.txt" %} '
    (theme / "guide.html.j2").write_text(
        html.replace('<p class="eyebrow">', f'<p class="eyebrow">{boom}{edition}', 1),
        encoding="utf-8",
    )
    return {"brand": brand, "theme": theme}


def people(count: int, *, prefix: str = "Person") -> list[str]:
    return [f"{prefix} {i},p{i}@example.com,{GOOD[i % 3].split(',', 2)[2]}" for i in range(count)]


def write_cohort(folder: Path, rows: list[str], name: str = "cohort.csv") -> Path:
    path = folder / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def batch(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return guidegen("batch", *args, cwd=folder, env={**os.environ, **EPOCH}, timeout=300)


def guides(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in {".pdf", ".docx"}}


def state_stems(folder: Path) -> list[str]:
    lines = (folder / STATE).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["stem"] for line in lines]


@pytest.fixture(scope="module")
def mixed_cohort(driver) -> Path:
    rows = [
        *people(3),
        "Dana Bad,not-an-email,Backend Developer,AI Solutions Architect,,-2,2027-01-04",
        "Boom Boom,boom@example.com,Teacher,Instructional Designer,Lesson Planning,8,2027-01-04",
    ]
    return write_cohort(driver, rows, "mixed.csv")


def look_args(look: dict[str, Path], out: str) -> list[str]:
    return [
        "-f", "pdf", "-f", "docx", "-f", "ics", "--brand", str(look["brand"]),
        "--theme", str(look["theme"]), "-o", out,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def pool_run(driver, look, mixed_cohort) -> Path:
    """The default executor's output: what every cluster run must match."""
    run = batch(driver, str(mixed_cohort), *look_args(look, "pool"), "-j", "2")
    assert run.returncode == 1, run.stderr  # two rows fail, by design
    return driver / "pool"


@pytest.mark.slow
def test_a_cluster_elsewhere_renders_the_same_branded_guides_as_the_local_pool(
    driver, look, mixed_cohort, pool_run, dask_cluster
):
    run = batch(
        driver, str(mixed_cohort), *look_args(look, "dask"), "--scheduler", dask_cluster.address
    )
    assert run.returncode == 1, run.stderr + dask_cluster.log()
    assert "Traceback" not in run.stderr
    assert f"rendering on the Dask cluster at {dask_cluster.address} (2 workers)" in run.stderr
    out = driver / "dask"
    rows = manifest(out)
    assert rows == manifest(pool_run)  # every row, in order, with the same cells
    assert [(r["name"], r["status"]) for r in rows] == [
        *((f"Person {i}", "rendered") for i in range(3)),
        ("Dana Bad", "failed"),
        ("Boom Boom", "failed"),
    ]
    # A guide that fails for its own reasons fails its row only, as locally, and its
    # traceback, from the worker, goes to the output folder's log, not the screen.
    assert "internal error while rendering its guide: UndefinedError" in rows[4]["error"]
    assert "'no_such_value' is undefined" in rows[4]["error"]
    assert "the traceback is in dask/guidegen-errors.log" in run.stderr, run.stderr
    for folder in (out, pool_run):
        log = (folder / "guidegen-errors.log").read_text(encoding="utf-8")
        assert log.count("row 6 (Boom Boom), rendering its guide:") == 1, log
        assert "Traceback (most recent call last)" in log and "guide.html.j2" in log, log
    assert "email" in rows[3]["error"]

    assert guides(out) == guides(pool_run)  # byte for byte, PDF and Word
    assert len(guides(out)) == 6
    for ics in out.glob("*.ics"):
        assert ics.read_bytes() == (pool_run / ics.name).read_bytes()
    # Branded from the files that travelled: the brand's own font, logo and footer,
    # the theme's cover line, and the Word reference document's parts.
    pdf = PdfReader(out / rows[0]["pdf"])
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Cluster-Test-Serif" in font for font in fonts), fonts
    assert "CLUSTER EDITION" in pdf.pages[0].extract_text()
    assert "Northstar Coaching" in pdf.pages[1].extract_text()
    assert any(page.images for page in pdf.pages[:1])
    with zipfile.ZipFile(out / rows[0]["docx"]) as docx:
        assert any(name.startswith("word/media/") for name in docx.namelist())
    assert sorted(state_stems(out)) == sorted(Path(r["pdf"]).stem for r in rows[:3])


def test_guides_stream_through_the_cluster_a_bounded_number_at_a_time(
    dask_cluster, make_profile, flagship
):
    from guidegen.deliver.dask_cluster import MIN_IN_FLIGHT, DaskExecutor
    from guidegen.deliver.workers import RenderKit, RenderTask
    from guidegen.models.brand import DEFAULT_BRAND
    from guidegen.plan.personalize import build_guide
    from tests.conftest import TODAY

    guide = build_guide(make_profile(), flagship, today=TODAY)
    created = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    count = 3 * MIN_IN_FLIGHT
    pulled = [0]

    def work():
        for number in range(count):
            pulled[0] = number + 1
            yield number, RenderTask(f"guide-{number}", guide, created)

    kit = RenderKit(formats=("ics",), brand=DEFAULT_BRAND)
    seen = []
    with DaskExecutor(distributed.Client(dask_cluster.address)) as executor:
        for done, (tag, outcome) in enumerate(executor.render(kit, work(), total=count), 1):
            assert pulled[0] - done <= MIN_IN_FLIGHT, (pulled[0], done)  # never all at once
            assert outcome.error is None and outcome.files["ics"].startswith(b"BEGIN:VCALENDAR")
            assert outcome.worker["worker"] in executor.client.nthreads()
            seen.append(tag)
        plugins = executor.client.run(lambda dask_worker: sorted(dask_worker.plugins))
    assert sorted(seen) == list(range(count))  # each once
    # The run's renderer is unloaded from every worker when it ends.
    assert not any("guidegen-renderer" in name for names in plugins.values() for name in names)


@pytest.mark.slow
def test_local_n_starts_a_dask_cluster_here_with_the_same_guides(driver, look, pool_run):
    cohort = write_cohort(driver, people(2), "local.csv")
    run = batch(driver, str(cohort), *look_args(look, "local"), "--scheduler", "local:2")
    assert run.returncode == 0, run.stderr
    assert "rendering on a local Dask cluster at tcp://127.0.0.1:" in run.stderr
    produced = guides(driver / "local")
    assert len(produced) == 4
    assert produced == {name: guides(pool_run)[name] for name in produced}


@pytest.mark.slow
def test_a_worker_killed_mid_guide_and_the_batch_completes_each_guide_once(driver, dask_cluster):
    rows = people(6, prefix="Kill")
    cohort = write_cohort(driver, rows, "kill.csv")
    out = driver / "kill"
    command = ["batch", str(cohort), "-f", "pdf", "-f", "docx", "-o", str(out), "-q"]
    process = subprocess.Popen(
        [sys.executable, "-m", "guidegen", *command, "--scheduler", dask_cluster.address],
        cwd=driver,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **EPOCH},
    )
    with dask_cluster.client() as client:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list(out.glob("*.pdf")):
            time.sleep(0.05)
        victim = None
        while time.monotonic() < deadline and victim is None:
            busy = [worker for worker, keys in client.processing().items() if keys]
            victim = busy[0] if busy else None
        assert victim is not None, "no worker was rendering"
        pid = client.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)  # mid-guide: it had a task in hand
    written_before = len(list(out.glob("*.pdf")))
    _, stderr = process.communicate(timeout=300)

    assert written_before < len(rows), "the batch finished before the kill"
    assert process.returncode == 0, stderr + dask_cluster.log()
    assert "Traceback" not in stderr
    statuses = [row["status"] for row in manifest(out)]
    assert statuses == ["rendered"] * len(rows)
    # Each guide written once: one record in the state log each, every file whole.
    stems = state_stems(out)
    assert len(stems) == len(set(stems)) == len(rows)
    assert len(list(out.glob("*.pdf"))) == len(list(out.glob("*.docx"))) == len(rows)
    assert not list(out.glob(".*.tmp"))
    for pdf in out.glob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 4


@pytest.mark.slow
def test_the_scheduler_going_away_stops_the_run_and_rerunning_resumes(tmp_path, tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("lost"), workers=1, forbidden=[ROOT, tmp_path])
    cluster.start_scheduler()
    cluster.start_workers()
    try:
        cluster.wait_for_workers()
        cohort = write_cohort(tmp_path, people(6, prefix="Lost"))
        out = tmp_path / "out"
        command = [
            sys.executable, "-m", "guidegen", "batch", str(cohort), "-o", str(out),
            "--scheduler", cluster.address,
        ]  # fmt: skip
        process = subprocess.Popen(
            command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list(out.glob("*.pdf")):
            time.sleep(0.05)
        cluster.kill("scheduler")
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 3, stderr
        assert "Traceback" not in stderr
        assert f"Stopped: lost the Dask scheduler at {cluster.address}" in stderr
        assert "run the same command again to render the rest" in stderr
        statuses = [row["status"] for row in manifest(out)]
        assert "rendered" in statuses and "pending" in statuses
        assert set(statuses) == {"rendered", "pending"}
        assert not list(out.glob(".*.tmp"))

        # The operator starts the cluster again at the same address (Dask workers close
        # when their scheduler is gone), and the same command picks up where it stopped.
        cluster.stop()
        cluster.start_scheduler()
        cluster.start_workers()
        cluster.wait_for_workers()
        rerun = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
        assert rerun.returncode == 0, rerun.stderr + cluster.log()
        again = [row["status"] for row in manifest(out)]
        assert again.count("unchanged") == statuses.count("rendered")
        assert again.count("rendered") == statuses.count("pending")
    finally:
        cluster.stop()


def test_no_scheduler_at_the_address_is_a_clear_error(tmp_path):
    cohort = write_cohort(tmp_path, people(1))
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    run = guidegen("batch", str(cohort), "--scheduler", address, cwd=tmp_path, env=env)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"--scheduler: got '{address}'; no Dask scheduler answered there" in run.stderr
    assert "dask scheduler" in run.stderr
    assert not (tmp_path / "output").exists()


def test_a_malformed_local_cluster_size_is_a_clear_error(tmp_path):
    cohort = write_cohort(tmp_path, people(1))
    run = guidegen("batch", str(cohort), "--scheduler", "local:two", cwd=tmp_path)
    assert run.returncode == 2
    assert "--scheduler: got 'local:two'; expected local:N" in run.stderr
