"""Reading one candidate profile file."""

from __future__ import annotations

from pathlib import Path

from guidegen.load.sources import load_yaml_file
from guidegen.load.validation import validate
from guidegen.models.profile import Profile


def load_profile(path: Path) -> Profile:
    return validate(Profile, load_yaml_file(path), what="a candidate profile")
