"""Deliver: getting files to people.

One guide's files (`pipeline`), a cohort batch, email with its send ledger, the
live preview, atomic output and the starting points `init`/`new` write. Uses
every stage below it; the CLI calls in here.
"""
