"""How long a guide takes: the cold `guidegen render` process, and the warm stages.

    python benchmarks/render_time.py [--runs N] [--pdf-variant none]

Cold: the whole `guidegen render profiles/alex-rivera.yaml` process, median of
N runs (imports, fonts, everything a user waits for). Warm: one process renders
the same guide N times after a first render, and reports the median per stage:
plan (load profile and template, personalize), chart (matplotlib PNG), html
(Jinja), layout (WeasyPrint pages), pdf (writing the PDF bytes, tagged PDF/UA-1
by default; `tagging` is the part of it spent finishing the tags, see
guidegen/render/tagging.py), and docx (the Word file: python-docx build and
save), the extra cost of `-f docx`. `--pdf-variant none` measures the untagged
PDF, for the cost of tagging in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "profiles" / "alex-rivera.yaml"


def cold(runs: int, variant: str) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "guidegen", "render", str(PROFILE), "-o", out]
        command += ["--pdf-variant", variant]
        subprocess.run(command, check=True, capture_output=True)  # warm the disk cache
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return times


def warm(runs: int, variant: str) -> dict[str, list[float]]:
    from guidegen.deliver.pipeline import plan_guide
    from guidegen.load.clock import build_time
    from guidegen.render.chart import _cache as chart_cache
    from guidegen.render.chart import draw_timeline
    from guidegen.render.docx import DocxRenderer
    from guidegen.render.pdf import PdfRenderer

    renderer = PdfRenderer(pdf_variant=variant)
    word = DocxRenderer()
    created = build_time()
    names = ("plan", "chart", "html", "layout", "pdf", "docx")
    stages: dict[str, list[float]] = {name: [] for name in names}
    finishing: list[float] = []
    finisher = renderer.finisher

    def timed_finisher(document, pdf) -> None:
        start = time.perf_counter()
        finisher(document, pdf)
        finishing.append(time.perf_counter() - start)

    renderer.finisher = timed_finisher
    for run in range(runs + 1):
        clock = time.perf_counter()
        marks = {}
        guide = plan_guide(PROFILE, created=created)
        marks["plan"] = time.perf_counter()
        chart_cache.clear()  # measure the drawing, not the per-process chart cache
        chart = draw_timeline(guide.roadmap)
        marks["chart"] = time.perf_counter()
        html = renderer.html(guide, created=created, chart_png=chart)
        marks["html"] = time.perf_counter()
        document, _ = renderer.layout(html, chart_png=chart)
        marks["layout"] = time.perf_counter()
        renderer.pdf(document)
        marks["pdf"] = time.perf_counter()
        word.render(guide, chart_png=chart, created=created)
        marks["docx"] = time.perf_counter()
        if run == 0:
            finishing.clear()
            continue  # the first render pays for font loading and caches
        for stage, mark in marks.items():
            stages[stage].append(mark - clock)
            clock = mark
    stages["tagging"] = finishing  # inside pdf, not added to the total
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf-variant", default="pdf/ua-1", help="pdf/ua-1 (default) or none")
    args = parser.parse_args()

    print(f"PDF variant: {args.pdf_variant}")
    times = cold(args.runs, args.pdf_variant)
    print(
        f"cold `guidegen render` process: median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}, {args.runs} runs)"
    )
    stages = warm(args.runs, args.pdf_variant)
    tagging = stages.pop("tagging")
    total = 0.0
    print(f"warm per guide, median of {args.runs} renders:")
    for stage, values in stages.items():
        median = statistics.median(values)
        total += median
        print(f"  {stage:<7} {median * 1000:7.1f} ms")
        if stage == "pdf" and tagging:
            print(f"    of which tagging finisher {statistics.median(tagging) * 1000:5.1f} ms")
    print(f"  {'total':<7} {total * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
