"""Reading a big cohort and composing many emails: figures, not a test.

Run: .venv/bin/python benchmarks/cohort_and_mail.py
Prints the median of a few runs for: reading a 5,000-row Sheets export (the
25-row test fixture repeated), validating its rows, and composing 1,000
messages (half English, half Spanish; no attachment, so only guidegen's work).
"""

from __future__ import annotations

import csv
import io
import statistics
import tempfile
import time
from pathlib import Path

from guidegen.deliver.compose import Composer, Person, load_templates
from guidegen.load.cohort import read_cohort

ROOT = Path(__file__).resolve().parents[1]


def median_seconds(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    fixture = ROOT / "tests" / "fixtures" / "sheets-export-25.csv"
    rows = list(csv.reader(fixture.open(encoding="utf-8", newline="")))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(rows[0])
    for copy in range(200):
        for row in rows[1:]:
            writer.writerow([row[0], f"{row[1]} {copy}", *row[2:]])
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "cohort.csv"
        big.write_text(buffer.getvalue(), encoding="utf-8")
        cohort = read_cohort(big, mappings={"Emial": "email"})
        seconds = median_seconds(lambda: read_cohort(big, mappings={"Emial": "email"}), 5)
        print(f"read 5,000 rows: {seconds * 1000:.0f} ms ({5000 / seconds:,.0f} rows/s)")
        valid = [entry for entry in cohort.entries if not entry.problems]
        seconds = median_seconds(lambda: [entry.validate() for entry in valid], 3)
        print(f"validate {len(valid):,} rows: {seconds * 1000:.0f} ms")
    composer = Composer(load_templates(ROOT / "emails" / "welcome.md"), sender="a@example.com")
    people = [
        Person(
            name=f"Ana {number}",
            email="ana@example.com",
            fields={
                "name": f"Ana {number}",
                "current_role": "Teacher",
                "target_role": "Instructional Designer",
                "start_date": "2027-02-01",
                "end_date": "2027-08-22",
            },
            language="es" if number % 2 else "en",
            attachments=[],
            key=str(number),
        )
        for number in range(1000)
    ]
    seconds = median_seconds(lambda: [composer.compose(person) for person in people], 3)
    print(f"compose 1,000 messages: {seconds * 1000:.0f} ms ({1000 / seconds:,.0f} messages/s)")


if __name__ == "__main__":
    main()
