"""One guidegen run at a time in an output folder, and a second one told who holds it.

A batch rewrites the folder's manifest, guides and state file; `email` sends from
its manifest and records every message in its ledger. Two runs at once in one
folder lose work (two cohorts: the manifest keeps only the last one) or mail
people twice (two sends: each thinks the other's messages are its own). So each
holds the folder's lock file, `.guidegen.lock`, for as long as it runs, and a
second run stops at once with a message naming the first: its command, process
id, host and start time.

The lock is the operating system's (`flock` on Linux and macOS, `msvcrt.locking`
on Windows), held on an open file: it goes away with the process, however it
ends, so a killed run never leaves a folder locked. The holder writes who it is
into the file; the lock file is opened without following a symbolic link, and
removed when the run ends.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shlex
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from guidegen.deliver.output import ensure_folder, open_own
from guidegen.errors import Problem, UserError

LOCK_FILE = ".guidegen.lock"
_CONTENDED = {errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK}
_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS}

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Holder:
    """Who holds a folder: what the lock file says."""

    command: str
    pid: int
    host: str
    since: str
    """When it took the lock: ISO 8601, UTC."""

    def describe(self, now: dt.datetime | None = None) -> str:
        """'`guidegen batch a.csv -o out` (process 4242 on host-1, since 10:32:05 UTC,
        3 minutes ago)'."""
        try:
            since = dt.datetime.fromisoformat(self.since)
        except ValueError:
            return f"`{self.command}` (process {self.pid} on {self.host})"
        now = now or dt.datetime.now(dt.UTC)
        return (
            f"`{self.command}` (process {self.pid} on {self.host}, since "
            f"{since:%Y-%m-%d %H:%M:%S} UTC, {_ago(now - since)})"
        )


class FolderBusy(UserError):
    """Another run holds the folder."""

    def __init__(self, folder: Path, holder: Holder | None, what: str):
        who = (
            holder.describe()
            if holder is not None
            else "another guidegen run (it is just starting, or wrote nothing to say who)"
        )
        super().__init__(
            Problem(f"this folder is in use by {who}", file=folder),
            hint=f"{what} Wait for it to finish, or stop it, then run this command again.",
        )


def current_command() -> str:
    """How this process was started, as a person would type it: 'guidegen batch a.csv'."""
    return shlex.join(["guidegen", *sys.argv[1:]])


class FolderLock:
    """The lock of one output folder, held from `acquire` to `release` (or the `with`)."""

    def __init__(self, folder: Path, *, command: str | None = None, busy: str = ""):
        """`busy`: what a second run is told, before 'Wait for it to finish...'."""
        self.folder = folder
        self.path = folder / LOCK_FILE
        self.command = command or current_command()
        self.busy = busy
        self._descriptor: int | None = None
        self._created: list[Path] = []
        """The folders the lock had to create: removed again if the run leaves them empty."""
        self.warning: str | None = None
        """Set when the folder's file system cannot lock: the run goes on unprotected."""

    def acquire(self) -> FolderLock:
        missing = self.folder
        while not missing.exists() and missing.parent != missing:
            self._created.append(missing)
            missing = missing.parent
        ensure_folder(self.folder)
        while True:
            descriptor = open_own(self.path, os.O_RDWR | os.O_CREAT)
            try:
                locked = _try_lock(descriptor)
            except OSError as error:
                os.close(descriptor)
                if error.errno in _UNSUPPORTED:
                    # A network share without locks: say so, and go on.
                    self.warning = (
                        f"{self.folder} cannot be locked ({os.strerror(error.errno)}): make "
                        "sure no other guidegen run uses this folder until this one ends"
                    )
                    return self
                raise UserError(
                    Problem(f"cannot lock the folder: {error.strerror}", file=self.folder)
                ) from None
            if not locked:
                holder = _read_holder(descriptor)
                os.close(descriptor)
                raise FolderBusy(self.folder, holder, self.busy)
            # The file may have been removed by the run that held it, between our open
            # and our lock: then it is not the folder's lock any more; take the new one.
            if _same_file(descriptor, self.path):
                break
            os.close(descriptor)
        self._descriptor = descriptor
        _write_holder(descriptor, self.command)
        return self

    def release(self) -> None:
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is None:
            return
        # Removed while still held, so that no run can take a file about to vanish.
        try:
            if _same_file(descriptor, self.path):
                self.path.unlink()
        except OSError:
            pass  # a read-only folder: the lock file stays, unlocked and harmless
        os.close(descriptor)  # releases the lock
        for folder in self._created:  # a run that stopped before writing anything
            try:
                folder.rmdir()
            except OSError:
                break  # not empty: it holds the run's work

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc_info) -> None:
        self.release()


def holder_of(folder: Path) -> Holder | None:
    """Who holds `folder` now, or None when nobody does (for a pre-flight)."""
    try:
        descriptor = open_own(folder / LOCK_FILE, os.O_RDWR)
    except (UserError, OSError):
        return None
    try:
        if _try_lock(descriptor):
            return None
        return _read_holder(descriptor)
    except OSError:
        return None
    finally:
        os.close(descriptor)  # also releases a lock taken just to look


def _try_lock(descriptor: int) -> bool:
    """Take the lock without waiting: True when taken, False when another holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            import msvcrt

            # One byte far past the holder's text: Windows locks bytes, and a locked
            # byte cannot be read by others.
            os.lseek(descriptor, 1 << 30, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    except OSError as error:
        if error.errno in _CONTENDED:
            return False
        raise
    return True


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        on_disk = path.lstat()
    except OSError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _write_holder(descriptor: int, command: str) -> None:
    record = {
        "command": command,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    data = (json.dumps(record) + "\n").encode("utf-8")
    try:
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, data)
    except OSError:
        pass  # a full disk: the lock holds all the same, only unsigned


def _read_holder(descriptor: int) -> Holder | None:
    try:
        os.lseek(descriptor, 0, os.SEEK_SET)
        record = json.loads(os.read(descriptor, 4096).decode("utf-8"))
        return Holder(
            command=str(record["command"]),
            pid=int(record["pid"]),
            host=str(record["host"]),
            since=str(record["since"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _ago(delta: dt.timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''} ago"
    minutes = seconds // 60
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hours ago"
    return f"{hours // 24} days ago"
