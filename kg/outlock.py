"""One build per output folder: a lock file in OUTDIR while a build writes there.

:func:`hold` takes ``OUTDIR/.kg-build.lock`` for the length of a ``with``
block. The lock is an advisory ``flock`` on that file, which the operating
system drops when the holding process ends however it ends (exit, crash,
``SIGKILL``), so a lock left behind by a dead process never blocks: the next
build takes it over. The file also says who holds it (pid, host, start
time, command), so a second build that finds it locked fails with
:class:`OutdirLocked` naming the other process; ``kg build`` exits 2 with
that message.

On a network file system without ``flock`` support the lock is as good as
the file system's; two builds on two hosts into one NFS folder are not
something to rely on.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

LOCK_NAME = ".kg-build.lock"


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) an output folder's lock."""

    pid: int | None
    host: str
    started: str
    command: str

    def describe(self) -> str:
        who = f"process {self.pid}" if self.pid else "another process"
        return f"{who} on {self.host or 'an unknown host'}" + (f", started {self.started}" if self.started else "") + (
            f" ({self.command})" if self.command else "")


class OutdirLocked(RuntimeError):
    """Another build holds the output folder."""

    def __init__(self, outdir: Path, holder: Holder):
        self.outdir, self.holder = outdir, holder
        super().__init__(
            f"{outdir} is being built by {holder.describe()}: wait for it to finish, or build into another "
            f"folder (the lock is {outdir / LOCK_NAME}; it is released when that process ends)")


def read_holder(path: Path) -> Holder:
    """The holder recorded in the lock file ``path`` (blank fields when it cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        data = {}
    pid = data.get("pid")
    return Holder(pid=pid if isinstance(pid, int) else None, host=str(data.get("host", "")),
                  started=str(data.get("started", "")), command=str(data.get("command", "")))


def _me() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "command": " ".join(sys.argv)[:300]}


@contextlib.contextmanager
def hold(outdir: str | os.PathLike) -> Iterator[Path]:
    """Hold ``OUTDIR``'s build lock for the block; raise :class:`OutdirLocked` if another process holds it.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with hold(d) as lock:
    ...     read_holder(lock).pid == os.getpid()
    True
    >>> (d / LOCK_NAME).exists()
    False
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutdirLocked(outdir, read_holder(path)) from None
        # the file we locked may have been unlinked by its last holder in between: lock the one at the path
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(_me()).encode("utf-8"))
        os.fsync(fd)
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still locked: a waiting opener re-checks the inode
        os.close(fd)
