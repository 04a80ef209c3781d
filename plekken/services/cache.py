"""Remembering analysis results until the data change.

A :class:`ResultCache` is a small LRU keyed by whatever the caller passes; callers put the
:func:`plekken.storage.data_version` of the database in the key, so any change to places or
areas makes old entries unreachable and they age out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["ResultCache", "data_date"]


class ResultCache:
    """A small thread-safe LRU cache of analysis results with hit and miss counts.

    Keys hold the database, the data version, the measure, the scope and the parameters, so
    a change in the data makes old entries unreachable; they age out of the LRU.
    Cached results are shared: treat them as read-only.
    """

    def __init__(self, maxsize: int = 64) -> None:
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value of ``key``, or ``compute()`` stored under it."""
        with self._lock:
            if key in self._data:
                self.hits += 1
                self._data.move_to_end(key)
                return self._data[key]
            self.misses += 1
        value = compute()  # outside the lock: a slow measure must not block cached answers
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def run(self, compute: Callable[[], Any]) -> Any:
        """``compute()`` without keeping the result (for results the key cannot describe)."""
        return compute()

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def stats(self) -> dict[str, int]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "size": len(self),
            "maxsize": self.maxsize,
        }


def data_date(version: tuple) -> str | None:
    """ISO timestamp of the newest place or area change in a
    :func:`plekken.storage.data_version`."""
    moments = [moment for moment in (version[1], version[4]) if moment is not None]
    return max(moments).isoformat() if moments else None
