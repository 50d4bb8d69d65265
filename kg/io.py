"""Atomic file output: nothing half-written is ever left at the target path.

Every writer goes through :func:`atomic_open` / :func:`atomic_write`: the data
goes to a temporary file in the same folder, is flushed and fsynced, and then
``os.replace``\\ d over the target (an atomic rename on POSIX and Windows). On any
error the temporary file is removed and the old target, if any, is untouched.

A process that is killed (``SIGKILL``, power loss) cannot remove its
temporary file. Temporary files are named ``.<target>.<pid>.<random>.tmp``,
so the next write of the same target removes those whose process is gone
(:func:`remove_stale_temps`): a crash leaves the old target and, until the
next write, one hidden file, never a half-written target.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator, Sequence


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_open(p) as f:
    ...     _ = f.write("hello")
    >>> p.read_text()
    'hello'
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open supports modes 'w' and 'wb', not {mode!r}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process, or we cannot tell: leave its file
    return True


def remove_stale_temps(target: str | os.PathLike) -> list[Path]:
    """Remove the temporary files of ``target`` left by writers that died; return them.

    Only files named by :func:`atomic_open` for this target whose writing
    process no longer exists are removed; a concurrent writer's file is kept.
    """
    target = Path(target)
    prefix = f".{target.name}."
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return []
    removed = []
    for name in names:
        pid = name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(target.parent / name)
                removed.append(target.parent / name)
    return removed


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically; return the path."""
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return Path(path)


def atomic_write_all(items: Sequence[tuple[str | os.PathLike, str | bytes]]) -> list[Path]:
    """Write several files that belong together (``graph.ttl`` and ``mentions.ttl``).

    Each file is written to its temporary (by :func:`atomic_open`) and fsynced
    before any of them is renamed over its target; the renames then follow one
    another. A process killed while writing leaves every old target; the only
    moment a reader could see a new file beside an old one is between the
    renames, where writing the files one after the other left the whole
    serialisation of the second file in between.
    """
    paths = [Path(p) for p, _ in items]
    with contextlib.ExitStack() as stack:
        for path, data in items:
            f = stack.enter_context(atomic_open(path, "wb" if isinstance(data, bytes) else "w"))
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    return paths
