"""Shared fixtures: the sample files, profile factories and one rendered sample guide."""

from __future__ import annotations

import datetime as dt
import os
import shutil
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
