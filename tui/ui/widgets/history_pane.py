"""HistoryPane: a Space's revisions with their outcomes, and rollback to one of them.

The app's `HistoryController` reads the history and plans a rollback in workers; this pane draws
what it posts, asks the user to confirm a rollback (naming what changes), and posts the request.
The confirmed rollback runs like a deploy, so the pane hands over to the Deploy pane to show it.
A deploy or rollback of the Space ending reloads the history (the pane watches the deploys).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, ContentSwitcher, DataTable, Static

from tui.ui.controllers.deploy_messages import (
    DeployFinished,
    DeployProgressed,
    DeployReviewRequested,
    DeployStarted,
    ExistenceKnown,
)
from tui.ui.controllers.history_messages import (
    HistoryFailed,
    HistoryLoaded,
    RollbackPlanned,
    RollbackRequested,
)
from tui.ui.screens.dialogs import ConfirmDialog
from tui.ui.widgets.history_text import is_good, revision_detail, revision_row, rollback_body

if TYPE_CHECKING:
    from tui.domain.history import Revision
    from tui.domain.rollback import RollbackPlan
    from tui.ui.app import SpacesApp

HISTORY_BINDINGS: list[BindingType] = [
    Binding(
        "U",
        "rollback",
        "Roll back",
        id="history.rollback",
        tooltip="Roll the Space back to the selected revision (asks first; one new commit)",
    ),
]


class HistoryPane(Vertical):
    """The Space's revisions, newest first; U rolls back to the selected one."""

    BINDINGS = HISTORY_BINDINGS
    DEFAULT_CSS = """
    HistoryPane {
        height: 1fr;
        & > Static { padding: 0 1; height: auto; }
        & #history-table { height: 1fr; min-height: 4; }
        & #history-detail-box { height: auto; max-height: 10; padding: 0 1; }
    }
    """

    def __init__(self, space_id: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.space_id = space_id
        self.revisions: tuple[Revision, ...] = ()
        #: True from the request until the controller answers.
        self.loading = False
        self._loaded_once = False

    @property
    def spaces_app(self) -> SpacesApp:
        return cast("SpacesApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="history-status")
        table: DataTable[Text] = DataTable(
            cursor_type="row", zebra_stripes=True, id="history-table"
        )
        table.add_columns("Revision", "Outcome", "Date (UTC)", "Files", "Author", "Title")
        yield table
        with VerticalScroll(id="history-detail-box"):
            yield Static(id="history-detail")

    def on_mount(self) -> None:
        # A deploy or rollback of this Space ending changes its history: reload then.
        self.spaces_app.deploys.watch(self.space_id, self)

    def on_unmount(self) -> None:
        self.spaces_app.deploys.unwatch(self.space_id, self)

    def on_show(self) -> None:
        if not self._loaded_once:
            self.reload()
        self.call_after_refresh(self._focus_table)

    def _focus_table(self) -> None:
        """Give the table the focus (its keys, U among them, need it) while the pane is shown.

        `loading` is Textual's own reactive: while it is True the pane is covered by a loading
        indicator and left out of the focus chain; a focus given then left the footer without
        the table's keys (no U) once the cover went. The answer's handlers focus again after."""
        if self.display and not self.loading:
            self.query_one("#history-table", DataTable).focus()

    def on_hide(self) -> None:
        # Another pane is shown: keys must reach the Space screen, not this hidden pane.
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors_with_self:
            self.screen.set_focus(None)

    def reload(self) -> None:
        """Ask the controller for the history again."""
        self._loaded_once = True
        self.loading = True
        self._status(Text(f"Reading the history of {self.space_id} …"))
        self.spaces_app.history.load(self.space_id, self)

    def _status(self, text: Text) -> None:
        self.query_one("#history-status", Static).update(text)

    # ---- what the controllers report ------------------------------------------------------

    @on(DeployFinished)
    def deploy_ended(self, message: DeployFinished) -> None:
        message.stop()  # the Deploy pane words the result; here only the history changed
        if self._loaded_once:
            self.reload()

    @on(DeployStarted)
    @on(DeployProgressed)
    @on(DeployReviewRequested)
    @on(ExistenceKnown)
    def not_for_history(self, message: Message) -> None:
        message.stop()  # the Deploy pane's: it gets its own copy of each

    @on(HistoryLoaded)
    def show_history(self, message: HistoryLoaded) -> None:
        self.loading = False
        self.call_after_refresh(self._focus_table)
        self.revisions = message.revisions
        table = self.query_one("#history-table", DataTable)
        table.clear()
        for revision in self.revisions:
            table.add_row(*revision_row(revision), key=revision.sha)
        if not self.revisions:
            self._status(Text(f"{self.space_id} has no commits yet."))
            self.query_one("#history-detail", Static).update("")
            return
        good = sum(1 for revision in self.revisions if is_good(revision))
        self._status(
            Text(
                f"{len(self.revisions)} revisions, newest first; {good} recorded as working (✓). "
                "U: roll back to the selected one."
            )
        )
        table.move_cursor(row=self.default_row())
        self._show_detail(table.cursor_row)

    @on(HistoryFailed)
    def show_failure(self, message: HistoryFailed) -> None:
        self.loading = False
        self._status(Text(message.message, style="red"))

    def default_row(self) -> int:
        """The newest revision below the head recorded as working, else the head."""
        for index, revision in enumerate(self.revisions):
            if index > 0 and is_good(revision):
                return index
        return 0

    @on(DataTable.RowHighlighted, "#history-table")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        if 0 <= row < len(self.revisions):
            self.query_one("#history-detail", Static).update(revision_detail(self.revisions[row]))

    def selected(self) -> Revision | None:
        row = self.query_one("#history-table", DataTable).cursor_row
        return self.revisions[row] if 0 <= row < len(self.revisions) else None

    # ---- what the user asks for -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.display:
            return False
        if action == "rollback":
            return bool(self.revisions)
        return True

    def action_rollback(self) -> None:
        revision = self.selected()
        if revision is None:
            raise SkipAction()
        self._status(Text(f"Comparing the Space with {revision.sha[:7]} …"))
        self.spaces_app.history.plan(self.space_id, revision.sha, self)

    @on(RollbackPlanned)
    def confirm_rollback(self, message: RollbackPlanned) -> None:
        plan = message.plan
        if not plan.changes.count:
            self._status(
                Text(
                    f"{self.space_id} already has the files of {plan.target_sha[:7]}: nothing to do."
                )
            )
            return
        self._status(Text(f"Roll back to {plan.target_sha[:7]}? (asked in the dialog)"))

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(plan)
            else:
                self._status(Text("Rollback not started."))

        self.app.push_screen(
            ConfirmDialog(
                f"Roll {self.space_id} back to {plan.target_sha[:7]}?",
                rollback_body(plan, probe=self._probe_wanted()),
                "Roll back",
            ),
            answered,
        )

    def _start(self, plan: RollbackPlan) -> None:
        self.post_message(RollbackRequested(plan, probe=self._probe_wanted()))
        if self.spaces_app.web_mode:
            # In a browser the Deploy pane is off (it deploys the server's files): the toast tells.
            self._status(Text(f"Rolling back to {plan.target_sha[:7]}; a toast says how it ends."))
            return
        self._status(Text(f"Rolling back to {plan.target_sha[:7]}: see the Deploy pane."))
        # The rollback runs like a deploy: the Deploy pane shows its progress and result.
        self.screen.query_one("#panes", ContentSwitcher).current = "deploy"

    def _probe_wanted(self) -> bool:
        """The Deploy pane's "Probe app" toggle, when the screen has one."""
        boxes = self.screen.query("#opt-probe").results(Checkbox)
        return next((box.value for box in boxes), True)
