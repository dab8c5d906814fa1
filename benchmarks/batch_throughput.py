"""Batch throughput: a 200-person synthetic cohort, PDF + DOCX, with -j1 and -j2.

    python benchmarks/batch_throughput.py [--people 200] [--jobs 1 2]

Prints guides per second for each job count (the whole render phase, worker
start-up included), the speed-up, and each worker's resident memory (RSS) at
the guide it finished when the batch reached guide 50 and at its last guide.
Targets on a 2-core machine: >= 6 guides/s with -j2, speed-up >= 1.8, RSS
growth under 10% from guide 50 to the end, and under 200 MB.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

from guidegen.deliver.batch import Batch, BatchOptions
from guidegen.load.catalog import TemplateCatalog

FIRST = "Ana Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jamal Kofi Lena Mateo Nadia Omar Priya"
LAST = "Silva Okafor Müller Tanaka García Novak Haddad Kim Rossi Dubois Andersen Costa Ivanova"


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


def run(cohort: Path, out: Path, jobs: int) -> tuple[float, int, dict]:
    options = BatchOptions(out_dir=out, formats=("pdf", "docx"), jobs=jobs, force=True)
    batch = Batch(cohort, options)
    batch.plan()
    start = time.perf_counter()
    workers: dict[int, dict] = {}
    done = 0
    for result in batch.render():
        done += 1
        stats = result.worker
        memory = workers.setdefault(stats["pid"], {})
        if done >= 50 and "at_50" not in memory:
            memory["at_50"] = (stats["rendered"], stats["rss_mb"])
        memory["last"] = (stats["rendered"], stats["rss_mb"])
    return time.perf_counter() - start, done, workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cohort = Path(tmp) / "cohort.csv"
        synthetic_cohort(cohort, args.people)
        rates = {}
        for jobs in args.jobs:
            seconds, done, workers = run(cohort, Path(tmp) / f"out-j{jobs}", jobs)
            rates[jobs] = done / seconds
            rate = f"{rates[jobs]:.2f} guides/s"
            print(f"-j{jobs}: {done} guides (PDF+DOCX) in {seconds:.1f} s = {rate}")
            for pid, memory in sorted(workers.items()):
                (n50, rss50), (n_last, rss_last) = (
                    memory.get("at_50", memory["last"]),
                    memory["last"],
                )
                growth = (rss_last - rss50) / rss50 * 100
                print(
                    f"    worker {pid}: RSS {rss50:.0f} MB at its guide {n50} (batch guide 50), "
                    f"{rss_last:.0f} MB at its guide {n_last} (batch guide {done}): {growth:+.1f}%"
                )
        if len(rates) > 1:
            low, high = min(rates), max(rates)
            print(f"speed-up -j{high} over -j{low}: {rates[high] / rates[low]:.2f}x")


if __name__ == "__main__":
    main()
