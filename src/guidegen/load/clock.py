"""The time a run is made at: the clock, or SOURCE_DATE_EPOCH for reproducible builds."""

from __future__ import annotations

import datetime as dt
import os

from guidegen.errors import Problem, UserError


def build_time() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so builds can be reproduced byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError):
            raise UserError(
                Problem(
                    "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970",
                    value=epoch,
                    has_value=True,
                )
            ) from None
    return dt.datetime.now(dt.UTC).astimezone().replace(microsecond=0)
