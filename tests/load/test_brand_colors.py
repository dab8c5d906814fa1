"""A brand colour too light for text: darkened for text, and said once, where it is written."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from guidegen.deliver.pipeline import GuideWriter, plan_guide
from guidegen.load.branding import load_brand
from tests.conftest import ALEX_PATH, ROOT

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
BRAND = """\
name: Golden Path Coaching
colors:
  primary: "#1B3A5C"
  accent: "#F5C400"
"""


def test_the_loader_warns_once_per_failing_colour_at_its_line(tmp_path):
    (tmp_path / "brand.yaml").write_text(BRAND, encoding="utf-8")
    brand = load_brand(tmp_path)
    (warning,) = brand.warnings
    assert (warning.line, warning.field) == (4, "colors.accent")
    text = str(warning)
    assert text.startswith(f"{tmp_path / 'brand.yaml'}:4:11: colors.accent: #F5C400")
    assert "1.6:1 on white" in text and "WCAG 2.1 AA asks 4.5:1" in text
    assert brand.text_palette.accent_text in text
    assert brand.colors.accent == "#F5C400"  # the brand itself is not rewritten


def test_readable_colours_bring_no_warning(tmp_path):
    (tmp_path / "brand.yaml").write_text(BRAND.replace("#F5C400", "#8A5A00"), encoding="utf-8")
    assert load_brand(tmp_path).warnings == []


def test_a_batch_hears_it_once_not_per_guide(tmp_path):
    (tmp_path / "brand.yaml").write_text(BRAND, encoding="utf-8")
    brand = load_brand(tmp_path)
    writer = GuideWriter(("ics",), brand=brand)
    guide = plan_guide(ALEX_PATH, created=CREATED, brand=brand)
    first = writer.write(guide, tmp_path / "out", created=CREATED, stem="first")
    second = writer.write(guide, tmp_path / "out", created=CREATED, stem="second")
    assert first.warnings == [str(brand.warnings[0])]
    assert second.warnings == []


def test_validate_reports_it_and_still_passes():
    run = subprocess.run(
        [sys.executable, "-m", "guidegen", "validate", str(ROOT / "brands" / "hackforge-bootcamp")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "ok:" in run.stdout
    (warning,) = run.stderr.splitlines()
    assert warning.startswith("warning: ")
    expected = "brand.yaml:8:11: colors.accent: #00A6A6 has a contrast of only 2.9:1 on white"
    assert expected in warning
