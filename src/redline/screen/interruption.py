"""A stop asked for by a signal, remembered until the run would record anything.

`redline screen` turns SIGTERM and SIGINT into KeyboardInterrupt so a killed run unwinds and removes its temporary
files. But an exception raised by a signal handler can be lost: when the signal lands while Python runs a garbage
collector or weakref callback, the interpreter prints "Exception ignored" and carries on, and the run would then
finish and publish after all. So the handler also sets this flag, and every engine checks it just before it records
the run: a run asked to stop never records or publishes.
"""

from __future__ import annotations

import threading

_stop = threading.Event()


def request_stop() -> None:
    _stop.set()


def stop_requested() -> bool:
    return _stop.is_set()


def raise_if_stopped() -> None:
    """Called right before a run is recorded (and its files renamed into place)."""
    if _stop.is_set():
        raise KeyboardInterrupt
