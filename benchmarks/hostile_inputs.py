"""What each hostile input of issue 16 costs: outcome, peak memory and time.

    python benchmarks/hostile_inputs.py [--memory-mb N] [--seconds S] [--only NAME ...]

Each case is generated into a temporary folder (tests/hostile/bombs.py) and run
as a `guidegen` process under an address-space limit and a timeout
(tests/hostile/bounded.py), so a case that would take gigabytes or minutes is
stopped and reported as such instead of taking the machine. The figures of
the code before a change: run this script with PYTHONPATH pointing at that
code's src/ (e.g. `git archive <commit> src | tar -x -C /tmp/before`), and
a generous --memory-mb.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile import bombs  # noqa: E402
from tests.hostile.bounded import run_bounded  # noqa: E402

PROFILE = str(ROOT / "profiles" / "alex-rivera.yaml")
Case = Callable[[Path], list[str]]


def render(folder: Path, *options: str) -> list[str]:
    return ["render", PROFILE, "-o", str(folder / "out"), *options]


def baseline(folder: Path) -> list[str]:
    return render(
        folder, "-f", "pdf", "-f", "docx", "--brand", str(ROOT / "brands/hackforge-bootcamp")
    )


def logo(width: int, height: int, color_type: int, bit_depth: int) -> Case:
    def case(folder: Path) -> list[str]:
        brand = folder / "brand"
        brand.mkdir()
        bombs.huge_png(
            brand / "logo.png", width, height, color_type=color_type, bit_depth=bit_depth
        )
        bombs.brand_with_logo(brand, "logo.png")
        return render(folder, "-f", "pdf", "-f", "docx", "--brand", str(brand))

    return case


def svg_doctype(folder: Path) -> list[str]:
    brand = bombs.brand_with_logo(folder / "brand", "logo.svg", bombs.SVG_WITH_DOCTYPE.encode())
    return render(folder, "-f", "pdf", "-f", "docx", "--brand", str(brand))


def reference(maker: Callable[[Path], Path]) -> Case:
    def case(folder: Path) -> list[str]:
        brand = bombs.brand_with_reference(folder / "brand", "reference.docx")
        maker(brand / "reference.docx")
        return render(folder, "-f", "docx", "--brand", str(brand))

    return case


def external_content(path: Path) -> Path:
    return bombs.reference_with_external_content(path, "http://127.0.0.1:9", path.parent / "x")


def template(maker: Callable[[Path], Path]) -> Case:
    def case(folder: Path) -> list[str]:
        return render(folder, "-f", "pdf", "-t", str(maker(folder / "templates")))

    return case


def nul_in_name(folder: Path) -> list[str]:
    profile = bombs.profile_with_name(folder, "Alex\x00Rivera")
    return ["render", str(profile), "-o", str(folder / "out"), "-f", "docx"]


def batch(cohort: Path) -> list[str]:
    return ["batch", str(cohort), "-o", str(cohort.parent / "out"), "-f", "ics"]


def one_huge_cell(folder: Path) -> list[str]:
    bad = ("Cy Dorn", "cy@example.com", "Teacher", "Instructional Designer", "9" * 1_100_000)
    return batch(bombs.cohort_csv(folder / "cohort.csv", bombs.cohort_rows(bad)))


def far_dates(folder: Path) -> list[str]:
    rows = [
        (*bombs.COHORT_HEADER, "Start date"),
        *((*person, "2027-01-04") for person in bombs.COHORT_PEOPLE),
        ("Di Eve", "di@example.com", "Teacher", "Instructional Designer", 10, "12/1/9999"),
        ("Ed Fox", "ed@example.com", "Teacher", "Instructional Designer", 0.000001, "2027-01-04"),
    ]
    return batch(bombs.cohort_csv(folder / "dates.csv", rows))


def mail_manifest(folder: Path, name: str, pdf_size: int = 0) -> list[str]:
    """A dry run of `email` over a manifest of two people, the first named `name`."""
    pdf = b"%PDF-1.7\n%%EOF\n"
    lines = ["row,name,email,status,pdf"]
    for number, (person, address) in enumerate(
        ((name, "ana@example.com"), ("Ben Okafor", "ben@example.com")), start=2
    ):
        (folder / f"p{number}.pdf").write_bytes(pdf)
        lines.append(f'{number},"{person}",{address},rendered,p{number}.pdf')
    if pdf_size:
        with (folder / "p2.pdf").open("r+b") as handle:
            handle.truncate(pdf_size)  # sparse
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "body.md").write_text("Hi {{ first_name }}", encoding="utf-8")
    return ["email", str(folder / "manifest.csv"), "--body", str(folder / "body.md"),
            "--subject", "Your guide", "--from", "Coach <coach@example.com>"]  # fmt: skip


CASES: dict[str, Case] = {
    "baseline: a branded guide, PDF and Word": baseline,
    "logo 30000x30000 PNG, 1 bit (109 KB)": logo(30000, 30000, 0, 1),
    "logo 13000x13000 PNG, RGB": logo(13000, 13000, 2, 8),
    "logo SVG with a DOCTYPE": svg_doctype,
    "reference doc, 400 MB zero-filled part": reference(bombs.reference_with_zero_part),
    "reference doc, entity in an attribute": reference(bombs.reference_with_entity),
    "reference doc, external content": reference(external_content),
    "template text, nested for loops": template(
        lambda d: bombs.template_with_overview(d, bombs.NESTED_LOOPS, "loops")
    ),
    "template text, 'x' * 2000000000": template(
        lambda d: bombs.template_with_overview(d, bombs.STRING_TIMES_BILLIONS, "times")
    ),
    "template with 10,000 phases": template(
        lambda d: bombs.template_with_phases(d, 10_000, "phases")
    ),
    "template with a 10**9-week phase": template(
        lambda d: bombs.template_with_task_hours(d, 10**9, "hours")
    ),
    "profile name with a NUL, Word": nul_in_name,
    "cohort XLSX, 20 million blank rows": lambda d: batch(
        bombs.xlsx_with_blank_rows(d / "blank.xlsx", 20_000_000)
    ),
    "cohort XLSX, 300 MB of shared strings": lambda d: batch(
        bombs.xlsx_with_shared_strings(d / "text.xlsx")
    ),
    "cohort CSV, one 1 MB cell": one_huge_cell,
    "cohort CSV, 12/1/9999 and 0.000001 h/week": far_dates,
    "email manifest, CR/LF in a name": lambda d: mail_manifest(d, "Eve\r\nBcc: x@evil.example"),
    "email manifest, a 1 GB PDF": lambda d: mail_manifest(d, "Ana Souza", 1024**3),
}


def external_parts(folder: Path) -> str:
    """For the external-content case: what of it reached the Word file."""
    docx = next((folder / "out").glob("*.docx"), None) if (folder / "out").is_dir() else None
    if docx is None:
        return ""
    with zipfile.ZipFile(docx) as archive:
        text = b"".join(archive.read(name) for name in archive.namelist())
    found = [
        word
        for word in (
            "127.0.0.1:9",  # the attached template, INCLUDEPICTURE and frame's server
            "attachedTemplate",
            "INCLUDEPICTURE",
            "INCLUDETEXT",
            "file://",
            "vbaProject",
            "customXml",
        )
        if word.encode() in text
    ]
    return f"; in the .docx: {', '.join(found) or 'none of it'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-mb", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--only", nargs="*", help="Run the cases whose name contains one of these.")
    options = parser.parse_args()
    print(f"limits: {options.memory_mb} MB address space, {options.seconds:.0f} s")
    print(f"{'case':42} | {'peak MB':>7} | {'s':>5} | outcome")
    for name, case in CASES.items():
        if options.only and not any(part in name for part in options.only):
            continue
        with tempfile.TemporaryDirectory() as folder:
            args = case(Path(folder))
            run = run_bounded(args, memory_mb=options.memory_mb, seconds=options.seconds)
            extra = external_parts(Path(folder)) if "external" in name else ""
            print(
                f"{name:42} | {run.peak_mb:7.0f} | {run.seconds:5.1f} | {run.outcome()}{extra}",
                flush=True,
            )


if __name__ == "__main__":
    main()
