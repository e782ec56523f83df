"""huggingface_hub still has the private parts tui._compat.huggingface_hub uses."""

from __future__ import annotations

import inspect

from huggingface_hub.utils import _paths

from tui._compat.huggingface_hub import hf_request_event_hook, set_xet_reporter, xet_reporter
from tui.domain.upload_set import DEFAULT_IGNORE_PATTERNS


def test_the_request_hook_takes_a_request() -> None:
    assert list(inspect.signature(hf_request_event_hook).parameters) == ["request"]


def test_the_xet_reporter_can_be_swapped_and_restored() -> None:
    original = xet_reporter()
    assert inspect.isclass(original) and original.__name__ == "XetUploadProgressReporter"

    class StandIn:
        pass

    set_xet_reporter(StandIn)
    try:
        assert xet_reporter() is StandIn
    finally:
        set_xet_reporter(original)
    assert xet_reporter() is original


def test_our_copy_of_the_default_ignore_patterns_is_the_librarys() -> None:
    assert list(DEFAULT_IGNORE_PATTERNS) == list(_paths.DEFAULT_IGNORE_PATTERNS)
