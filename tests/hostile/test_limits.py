"""Limits as data: one module, the SECURITY.md table, and bombs refused within budget.

Each bomb is run as a real `guidegen` process limited to 500 MB of address space
and 30 seconds (`bounded.py`): before these limits existed each took between
1.4 GB and all the memory it could get, or minutes, or ended in a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guidegen.models import limits
from tests.hostile import bombs
from tests.hostile.bounded import MEMORY_MB, SECONDS, run_bounded

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "guidegen"
# Declared here, enforced by the cohort reader (issue 16 part B) and the scheduler
# (issue 13); the test below fails once they are used, as a reminder to drop them here.
NOT_YET_ENFORCED: set[str] = set()


def test_security_md_shows_the_limits_module():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    block = text.split("<!-- limits:start -->\n")[1].split("<!-- limits:end -->")[0]
    assert block == limits.markdown_table(), (
        "SECURITY.md's limits table is stale: run `python docs/make_limits_table.py`"
    )


def test_every_limit_is_named_once_and_enforced_somewhere():
    names = [limit.name for limit in limits.LIMITS]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", name) for name in names)
    code = "\n".join(
        path.read_text(encoding="utf-8") for path in SRC.rglob("*.py") if path.name != "limits.py"
    )
    for limit in limits.LIMITS:
        constant = next(key for key, value in vars(limits).items() if value is limit)
        used = f"limits.{constant}" in code or re.search(rf"\b{constant}\b", code)
        assert bool(used) != (limit.name in NOT_YET_ENFORCED), limit.name


def test_a_limit_message_says_what_was_found_and_names_the_limit():
    assert limits.LOGO_BYTES.exceeded("this logo is", 6 * limits.MB) == (
        "this logo is 6 MB; expected at most 5 MB (limit logo.bytes)"
    )
    assert limits.PROFILE_SKILLS.amount(1) == "1 item"


# --- bombs, each in a bounded process ---------------------------------------------------------


def render(folder: Path, *options: str) -> list[str]:
    return ["render", str(bombs.ALEX), "-o", str(folder / "out"), *options]


def logo_case(width: int, height: int, color_type: int, bit_depth: int):
    def make(folder: Path) -> list[str]:
        brand = folder / "brand"
        brand.mkdir()
        bombs.huge_png(
            brand / "logo.png", width, height, color_type=color_type, bit_depth=bit_depth
        )
        bombs.brand_with_logo(brand, "logo.png")
        return render(folder, "-f", "pdf", "-f", "docx", "--brand", str(brand))

    return make


def reference_case(maker):
    def make(folder: Path) -> list[str]:
        brand = bombs.brand_with_reference(folder / "brand", "reference.docx")
        maker(brand / "reference.docx")
        return render(folder, "-f", "docx", "--brand", str(brand))

    return make


def template_case(maker):
    def make(folder: Path) -> list[str]:
        return render(folder, "-f", "pdf", "-t", str(maker(folder / "templates")))

    return make


def svg_case(folder: Path) -> list[str]:
    brand = bombs.brand_with_logo(folder / "brand", "logo.svg", bombs.SVG_WITH_DOCTYPE.encode())
    return render(folder, "-f", "pdf", "-f", "docx", "--brand", str(brand))


def nul_case(folder: Path) -> list[str]:
    profile = bombs.profile_with_name(folder, "Alex\x00Rivera")
    return ["render", str(profile), "-o", str(folder / "out"), "-f", "docx"]


BOMBS = {
    # name: (make the case, what the message must say)
    "logo-30000px": (logo_case(30000, 30000, 0, 1), ["brand.yaml:2:7: logo:", "limit logo.pixels"]),
    "logo-13000px": (logo_case(13000, 13000, 2, 8), ["13,000×13,000", "limit logo.pixels"]),
    "svg-doctype": (svg_case, ["brand.yaml:2:7: logo:", "this SVG has a DOCTYPE"]),
    "reference-400mb-part": (
        reference_case(bombs.reference_with_zero_part),
        ["brand.yaml:2:16: reference_doc:", "limit reference_doc.unpacked_bytes"],
    ),
    "reference-entity": (
        reference_case(bombs.reference_with_entity),
        ["brand.yaml:2:16: reference_doc:", "word/styles.xml declares a DOCTYPE or entities"],
    ),
    "template-nested-loops": (
        template_case(lambda d: bombs.template_with_overview(d, bombs.NESTED_LOOPS, "loops")),
        ["overview:", "calling a function or method"],
    ),
    "template-string-times-billions": (
        template_case(
            lambda d: bombs.template_with_overview(d, bombs.STRING_TIMES_BILLIONS, "times")
        ),
        ["overview:", "arithmetic (*)"],
    ),
    "template-10000-phases": (
        template_case(lambda d: bombs.template_with_phases(d, 10_000, "phases")),
        ["phases.yaml:", "roadmap:", "limit template.phases"],
    ),
    "template-billion-hour-task": (
        template_case(lambda d: bombs.template_with_task_hours(d, 10**9, "hours")),
        ["roadmap[0].tasks[0].hours:", "limit template.task_hours"],
    ),
    "profile-nul-in-name": (nul_case, ["profile.yaml:1:7: name:", "U+0000"]),
}


@pytest.mark.parametrize("case", list(BOMBS))
def test_a_bomb_is_a_located_error_within_budget(case, tmp_path):
    make, expected = BOMBS[case]
    run = run_bounded(make(tmp_path), cwd=tmp_path)
    assert not run.timed_out and not run.out_of_memory, run.outcome()
    assert run.returncode == 2, run.outcome()
    assert run.stderr.startswith("error: ") and "Traceback" not in run.stderr, run.stderr
    for words in expected:
        assert words in run.stderr, run.stderr
    assert run.peak_mb < MEMORY_MB and run.seconds < SECONDS
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_ordinary_branded_guide_renders_within_the_same_budget(tmp_path):
    run = run_bounded(
        render(
            tmp_path, "-f", "pdf", "-f", "docx", "--brand", str(ROOT / "brands/hackforge-bootcamp")
        )
    )
    assert run.returncode == 0, run.outcome() + run.stderr
    assert len(list((tmp_path / "out").iterdir())) == 2


def test_a_logo_just_under_the_pixel_limit_is_decoded_and_downscaled_within_budget(tmp_path):
    brand = tmp_path / "brand"
    brand.mkdir()
    bombs.huge_png(brand / "logo.png", 4000, 4000, color_type=6, bit_depth=8)  # 16 MP, RGBA
    bombs.brand_with_logo(brand, "logo.png")
    run = run_bounded(render(tmp_path, "-f", "docx", "--brand", str(brand)))
    assert run.returncode == 0, run.outcome() + run.stderr
