"""Where a batch renders its guides: a process pool here, or a Dask cluster.

The batch plans every guide, writes every file and keeps the manifest and the
state log; an executor only runs `RenderTask`s somewhere and hands back each
`RenderedGuide` as it completes. Both executors keep a bounded number of tasks
in flight, pulling the next planned guide only when one finishes, so a cohort
of any size never has all its guides in memory at once.

The default process pool imports nothing of Dask; `--scheduler` loads
`guidegen.deliver.dask_cluster`, which needs the `dask` extra.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from guidegen.deliver.workers import (
    RenderedGuide,
    RenderKit,
    RenderTask,
    render_in_pool_worker,
    start_pool_worker,
)
from guidegen.errors import Problem, UserError

Tag = TypeVar("Tag")
Outcome = RenderedGuide | Exception
"""A rendered guide (or its own UserError, inside), or what went wrong in running it."""

TASKS_PER_WORKER = 2
"""Tasks in flight per worker: one rendering, one ready to start the moment it finishes."""


class RenderStopped(Exception):
    """The executor cannot go on (its workers or its cluster went away): the run stops.

    Every guide finished so far is written and recorded; the others stay pending,
    so running the same command again renders only those."""


class WorkerDied(Exception):
    """The worker rendering this guide died each time it was tried: this row fails."""


class RenderExecutor:
    """Runs render tasks and yields each outcome as it completes (in no particular order)."""

    description = ""
    warnings: list[str]
    """What a user should know about where the guides render (shown before rendering)."""

    def __init__(self) -> None:
        self.warnings = []

    def render(
        self, kit: RenderKit, work: Iterable[tuple[Tag, RenderTask]], *, total: int
    ) -> Iterator[tuple[Tag, Outcome]]:
        """Render each task of `work` (pulled lazily); yield (its tag, its outcome)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the workers (and a cluster this executor started)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class PoolExecutor(RenderExecutor):
    """Worker processes on this machine, each loading the renderers once (the default)."""

    def __init__(self, workers: int):
        super().__init__()
        self.workers = max(1, workers)
        self.description = f"{self.workers} worker processes"

    def render(
        self, kit: RenderKit, work: Iterable[tuple[Tag, RenderTask]], *, total: int
    ) -> Iterator[tuple[Tag, Outcome]]:
        workers = max(1, min(self.workers, total))
        pending = iter(work)
        in_flight: dict[Future, Tag] = {}
        with ProcessPoolExecutor(
            workers, mp_context=_process_context(), initializer=start_pool_worker, initargs=(kit,)
        ) as pool:

            def fill() -> None:
                while len(in_flight) < workers * TASKS_PER_WORKER:
                    item = next(pending, None)
                    if item is None:
                        return
                    tag, task = item
                    in_flight[pool.submit(render_in_pool_worker, task)] = tag

            try:
                fill()
                while in_flight:
                    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in done:
                        tag = in_flight.pop(future)
                        outcome = _pool_outcome(future)
                        fill()  # the workers start the next guides while this one is written
                        yield tag, outcome
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                raise RenderStopped(
                    "a worker process died (killed from outside, or out of memory)"
                ) from None
            except BaseException:  # Ctrl-C, or the caller stopped: let no queued guide start
                pool.shutdown(wait=True, cancel_futures=True)
                raise


def _pool_outcome(future: Future) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except Exception as error:  # a bug in one guide: that row fails, the batch goes on
        return error


def _process_context():
    # forkserver: workers start from a clean, single-threaded server process
    # (fork from a process with threads is unsafe); spawn where there is none.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def open_executor(scheduler: str | None, *, jobs: int) -> RenderExecutor:
    """The process pool (`scheduler` None), or a client of the Dask scheduler it names:
    an address like tcp://host:8786, or local:N for a Dask cluster of N workers here."""
    if scheduler is None:
        return PoolExecutor(jobs)
    try:
        from guidegen.deliver.dask_cluster import DaskExecutor
    except ModuleNotFoundError as error:
        if error.name is None or error.name.partition(".")[0] not in {"dask", "distributed"}:
            raise
        raise UserError(
            Problem(f"needs Dask, which is not installed ({error})", field="--scheduler"),
            hint="Install it with: pip install 'guidegen[dask]'",
        ) from None

    return DaskExecutor.connect(scheduler, jobs=jobs)
