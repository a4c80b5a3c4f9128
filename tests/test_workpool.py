"""workpool.fork_pool: multiprocessing's pool whose worker-handler thread waits on the
workers and its notifier only (not the results pipe): what that thread is for still
happens — a worker that ends is replaced, and close/join end the pool."""

from __future__ import annotations

import os
import signal
import time

from drafter import workpool


def _square(n: int) -> int:
    return n * n


def test_results_come_back_in_order():
    with workpool.fork_pool(2) as pool:
        assert list(pool.imap(_square, range(200), chunksize=3)) == [n * n for n in range(200)]


def test_a_worker_that_ends_is_replaced():
    pool = workpool.fork_pool(2)
    try:
        before = {p.pid for p in pool._pool}
        os.kill(next(iter(before)), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            now = {p.pid for p in pool._pool if p.is_alive()}
            if len(now) == 2 and now != before:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the killed worker was not replaced")
        assert sorted(pool.map(_square, range(10))) == [n * n for n in range(10)]
    finally:
        pool.close()
        pool.join()
