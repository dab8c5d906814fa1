"""The wheel carries the built-in templates and the theme: install it, run it elsewhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest
from pypdf import PdfReader

from tests.conftest import ALEX_PATH, FLAGSHIP_ID, ROOT


@pytest.mark.slow
def test_pip_install_into_a_fresh_venv_and_render_from_another_folder(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("guidegen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert f"guidegen/transitions/{FLAGSHIP_ID}.yaml" in names
    assert "guidegen/render/theme/guide.html.j2" in names
    assert "guidegen/render/theme/guide.css" in names

    # A venv without its own pip, filled by this one's (`pip --python`), and no bytecode
    # compiled ahead of time: the same install of the wheel and its dependencies as a user's,
    # in a third of the time (ensurepip and byte-compiling matplotlib & co. were most of it).
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    subprocess.run([*pip, "install", "--quiet", "--no-compile", str(wheel)], check=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(ALEX_PATH, elsewhere / "me.yaml")
    executable = str(venv / "bin" / "guidegen")
    listing = subprocess.run(
        [executable, "templates", "list"], cwd=elsewhere, capture_output=True, text=True, check=True
    )
    assert any(line.startswith(FLAGSHIP_ID) for line in listing.stdout.splitlines())
    run = subprocess.run(
        [executable, "render", "me.yaml"], cwd=elsewhere, capture_output=True, text=True, check=True
    )
    pdf = elsewhere / "output" / f"alex-rivera--{FLAGSHIP_ID}.pdf"
    assert run.stdout.strip() == f"output/{pdf.name}"
    assert "Your Learning Roadmap" in "".join(page.extract_text() for page in PdfReader(pdf).pages)
