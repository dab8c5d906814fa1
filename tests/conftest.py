"""Shared fixtures: the sample files, profile factories and one rendered sample guide."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from guidegen.load.catalog import load_template_file
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP_ID = "backend-developer-to-ai-solutions-architect"
FLAGSHIP_PATH = ROOT / "templates" / f"{FLAGSHIP_ID}.yaml"
ALEX_PATH = ROOT / "profiles" / "alex-rivera.yaml"
IN_CI = os.environ.get("CI") == "true"

# A Wednesday: tests that need "today" use this, never the clock.
TODAY = dt.date(2026, 11, 25)


def guidegen(
    *args: str, cwd: Path | None = None, env: dict | None = None, **kwargs
) -> subprocess.CompletedProcess:
    """`python -m guidegen ARGS` as a user runs it, from `cwd`, with `env` added to this
    environment: its exit code, stdout and stderr. It reads nothing from the terminal."""
    if "input" not in kwargs:
        kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(
        [sys.executable, "-m", "guidegen", *args],
        cwd=cwd,
        env={**os.environ, **env} if env else None,
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )


def require_tool(name: str) -> str:
    """The path of a system tool; skip without it on a laptop, fail without it in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (see README prerequisites)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def flagship() -> TransitionTemplate:
    return load_template_file(FLAGSHIP_PATH)


@pytest.fixture(scope="session")
def alex_data() -> dict:
    return yaml.safe_load(ALEX_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def make_profile(alex_data):
    """Alex's profile with some fields replaced (None removes a field)."""

    def make(**changes) -> Profile:
        data = {**alex_data, **changes}
        return Profile.model_validate({k: v for k, v in data.items() if v is not None})

    return make


@pytest.fixture
def write_yaml(tmp_path):
    """Write text to a YAML file in tmp_path and return its path."""

    def write(text: str, name: str = "profile.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


# --- running the suite on two processes (`make test`: pytest-xdist, --dist loadgroup) -------

# Modules whose tests share one costly module-scoped fixture: each runs on one worker, so
# the fixture is made once (a Dask cluster of real processes, one LibreOffice run for three
# Word files, guides rendered once and read by many tests, a preview server).
SHARED_FIXTURE_MODULES = {
    "tests/deliver/test_dask.py",
    "tests/deliver/test_mail_providers.py",
    "tests/hostile/test_brand_files.py",
    "tests/hostile/test_preview_host.py",
    "tests/render/test_accessibility.py",
    "tests/render/test_branded.py",
    "tests/render/test_contrast.py",
    "tests/render/test_docx.py",
    "tests/render/test_docx_accessible.py",
    "tests/render/test_docx_libreoffice.py",
    "tests/render/test_parity.py",
    "tests/render/test_pdf.py",
    "tests/render/test_schedule_formats.py",
}

# The longest modules, longest first (measured with `pytest --durations`): they start
# first, so the two workers finish together instead of one waiting on a late long test.
LONGEST_FIRST = (
    "tests/deliver/test_dask.py",
    "tests/hostile/test_hostile.py",
    "tests/deliver/test_sheets_to_inbox.py",
    "tests/test_packaging.py",
    "tests/deliver/test_batch.py",
    "tests/language/test_detected.py",
    "tests/hostile/test_properties.py",
    "tests/cli/test_cli.py",
    "tests/cli/test_languages.py",
    "tests/render/test_docx_libreoffice.py",
    "tests/deliver/test_batch_languages.py",
    "tests/deliver/test_preview.py",
    "tests/render/test_contrast.py",
    "tests/hostile/test_limits.py",
)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config, items):
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(_module(item.nodeid), len(rank)))  # stable


try:
    from xdist.scheduler import LoadScopeScheduling
except ImportError:  # pytest alone runs everything in one process: nothing to group
    pass
else:

    class SharedFixtureScheduling(LoadScopeScheduling):
        """Each test on its own, but a module of SHARED_FIXTURE_MODULES as one unit.

        xdist's own loadgroup reads `xdist_group` marks by renaming the test ids, which
        pytest 9 no longer allows (the marks are silently ignored), so the grouping is
        done here, by module path, where the controller schedules the tests.
        """

        def _split_scope(self, nodeid: str) -> str:
            module = _module(nodeid)
            return module if module in SHARED_FIXTURE_MODULES else nodeid

    def pytest_xdist_make_scheduler(config, log):
        if config.getvalue("dist") == "loadgroup":
            return SharedFixtureScheduling(config, log)
        return None
