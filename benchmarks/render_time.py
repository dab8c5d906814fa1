"""How long a guide takes: the cold `guidegen render` process, and the warm stages.

    python benchmarks/render_time.py [--runs N] [--brand DIR] [--pdf-variant none]
    python benchmarks/render_time.py [--runs N] --languages-only

Cold: the whole `guidegen render profiles/alex-rivera.yaml` process, median of
N runs (imports, fonts, everything a user waits for). Warm: one process renders
the same guide N times after a first render, and reports the median per stage:
plan (load profile and template, personalize), chart (matplotlib PNG), html
 (Jinja), layout (WeasyPrint pages), pdf (writing the PDF bytes, tagged PDF/UA-1
by default; `tagging` is the part of it spent finishing the tags, see
guidegen/render/tagging.py), and docx (the Word file: python-docx build and
save), the extra cost of `-f docx`. `--pdf-variant none` measures the untagged
PDF, for the cost of tagging in the same run. With --brand, both in that brand
(a reference document makes the Word file's build differ).

Languages: the same guide in English, Spanish and French, measured in one run,
interleaved, so the machine's load falls on all three alike: a warm guide (plan,
chart, PDF and Word) and a cold `guidegen render --lang`, in wall-clock and CPU
time, with the ratio of each language to English. The template gets a translation
of its full size in each language (written by `guidegen templates translate`), so a
translated guide pays for reading and merging it, as a real one does.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "profiles" / "alex-rivera.yaml"


def cold(runs: int, brand: Path | None = None, variant: str = "pdf/ua-1") -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "guidegen", "render", str(PROFILE), "-o", out]
        command += ["--pdf-variant", variant]
        if brand is not None:
            command += ["--brand", str(brand)]
        subprocess.run(command, check=True, capture_output=True)  # warm the disk cache
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return times


def warm(
    runs: int, brand_path: Path | None = None, variant: str = "pdf/ua-1"
) -> dict[str, list[float]]:
    from guidegen.deliver.pipeline import plan_guide
    from guidegen.load.branding import load_brand
    from guidegen.load.clock import build_time
    from guidegen.models.brand import DEFAULT_BRAND
    from guidegen.render.chart import _cache as chart_cache
    from guidegen.render.chart import draw_timeline
    from guidegen.render.docx import DocxRenderer
    from guidegen.render.pdf import PdfRenderer

    brand = load_brand(brand_path) if brand_path else DEFAULT_BRAND
    renderer = PdfRenderer(brand=brand, pdf_variant=variant)
    word = DocxRenderer(brand)
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
        guide = plan_guide(PROFILE, created=created, brand=brand)
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


LANGUAGES = ("en", "es", "fr")


@contextmanager
def translated_templates():
    """A templates folder: the flagship template, and a translation of it into each language."""
    from guidegen.deliver.scaffold_translation import translation_skeleton
    from guidegen.load.catalog import TemplateCatalog
    from guidegen.load.sources import load_yaml_file

    entry = TemplateCatalog.default().resolve(_profile())
    with tempfile.TemporaryDirectory() as folder:
        templates = Path(folder)
        (templates / entry.path.name).write_bytes(entry.path.read_bytes())
        data = load_yaml_file(entry.path).data
        for language in LANGUAGES[1:]:
            (templates / language).mkdir()
            text = translation_skeleton(data, language, entry.path.name, "schema.json")
            (templates / language / entry.path.name).write_text(text, encoding="utf-8")
        yield templates


def _profile():
    from guidegen.load.profiles import load_profile

    return load_profile(PROFILE)


def languages(runs: int) -> dict[str, dict[str, list[float]]]:
    """Seconds per guide by language, interleaved run by run: warm and cold, each as
    wall-clock time and as CPU time (what the guide itself costs, steadier when other
    work shares the machine)."""
    from guidegen.deliver.pipeline import plan_guide
    from guidegen.load.clock import build_time
    from guidegen.render.chart import _cache as chart_cache
    from guidegen.render.chart import draw_timeline
    from guidegen.render.docx import DocxRenderer
    from guidegen.render.pdf import PdfRenderer

    renderer, word, created = PdfRenderer(), DocxRenderer(), build_time()
    kinds = ("warm wall", "warm cpu", "cold wall", "cold cpu")
    times = {kind: {language: [] for language in LANGUAGES} for kind in kinds}
    with translated_templates() as templates, tempfile.TemporaryDirectory() as out:
        for run in range(runs + 1):
            order = LANGUAGES[run % 3 :] + LANGUAGES[: run % 3]  # no language always first
            for language in order:
                wall, cpu = time.perf_counter(), time.process_time()
                guide = plan_guide(
                    PROFILE, templates_dir=templates, created=created, language=language
                )
                chart_cache.clear()
                chart = draw_timeline(guide.roadmap, language=language)
                html = renderer.html(guide, created=created, chart_png=chart)
                document, _ = renderer.layout(html, chart_png=chart, language=language)
                renderer.pdf(document)
                word.render(guide, chart_png=chart, created=created)
                if run:  # the first round pays for fonts and caches
                    times["warm wall"][language].append(time.perf_counter() - wall)
                    times["warm cpu"][language].append(time.process_time() - cpu)
            for language in order:
                command = [
                    *(sys.executable, "-m", "guidegen", "render", str(PROFILE)),
                    *("--lang", language, "--templates-dir", str(templates), "-o", out),
                ]
                wall, cpu = time.perf_counter(), _children_cpu()
                subprocess.run(command, check=True, capture_output=True)
                if run:
                    times["cold wall"][language].append(time.perf_counter() - wall)
                    times["cold cpu"][language].append(_children_cpu() - cpu)
    return times


def _children_cpu() -> float:
    """CPU seconds of every finished child process (the chart's forked one included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def print_languages(runs: int) -> None:
    print(f"languages, median of {runs} interleaved runs (ratio to English):")
    for kind, by_language in languages(runs).items():
        english = statistics.median(by_language["en"])
        cells = [
            f"{language} {statistics.median(values) * 1000:7.1f} ms "
            f"({statistics.median(values) / english:.3f})"
            for language, values in by_language.items()
        ]
        print(f"  {kind:<10} " + "   ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--brand", type=Path, help="a brand folder to render in")
    parser.add_argument("--languages-only", action="store_true", help="Only compare the languages.")
    parser.add_argument("--pdf-variant", default="pdf/ua-1", help="pdf/ua-1 (default) or none")
    args = parser.parse_args()

    if args.languages_only:
        print_languages(args.runs)
        return
    print(f"PDF variant: {args.pdf_variant}")
    times = cold(args.runs, args.brand, args.pdf_variant)
    print(
        f"cold `guidegen render` process: median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}, {args.runs} runs)"
    )
    stages = warm(args.runs, args.brand, args.pdf_variant)
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
    print_languages(args.runs)


if __name__ == "__main__":
    main()
