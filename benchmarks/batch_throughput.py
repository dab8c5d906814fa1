"""Batch throughput: a synthetic cohort, PDF + DOCX, on the local pool or a Dask cluster.

    python benchmarks/batch_throughput.py [--people 200] [--jobs 1 2]
    python benchmarks/batch_throughput.py --executor dask [--workers 1 2] [--repeat 3]

The default compares the process pool at each job count: guides per second (the
whole render phase, worker start-up included), the speed-up, and each worker's
resident memory (RSS) at the guide it finished when the batch reached guide 50
and at its last guide. Targets on a 2-core machine: >= 6 guides/s with -j2,
speed-up >= 1.8, RSS growth under 10% from guide 50 to the end, and under 200 MB.

`--executor dask` renders the same cohort with the pool (-j N, N the largest
--workers) and on a Dask cluster of each --workers count (LocalCluster: real
scheduler and worker processes on loopback, started before the clock starts,
as a running cluster would be; the workers' one-time loading is timed, as the
pool's is), then prints guides/s, per worker, and the ratio Dask / pool; with
--repeat, in turns, and the medians. Each run also counts the CPU seconds a guide
costs (the driver, the workers, a local scheduler): on a shared machine the clock
follows the others' load, the CPU a guide costs does not, and rendering with 2
workers on an idle 2 cores is CPU-bound, so that ratio predicts the quiet one.
Target on a 2-core machine: >= 0.85x the pool with 2 workers. It then measures the
driver alone: how fast it plans rows, builds guides and writes files, and how
many guides a second a cluster can turn round when rendering costs nothing
(calendars only): the rates at which the driver, not the workers, limits a run.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from guidegen.deliver.batch import Batch, BatchOptions
from guidegen.deliver.executors import PoolExecutor, RenderExecutor
from guidegen.deliver.pipeline import write_files
from guidegen.deliver.workers import RenderKit
from guidegen.load.catalog import TemplateCatalog

FIRST = "Ana Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jamal Kofi Lena Mateo Nadia Omar Priya"
LAST = "Silva Okafor Müller Tanaka García Novak Haddad Kim Rossi Dubois Andersen Costa Ivanova"
FORMATS = ("pdf", "docx")


def synthetic_cohort(path: Path, people: int) -> None:
    """A varied cohort starting on one Monday: every built-in template, many paces and skills."""
    rng = random.Random(2026)
    templates = [entry.template for entry in TemplateCatalog.default().entries()]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Full Name",
                "Email",
                "Current Role",
                "Target Role",
                "Skills",
                "Hours per week",
                "Start Date",
                "Years of experience",
                "Location",
            ]
        )
        for index in range(people):
            template = rng.choice(templates)
            evidence = [n for s in template.transferable_skills for n in s.evidenced_by[:3]]
            skills = rng.sample(evidence, k=min(len(evidence), rng.randint(2, 6)))
            first, last = rng.choice(FIRST.split()), rng.choice(LAST.split())
            writer.writerow(
                [
                    f"{first} {last}",
                    f"{first.lower()}.{index}@example.com",
                    rng.choice(template.from_role.names()),
                    rng.choice(template.to_role.names()),
                    "; ".join(skills),
                    rng.choice([5, 6, 8, 10, 12, 15, 20]),
                    "2027-01-04",
                    rng.randint(1, 15),
                    rng.choice(["Austin, TX", "Berlin", "Lagos", "Toronto", "São Paulo"]),
                ]
            )


class CpuMeter:
    """CPU seconds (user + system) spent by this process and all its descendants (the
    driver, the pool's or the cluster's workers, a local scheduler) while it runs.

    On a machine shared with other work, wall-clock rates follow the others' load; what
    a guide costs in CPU does not. Rendering with 2 workers on an idle 2-core machine is
    CPU-bound, so the ratio of CPU per guide predicts the ratio of guides per second."""

    INTERVAL_S = 0.2

    def __init__(self):
        import psutil  # distributed's own dependency: here with the dask extra

        self.root = psutil.Process()
        self.baseline = self._read()
        self.latest = dict(self.baseline)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _read(self) -> dict[tuple[int, float], float]:
        import psutil

        times = {}
        for process in [self.root, *self.root.children(recursive=True)]:
            try:
                cpu = process.cpu_times()
                times[(process.pid, process.create_time())] = cpu.user + cpu.system
            except psutil.Error:
                continue  # gone: its last reading stands
        return times

    def _sample(self) -> None:
        while not self._stop.wait(self.INTERVAL_S):
            self.latest.update(self._read())

    def __enter__(self) -> CpuMeter:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self.latest.update(self._read())

    @property
    def seconds(self) -> float:
        return sum(cpu - self.baseline.get(key, 0.0) for key, cpu in self.latest.items())


@dataclass
class Measured:
    seconds: float
    done: int
    cpu_seconds: float
    """CPU of the driver and every worker (and a local scheduler) during the render."""
    workers: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.done / self.seconds

    @property
    def cpu_per_guide(self) -> float:
        return self.cpu_seconds / self.done


def run(cohort: Path, out: Path, executor: RenderExecutor, formats=FORMATS) -> Measured:
    options = BatchOptions(out_dir=out, formats=formats, force=True)
    batch = Batch(cohort, options)
    batch.plan()
    start = time.perf_counter()
    workers: dict[int, dict] = {}
    done = 0
    with CpuMeter() as cpu:
        for result in batch.render(executor):
            assert result.status == "rendered", result.error
            done += 1
            stats = result.worker
            memory = workers.setdefault(stats["pid"], {})
            if done >= 50 and "at_50" not in memory:
                memory["at_50"] = (stats["rendered"], stats["rss_mb"])
            memory["last"] = (stats["rendered"], stats["rss_mb"])
    return Measured(time.perf_counter() - start, done, cpu.seconds, workers)


def print_memory(workers: dict, done: int) -> None:
    for pid, memory in sorted(workers.items()):
        (n50, rss50), (n_last, rss_last) = memory.get("at_50", memory["last"]), memory["last"]
        growth = (rss_last - rss50) / rss50 * 100
        print(
            f"    worker {pid}: RSS {rss50:.0f} MB at its guide {n50} (batch guide 50), "
            f"{rss_last:.0f} MB at its guide {n_last} (batch guide {done}): {growth:+.1f}%"
        )


def compare_pool(cohort: Path, tmp: Path, jobs: list[int]) -> None:
    rates = {}
    for count in jobs:
        with PoolExecutor(count) as pool:
            measured = run(cohort, tmp / f"out-j{count}", pool)
        rates[count] = measured.rate
        print(
            f"-j{count}: {measured.done} guides (PDF+DOCX) in {measured.seconds:.1f} s = "
            f"{measured.rate:.2f} guides/s ({measured.cpu_per_guide:.2f} CPU s a guide)"
        )
        print_memory(measured.workers, measured.done)
    if len(rates) > 1:
        low, high = min(rates), max(rates)
        print(f"speed-up -j{high} over -j{low}: {rates[high] / rates[low]:.2f}x")


def compare_dask(cohort: Path, tmp: Path, worker_counts: list[int], repeat: int) -> None:
    """The pool and each Dask cluster size, in turns `repeat` times (on a shared machine the
    load drifts: compare runs made side by side, and quote the medians)."""
    jobs = max(worker_counts)
    pool: list[Measured] = []
    dask: dict[int, list[Measured]] = {count: [] for count in worker_counts}
    ceiling = 0.0
    for turn in range(1, repeat + 1):
        with PoolExecutor(jobs) as executor:
            pool.append(run(cohort, tmp / "out-pool", executor))
        print(f"[{turn}] pool -j{jobs}: {describe(pool[-1])}")
        for count in worker_counts:
            measured, start_up, turned = dask_run(cohort, tmp, count, last=turn == repeat)
            ceiling = turned or ceiling
            dask[count].append(measured)
            print(
                f"[{turn}] dask {_workers(count)}: {describe(measured)}, "
                f"{measured.rate / pool[-1].rate:.2f}x the pool by the clock "
                f"(cluster start-up {start_up:.1f} s, not counted)"
            )
    median = statistics.median
    print(
        f"median of {repeat}: pool -j{jobs} {median(m.rate for m in pool):.2f} guides/s, "
        f"{median(m.cpu_per_guide for m in pool):.2f} CPU s a guide"
    )
    for count in worker_counts:
        runs = dask[count]
        rate = median(m.rate for m in runs)
        by_clock = median(m.rate / p.rate for m, p in zip(runs, pool, strict=True))
        by_cpu = median(p.cpu_per_guide / m.cpu_per_guide for m, p in zip(runs, pool, strict=True))
        print(
            f"median of {repeat}: dask {_workers(count)} {rate:.2f} guides/s "
            f"({rate / count:.2f} per worker), {median(m.cpu_per_guide for m in runs):.2f} CPU s "
            f"a guide; Dask / pool: {by_clock:.2f}x by the clock, {by_cpu:.2f}x by CPU a guide"
        )
    driver_rates(cohort, tmp, ceiling)


def describe(measured: Measured) -> str:
    return (
        f"{measured.done} guides (PDF+DOCX) in {measured.seconds:.1f} s = "
        f"{measured.rate:.2f} guides/s, {measured.cpu_per_guide:.2f} CPU s a guide"
    )


def _workers(count: int) -> str:
    return f"{count} worker{'s' if count > 1 else ''}"


def dask_run(cohort: Path, tmp: Path, workers: int, *, last: bool) -> tuple[Measured, float, float]:
    """A render on a fresh LocalCluster of `workers`, its start-up time, and (on the last run)
    the turnaround rate with rendering nearly free."""
    from guidegen.deliver.dask_cluster import DaskExecutor

    started = time.perf_counter()
    # The cluster `guidegen batch --scheduler local:N` starts, started before the clock.
    with DaskExecutor.connect(f"local:{workers}", jobs=workers) as executor:
        start_up = time.perf_counter() - started
        measured = run(cohort, tmp / f"out-dask-{workers}", executor)
        turned = turnaround(tmp, executor) if last else 0.0
    return measured, start_up, turned


def turnaround(tmp: Path, executor: RenderExecutor, people: int = 1000) -> float:
    """Guides a second through the whole driver + scheduler path when rendering is nearly
    free (calendars only, a larger cohort): the most a cluster of any size could deliver."""
    cohort = tmp / "cohort-ics.csv"
    synthetic_cohort(cohort, people)
    return run(cohort, tmp / "out-ics", executor, formats=("ics",)).rate


def driver_rates(cohort: Path, tmp: Path, ceiling: float) -> None:
    """What the driver does for every guide, wherever it is rendered: plan, build, write."""
    options = BatchOptions(out_dir=tmp / "out-driver", formats=FORMATS, force=True)
    with Batch(cohort, options) as batch:  # the batch holds (and made) its output folder
        _driver_rates(batch, ceiling)


def _driver_rates(batch: Batch, ceiling: float) -> None:
    start = time.perf_counter()
    batch.plan()
    plan_rate = len(batch.jobs) / (time.perf_counter() - start)
    start = time.perf_counter()
    guides = [job.build() for job in batch.jobs]
    build_rate = len(guides) / (time.perf_counter() - start)

    kit = RenderKit(formats=FORMATS, brand=batch.brand)
    writer = kit.writer()
    writer.prepare()
    samples = [writer.render(guide, created=batch.created).files for guide in guides[:5]]
    size = statistics.mean(sum(len(data) for data in files.values()) for files in samples)
    folder = batch.out_dir
    start = time.perf_counter()
    count = min(len(batch.jobs), 100)
    for number, job in zip(range(count), batch.jobs, strict=False):
        write_files(folder, job.stem, samples[number % len(samples)])
        batch._record(job)  # the state log line each guide costs too
    write_rate = count / (time.perf_counter() - start)

    per_guide = 1 / plan_rate + 1 / build_rate + 1 / write_rate
    print(
        f"driver: plans {plan_rate:.0f} rows/s (validate, template, fingerprint), "
        f"builds {build_rate:.0f} guides/s, writes {write_rate:.0f} guides/s "
        f"(PDF+DOCX, {size / 1024:.0f} KB a guide, fsync'd, state logged)"
    )
    print(
        f"driver alone: {1 / per_guide:.0f} guides/s at most; with the scheduler round trip "
        f"(calendars only, rendering nearly free): {ceiling:.0f} guides/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--executor", choices=["pool", "dask"], default="pool")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="pool job counts")
    parser.add_argument("--workers", type=int, nargs="+", default=[2], help="Dask worker counts")
    parser.add_argument("--repeat", type=int, default=1, help="pool/Dask turns (medians)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        cohort = tmp / "cohort.csv"
        synthetic_cohort(cohort, args.people)
        if args.executor == "pool":
            compare_pool(cohort, tmp, args.jobs)
        else:
            compare_dask(cohort, tmp, args.workers, args.repeat)


if __name__ == "__main__":
    main()
