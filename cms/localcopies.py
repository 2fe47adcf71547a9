"""Copies, held in this process, of values kept in the shared cache: served without a round trip
to Redis while they are still the current ones.

Used by cms/tablecache.py (a value and the table tokens it was computed under) and
cms/fragments.py (a fragment, whose key holds the page cache's generation token). The caller
says when a copy is current: its ``stamp`` (the tokens) must equal the one asked with, and it
must not have expired. Each copy is pickled, so every reader gets its own object (a caller that
changes a list it got changes nothing here). The most recently used copies are kept, at most
``entries`` of them and ``max_bytes`` of pickled data; the oldest go first."""

import pickle
import threading
import time
from collections import OrderedDict

MISSING = object()


class LocalCopies:
    def __init__(self, *, entries, max_bytes=None):
        self.entries = entries
        self.max_bytes = max_bytes
        self._copies = OrderedDict()  # key: (stamp, pickled value, expires)
        self._bytes = 0
        self._lock = threading.Lock()  # gunicorn's threads share the process

    def __iter__(self):
        with self._lock:
            return iter(list(self._copies))

    def __len__(self):
        return len(self._copies)

    @property
    def bytes(self):
        return self._bytes

    def get(self, key, stamp=None):
        """The value held for ``key`` under ``stamp`` and not expired, else MISSING."""
        with self._lock:
            copy = self._copies.get(key)
            if copy is None:
                return MISSING
            self._copies.move_to_end(key)
        held_stamp, pickled, expires = copy
        if held_stamp != stamp or expires < time.time():
            return MISSING
        return pickle.loads(pickled)  # noqa: S301 (bytes this process pickled)

    def put(self, key, value, *, expires, stamp=None):
        pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if self.max_bytes is not None and len(pickled) > self.max_bytes:
            return
        with self._lock:
            old = self._copies.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._copies[key] = (stamp, pickled, expires)
            self._bytes += len(pickled)
            while len(self._copies) > self.entries or (
                self.max_bytes is not None and self._bytes > self.max_bytes
            ):
                _key, (_stamp, dropped, _expires) = self._copies.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self):
        with self._lock:
            self._copies.clear()
            self._bytes = 0
