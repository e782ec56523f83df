"""Plain-text lines of `spacetui history`: one block per revision, remote text made safe."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tui.domain.history import Revision
from tui.domain.sanitize import strip_ansi
from tui.domain.wording import counted

#: Files listed under a revision before "and N more".
_MAX_PATHS = 6


def history_lines(revisions: Sequence[Revision]) -> Iterator[str]:
    """`abc1234  2026-12-07 02:41  alice  Deploy with spacetui (…)  [RUNNING, recorded]`."""
    if not revisions:
        yield "no revisions"
        return
    for revision in revisions:
        authors = ", ".join(safe_text(a) for a in revision.authors) or "?"
        yield (
            f"{revision.sha[:7]}  {revision.date:%Y-%m-%d %H:%M}  {authors}  "
            f"{safe_text(revision.title)}  [{outcome_label(revision)}]"
        )
        changes = revision.changes
        if changes is None:
            yield "    files: (beyond --limit)"
            continue
        yield f"    {counted(changes.count, 'file')} changed"
        marked = [
            *(f"+ {p}" for p in changes.added),
            *(f"~ {p}" for p in changes.modified),
            *(f"- {p}" for p in changes.deleted),
        ]
        for entry in marked[:_MAX_PATHS]:
            yield f"      {safe_text(entry)}"
        if len(marked) > _MAX_PATHS:
            yield f"      … and {len(marked) - _MAX_PATHS} more"


def outcome_label(revision: Revision) -> str:
    """What is known of the revision's run: 'RUNNING, probe passed, now', or 'no record'."""
    parts = []
    if revision.stage:
        parts.append(safe_text(revision.stage))
    elif revision.outcome:
        parts.append(safe_text(revision.outcome))
    if revision.probe:
        parts.append(f"probe {revision.probe}")
    if revision.recorded and revision.outcome not in (None, "running", "current"):
        parts.append(safe_text(revision.outcome or ""))
    if revision.current:
        parts.append("now")
    return ", ".join(parts) if parts else "no record"


def safe_text(text: str) -> str:
    """Remote text for a terminal line: no escape sequences, no control characters."""
    # Commit titles and author names are remote text: no escapes or control characters.
    return "".join(c if c.isprintable() else " " for c in strip_ansi(text))
