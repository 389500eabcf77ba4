"""Model objects saved between processes (the catalog, the name index): pickles that load fast.

A frozen, slotted dataclass pickles by default as its fields' values restored by `dataclasses`' `__setstate__`, which
looks up the class's fields again for every object; the saved name index holds thousands of them. `dump` writes
such objects as a call of the class with their fields (its own `__init__` sets them, no lookup), and `load` pauses
the garbage collector while the objects are made: none of them is garbage, and the collections the allocations
trigger were a third of the load. Only classes whose fields are all `__init__` arguments and that have no
`__post_init__` are written this way, so a loaded object equals the saved one.
"""

from __future__ import annotations

import dataclasses
import gc
import pickle
from typing import IO, Any

_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _init_fields(cls: type) -> tuple[str, ...] | None:
    """The field names `cls(*values)` takes, for a frozen slotted dataclass that can be remade that way; else None."""
    if cls not in _FIELDS:
        _FIELDS[cls] = _remade_by_init(cls)
    return _FIELDS[cls]


def _remade_by_init(cls: type) -> tuple[str, ...] | None:
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__"):
        return None
    fields = dataclasses.fields(cls)
    if any(not f.init for f in fields):
        return None
    return tuple(f.name for f in fields)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        names = _init_fields(type(obj))
        if names is None:
            return NotImplemented  # the default: pickle's own reduction
        return type(obj), tuple(getattr(obj, name) for name in names)


def dump(value: object, handle: IO[bytes]) -> None:
    _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(value)


def load(handle: IO[bytes]) -> Any:
    """`pickle.load` with the garbage collector paused (and resumed, if it ran, whatever happens)."""
    running = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(handle)
    finally:
        if running:
            gc.enable()
