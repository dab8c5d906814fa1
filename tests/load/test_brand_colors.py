"""A brand colour too light for text: darkened for text, and said once, where it is written."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from guidegen.deliver.pipeline import GuideWriter, plan_guide
from guidegen.errors import UserError
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


def test_validate_reports_it_and_still_passes(tmp_path):
    (tmp_path / "brand.yaml").write_text(BRAND, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "guidegen", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "ok:" in run.stdout
    (warning,) = run.stderr.splitlines()
    assert warning.startswith("warning: ")
    assert "brand.yaml:4:11: colors.accent: #F5C400 has a contrast of only 1.6:1" in warning
    assert "set colors.accent_text" in warning  # how to choose the shade, and be quiet


def test_a_brand_may_choose_its_own_readable_shade(tmp_path):
    chosen = BRAND + '  accent_text: "#7A5800"\n'
    (tmp_path / "brand.yaml").write_text(chosen, encoding="utf-8")
    brand = load_brand(tmp_path)
    assert brand.warnings == []
    palette = brand.text_palette
    assert (palette.accent, palette.accent_text) == ("#F5C400", "#7A5800")


def test_a_chosen_shade_that_is_not_readable_is_refused_at_its_line(tmp_path):
    (tmp_path / "brand.yaml").write_text(BRAND + '  accent_text: "#F0C000"\n', encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_brand(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (5, "colors.accent_text")
    assert "expected at least 4.5:1" in problem.message


def test_the_sample_brands_and_the_default_say_nothing():
    for folder in ("northstar-coaching", "hackforge-bootcamp"):
        assert load_brand(ROOT / "brands" / folder).warnings == []
    northstar = load_brand(ROOT / "brands" / "northstar-coaching")
    assert northstar.text_palette.accent_text == "#8D6828"  # the brand's own choice
    assert load_brand(None).warnings == []  # guidegen's own orange is darkened silently
