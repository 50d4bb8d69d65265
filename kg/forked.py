"""Run one function in a forked child process beside the caller, and collect its result later.

The build's reduce (resolution, RDF, Turtle, the view) runs in one process
while the second core is idle: :class:`Forked` lets the SHACL check run
there at the same time. A fork shares the parent's memory copy-on-write, so
the child starts at once with the triples already made; nothing is pickled
on the way in, only the (small) result on the way out, through a pipe.

Where ``os.fork`` does not exist the function runs in the caller when its
result is asked for. The child runs only the given function and ends with
``os._exit``: no ``atexit`` handlers, no flushing of the parent's buffers.

>>> Forked(lambda: 6 * 7).result()
42
"""

from __future__ import annotations

import os
import pickle
import signal
import time
import traceback
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class ChildFailed(RuntimeError):
    """The forked function raised, or its process died; the message has the child's traceback or signal."""


class Forked(Generic[T]):
    """``fn()`` running in a forked child; :meth:`result` waits for it and returns its value."""

    def __init__(self, fn: Callable[[], T]):
        self._fn: Callable[[], T] | None = None
        self.seconds = 0.0  # the child's own wall time
        if not hasattr(os, "fork"):  # pragma: no cover - not on Linux
            self._fn = fn
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            code = 0
            try:
                os.close(read)
                t0 = time.perf_counter()
                try:
                    payload = pickle.dumps((True, fn(), time.perf_counter() - t0), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:  # noqa: BLE001 - everything goes back to the parent
                    payload = pickle.dumps((False, traceback.format_exc(), time.perf_counter() - t0))
                with os.fdopen(write, "wb") as f:
                    f.write(payload)
            except BaseException:  # noqa: BLE001 - the pipe itself failed: the parent sees the exit code
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """The function's return value; raises :class:`ChildFailed` if it raised or its process died."""
        if self._fn is not None:  # pragma: no cover - no fork here
            t0 = time.perf_counter()
            try:
                return self._fn()
            finally:
                self.seconds = time.perf_counter() - t0
        with os.fdopen(self._read, "rb") as f:
            data = f.read()
        _, status = os.waitpid(self._pid, 0)
        if not data:
            how = (f"was killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
                   else f"exited with {os.WEXITSTATUS(status)}")
            raise ChildFailed(f"the forked process {self._pid} {how} before it returned")
        ok, value, self.seconds = pickle.loads(data)
        if not ok:
            raise ChildFailed(f"in the forked process {self._pid}:\n{value}")
        return value

    def cancel(self) -> None:
        """End the child (when the caller gives up on the result)."""
        if self._fn is not None:  # pragma: no cover - no fork here
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.close(self._read)
        except OSError:
            pass
        try:
            os.waitpid(self._pid, 0)
        except ChildProcessError:
            pass
