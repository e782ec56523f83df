"""A read-only view of one file of the Space folder, scrolled to the line a finding points at."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, TextArea

FILE_VIEW_BINDINGS = [
    Binding("escape", "close", "Back", id="checks.file.close", tooltip="Back to the findings"),
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
        yield Footer()

    def on_mount(self) -> None:
        text_area = self.query_one("#file-text", TextArea)
        text_area.focus()
        if self.line and 0 < self.line <= len(self.lines):
            index = self.line - 1
            # After the first layout, so "center" knows the real height of the view.
            self.call_after_refresh(text_area.move_cursor, (index, 0), center=True)
            self.call_after_refresh(text_area.select_line, index)

    def action_close(self) -> None:
        self.dismiss(None)
