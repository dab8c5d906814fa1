"""Write the limits table of SECURITY.md from guidegen.models.limits.

    python docs/make_limits_table.py

The table sits between the `<!-- limits:start -->` and `<!-- limits:end -->`
markers; tests/hostile/test_limits.py fails when it differs from the module.
"""

from __future__ import annotations

from pathlib import Path

from guidegen.models.limits import markdown_table

SECURITY = Path(__file__).resolve().parents[1] / "SECURITY.md"
START, END = "<!-- limits:start -->\n", "<!-- limits:end -->"


def with_table(text: str) -> str:
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}{markdown_table()}{END}{after}"


if __name__ == "__main__":
    SECURITY.write_text(with_table(SECURITY.read_text(encoding="utf-8")), encoding="utf-8")
    print(SECURITY)
