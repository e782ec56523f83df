"""A failure explanation as the Space screen shows it: cause, proving lines, check ids, fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tui.ui.widgets.check_render import clean

if TYPE_CHECKING:
    from tui.domain.failures import FailureExplanation


def failure_text(explanation: FailureExplanation | None) -> Text:
    """Every part of the explanation as plain text (log lines are remote text: cleaned)."""
    text = Text("Why it failed\n", style="bold red")
    if explanation is None:
        text.append("The logs could not be read; l or b opens them.", style="dim")
        return text
    text.append(clean(explanation.summary))
    if explanation.lines:
        text.append("\nFrom the log:\n", style="bold")
        for line in explanation.lines:
            text.append(f"  {clean(line)}\n", style="red")
    if explanation.check_ids:
        if not text.plain.endswith("\n"):
            text.append("\n")
        text.append("Checks that predict it: ", style="bold")
        text.append(", ".join(clean(check_id) for check_id in explanation.check_ids))
        text.append(" (c runs them on the linked folder)", style="dim")
    if explanation.hint:
        text.append("\nFix: ", style="bold")
        text.append(clean(explanation.hint))
    return text
