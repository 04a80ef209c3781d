"""Analysis answers that cost little when asked again and never crowd out cheap requests.

- :class:`LimitedCache` lets only a few analyses compute at once in all the worker processes
  of an instance together (:class:`Slots`, locks on files in the instance folder); another
  request that would have to compute waits a few seconds for a slot (a map page asks for
  several layers at once), then is answered with ``429`` and ``Retry-After``, so a core
  stays free for pages, places and cached answers.
- :func:`cached_answer` keeps the encoded body of each answer (keyed by the database, its
  data version, the URL and the language) in a byte-bounded LRU, and sends it gzipped to
  clients that accept that: a repeated request costs one small query and a copy.
"""

from __future__ import annotations

import fcntl
import gzip
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from flask import Response, current_app, request
from werkzeug.exceptions import TooManyRequests

from .. import storage
from ..db import get_session
from ..http import gettext, request_lang

__all__ = ["AnswerCache", "LimitedCache", "Slots", "cached_answer"]

ANSWERS_KEY = "plekken_analysis_answers"
#: Bodies smaller than this are sent as they are.
GZIP_FROM = 1024


class Slots:
    """At most ``count`` holders at once, across the threads and processes that share
    ``folder``: each slot is an exclusive ``flock`` on a file there, which the system lets
    go when its holder ends, even by SIGKILL."""

    def __init__(self, folder: str | Path, count: int) -> None:
        self.paths = [Path(folder) / f"analysis-slot-{i}.lock" for i in range(max(count, 1))]

    def take(self, wait: float = 0.0) -> int | None:
        """A free slot (a file descriptor to give back with :meth:`give_back`), waiting up to
        ``wait`` seconds for one, or ``None``."""
        deadline = time.monotonic() + wait
        while (slot := self._try()) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        return slot

    def _try(self) -> int | None:
        self.paths[0].parent.mkdir(parents=True, exist_ok=True)
        for path in self.paths:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return fd
        return None

    @staticmethod
    def give_back(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class LimitedCache:
    """A result cache whose computations each take one of the :class:`Slots`.

    Cache hits never wait. A computation that finds every slot taken raises
    :class:`~werkzeug.exceptions.TooManyRequests` (a ``429`` with ``Retry-After``).
    """

    def __init__(self, cache: Any, slots: Slots, retry_after: int, wait: float = 0.0) -> None:
        self.cache = cache
        self.retry_after = retry_after
        self.slots = slots
        self.wait = wait

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        return self.cache.get_or_compute(key, lambda: self._limited(compute))

    def run(self, compute: Callable[[], Any]) -> Any:
        """``compute()`` in one of the places, without keeping its result."""
        return self._limited(compute)

    def _limited(self, compute: Callable[[], Any]) -> Any:
        slot = self.slots.take(self.wait)
        if slot is None:
            raise TooManyRequests(
                gettext("Er worden nu al genoeg analyses berekend."), retry_after=self.retry_after
            )
        try:
            return compute()
        finally:
            self.slots.give_back(slot)


class Answer:
    """An encoded answer: body, media type, extra headers, and the gzipped body once asked."""

    def __init__(self, body: bytes, mimetype: str, headers: dict[str, str]) -> None:
        self.body, self.mimetype, self.headers = body, mimetype, headers
        self._gzipped: bytes | None = None

    @property
    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=5, mtime=0)
        return self._gzipped

    @property
    def size(self) -> int:
        return len(self.body) + len(self._gzipped or b"")


class AnswerCache:
    """A thread-safe LRU of :class:`Answer` bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.hits = self.misses = 0
        self._data: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            answer = self._data.get(key)
            if answer is None:
                self.misses += 1
                return None
            self.hits += 1
            self._data.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: Answer) -> None:
        if answer.size * 2 > self.max_bytes:
            return  # too large to keep without pushing out everything else
        with self._lock:
            self._data[key] = answer
            while sum(a.size for a in self._data.values()) > self.max_bytes:
                self._data.popitem(last=False)


def _key() -> tuple:
    session = get_session()
    database = session.get_bind().url.render_as_string(hide_password=True)
    args = tuple(sorted(request.args.items(multi=True)))
    return (database, storage.data_version(session), request.path, args, request_lang())


def cached_answer(render: Callable[[], Response], keep: bool = True) -> Response:
    """The answer ``render()`` gives for this request, encoded once per data version.

    With ``keep=False`` (an answer that depends on more than the data version, such as the
    walking network) it is encoded every time, and still sent gzipped.
    """
    answers: AnswerCache = current_app.extensions[ANSWERS_KEY]
    key = _key() if keep else None
    answer = answers.get(key) if keep else None
    if answer is None:
        response = render()
        headers = {k: v for k, v in response.headers.items() if k == "Content-Disposition"}
        answer = Answer(response.get_data(), response.mimetype, headers)
        if keep:
            answers.put(key, answer)
    return _send(answer)


def _send(answer: Answer) -> Response:
    zipped = len(answer.body) >= GZIP_FROM and "gzip" in request.accept_encodings
    response = Response(answer.gzipped if zipped else answer.body, mimetype=answer.mimetype)
    response.headers.update(answer.headers)
    response.headers["Vary"] = "Accept-Encoding, Accept-Language"
    if zipped:
        response.headers["Content-Encoding"] = "gzip"
    return response
