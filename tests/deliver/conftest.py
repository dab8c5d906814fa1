"""Fixtures of the delivery tests."""

from tests.deliver.mailing import manifest, server  # noqa: F401
