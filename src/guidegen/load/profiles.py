"""Reading one candidate profile file."""

from __future__ import annotations

from pathlib import Path

from guidegen.errors import UserError
from guidegen.load.sources import Source, load_yaml_file
from guidegen.load.validation import locate, validate
from guidegen.models.profile import Profile


def load_profile(path: Path) -> Profile:
    return load_profile_source(path)[0]


def load_profile_source(path: Path) -> tuple[Profile, Source]:
    """The profile, and where each of its fields is in the file."""
    source = load_yaml_file(path)
    return validate(Profile, source, what="a candidate profile"), source


def located(error: UserError, source: Source) -> UserError:
    """`error` with each of its problems that names a profile field placed in the file.

    A problem found while planning (a plan that would end after 9999) names the
    field at fault; this adds the file, line and column a coach needs.
    """
    return UserError([locate(problem, source) for problem in error.problems], hint=error.hint)
