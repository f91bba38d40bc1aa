"""Helpers for the tests that need PostgreSQL: real row locks and many connections.

SQLite serialises every writer behind one file lock, so a race there proves
nothing; these tests skip on it and run when DATABASE_URL points at PostgreSQL.
"""

import threading

import pytest
from django.db import connection, connections


def postgres_only(test):
    """Mark a test as needing PostgreSQL: transactional (the threads must see each
    other's commits) and skipped on SQLite."""
    test = pytest.mark.django_db(transaction=True)(test)
    test = pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real row locks and concurrent connections: SQLite serialises all writers",
    )(test)
    return pytest.mark.postgres(test)


def run_at_once(count, work, timeout=60):
    """Run work(i) in `count` threads released together by a barrier; each thread has
    its own connection, opened before the barrier so that the work starts at once.
    Returns [(True, result) or (False, exception)] in thread order."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def target(i):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=timeout)
            outcomes[i] = (True, work(i))
        except BaseException as exc:  # handed back to the test, which asserts on it
            outcomes[i] = (False, exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting (deadlock?)"
    return outcomes


def successes(outcomes):
    return [value for ok, value in outcomes if ok]


def failures(outcomes):
    return [value for ok, value in outcomes if not ok]
