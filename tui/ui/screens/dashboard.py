"""The Space list: every watched Space live, filter, sort, mark, and the keys that act on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tui.ui.board import SORT_KEYS
from tui.ui.controllers.failure import FailureExplained, explain_failure_of
from tui.ui.controllers.side_log import SideLogBatch, follow_side_log, stop_side_log
from tui.ui.keymap import FOOTER_HELP, LIST_BINDINGS, SPACE_BINDINGS
from tui.ui.messages import ActionRequested
from tui.ui.widgets.banner import Banner
from tui.ui.widgets.failure_text import failure_text
from tui.ui.widgets.log_view import LogView
from tui.ui.widgets.space_table import SpaceTable
from tui.web.mode import hidden_in_browser

if TYPE_CHECKING:
    from tui.ui.app import SpacesApp


class DashboardScreen(Screen[None]):
    """The main screen: the Space list with a notice line above and a filter line below."""

    # Help right after Open and Filter: the footer is cut at 80 columns.
    BINDINGS = [*LIST_BINDINGS[:2], FOOTER_HELP, *LIST_BINDINGS[2:], *SPACE_BINDINGS]

    filter_text: reactive[str] = reactive("")
    """Words every shown Space must match (id, SDK, stage, hardware)."""
    sort_key: reactive[str] = reactive("space")
    """The column the list is sorted by (one of `SORT_KEYS`)."""
    sort_reverse: reactive[bool] = reactive(False)
    """True when the sort is descending."""

    def __init__(self) -> None:
        super().__init__()
        self.marked: set[str] = set()
        #: The Space whose log the side log streams (wide terminals only).
        self._followed: str | None = None
        #: Bumped for every stream the side log starts: batches of older streams are dropped.
        self._side_generation = 0
        self.side_log_width: int | None = None
        """The width the side log was last placed for, wide or narrow (None before the first
        placement): the signal a test waits on to prove that a narrow list started no stream."""

    @property
    def spaces_app(self) -> SpacesApp:
        return cast("SpacesApp", self.app)

    @property
    def table(self) -> SpaceTable:
        return self.query_one("#spaces", SpaceTable)

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Banner(id="banner")
        # A wide terminal docks the selected Space's run log at the right (ui.side_log_from),
        # mounted the first time the terminal is wide enough.
        yield SpaceTable(id="spaces")
        yield Static(id="empty")
        yield Input(
            placeholder="filter: words to match (Enter keeps it, Escape clears)", id="filter"
        )
        yield Footer()

    def on_mount(self) -> None:
        self.spaces_app.board_changed.subscribe(self, lambda _: self.refresh_rows())
        # Only the "in stage" column moves with time; a 1 s tick keeps it honest.
        self.set_interval(1.0, self.refresh_rows)
        self.table.focus()
        self.refresh_rows()

    def on_resize(self) -> None:
        # The note takes the width the other columns leave: redraw at the new size.
        self.call_after_refresh(self.refresh_rows)
        self.call_after_refresh(self._place_side_log)  # once the list row is mounted

    def _place_side_log(self) -> None:
        """Show the side log from `ui.side_log_from` columns on, following the cursor."""
        threshold = self.spaces_app.config.ui.side_log_from
        wide = bool(threshold) and self.size.width >= threshold
        if wide != self.has_class("-wide"):
            self._switch_side_log(wide)
        self.side_log_width = self.size.width

    def _switch_side_log(self, wide: bool) -> None:
        """Mount and follow the side log (wide), or stop its stream (narrow)."""
        self.set_class(wide, "-wide")
        self._followed = None
        self._side_generation += 1  # whatever the old stream still posts is not shown
        if wide:
            if not self.query("#side-panel"):
                side = LogView(capacity=5_000, id="side-log")
                side.can_focus = False  # a preview: the keys stay the list's
                failure = Static(id="side-failure")
                failure.display = False
                self.mount(Vertical(failure, side, id="side-panel"), after=self.table)
            self.call_after_refresh(self._follow_selected)  # once the panel's children mounted
        else:
            stop_side_log(self.spaces_app)

    @on(DataTable.RowHighlighted, "#spaces")
    def _follow_selected(self) -> None:
        if not self.has_class("-wide") or not self.query("#side-log"):
            return  # narrow, or the panel is still mounting (it follows once mounted)
        selected = self.table.selected_space_id
        if selected and selected != self._followed:
            self._followed = selected
            self._side_generation += 1
            self.query_one("#side-log", LogView).clear()
            failure = self.query_one("#side-failure", Static)
            row = self.spaces_app.board.get(selected)
            if row and row.status.sdk == "static":
                # The Hub serves a static Space's files as they are: no log to stream (issue 13).
                stop_side_log(self.spaces_app)
                failure.update(
                    Text("Static Space: served as files, no build or run log.", style="dim")
                )
                failure.display = True
                return
            follow_side_log(self.spaces_app, self, selected, self._side_generation)
            # A failed Space: its explanation above its log (read from its logs, once).
            failure.display = bool(row and row.status.stage.is_error)
            if row and row.status.stage.is_error:
                failure.update(Text("Why it failed: reading the logs …", style="dim"))
                explain_failure_of(
                    self.spaces_app,
                    self,
                    selected,
                    row.status.stage.value,
                    row.status.error_message,
                )

    @on(SideLogBatch)
    def append_side_log(self, message: SideLogBatch) -> None:
        """Hand a batch of the followed Space's stream to the side log; drop older streams'."""
        if message.generation != self._side_generation or message.space_id != self._followed:
            return
        if self.query("#side-log"):
            self.query_one("#side-log", LogView).append_batch(message.events)

    @on(FailureExplained)
    def show_side_failure(self, event: FailureExplained) -> None:
        if event.space_id == self._followed and self.query("#side-failure"):
            self.query_one("#side-failure", Static).update(failure_text(event.explanation))

    def refresh_rows(self) -> None:
        """Redraw the list, the title, the notice and the empty-state hint from the app's board."""
        app = self.spaces_app
        rows = app.board.view(self.filter_text, self.sort_key, self.sort_reverse)
        self.marked &= {row.space_id for row in app.board.rows}
        self.table.show(
            rows,
            now=app.clock(),
            stuck_after=app.config.ui.stuck_after,
            marked=frozenset(self.marked),
        )
        _update_if_changed(self.query_one("#title", Static), self._title(len(rows)))
        notice, severity = app.notice()
        self.query_one("#banner", Banner).show_notice(notice, severity)
        empty = self.query_one("#empty", Static)
        empty.display = not rows
        _update_if_changed(empty, self._empty_hint())

    def _title(self, shown: int) -> Text:
        app = self.spaces_app
        who = app.account.name if app.account else "…"
        hub = "the offline demo Hub" if app.demo else app.target.endpoint
        title = Text.assemble(("spacetui", "bold"), f"  {who} @ {hub}")
        total = len(app.board)
        counts = f"  {shown} of {total} Spaces" if self.filter_text else f"  {total} Spaces"
        title.append(counts, style="dim")
        if self.filter_text:
            title.append(f"  filter: {self.filter_text}", style="yellow")
        arrow = "↓" if self.sort_reverse else "↑"
        title.append(f"  sort: {self.sort_key} {arrow}", style="dim")
        if self.marked:
            title.append(f"  {len(self.marked)} marked", style="bold")
        return title

    def _empty_hint(self) -> Text:
        if self.filter_text:
            return Text("No Space matches the filter. Escape clears it.", style="dim")
        if not self.spaces_app.first_round_done:
            return Text("Loading Spaces…", style="dim")
        return Text("No Spaces yet: press n to create one, or a to watch one by id.", style="dim")

    def watch_filter_text(self) -> None:
        self.refresh_rows()

    def watch_sort_key(self) -> None:
        self.refresh_rows()

    def watch_sort_reverse(self) -> None:
        self.refresh_rows()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a browser, keys that act on the server's files are hidden (see tui.web.mode)."""
        return not (getattr(self.app, "web_mode", False) and hidden_in_browser(action, parameters))

    def action_space(self, action: str) -> None:
        """Ask the app to run `action` on the selected Space (or the marked ones, for logs)."""
        selected = self.table.selected_space_id
        if action in ("logs", "build_logs") and self.marked and selected in self.marked:
            # From a marked row: every marked Space side by side. From an unmarked row the
            # selected Space alone, as without marks (the cursor is what the user looks at).
            ordered = [space_id for space_id in self.table.space_ids if space_id in self.marked]
            space_ids = tuple(ordered or sorted(self.marked))
        else:
            space_ids = (selected,) if selected else ()
        self.app.post_message(ActionRequested(action, space_ids))

    def action_open(self) -> None:
        self.action_space("open")

    @on(DataTable.RowSelected, "#spaces")
    def open_selected_row(self) -> None:
        self.action_space("open")

    def action_mark(self) -> None:
        selected = self.table.selected_space_id
        if selected:
            self.marked ^= {selected}
            self.refresh_rows()
            self.table.action_cursor_down()

    def action_clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            self.refresh_rows()

    def action_sort(self, key: str) -> None:
        if key not in SORT_KEYS:
            return
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_reverse = False
            self.sort_key = key

    @on(DataTable.HeaderSelected, "#spaces")
    def sort_by_header(self, event: DataTable.HeaderSelected) -> None:
        self.action_sort(str(event.column_key.value))

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.add_class("-shown")
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.remove_class("-shown")
        self.filter_text = ""
        self.table.focus()

    @on(Input.Changed, "#filter")
    def filter_as_typed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()

    @on(Input.Submitted, "#filter")
    def keep_filter(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.action_clear_filter()
        else:
            self.table.focus()


def _update_if_changed(widget: Static, text: Text) -> None:
    """`Static.update` lays the screen out again: on the 1 s tick, only when the text changed."""
    if widget.content != text:
        widget.update(text)
