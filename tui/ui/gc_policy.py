"""The app's one garbage-collector policy: relaxed thresholds while any log view streams.

Following a flood, every frame replaces whole screens of Textual strips (each with caches of its
own); with Python's default thresholds (700, 10, 10) enough of them outlive two young
collections to force a full collection every second or so, 100-250 ms each on a busy 2-core
machine: a visible stall of keys. Measured with benchmarks/bench_log_view.py (50k lines/s):
key p95 ~3.5 ms with these thresholds against ~11 ms with the defaults, and no full collection
during the flood. Log lines themselves are not tracked by the collector (`LogEvent` is
`gc=False`; the view stores strings), so the relaxed thresholds only delay Textual's garbage.

The thresholds are process-wide by nature, so they are changed here only: `streaming_gc()` is
entered by whatever streams logs (the logs screen), counted, and the previous thresholds come
back when the last one leaves, whatever the order.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Collector thresholds while logs stream (each raised to at least this, never lowered).
STREAMING_GC_THRESHOLDS = (50_000, 20, 100)

_holders = 0
_saved: tuple[int, int, int] | None = None


def relax() -> None:
    """One more log view streams: raise the thresholds (the first one saves the old ones)."""
    global _holders, _saved
    if _holders == 0:
        _saved = gc.get_threshold()
        assert _saved is not None
        gc.set_threshold(*(max(a, b) for a, b in zip(_saved, STREAMING_GC_THRESHOLDS, strict=True)))
    _holders += 1


def restore() -> None:
    """One log view fewer: the last one puts the saved thresholds back."""
    global _holders, _saved
    if _holders == 0:
        return
    _holders -= 1
    if _holders == 0 and _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None


@contextmanager
def streaming_gc() -> Iterator[None]:
    """Relaxed thresholds for the duration of the block."""
    relax()
    try:
        yield
    finally:
        restore()
