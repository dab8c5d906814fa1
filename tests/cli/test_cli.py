"""The command line, as a user runs it: real processes, real files, exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pypdf import PdfReader

from tests.conftest import ALEX_PATH, FLAGSHIP_ID, ROOT, guidegen


def test_render_writes_the_named_pdf_and_prints_its_path(tmp_path):
    run = guidegen("render", str(ALEX_PATH), "-o", str(tmp_path / "handouts"))
    assert run.returncode == 0, run.stderr
    expected = tmp_path / "handouts" / f"alex-rivera--{FLAGSHIP_ID}.pdf"
    assert run.stdout.splitlines() == [str(expected)]
    assert run.stderr == ""
    assert len(PdfReader(expected).pages) >= 4
    assert not list((tmp_path / "handouts").glob(".*.tmp"))  # nothing half-written left


def test_render_defaults_to_output_in_the_current_folder(tmp_path):
    run = guidegen("render", str(ALEX_PATH), "--template", FLAGSHIP_ID, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"output/alex-rivera--{FLAGSHIP_ID}.pdf"
    assert (tmp_path / "output" / f"alex-rivera--{FLAGSHIP_ID}.pdf").is_file()


def test_a_bad_profile_reports_every_problem_with_exit_code_2(tmp_path):
    profile = tmp_path / "me.yaml"
    profile.write_text(
        "name: Sam\ncurrent_role: Backend Developer\ntarget_role: AI Solutions Architect\n"
        "hours_per_week: none\nyears_experience: -1\nfavourite_colour: blue\n"
    )
    run = guidegen("render", str(profile), cwd=tmp_path)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("error: 3 problems:")
    assert "me.yaml:4:17: hours_per_week: got 'none'; expected a number" in run.stderr
    assert "me.yaml:5:19: years_experience: got -1; expected a number of at least 0" in run.stderr
    assert "me.yaml:6:1: favourite_colour: unknown field" in run.stderr
    assert not (tmp_path / "output").exists()


def test_an_unknown_template_lists_the_closest(tmp_path):
    run = guidegen("render", str(ALEX_PATH), "-t", "backend-to-ai-architect", cwd=tmp_path)
    assert run.returncode == 2
    assert "unknown template 'backend-to-ai-architect'; closest: " + FLAGSHIP_ID in run.stderr
    assert "Traceback" not in run.stderr


def test_an_unmatched_role_pair_lists_the_closest(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("name: Kim\ncurrent_role: Baker\ntarget_role: AI Architect\n")
    run = guidegen("render", str(profile), cwd=tmp_path)
    assert run.returncode == 2
    assert "no template for 'Baker' → 'AI Architect'; closest: " + FLAGSHIP_ID in run.stderr


def test_a_missing_profile_file(tmp_path):
    run = guidegen("render", "nope.yaml", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (2, "error: nope.yaml: no such file\n")


def test_templates_list(tmp_path):
    run = guidegen("templates", "list", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    line = next(line for line in run.stdout.splitlines() if line.startswith(FLAGSHIP_ID))
    assert line.split() == [
        FLAGSHIP_ID,
        *["Backend", "Developer", "→", "AI", "Solutions", "Architect"],
        "32",
        "weeks",
        *["en", "es", "fr"],  # the languages it can be read in
    ]


def test_a_user_templates_folder_in_the_current_folder_is_used(tmp_path):
    (tmp_path / "templates").mkdir()
    source = (ROOT / "templates" / f"{FLAGSHIP_ID}.yaml").read_text()
    (tmp_path / "templates" / "backend-developer-to-ai-product-manager.yaml").write_text(
        source.replace(f"id: {FLAGSHIP_ID}", "id: backend-developer-to-ai-product-manager")
    )
    run = guidegen("templates", "list", cwd=tmp_path)
    assert "backend-developer-to-ai-product-manager" in run.stdout
    assert FLAGSHIP_ID in run.stdout


def test_version():
    run = guidegen("--version")
    assert run.returncode == 0
    assert run.stdout.startswith("guidegen, version ")


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from guidegen.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('weasyprint', 'matplotlib', 'pydantic', 'jinja2')\n"
        "print('HEAVY', [m for m in heavy if m in sys.modules])\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "render" in run.stdout and "templates" in run.stdout
    assert "HEAVY []" in run.stdout


@pytest.mark.parametrize("args", [["render", "--help"], ["templates", "list", "--help"]])
def test_subcommand_help(args):
    run = guidegen(*args)
    assert run.returncode == 0 and "Usage:" in run.stdout


def test_render_both_formats_prints_both_paths(tmp_path):
    run = guidegen("render", str(ALEX_PATH), "-f", "pdf", "-f", "docx", "-o", str(tmp_path))
    assert run.returncode == 0, run.stderr
    stem = tmp_path / f"alex-rivera--{FLAGSHIP_ID}"
    assert run.stdout.splitlines() == [f"{stem}.pdf", f"{stem}.docx"]


def test_same_input_and_source_date_epoch_give_identical_files(tmp_path):
    epoch = {"SOURCE_DATE_EPOCH": "1796083200"}
    outputs = []
    for attempt in ("first", "second"):
        out = tmp_path / attempt
        run = guidegen(
            "render", str(ALEX_PATH), "-f", "pdf", "-f", "docx", "-o", str(out), env=epoch
        )
        assert run.returncode == 0, run.stderr
        outputs.append({path.name: path.read_bytes() for path in sorted(out.iterdir())})
    assert outputs[0].keys() == {
        f"alex-rivera--{FLAGSHIP_ID}.pdf",
        f"alex-rivera--{FLAGSHIP_ID}.docx",
    }
    assert outputs[0] == outputs[1]
