"""Byte-level upload progress: per-file and overall counts, throughput and ETA.

Upload threads report bytes as they leave; the tracker sums them under a lock and emits an
`UploadProgress` event at most every `min_interval` seconds (and always when a file completes),
so a 200 MB upload does not flood the UI with thousands of events. Within `batch()` (one slice
of a commit body that completes hundreds of small files) the counts move and one event is sent.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from tui.domain.deploy.events import UploadProgress

#: Throughput is measured over this many seconds of recent history.
WINDOW_SECONDS = 3.0


class ProgressTracker:
    """Thread-safe byte counter for a set of files with known sizes."""

    def __init__(
        self,
        files: Iterable[tuple[str, int]],
        emit: Callable[[UploadProgress], None],
        *,
        clock: Callable[[], float] = time.monotonic,
        min_interval: float = 0.1,
    ) -> None:
        self._totals = dict(files)
        self._done = dict.fromkeys(self._totals, 0)
        self._emit = emit
        self._clock = clock
        self._min_interval = min_interval
        self._lock = threading.Lock()
        self._samples: deque[tuple[float, int]] = deque()
        self._last_emit = float("-inf")
        self._bytes_done = 0
        self._files_done = sum(1 for total in self._totals.values() if total == 0)
        self.bytes_total = sum(self._totals.values())
        self._batching = False
        self._pending: str | None = None

    @property
    def bytes_done(self) -> int:
        return self._bytes_done

    def knows(self, path: str) -> bool:
        return path in self._totals

    def total_of(self, path: str) -> int:
        return self._totals.get(path, 0)

    def advance(self, path: str, nbytes: int) -> None:
        """Record `nbytes` more of `path` sent (clamped to the file's size)."""
        with self._lock:
            total = self._totals.get(path)
            if total is None or nbytes <= 0:
                return
            before = self._done[path]
            after = min(total, before + nbytes)
            self._set(path, before, after)

    def set_done(self, path: str, nbytes: int) -> None:
        """Record that `nbytes` of `path` are sent in all (absolute, for reporters that count so)."""
        with self._lock:
            total = self._totals.get(path)
            if total is None:
                return
            before = self._done[path]
            after = max(before, min(total, nbytes))
            self._set(path, before, after)

    def complete_all(self) -> None:
        """Mark every file sent (the commit landed): the bar ends at 100%."""
        with self.batch():
            for path, total in list(self._totals.items()):
                self.set_done(path, total)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Count every change inside, then emit one event for the last file that moved."""
        with self._lock:
            self._batching = True
        try:
            yield
        finally:
            with self._lock:
                self._batching = False
                path, self._pending = self._pending, None
                if path is not None:
                    now = self._clock()
                    self._last_emit = now
                    self._emit(self._event(path, now))

    def _set(self, path: str, before: int, after: int) -> None:
        if after == before:
            return
        self._done[path] = after
        self._bytes_done += after - before
        finished = after == self._totals[path]
        if finished:
            self._files_done += 1
        now = self._clock()
        self._samples.append((now, self._bytes_done))
        while self._samples and now - self._samples[0][0] > WINDOW_SECONDS:
            self._samples.popleft()
        if self._batching:
            self._pending = path
        elif finished or now - self._last_emit >= self._min_interval:
            self._last_emit = now
            self._emit(self._event(path, now))

    def _event(self, path: str, now: float) -> UploadProgress:
        throughput = self._throughput(now)
        remaining = self.bytes_total - self._bytes_done
        eta = remaining / throughput if throughput > 0 else None
        return UploadProgress(
            path=path,
            file_bytes=self._done[path],
            file_total=self._totals[path],
            bytes_done=self._bytes_done,
            bytes_total=self.bytes_total,
            files_done=self._files_done,
            files_total=len(self._totals),
            throughput=throughput,
            eta=eta,
        )

    def _throughput(self, now: float) -> float:
        if len(self._samples) < 2:
            return 0.0
        (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
        span = max(t1 - t0, 1e-6)
        return (b1 - b0) / span
