"""Opening the stores a use case is handed: one place where a database that cannot be opened or used becomes the
service refusal Unavailable, with the store's one-line message."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from redline.services.errors import ServiceError, Unavailable
from redline.store.errors import StoreError

T = TypeVar("T")


@contextmanager
def usable(kind: type[ServiceError] = Unavailable) -> Iterator[None]:
    """Inside: a StoreError is the refusal `kind` (Unavailable: the database cannot be used; InvalidInput or
    Conflict where the store refused what was asked), with its message."""
    try:
        yield
    except StoreError as exc:
        raise kind(str(exc)) from None


def opened(factory: Callable[[], T]) -> T:
    """The store `factory` builds over the configured database (opened and migrated now)."""
    with usable():
        return factory()
