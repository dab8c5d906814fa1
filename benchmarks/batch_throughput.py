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
--repeat, in turns, and the medians. Target on a 2-core machine: >= 0.85x the
pool with 2 workers. It then measures the
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
import time
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


def run(
    cohort: Path, out: Path, executor: RenderExecutor, formats=FORMATS
) -> tuple[float, int, dict]:
    options = BatchOptions(out_dir=out, formats=formats, force=True)
    batch = Batch(cohort, options)
    batch.plan()
    start = time.perf_counter()
    workers: dict[int, dict] = {}
    done = 0
    for result in batch.render(executor):
        assert result.status == "rendered", result.error
        done += 1
        stats = result.worker
        memory = workers.setdefault(stats["pid"], {})
        if done >= 50 and "at_50" not in memory:
            memory["at_50"] = (stats["rendered"], stats["rss_mb"])
        memory["last"] = (stats["rendered"], stats["rss_mb"])
    return time.perf_counter() - start, done, workers


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
            seconds, done, workers = run(cohort, tmp / f"out-j{count}", pool)
        rates[count] = done / seconds
        rate = f"{rates[count]:.2f} guides/s"
        print(f"-j{count}: {done} guides (PDF+DOCX) in {seconds:.1f} s = {rate}")
        print_memory(workers, done)
    if len(rates) > 1:
        low, high = min(rates), max(rates)
        print(f"speed-up -j{high} over -j{low}: {rates[high] / rates[low]:.2f}x")


def compare_dask(cohort: Path, tmp: Path, worker_counts: list[int], repeat: int) -> None:
    """The pool and each Dask cluster size, in turns `repeat` times (on a shared machine the
    load drifts: compare runs made side by side, and quote the medians)."""
    jobs = max(worker_counts)
    pool_rates: list[float] = []
    dask_rates: dict[int, list[float]] = {count: [] for count in worker_counts}
    ratios: dict[int, list[float]] = {count: [] for count in worker_counts}
    ceiling = 0.0
    for turn in range(1, repeat + 1):
        with PoolExecutor(jobs) as pool:
            seconds, done, _ = run(cohort, tmp / "out-pool", pool)
        pool_rates.append(done / seconds)
        print(
            f"[{turn}] pool -j{jobs}: {done} guides (PDF+DOCX) in {seconds:.1f} s = "
            f"{pool_rates[-1]:.2f} guides/s"
        )
        for count in worker_counts:
            rate, start_up, turned = dask_run(cohort, tmp, count, last=turn == repeat)
            ceiling = turned or ceiling
            dask_rates[count].append(rate)
            ratios[count].append(rate / pool_rates[-1])
            print(
                f"[{turn}] dask {count} worker{'s' if count > 1 else ''}: {rate:.2f} guides/s, "
                f"{rate / count:.2f} per worker, {ratios[count][-1]:.2f}x the pool -j{jobs} "
                f"(cluster start-up {start_up:.1f} s, not counted)"
            )
    median = statistics.median
    print(f"median of {repeat}: pool -j{jobs} {median(pool_rates):.2f} guides/s")
    for count in worker_counts:
        print(
            f"median of {repeat}: dask {count} worker{'s' if count > 1 else ''} "
            f"{median(dask_rates[count]):.2f} guides/s "
            f"({median(dask_rates[count]) / count:.2f} per worker), "
            f"{median(ratios[count]):.2f}x the pool (median of the paired ratios)"
        )
    driver_rates(cohort, tmp, ceiling)


def dask_run(cohort: Path, tmp: Path, workers: int, *, last: bool) -> tuple[float, float, float]:
    """guides/s on a fresh LocalCluster of `workers`, its start-up time, and (on the last run)
    the turnaround rate with rendering nearly free."""
    from distributed import Client, LocalCluster

    from guidegen.deliver.dask_cluster import DaskExecutor

    started = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        DaskExecutor(Client(cluster)) as executor,
    ):
        start_up = time.perf_counter() - started
        seconds, done, _ = run(cohort, tmp / f"out-dask-{workers}", executor)
        turned = turnaround(tmp, executor) if last else 0.0
    return done / seconds, start_up, turned


def turnaround(tmp: Path, executor: RenderExecutor, people: int = 1000) -> float:
    """Guides a second through the whole driver + scheduler path when rendering is nearly
    free (calendars only, a larger cohort): the most a cluster of any size could deliver."""
    cohort = tmp / "cohort-ics.csv"
    synthetic_cohort(cohort, people)
    seconds, done, _ = run(cohort, tmp / "out-ics", executor, formats=("ics",))
    return done / seconds


def driver_rates(cohort: Path, tmp: Path, ceiling: float) -> None:
    """What the driver does for every guide, wherever it is rendered: plan, build, write."""
    batch = Batch(cohort, BatchOptions(out_dir=tmp / "out-driver", formats=FORMATS, force=True))
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
    folder.mkdir()
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
