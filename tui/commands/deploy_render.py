"""Print deploy events for a person (a progress bar on a terminal) or as JSON lines."""

from __future__ import annotations

import json
from typing import TextIO, assert_never, cast

from tui.domain.deploy.events import (
    AnyDeployEvent,
    BuildLogLine,
    BuildLogLines,
    ChecksDone,
    Committed,
    DeployEvent,
    DeployResult,
    FollowWaiting,
    PlanReady,
    ProbeStarted,
    Remedy,
    SettingsApplied,
    SpaceCreated,
    StageReached,
    UploadPhase,
    UploadProgress,
)
from tui.domain.deploy.review import review_lines
from tui.domain.sanitize import for_terminal
from tui.domain.units import format_bytes as human_size
from tui.domain.wording import counted

_BAR_WIDTH = 24
_PHASES = {
    "preparing": "preparing the upload: reading the files and asking the Hub how to send each…",
    "committing": "committing: the Hub has every byte and applies the commit…",
    "too_late": "too late to cancel: the Hub has the whole commit; waiting for its answer…",
}


class HumanRenderer:
    """Writes readable progress; a live one-line bar when `tty`, sparse lines otherwise."""

    def __init__(self, out: TextIO, err: TextIO, *, tty: bool, delete: bool) -> None:
        self.out, self.err, self.tty, self.delete = out, err, tty, delete
        self._bar_shown = False
        self._last_percent = -1

    def __call__(self, event: DeployEvent) -> None:
        self.show(cast("AnyDeployEvent", event))
        self.out.flush()

    def show(self, event: AnyDeployEvent) -> None:
        """Print one event; the match is closed, so a new event type fails the type check here."""
        match event:
            case ChecksDone():
                self._on_checks(event)
            case PlanReady():
                self._on_plan(event)
            case SpaceCreated():
                self._on_create(event)
            case SettingsApplied():
                self._on_settings(event)
            case UploadPhase():
                self._on_phase(event)
            case UploadProgress():
                self._on_upload(event)
            case Committed():
                self._on_commit(event)
            case StageReached():
                self._on_stage(event)
            case FollowWaiting():
                self._line(waiting_line(event))
            case BuildLogLine():
                self._on_log(event)
            case BuildLogLines():
                self._on_log_lines(event)
            case ProbeStarted():
                self._on_probe(event)
            case DeployResult():
                self._on_result(event)
            case _:
                assert_never(event)

    def _line(self, text: str) -> None:
        if self._bar_shown:
            self.out.write("\r\x1b[2K")
            self._bar_shown = False
        self.out.write(text + "\n")

    def _error(self, text: str) -> None:
        if self._bar_shown:
            self.out.write("\r\x1b[2K")
            self._bar_shown = False
        self.out.flush()
        self.err.write(text + "\n")
        self.err.flush()

    def _on_checks(self, event: ChecksDone) -> None:
        errors = sum(1 for f in event.findings if f.severity == "error")
        warnings = sum(1 for f in event.findings if f.severity == "warning")
        # "Anyway" only when nothing still stops it: --force never gets past a possible secret.
        forced = event.forced and not event.blocking
        self._line(
            f"checks: {counted(errors, 'error')}, {counted(warnings, 'warning')}"
            + (" — deploying anyway (--force)" if forced else "")
        )
        for finding in event.blocking or [f for f in event.findings if f.severity != "info"]:
            place = f"{finding.file}:{finding.line}" if finding.line else (finding.file or "")
            self._line(
                f"  {finding.severity:<7} {finding.id:<10} {place}  {_safe(finding.message)}"
            )
        if not event.blocking:
            published = sorted(
                {
                    f.file or "?"
                    for f in event.findings
                    if f.id.startswith("SECRET") and f.severity != "info"
                }
            )
            if published:
                self._line(
                    f"publishing flagged files as asked (--allow-secret): {', '.join(published)}"
                )

    def _on_plan(self, event: PlanReady) -> None:
        for line in review_lines(event.plan, delete=self.delete):
            self._line(line)

    def _on_create(self, event: SpaceCreated) -> None:
        self._line(
            f"created {'private' if event.private else 'public'} {event.sdk} Space {event.space_id}"
        )

    def _on_settings(self, event: SettingsApplied) -> None:
        names = [f"secret {n}" for n in event.secrets] + [f"variable {n}" for n in event.variables]
        if event.hardware:
            names.append(f"hardware {event.hardware}")
        self._line("set " + ", ".join(names))

    def _on_phase(self, event: UploadPhase) -> None:
        # The two stretches without bytes to count, so a long one does not look like a hang.
        text = _PHASES.get(event.phase)
        if text:
            self._line(text)

    def _on_upload(self, event: UploadProgress) -> None:
        percent = 100 * event.bytes_done // max(event.bytes_total, 1)
        if not self.tty:
            if percent // 25 != self._last_percent // 25 or event.files_done == event.files_total:
                self._last_percent = percent
                self._line(
                    f"upload: {percent}% ({human_size(event.bytes_done)} of "
                    f"{human_size(event.bytes_total)}, {event.files_done}/"
                    f"{event.files_total} files)"
                )
            return
        filled = _BAR_WIDTH * percent // 100
        eta = f"ETA {event.eta:.0f}s" if event.eta is not None else "ETA ?"
        self.out.write(
            f"\r\x1b[2K[{'#' * filled}{'-' * (_BAR_WIDTH - filled)}] {percent:3d}%  "
            f"{human_size(event.bytes_done)}/{human_size(event.bytes_total)}  "
            f"{event.files_done}/{event.files_total} files  {human_size(event.throughput)}/s  "
            f"{eta}  {_safe(event.path or '')[:30]}"
        )
        self._bar_shown = True

    def _on_commit(self, event: Committed) -> None:
        if event.changed:
            self._line(f"committed {(event.sha or '?')[:7]}  {event.url or ''}")

    def _on_stage(self, event: StageReached) -> None:
        self._line(f"stage: {event.stage}")

    def _on_log(self, event: BuildLogLine) -> None:
        self._line(f"  {event.log} | {_safe(event.text)}")

    def _on_probe(self, event: ProbeStarted) -> None:
        self._line(f"probing {_safe(event.url)} (up to {event.wait:g} s)")

    def _on_log_lines(self, event: BuildLogLines) -> None:
        for line in event.lines:
            self._on_log(line)

    def _on_result(self, event: DeployResult) -> None:
        # A failure goes to stderr, like every other command's errors; progress stays on stdout.
        write = self._line if event.ok else self._error
        mark = "ok" if event.ok else "FAILED" if event.outcome != "cancelled" else "cancelled"
        write(f"{mark}: {_safe(cli_message(event))}")
        if event.error_lines:
            write("first error lines:")
            for line in event.error_lines:
                write(f"  {_safe(line)}")
        if event.check_ids:
            label = (
                "stopped by checks" if event.outcome == "blocked" else "likely explained by checks"
            )
            write(f"{label}: {', '.join(event.check_ids)}  (run `spacetui check` for details)")


