"""One Space: its runtime panel, and the places where config checks and deploy plug in."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static

from tui.ui.actions import space_url
from tui.ui.board import BoardRow
from tui.ui.controllers.failure import FailureExplained, explain_failure_of
from tui.ui.keymap import SPACE_SCREEN_ALL
from tui.ui.messages import ActionRequested
from tui.ui.widgets.banner import Banner
from tui.ui.widgets.checks_pane import ChecksPane
from tui.ui.widgets.deploy_pane import DeployPane
from tui.ui.widgets.failure_text import failure_text
from tui.ui.widgets.history_pane import HistoryPane
from tui.ui.widgets.space_cells import (
    age_cell,
    hardware_cell,
    safe,
    since_cell,
    sleep_time_text,
    stage_badge,
)
from tui.web.mode import hidden_in_browser

if TYPE_CHECKING:
    from tui.ui.app import SpacesApp


class SpaceScreen(Screen[None]):
    """The runtime panel of one Space, with keys to its logs, checks, deploy and actions."""

    BINDINGS: ClassVar[list[BindingType]] = [*SPACE_SCREEN_ALL]

    def __init__(self, space_id: str, pane: str = "runtime") -> None:
        super().__init__()
        self.space_id = space_id
        self.initial_pane = pane
        self._shown_fields: list[tuple[str, Text]] | None = None  # what the panel shows
        #: The failure (stage, revision) whose explanation was asked for.
        self._explained: tuple[str, str | None] | None = None

    @property
    def spaces_app(self) -> SpacesApp:
        return cast("SpacesApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(Text(self.space_id, style="bold"), id="space-title")
        yield Banner(id="space-banner")
        with ContentSwitcher(initial=self.initial_pane, id="panes"):
            with VerticalScroll(id="runtime"):
                yield Static(id="runtime-panel")
                yield Static(id="failure")  # why a failed Space failed (issue 13)
            yield ChecksPane(self.space_id, id="checks")
            yield DeployPane(self.space_id, id="deploy")
            yield HistoryPane(self.space_id, id="history")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.space_id
        self.spaces_app.board_changed.subscribe(self, lambda _: self.refresh_panel())
        self.refresh_panel()
        self.set_interval(1.0, self.refresh_panel)

    def refresh_panel(self) -> None:
        """Redraw the runtime panel from the app's board."""
        row = self.spaces_app.board.get(self.space_id)
        banner = self.query_one("#space-banner", Banner)
        if row is None:
            banner.show_notice(
                Text(f"{self.space_id} is not in the watched list (yet)."), "warning"
            )
            self._show_fields([])
            return
        banner.show_notice(
            Text(f"⚠ Last known status: {safe(row.stale_reason)}") if row.stale_reason else None,
            "warning",
        )
        self._show_fields(self._runtime_fields(row))
        self._explain(row)

    def _explain(self, row: BoardRow) -> None:
        """For a Space in an error stage, ask once per failure (stage and revision) why."""
        status = row.status
        failure = self.query_one("#failure", Static)
        if not status.stage.is_error:
            failure.display = False
            self._explained = None
            return
        key = (status.stage.value, status.sha)
        if key == self._explained:
            return
        self._explained = key
        failure.display = True
        failure.update(Text("Why it failed: reading the logs …", style="dim"))
        explain_failure_of(
            self.spaces_app, self, self.space_id, status.stage.value, status.error_message
        )

    @on(FailureExplained)
    def show_failure(self, event: FailureExplained) -> None:
        if event.space_id == self.space_id:
            self.query_one("#failure", Static).update(failure_text(event.explanation))

    def _show_fields(self, fields: list[tuple[str, Text]]) -> None:
        """Update the panel only when a field changed: each update lays the screen out again,
        and the 1 s tick mostly finds nothing new (the idle app's CPU, issue 13)."""
        if fields == self._shown_fields:
            return
        self._shown_fields = fields
        panel = self.query_one("#runtime-panel", Static)
        if not fields:
            panel.update(Text("No status yet."))
            return
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", justify="right")
        table.add_column()
        for name, value in fields:
            table.add_row(name, value)
        panel.update(table)

    def _runtime_fields(self, row: BoardRow) -> list[tuple[str, Text]]:
        app = self.spaces_app
        now = app.clock()
        status = row.status
        entry = app.config.space(self.space_id)
        sleep = sleep_time_text(status.sleep_time)
        fields: list[tuple[str, Text]] = [
            ("Stage", stage_badge(status.stage, status.raw_stage)),
            ("In stage", age_cell(row, now, app.config.ui.stuck_after)),
            ("Hardware", hardware_cell(row)),
            ("SDK", Text(safe(status.sdk) or "-")),
            (
                "Visibility",
                Text(
                    "-" if status.private is None else ("private" if status.private else "public")
                ),
            ),
            ("Sleep time", Text(sleep)),
            ("Last change", since_cell(status.last_modified, now)),
            ("Revision", Text(safe(status.sha, 40) or "-")),
            ("URL", Text(space_url(app.target.endpoint, self.space_id))),
            (
                "Local folder",
                Text(
                    str(entry.folder)
                    if entry and entry.folder
                    else "-"
                    if app.web_mode
                    else "- (F to link one)"
                ),
            ),
        ]
        if status.error_message:
            fields.append(("Error", Text(safe(status.error_message, 400), style="red")))
        return fields

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a browser, keys that act on the server's files are hidden (see tui.web.mode)."""
        return not (self.spaces_app.web_mode and hidden_in_browser(action, parameters))

    def action_pane(self, pane: str) -> None:
        """Show one of the panes: runtime, checks, deploy, history."""
        self.query_one("#panes", ContentSwitcher).current = pane

    def action_space(self, action: str) -> None:
        # The panes of this screen, not Hub actions (web mode hides them: they read server files).
        if action in ("checks", "deploy") and not self.spaces_app.web_mode:
            self.action_pane(action)
            return
        self.app.post_message(ActionRequested(action, (self.space_id,)))
