"""A one-line notice above the Space list: demo mode, sign-in failure, config error, stale data."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class Banner(Static):
    """Shows the most important notice, or hides itself when there is none."""

    DEFAULT_CSS = """
    Banner { height: auto; padding: 0 1; display: none; }
    Banner.-shown { display: block; }
    Banner.-info { background: $primary-muted; color: $text; }
    Banner.-warning { background: $warning-muted; color: $text; }
    Banner.-error { background: $error-muted; color: $text; }
    """

    def show_notice(self, text: Text | None, severity: str = "info") -> None:
        """Show `text` (a `Text`, never markup) with a severity colour; None hides the banner."""
        self.set_class(text is not None, "-shown")
        for name in ("info", "warning", "error"):
            self.set_class(name == severity, f"-{name}")
        if self.content != (text or ""):  # the dashboard asks every second; each update lays out
            self.update(text or "")
