"""How long planning takes: profile + template -> Guide, with no rendering.

    python benchmarks/plan_time.py [--runs N]

The issue-13 target: building a Guide stays under 20 ms median. For the four people
of the issue's "Done when" (a teacher at 5 h/week, a nurse at 3 h/week, a system
administrator who lists Git, the sample profile) and for the teacher in Spanish, it
prints the median and the 90th percentile of N builds of the whole Guide
(`build_guide`: the schedule, the action lists, every text and placeholder), and of
the schedule alone (`plan_for`). Templates and profiles are read once, before timing,
as a batch reads them once per cohort; the first build of each warms the caches.
CPU time is printed beside wall-clock time: on a shared machine, it is the steadier.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)

# who: (template, their sample profile in profiles/, language): the people of the
# issue's "Done when", also read by tests/render/test_schedule_formats.py.
PEOPLE = {
    "teacher, 5 h/week": ("teacher-to-instructional-designer", "maria-gonzalez", "en"),
    "nurse, 3 h/week": (
        "registered-nurse-to-health-informatics-specialist",
        "priya-natarajan",
        "en",
    ),
    "sysadmin with Git": ("system-administrator-to-devops-engineer", "sam-okafor", "en"),
    "alex-rivera": ("backend-developer-to-ai-solutions-architect", "alex-rivera", "en"),
    "teacher, 5 h/week, es": ("teacher-to-instructional-designer", "maria-gonzalez", "es"),
}


def timed(function, runs: int) -> tuple[list[float], list[float]]:
    function()  # warm: imports, Babel's locale data, the sandbox's compiled templates
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def ms(values: list[float]) -> str:
    median = statistics.median(values) * 1000
    p90 = statistics.quantiles(values, n=10)[-1] * 1000 if len(values) > 1 else median
    return f"{median:6.2f} ms median, {p90:6.2f} ms p90"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs

    from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir
    from guidegen.load.profiles import load_profile
    from guidegen.plan.personalize import build_guide, plan_for

    catalogs = {
        lang: TemplateCatalog([builtin_templates_dir()], language=lang) for lang in ("en", "es")
    }
    print(f"plan only (no rendering), {runs} runs each; wall-clock / CPU")
    medians = []
    for who, (template_id, sample, language) in PEOPLE.items():
        profile = load_profile(ROOT / "profiles" / f"{sample}.yaml")
        template = catalogs[language].get(template_id).template
        guide_wall, guide_cpu = timed(
            partial(build_guide, profile, template, today=TODAY, language=language), runs
        )
        plan_wall, _ = timed(partial(plan_for, profile, template, today=TODAY), runs)
        medians.append(statistics.median(guide_wall))
        print(f"  {who:24} Guide {ms(guide_wall)} (CPU {ms(guide_cpu)}); schedule {ms(plan_wall)}")
    worst = max(medians) * 1000
    verdict = "under" if worst < 20 else "OVER"
    print(f"slowest median Guide: {worst:.2f} ms ({verdict} the 20 ms target)")


if __name__ == "__main__":
    main()
