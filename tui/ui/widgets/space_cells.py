"""How one Space's fields look in a cell: stage badges, ages, stuck marks, untrusted text made safe.

Every value that came from the Hub goes through `safe` and into a `Text` (never markup), so a
Space's error message cannot style the screen or emit control sequences.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from tui.domain.models import Stage
from tui.domain.redact import redact
from tui.domain.sanitize import strip_ansi
from tui.ui.board import BoardRow, parse_timestamp

STAGE_STYLES: Mapping[Stage, str] = {
    Stage.RUNNING: "bold green",
    Stage.BUILDING: "bold yellow",
    Stage.RUNNING_BUILDING: "yellow",
    Stage.APP_STARTING: "bold cyan",
    Stage.RUNNING_APP_STARTING: "cyan",
    Stage.BUILD_ERROR: "bold red",
    Stage.RUNTIME_ERROR: "bold red",
    Stage.CONFIG_ERROR: "bold red",
    Stage.NO_APP_FILE: "red",
    Stage.PAUSED: "bright_black",
    Stage.STOPPED: "bright_black",
    Stage.SLEEPING: "blue",
    Stage.DELETING: "magenta",
    Stage.UNKNOWN: "bright_black",
}
_STAGE_ICONS: Mapping[Stage, str] = {
    Stage.RUNNING: "●",
    Stage.BUILDING: "◐",
    Stage.RUNNING_BUILDING: "◐",
    Stage.APP_STARTING: "◑",
    Stage.RUNNING_APP_STARTING: "◑",
    Stage.PAUSED: "‖",
    Stage.SLEEPING: "☾",
    Stage.STOPPED: "■",
}


def safe(text: str | None, limit: int = 120) -> str:
    """Remote text without control sequences or tokens, on one line, cut to `limit` characters."""
    if not text:
        return ""
    flat = " ".join(redact(strip_ansi(text)).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def stage_badge(stage: Stage, raw_stage: str = "") -> Text:
    """`● RUNNING` in the stage's colour; an unknown Hub stage shows its own (safe) name."""
    name = stage.value if stage is not Stage.UNKNOWN or not raw_stage else safe(raw_stage, 24)
    icon = _STAGE_ICONS.get(stage, "✕" if stage.is_error else "·")
    return Text(f"{icon} {name}", style=STAGE_STYLES.get(stage, ""))


def format_duration(seconds: float) -> str:
    """`45s`, `3m 05s`, `2h 10m`, `3d 4h`: two units at most."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"


def sleep_time_text(seconds: int | None) -> str:
    """A Space's sleep time as people say it: `1 h`, `15 min`, `never`, `-` when unknown."""
    if seconds is None:
        return "-"
    if seconds < 0:
        return "never"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def age_cell(row: BoardRow, now: float, stuck_after: Mapping[Stage, float]) -> Text:
    """Time in the current stage where it is known; a stuck mark.

    A Space already in its stage at start-up has no known entry time: `-`, except in a stage
    that can look stuck (building, starting), where the lower bound (`≥19m 00s`) is what tells;
    that bound is floored to the minute, so it stays true and changes once a minute (ticking
    every row each second was most of the idle app's CPU).
    """
    if not row.entered_known and row.status.stage not in stuck_after:
        return Text("-", style="dim")
    seconds = row.time_in_stage(now)
    if not row.entered_known:
        seconds = seconds // 60 * 60
    text = Text(("" if row.entered_known else "≥") + format_duration(seconds))
    if row.looks_stuck(now, stuck_after):
        text.append(" ⚠ stuck", style="bold red")
    return text


def since_cell(timestamp: str | None, now: float) -> Text:
    """`5m ago` for a Hub timestamp, or `-` when there is none."""
    when = parse_timestamp(timestamp)
    if when is None:
        return Text("-", style="dim")
    return Text(f"{format_duration(max(0.0, now - when)).split(' ')[0]} ago")


def hardware_cell(row: BoardRow) -> Text:
    """The current flavor; the requested one dimmed when nothing runs; `a → b` while it changes."""
    status = row.status
    current = safe(status.hardware, 24)
    requested = safe(status.requested_hardware, 24)
    if not current:
        return Text(requested or "-", style="dim")
    text = Text(current)
    if requested and requested != current:
        text.append(f" → {requested}", style="yellow")
    return text


#: The note's narrowest cut; the list gives it whatever width the other columns leave.
NOTE_WIDTH = 44


def note_cell(row: BoardRow, width: int = NOTE_WIDTH) -> Text:
    """Why the row may be wrong (stale) or what went wrong (the Hub's error message)."""
    if row.stale_reason:
        return Text(f"⚠ stale: {safe(row.stale_reason, width)}", style="yellow")
    if row.status.error_message:
        return Text(safe(row.status.error_message, width), style="red")
    return Text("")
