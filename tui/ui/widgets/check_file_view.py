"""A read-only view of one file of the Space folder, scrolled to the line a finding points at."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea
from textual.widgets.text_area import Selection

from tui.ui.keymap import FOOTER_HELP
from tui.ui.widgets.key_footer import KeyFooter

FILE_VIEW_BINDINGS = [
    Binding("escape", "close", "Back", id="checks.file.close", tooltip="Back to the findings"),
    # A modal screen hides the app's keys: without its own, ? did nothing here and the footer
    # named no Help.
    FOOTER_HELP,
]


class FileView(ModalScreen[None]):
    """Shows `lines` (already cleaned) with line numbers; the finding's line is selected."""

    BINDINGS: ClassVar[list[BindingType]] = [*FILE_VIEW_BINDINGS]
    DEFAULT_CSS = """
    FileView {
        align: center middle;
        & > Vertical { width: 95%; height: 90%; border: round $accent; background: $surface; }
        & Label { padding: 0 1; text-style: bold; }
        & TextArea { height: 1fr; }
    }
    """

    def __init__(self, title: str, lines: list[str], line: int | None) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), id="file-title")
            yield TextArea(
                "\n".join(self.lines),
                read_only=True,
                show_line_numbers=True,
                soft_wrap=False,
                id="file-text",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        text_area = self.query_one("#file-text", TextArea)
        text_area.focus()
        if self.line and 0 < self.line <= len(self.lines):
            index = self.line - 1
            # After the first layout, so "center" knows the real height of the view.
            self.call_after_refresh(text_area.move_cursor, (index, 0), center=True)
            # Selected from its end back to its start: the cursor sits at the start, so a line
            # wider than the view shows its beginning (selected forwards, an 80-column view
            # scrolled to the line's end and cut the start of every line).
            end = (index, len(self.lines[index]))
            self.call_after_refresh(
                setattr, text_area, "selection", Selection(start=end, end=(index, 0))
            )

    async def action_help(self) -> None:
        """The app's help, over this view."""
        await self.app.run_action("help")

    def action_close(self) -> None:
        self.dismiss(None)
