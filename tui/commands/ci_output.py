"""CI mode of `spacetui deploy` and `rollback`: no prompts, sparse plain lines, summaries at the end.

On `--ci` or `CI=true` (GitHub Actions, GitLab and most runners set it): progress lines are plain
text at most every `interval` seconds; with `--json` they go to stderr and stdout gets exactly one
JSON line, the summary; when `$GITHUB_STEP_SUMMARY` names a file, a markdown summary is appended.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from tui.commands.ci_mode import ci_requested
from tui.commands.deploy_render import cli_message, waiting_line
from tui.domain.deploy.events import DeployEvent, DeployResult, FollowWaiting, UploadProgress
from tui.domain.sanitize import strip_ansi
from tui.domain.units import format_bytes

#: The fewest seconds between two progress lines.
PROGRESS_INTERVAL = 2.0
__all__ = ["CI_NEEDS_YES", "CiRenderer", "ci_requested", "end_of_run", "summary"]
CI_NEEDS_YES = "CI mode (--ci or CI=true) never prompts: pass --yes to confirm in advance."


class CiRenderer:
    """Wraps a plain (non-terminal) renderer and lets a progress line through every `interval` s.

    Stage changes, build log lines and the result always pass; byte progress and the follow's
    "waiting" lines are thinned.
    """

    def __init__(
        self,
        inner: Callable[[DeployEvent], None],
        out: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float = PROGRESS_INTERVAL,
    ) -> None:
        self._inner, self._out, self._clock, self._interval = inner, out, clock, interval
        self._last: float | None = None
        self._last_wait: float | None = None

    def __call__(self, event: DeployEvent) -> None:
        if isinstance(event, FollowWaiting):
            # A Hub that keeps refusing must not flood the job's log either.
            now = self._clock()
            if self._last_wait is not None and now - self._last_wait < self._interval:
                return
            self._last_wait = now
            self._out.write(waiting_line(event) + "\n")
            self._out.flush()
            return
        if isinstance(event, UploadProgress):
            now = self._clock()
            if self._last is not None and now - self._last < self._interval:
                return
            self._last = now
            percent = 100 * event.bytes_done // max(event.bytes_total, 1)
            self._out.write(
                f"upload: {percent}% ({format_bytes(event.bytes_done)} of "
                f"{format_bytes(event.bytes_total)}, {event.files_done}/{event.files_total} files)\n"
            )
            self._out.flush()
            return
        self._inner(event)


def summary(result: DeployResult, *, command: str, seconds: float) -> dict[str, Any]:
    """The one-line JSON summary printed last on `--ci --json`."""
    data: dict[str, Any] = {
        "command": command,
        "space_id": result.space_id,
        "ok": result.ok,
        "outcome": result.outcome,
        "sha": result.sha,
        "stage": result.stage,
        "message": cli_message(result),  # with its reasons and ways out, as printed
        "seconds": round(seconds, 1),
    }
    data.update({k: v for k, v in result.extra.items() if isinstance(v, (str, int, float, bool))})
    probe = result.extra.get("probe")
    if isinstance(probe, Mapping):  # the health probe's verdict, when a probe ran
        data["probe"] = {
            k: v for k, v in probe.items() if v is None or isinstance(v, (str, int, bool))
        }
    return data


def write_json_summary(out: TextIO, data: Mapping[str, Any]) -> None:
    """Exactly one line of JSON."""
    out.write(json.dumps(data, separators=(",", ":"), default=str) + "\n")
    out.flush()


def step_summary_markdown(data: Mapping[str, Any]) -> str:
    """A short markdown block for the GitHub Actions job summary."""
    mark = "✅" if data.get("ok") else "❌"
    # Only the outcome, stage and message are free text; shas are hex and shown as code.
    rows = [
        ("Outcome", f"{mark} {_cell(str(data.get('outcome')))}"),
        ("Stage", _cell(str(data.get("stage") or "—"))),
        ("Revision", _code(data.get("sha"))),
        ("Took", f"{data.get('seconds')} s"),
    ]
    probe = data.get("probe")
    if isinstance(probe, Mapping):
        verdict = "passed" if probe.get("ok") else "failed"
        rows.append(("Health probe", f"{verdict}: {_cell(str(probe.get('seen') or ''))}"))
    if data.get("rollback_to"):
        rows.insert(1, ("Rolled back to", _code(data.get("rollback_to"))))
    lines = [
        f"### spacetui {_cell(str(data.get('command')))}: {_cell(str(data.get('space_id')))}",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in rows),
        "",
        _cell(str(data.get("message") or "")),
        "",
    ]
    return "\n".join(lines)


def append_step_summary(data: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> bool:
    """Append the markdown summary to `$GITHUB_STEP_SUMMARY` when it is set; True if written."""
    env = os.environ if environ is None else environ
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(step_summary_markdown(data) + "\n")
    except OSError:
        return False  # a summary is a courtesy: never fail the deploy over it
    return True


def _code(sha: object) -> str:
    text = str(sha or "")[:7]
    return f"`{text}`" if text and all(c in "0123456789abcdef" for c in text) else "—"


def _cell(text: str) -> str:
    # Remote text (a build's error message) must not break the table or inject markup/HTML.
    cleaned = strip_ansi(text).replace("\r", " ").replace("\n", " ")
    for char in "\\|<>`*_[]":
        cleaned = cleaned.replace(char, "\\" + char)
    return cleaned


def end_of_run(
    result: DeployResult,
    *,
    command: str,
    ci: bool,
    json_summary: bool,
    stdout: TextIO,
    seconds: float,
) -> None:
    """After a deploy or rollback, in CI mode: the summaries (the engine recorded the end)."""
    if not ci:
        return
    data = summary(result, command=command, seconds=seconds)
    if json_summary:
        write_json_summary(stdout, data)
    append_step_summary(data)
