"""What the deploy pane's stage line says for each step of a deploy (pure: events to Rich `Text`)."""

from __future__ import annotations

from rich.text import Text

from tui.domain.checks.findings import Severity
from tui.domain.deploy.events import (
    ChecksDone,
    Committed,
    DeployResult,
    FollowWaiting,
    ProbeStarted,
    SettingsApplied,
    SpaceCreated,
    StageReached,
    UploadPhase,
)
from tui.domain.models import Stage
from tui.domain.wording import counted
from tui.ui.widgets.check_render import clean
from tui.ui.widgets.space_cells import format_duration, stage_badge

_PHASES = {  # phase -> (what the stage line says, its style)
    "preparing": ("Preparing the upload: reading the files, asking the Hub how to send each …", ""),
    "committing": ("Committing: the Hub has every byte and applies the commit …", ""),
    "too_late": (
        "Too late to cancel: the Hub has the whole commit; waiting for its answer …",
        "yellow",
    ),
}


def value_asked_line(name: str, *, secret: bool) -> Text:
    """The deploy waits on the user, not on the Hub: a prompt asks for this value."""
    kind = "secret" if secret else "variable"
    return Text(f"Waiting for the value of {kind} {clean(name)} …")


def checks_line(event: ChecksDone) -> Text:
    errors = sum(1 for f in event.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in event.findings if f.severity is Severity.WARNING)
    text = Text(f"Checks: {counted(errors, 'error')}, {counted(warnings, 'warning')}")
    if event.forced and not event.blocking:  # force never gets past a possible secret
        text.append(" — deploying anyway (force)", style="yellow")
    return text


def created_line(event: SpaceCreated) -> Text:
    visibility = "private" if event.private else "public"
    return Text(f"Created the {visibility} {clean(event.sdk)} Space {event.space_id}.")


def settings_line(event: SettingsApplied) -> Text:
    names = [f"secret {n}" for n in event.secrets] + [f"variable {n}" for n in event.variables]
    if event.hardware:
        names.append(f"hardware {event.hardware}")
    return Text("Set " + ", ".join(clean(name) for name in names) + ".")


def phase_line(event: UploadPhase) -> Text | None:
    """The stretches with no bytes to count: without a word they look like a hang."""
    if event.phase not in _PHASES:
        return None
    words, style = _PHASES[event.phase]
    return Text(words, style=style)


def commit_line(event: Committed) -> Text:
    if event.changed:
        return Text(f"Committed {(event.sha or '?')[:7]}; following the build …")
    return Text("Nothing changed since the last deploy: no commit made.")


def stage_line(event: StageReached, elapsed: float | None = None) -> Text:
    """`Stage: BUILDING · 1m 05s since the commit` (the build's elapsed time, when known)."""
    text = Text("Stage: ")
    text.append_text(stage_badge(Stage.parse(event.stage), event.stage))
    if elapsed is not None:
        text.append(f" · {format_duration(elapsed)} since the commit", style="dim")
    return text


def probe_line(event: ProbeStarted) -> Text:
    """RUNNING is the Hub's word: the app itself is asked before the deploy counts as done."""
    return Text(f"RUNNING; asking the app at {clean(event.url)} (up to {event.wait:g} s) …")


def waiting_line(event: FollowWaiting) -> Text:
    """The follow waits out the Hub (429/5xx): why nothing moves, and when it asks again."""
    return Text(
        f"Waiting for the Hub: {clean(event.reason)} Asking again in {event.retry_in_s:.0f} s …",
        style="yellow",
    )


def finished_line(event: DeployResult, build_seconds: float | None = None) -> Text:
    """`Finished: RUNNING · 2m 10s after the commit`."""
    text = Text("Finished: ")
    if event.stage:
        text.append_text(stage_badge(Stage.parse(event.stage), event.stage))
    else:
        text.append(event.outcome)
    if build_seconds is not None:
        text.append(f" · {format_duration(build_seconds)} after the commit", style="dim")
    return text