class JsonRenderer:
    """One JSON object per event on stdout (`--json`)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, event: DeployEvent) -> None:
        # A batch of log lines stays one JSON object per line, as before batches existed.
        events = event.lines if isinstance(event, BuildLogLines) else (event,)
        bodies = []
        for one in events:
            body = one.to_json()
            if isinstance(one, DeployResult):
                body["message"] = cli_message(one)
            bodies.append(json.dumps(body, default=str) + "\n")
        self.out.write("".join(bodies))
        self.out.flush()


def waiting_line(event: FollowWaiting) -> str:
    """One line per wait of the follow: why nothing moves, and when it asks again."""
    return f"waiting: {_safe(event.reason)} Asking again in {event.retry_in_s:.0f} s."


def cli_remedy(remedy: Remedy, space_id: str = "SPACE") -> str:
    """A remedy in the command line's words: the flag to pass (follows the reason's text)."""
    match remedy:
        case Remedy.CREATE:
            return "; pass --create to create it."
        case Remedy.FORCE:
            return ": fix them, or pass --force to deploy anyway."
        case Remedy.ALLOW_SECRET:
            return (
                ": remove them, add them to .hfignore, or pass --allow-secret PATH for each file "
                "you really mean to publish."
            )
        case Remedy.RESTART:
            return ": fix the folder and deploy again, or pass --restart to try the same revision again."
        case Remedy.PROBE:
            return (
                f"; read its run log (`spacetui logs {space_id}`), or pass --no-probe to skip "
                "this check."
            )
        case _:
            assert_never(remedy)


def cli_hardware(flavor: str | None) -> str:
    """How the command line chooses hardware, in a plan refusal's ways out."""
    return f"--hardware {flavor}" if flavor else "no --hardware"


def cli_message(result: DeployResult) -> str:
    """The result's whole message, remedies and a plan refusal's ways out worded for the command
    line."""
    if result.refusal is not None:
        return result.refusal.worded(cli_hardware)
    return result.worded(lambda remedy: cli_remedy(remedy, result.space_id))


def _safe(text: str) -> str:
    """Remote or on-disk text made safe for a terminal: no escapes, no control characters, no token."""
    return for_terminal(text)
