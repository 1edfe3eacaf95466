"""Records kept between computes, keyed on exactly the inputs that determine them.

An edit changes one or two inputs; most of the engine's steps (the timeline,
the fleet online, the provider's costs, the notice schedule) read others, so
core/engine.py keeps the last few records of each such step and a fee edit
reuses them instead of building them again.  A key is a tuple of the
scenario's frozen, hashable values (dates, numbers, text, tuples of frozen
records): a scenario part that cannot be hashed (a list, an array) raises
TypeError rather than risk a stale hit.  A kept record's arrays are made
read-only, so that no reader can change a record another compute shares.
"""
from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

import numpy as np

T = TypeVar("T")


class Kept:
    """The last `size` results of one step, by key (least recently used dropped).
    Thread-safe: compute() also runs on worker threads."""

    def __init__(self, size: int):
        self._size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The kept result for `key`, else make() (kept, read-only)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
        value = read_only(make())
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def read_only(value: T) -> T:
    """`value` with every array in it (in a dataclass's fields, a tuple, a
    dict's values, recursively) made read-only; returns it."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            read_only(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            read_only(item)
    elif isinstance(value, dict):
        for item in value.values():
            read_only(item)
    return value
