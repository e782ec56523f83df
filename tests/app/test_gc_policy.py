"""The app's one collector policy: relaxed while any log view streams, restored by the last one."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui.ui import gc_policy


@pytest.fixture(autouse=True)
def known_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_nested_holders_restore_the_original_thresholds_in_any_order() -> None:
    gc_policy.relax()
    assert gc.get_threshold() == gc_policy.STREAMING_GC_THRESHOLDS
    gc_policy.relax()  # a second logs screen
    gc_policy.restore()  # the first one leaves: the second still streams
    assert gc.get_threshold() == gc_policy.STREAMING_GC_THRESHOLDS
    gc_policy.restore()
    assert gc.get_threshold() == (700, 10, 10)
    gc_policy.restore()  # one restore too many changes nothing
    assert gc.get_threshold() == (700, 10, 10)


def test_thresholds_already_higher_are_never_lowered() -> None:
    gc.set_threshold(100_000, 5, 500)
    with gc_policy.streaming_gc():
        assert gc.get_threshold() == (100_000, 20, 500)
    assert gc.get_threshold() == (100_000, 5, 500)
