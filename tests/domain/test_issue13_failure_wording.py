"""Issue 13 bug 12: a start-up timeout of one minute reads "1 minute", not "1 minutes"."""

from __future__ import annotations

import pytest

from tui.domain.failures import explain_failure


@pytest.mark.parametrize(("minutes", "said"), [(1, "within 1 minute"), (30, "within 30 minutes")])
def test_the_timeout_is_counted_in_the_right_number(minutes: int, said: str) -> None:
    for lines in (
        [f"Launch timed out, workload was not healthy after {minutes} min"],
        [
            "INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)",
            f"Launch timed out, workload was not healthy after {minutes} min",
        ],
    ):
        summary = explain_failure("RUNTIME_ERROR", lines).summary
        assert said in summary and "1 minutes" not in summary
