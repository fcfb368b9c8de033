"""Two people acting at once: two threads, each with its own database connection."""

import threading
import time

from django.db import connection, transaction


def race(first, second, hold=0.5):
    """Run ``first`` in a transaction that holds its locks for ``hold`` seconds while
    ``second`` starts in another thread (its own connection). Returns both outcomes."""
    started = threading.Event()
    outcomes = {}

    def run(name, action, hold_lock):
        try:
            with transaction.atomic():
                outcomes[name] = action()
                if hold_lock:
                    started.set()
                    time.sleep(hold)
        except Exception as error:  # the outcome under test
            outcomes[name] = error
            started.set()
        finally:
            connection.close()

    one = threading.Thread(target=run, args=("first", first, True))
    one.start()
    assert started.wait(10)
    two = threading.Thread(target=run, args=("second", second, False))
    began = time.monotonic()
    two.start()
    two.join(20)
    one.join(20)
    outcomes["second_waited"] = time.monotonic() - began
    return outcomes
