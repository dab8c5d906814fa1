"""Rendering a batch on a Dask cluster (`guidegen batch --scheduler ...`).

The driver (the machine running `guidegen batch`) plans each guide and sends it
as a task; a worker renders it and returns the files' bytes; the driver writes
them and records them in the batch's state log, exactly as with the local pool.

Workers need guidegen (the same version) and its system libraries installed,
and nothing else: no shared folder, no copy of the project. A worker plugin
carries the run's look (formats, brand files, theme, chart colours) to every
worker, present and future; on each it unpacks those files into the worker's
scratch folder and loads WeasyPrint, the fonts and the stylesheets once.

Faults: a worker that dies mid-guide has its task rescheduled on another by
the scheduler (up to `distributed.scheduler.allowed-failures` times, then the
row fails with WorkerDied); an unexpected error in a task is retried on another
worker (`retries`); a guide's own problem (UserError) is returned, not raised,
so it is never retried and fails its row only. The scheduler going away stops
the run (RenderStopped): finished guides are kept and a rerun resumes.

Importing this module imports `distributed` (the `dask` extra).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from pathlib import Path

import dask.config
from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed, get_worker
from distributed.comm.core import CommClosedError
from distributed.scheduler import KilledWorker

from guidegen.deliver.executors import (
    TASKS_PER_WORKER,
    Outcome,
    RenderExecutor,
    RenderStopped,
    Tag,
    WorkerDied,
)
from guidegen.deliver.workers import (
    GuideRenderer,
    PortableKit,
    RenderedGuide,
    RenderKit,
    RenderTask,
    pack_kit,
    unpack_kit,
)
from guidegen.errors import Problem, UserError

RETRIES = 2
"""Times a task that raised unexpectedly is tried again (on another worker, if any)."""

CONNECTION_LOST = "scheduler-connection-lost"
"""Why the client cancels every task when it loses its scheduler."""

LOCAL_CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False}

MIN_IN_FLIGHT = 16
"""Tasks in flight however few workers there are yet: enough for an adaptive cluster to
see work waiting and scale up; a few MB of results at most."""

THREADS_REFRESH_S = 2.0
"""How often the count of worker threads (and so of tasks in flight) is looked up again."""


class GuideRendererPlugin(WorkerPlugin):
    """Loads guidegen's renderers once on each worker, from the files it carries."""

    def __init__(self, portable: PortableKit):
        self.portable = portable
        self.renderer: GuideRenderer | None = None
        self.folder: Path | None = None
        # WeasyPrint and matplotlib state is not for sharing between threads: a worker
        # started with several threads renders one guide at a time.
        self.lock = threading.Lock()

    def __getstate__(self) -> dict:
        return {"portable": self.portable}  # what travels; the rest is made on the worker

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["portable"])

    async def setup(self, worker) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="guidegen-", dir=worker.local_directory))
        kit = unpack_kit(self.portable, self.folder)
        self.renderer = GuideRenderer(kit.writer(), where=worker.address)
        # Loaded in the thread the worker runs its tasks in, before any task runs.
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(worker.executors["default"], self.renderer.load)

    def teardown(self, worker) -> None:
        """The batch is over: free this worker for the next (workers outlive batches)."""
        self.renderer = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        # What load() froze out of the collector's sight can be collected again.
        gc.unfreeze()
        gc.collect()

    def render(self, task: RenderTask) -> RenderedGuide:
        assert self.renderer is not None, "setup runs before any task"
        with self.lock:
            return self.renderer.render(task)


def render_on_worker(plugin_name: str, task: RenderTask) -> RenderedGuide:
    """The task a Dask worker runs: one guide, by the renderer its plugin loaded."""
    return get_worker().plugins[plugin_name].render(task)


