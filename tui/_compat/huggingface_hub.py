"""huggingface_hub: the private hooks a deploy needs to watch its own upload (no public API yet).

huggingface_hub 2.4 has no upload progress callback: the deploy gives its HTTP client factory
the library's own request hook, and swaps the hf_xet progress reporter class for a stand-in.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# Private module: the hook every default huggingface_hub client runs on each request.
from huggingface_hub.utils._http import hf_request_event_hook

__all__ = ["XET_REPORTER_MODULE", "hf_request_event_hook", "set_xet_reporter", "xet_reporter"]

#: Private module holding the class hf_xet uploads report their bytes to.
XET_REPORTER_MODULE = "huggingface_hub.utils._xet_progress_reporting"
_XET_REPORTER_CLASS = "XetUploadProgressReporter"


def xet_reporter() -> Callable[..., Any]:
    """The class huggingface_hub builds to receive hf_xet's upload progress."""
    reporter: Callable[..., Any] = getattr(
        importlib.import_module(XET_REPORTER_MODULE), _XET_REPORTER_CLASS
    )
    return reporter


def set_xet_reporter(reporter: Callable[..., Any]) -> None:
    """Make huggingface_hub build `reporter` instead (pass back `xet_reporter()` to undo)."""
    setattr(importlib.import_module(XET_REPORTER_MODULE), _XET_REPORTER_CLASS, reporter)
