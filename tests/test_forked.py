"""kg/forked.py: a function run in a forked child, its result or its failure brought back."""

from __future__ import annotations

import os
import signal

import pytest

from kg.forked import ChildFailed, Forked


def test_the_result_comes_back_from_another_process():
    job = Forked(lambda: (os.getpid(), list(range(100_000))))
    pid, numbers = job.result()
    assert pid != os.getpid() and numbers == list(range(100_000))
    assert job.seconds >= 0


def test_an_exception_in_the_child_is_raised_with_its_traceback():
    def boom():
        raise ValueError("no such shape")

    with pytest.raises(ChildFailed, match="ValueError: no such shape"):
        Forked(boom).result()


def test_a_child_that_dies_is_reported():
    with pytest.raises(ChildFailed, match="killed by signal"):
        Forked(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()


def test_cancel_ends_the_child():
    import time

    job = Forked(lambda: time.sleep(60))
    t0 = time.monotonic()
    job.cancel()
    assert time.monotonic() - t0 < 10
