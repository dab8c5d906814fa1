"""Running guidegen in a subprocess that cannot take more than its share.

A bomb that comes back (a regression) must fail its test, not take the
machine's memory or hang CI: the child gets an address-space limit
(`resource.RLIMIT_AS`) and a CPU-time limit, and is killed at a wall-clock
timeout. What it used (peak resident memory, wall time) is returned, so a test
can say how far a run is from its budget and the benchmark can print it.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MEMORY_MB = 500
"""The issue's budget for any one run, hostile input or not. It limits the address
space, so the peak resident memory is below it too."""
SECONDS = 30


@dataclass
class BoundedRun:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float
    timed_out: bool

    @property
    def out_of_memory(self) -> bool:
        return "MemoryError" in self.stderr or "Cannot allocate memory" in self.stderr

    def outcome(self) -> str:
        """One line for a report: how the run ended."""
        if self.timed_out:
            return f"killed after {self.seconds:.0f} s"
        if self.out_of_memory:
            return "ran out of memory (MemoryError)"
        if self.returncode < 0:
            return f"killed by {signal.Signals(-self.returncode).name}"
        if "Traceback" in self.stderr:
            last = self.stderr.strip().splitlines()[-1]
            return f"traceback: {last[:90]}"
        if self.returncode == 0:
            return "exit 0"
        first = next((line for line in self.stderr.splitlines() if line.strip()), "")
        return f"exit {self.returncode}: {first[:110]}"


def run_bounded(
    args: list[str],
    *,
    cwd: Path | None = None,
    memory_mb: int | None = MEMORY_MB,
    seconds: float = SECONDS,
    python: str = sys.executable,
    env: dict[str, str] | None = None,
) -> BoundedRun:
    """`python -m guidegen ARGS` under the limits; never raises for the child's failure."""

    def limit() -> None:
        if memory_mb is not None:
            size = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        process = subprocess.Popen(
            [python, "-m", "guidegen", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            preexec_fn=limit,
            env={**os.environ, **(env or {})},
        )
        # os.wait4, not Popen.wait: it also returns the child's own peak resident size.
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > seconds:
                timed_out = True
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        elapsed = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    return BoundedRun(
        process.returncode, stdout, stderr, usage.ru_maxrss / 1024, elapsed, timed_out
    )
