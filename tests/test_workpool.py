"""workpool: multiprocessing's pool whose worker-handler thread waits on the workers and
its notifier only (not the results pipe), and a pool ended without its queues when its
workers may have died holding one of their locks."""

from __future__ import annotations

import threading
import time

from drafter import workpool


def _square(n: int) -> int:
    return n * n


def _nap(n: int) -> int:
    time.sleep(0.05)
    return n


def test_results_come_back_in_order():
    with workpool.fork_pool(2) as pool:
        assert list(pool.imap(_square, range(200), chunksize=3)) == [n * n for n in range(200)]


def test_a_pool_is_abandoned_although_a_queue_lock_is_held_for_ever():
    """What a worker killed in the middle of sending a result leaves: the results queue's
    lock taken by nobody alive. terminate() would wait on it (its sentinels go through
    that queue); abandon() ends the pool at once, every worker gone."""
    pool = workpool.fork_pool(2)
    results = pool.imap(_nap, range(1000))
    assert next(results) == 0
    assert pool._outqueue._wlock.acquire(timeout=5)  # held, and never given back
    workers = list(pool._pool)
    done = threading.Event()

    def end():
        workpool.abandon(pool, timeout=5)
        done.set()

    threading.Thread(target=end, daemon=True).start()
    assert done.wait(20), "abandon waited on the queue's lock"
    assert all(w.exitcode is not None for w in workers)
    assert not pool._worker_handler.is_alive()  # no worker started again behind our back
    assert all(w.exitcode is not None for w in pool._pool)
