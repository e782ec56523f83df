"""How the History pane words a revision: its cells, its files and a rollback's confirmation.

Pure functions to Rich `Text`; every remote string (title, author, path) is cleaned and appended
as plain text, so a commit titled `[red]x` or holding escape sequences shows literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from tui.ui.widgets.space_cells import safe

if TYPE_CHECKING:
    from tui.domain.history import FileChanges, Revision
    from tui.domain.rollback import RollbackPlan

#: Paths listed per kind (added, changed, deleted) before "… and N more".
PATHS_SHOWN = 12

_OUTCOME_STYLES = {
    "running": "green",
    "unchanged": "green",
    "uploaded": "green",
    "current": "cyan",
    "cancelled": "yellow",
}


def is_good(revision: Revision) -> bool:
    """Recorded as reaching RUNNING with the app answering (rollback's default target)."""
    return revision.record is not None and revision.record.reached_running


def outcome_cell(revision: Revision) -> Text:
    """`running ✓`, `build_failed`, `current (RUNNING)`, or `—` when nothing is known."""
    if revision.outcome is None:
        return Text("—", style="dim")
    text = Text(safe(revision.outcome, 24), style=_OUTCOME_STYLES.get(revision.outcome, "red"))
    if revision.stage and revision.stage.lower() != revision.outcome:
        text.append(f" ({safe(revision.stage, 24)})")
    if revision.probe == "failed":
        text.append(" app failed", style="red")
    if is_good(revision):
        text.append(" ✓", style="bold green")
    return text


def files_cell(changes: FileChanges | None) -> Text:
    """`+2 ~1 -0`, or `?` beyond the revisions read."""
    if changes is None:
        return Text("?", style="dim")
    text = Text()
    text.append(f"+{len(changes.added)}", style="green")
    text.append(f" ~{len(changes.modified)}", style="yellow")
    text.append(f" -{len(changes.deleted)}", style="red")
    return text


def revision_row(revision: Revision) -> tuple[Text, ...]:
    """The table's cells: sha, outcome, date, files, author, title.

    What a user scans for (which revision worked) comes first; the title, which the detail below
    the table repeats in full, comes last, so a narrow terminal cuts it and not the outcome."""
    sha = Text(revision.sha[:7], style="bold" if revision.current else "")
    if revision.current:
        sha.append(" ●", style="cyan")
    return (
        sha,
        outcome_cell(revision),
        Text(revision.date.strftime("%Y-%m-%d %H:%M")),
        files_cell(revision.changes),
        Text(safe(", ".join(revision.authors), 24) or "—"),
        Text(safe(revision.title, 60)),
    )


def _paths(text: Text, label: str, paths: Sequence[str], style: str) -> None:
    if not paths:
        return
    text.append(f"{label} ({len(paths)}): ", style=style)
    text.append(", ".join(safe(path, 80) for path in paths[:PATHS_SHOWN]))
    if len(paths) > PATHS_SHOWN:
        text.append(f", … and {len(paths) - PATHS_SHOWN} more")
    text.append("\n")


def revision_detail(revision: Revision) -> Text:
    """Below the table: the selected revision's title, authors and files."""
    text = Text()
    text.append(revision.sha, style="bold")
    text.append(f"  {revision.date.isoformat(timespec='seconds')}\n")
    text.append(safe(revision.title, 200) + "\n")
    changes = revision.changes
    if changes is None:
        text.append("Files: not read (beyond the revisions shown).\n", style="dim")
    else:
        _paths(text, "added", changes.added, "green")
        _paths(text, "changed", changes.modified, "yellow")
        _paths(text, "deleted", changes.deleted, "red")
    return text


def rollback_body(plan: RollbackPlan, *, probe: bool = True) -> str:
    """The confirmation's text: what the one new commit changes (plain: shown as `Text`)."""
    changes = plan.changes
    lines = [
        f'One new commit, "{plan.message}", makes {plan.space_id}\'s files those of '
        f"{plan.target_sha[:7]} ({safe(plan.target_title, 80)}); history is kept.",
        f"Now at {plan.head_sha[:7]}. The Space rebuilds"
        + (
            ", then its app is probed."
            if probe
            else " (the app is not probed: 'Probe app' is off)."
        ),
        "",
    ]
    for label, paths in (
        ("restored (added back)", changes.added),
        ("changed back", changes.modified),
        ("deleted", changes.deleted),
    ):
        if paths:
            shown = ", ".join(safe(path, 80) for path in paths[:PATHS_SHOWN])
            more = f", … and {len(paths) - PATHS_SHOWN} more" if len(paths) > PATHS_SHOWN else ""
            lines.append(f"{label} ({len(paths)}): {shown}{more}")
    return "\n".join(lines)