class DaskExecutor(RenderExecutor):
    """Renders on the workers of a Dask cluster, through a client of its scheduler."""

    def __init__(self, client: Client, *, cluster: LocalCluster | None = None):
        super().__init__()
        self.client = client
        self.cluster = cluster
        self.address = client.scheduler.address
        self._threads = 0
        self.scheduler_lost = False
        self._threads_checked = 0.0
        workers = client.nthreads()
        where = "a local Dask cluster" if cluster is not None else "the Dask cluster"
        self.description = f"{where} at {self.address} ({_count(len(workers), 'worker')})"
        threaded = sorted(address for address, threads in workers.items() if threads > 1)
        if threaded:
            self.warnings.append(
                f"workers started with several threads ({', '.join(threaded[:3])}) render one "
                "guide at a time all the same: start them with --nthreads 1 and one --nworkers "
                "per core"
            )

    @classmethod
    def connect(cls, scheduler: str, *, jobs: int) -> DaskExecutor:
        """`local` or `local:N`: start a cluster of N single-threaded worker processes here
        (N = `jobs` without it); anything else is a scheduler's address."""
        if scheduler == "local" or scheduler.startswith("local:"):
            workers = _local_workers(scheduler, default=jobs)
            # Dask's statistical profiler samples each worker's stack every 10 ms: about
            # 10% more CPU a guide, measured, for a profile nobody reads here.
            with _workers_ignore_ctrl_c(), dask.config.set(LOCAL_CLUSTER_CONFIG):
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: never a clash with another cluster
                    silence_logs=logging.CRITICAL,  # the run reports what matters, in words
                )
            return cls(Client(cluster), cluster=cluster)
        timeout = dask.config.get("distributed.comm.timeouts.connect")
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as error:
            raise UserError(
                Problem(
                    f"no Dask scheduler answered there within {timeout} ({error})",
                    field="--scheduler",
                    value=scheduler,
                    has_value=True,
                ),
                hint="Start one with `dask scheduler` (and workers with `dask worker "
                "ADDRESS --nthreads 1`), or render on a local Dask cluster with --scheduler "
                "local:N.",
            ) from None
        return cls(client)

    def render(
        self, kit: RenderKit, work: Iterable[tuple[Tag, RenderTask]], *, total: int
    ) -> Iterator[tuple[Tag, Outcome]]:
        plugin_name = f"guidegen-renderer-{uuid.uuid4().hex[:12]}"  # this run's own
        self._register(GuideRendererPlugin(pack_kit(kit)), plugin_name)
        pending = iter(work)
        in_flight: dict[Future, Tag] = {}
        # Results are fetched in the client's own thread as tasks finish, while this one
        # builds, sends and writes guides.
        completed = as_completed(with_results=True, raise_errors=False)

        def fill() -> None:
            while len(in_flight) < self._in_flight_limit():
                item = next(pending, None)
                if item is None:
                    return
                tag, task = item
                future = self.client.submit(
                    render_on_worker,
                    plugin_name,
                    task,
                    key=f"{plugin_name}-{task.key}",
                    retries=RETRIES,
                )
                in_flight[future] = tag
                completed.add(future)

        try:
            fill()
            for future, result in completed:
                tag = in_flight.pop(future)
                outcome = self._outcome(future, result)
                future.release()  # the worker may forget it now
                fill()  # the workers start the next guides while this one is written
                yield tag, outcome
        finally:
            self._forget(list(in_flight), plugin_name)

    def _register(self, plugin: GuideRendererPlugin, name: str) -> None:
        try:
            self.client.register_plugin(plugin, name=name)
        except UserError:  # a worker's own words, e.g. another guidegen version there
            raise
        except (CommClosedError, OSError):
            raise self._lost() from None
        except Exception as error:
            raise UserError(
                f"the Dask workers at {self.address} cannot load guidegen's renderer: "
                f"{type(error).__name__}: {error}",
                hint="Every worker needs guidegen[dask] installed, the same version as here, "
                "with its system libraries (Pango, fonts).",
            ) from None

    def _in_flight_limit(self) -> int:
        now = time.monotonic()
        if now - self._threads_checked > THREADS_REFRESH_S:
            self._threads_checked = now
            with contextlib.suppress(OSError, CommClosedError):  # lost: the next outcome says
                self._threads = sum(self.client.nthreads().values())
        return max(MIN_IN_FLIGHT, self._threads * TASKS_PER_WORKER)

    def _outcome(self, future: Future, result: object) -> Outcome:
        """What as_completed fetched: the guide, (type, error, traceback) for an error
        raised on a worker (after its retries), or the CancelledError of a cancelled task."""
        if future.status == "error":
            error = result[1]
            if isinstance(error, KilledWorker):
                return WorkerDied(
                    f"every worker that rendered it died ({error.allowed_failures + 1} "
                    "tries): see the Dask workers' logs (out of memory?)"
                )
            # A bug in one guide (or on one worker): that row fails, and the batch logs the
            # worker's traceback, which Dask sends beside the error.
            with contextlib.suppress(TypeError):
                error = error.with_traceback(result[2])
            return error
        if isinstance(result, CancelledError):
            if getattr(result, "reason", CONNECTION_LOST) != CONNECTION_LOST:
                raise RenderStopped(f"the Dask scheduler cancelled the guides ({result})")
            raise self._lost()
        return result

    def _lost(self) -> RenderStopped:
        self.scheduler_lost = True
        return RenderStopped(f"lost the Dask scheduler at {self.address}")

    def _forget(self, futures: list[Future], plugin_name: str) -> None:
        """Stopping early or done: cancel what is left, unload the renderers."""
        if self.client.status != "running":
            return
        try:
            if futures:
                self.client.cancel(futures)
            self.client.unregister_worker_plugin(plugin_name)
        except (OSError, CommClosedError, TimeoutError):
            pass  # the scheduler is gone: nothing there to clean up

    def close(self) -> None:
        if self.scheduler_lost:
            # The client would log its cancelled reconnection as an error with a
            # traceback, while closing or after: the run has said what happened, in words.
            logging.getLogger("distributed.client").setLevel(logging.CRITICAL + 1)
        with contextlib.suppress(OSError, CommClosedError, TimeoutError):
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@contextlib.contextmanager
def _workers_ignore_ctrl_c():
    """Worker processes started meanwhile ignore Ctrl-C (a child keeps an ignored SIGINT
    ignored): it is the driver's to handle, and it stops them in order."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _local_workers(scheduler: str, *, default: int) -> int:
    if scheduler == "local":
        return default
    count = scheduler.removeprefix("local:")
    if not count.isdigit() or int(count) < 1:
        raise UserError(
            Problem(
                "expected local:N, N a number of workers (1 or more), or a scheduler's address "
                "like tcp://host:8786",
                field="--scheduler",
                value=scheduler,
                has_value=True,
            )
        )
    return int(count)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
