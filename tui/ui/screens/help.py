"""The help screen: every key of the app (after the user's keymap), grouped by where it works."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.keymap import HELP_BINDINGS, all_groups, keys_for

if TYPE_CHECKING:
    from tui.ui.app import SpacesApp


class HelpScreen(ModalScreen[None]):
    """Lists every binding; Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [*HELP_BINDINGS]

    def compose(self) -> ComposeResult:
        keymap = cast("SpacesApp", self.app).applied_keymap
        groups = all_groups()
        every = [binding for _, bindings in groups for binding in bindings]
        # One width per column for every group: each group is its own table, and a wider key
        # in one ("enter, d, esc") shifted that group's columns off the others'.
        key_width = max(len(keys_for(binding, keymap)) for binding in every)
        what_width = max(len(binding.description or binding.action) for binding in every)
        with VerticalScroll(id="help-box"):
            yield Static(Text("spacetui keys", style="bold"), id="help-title")
            for title, bindings in groups:
                table = Table(title=title, title_justify="left", show_header=False, box=None)
                table.add_column(width=key_width, style="bold", no_wrap=True)
                table.add_column(width=what_width)
                table.add_column(style="dim", overflow="fold")
                for binding in bindings:
                    table.add_row(
                        Text(keys_for(binding, keymap)),
                        Text(binding.description or binding.action),
                        Text(binding.id or ""),
                    )
                yield Static(table, classes="help-group")
            yield Static(
                Text(
                    "Remap any key in spacetui.yaml, e.g.  keymap: {space.restart: ctrl+r}",
                    style="dim",
                ),
                id="help-footer",
            )
