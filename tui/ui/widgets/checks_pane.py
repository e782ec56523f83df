"""ChecksPane: the config checks of the folder linked to a Space, grouped by severity.

The app's `ChecksController` runs the checks and reads files (in thread workers); their results
arrive as messages and the pane draws them. The pane never reads or changes the folder.
Enter on a finding shows the file at its line; `o` opens it in `$EDITOR` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.ui.controllers.checks import ChecksFailed, ChecksFinished, FileLoaded
from tui.ui.widgets.check_file_view import FileView
from tui.ui.widgets.check_render import (
    clean,
    finding_text,
    group_title,
    grouped,
    summary_text,
)

if TYPE_CHECKING:
    from tui.domain.checks.engine import CheckReport
    from tui.domain.checks.findings import Finding
    from tui.ui.app import SpacesApp

CHECKS_BINDINGS: list[BindingType] = [
    # c is Checks everywhere: on the checks pane it runs them again.
    Binding("c", "run_checks", "Re-run checks", id="checks.rerun", tooltip="Run the checks again"),
    Binding(
        "O",
        "open_editor",
        "Open in $EDITOR",
        id="checks.editor",
        tooltip="Open the finding's file at its line in $EDITOR",
    ),
]


class ChecksPane(Vertical):
    """Findings of `spacetui check` for the Space's linked folder, re-run with `r`."""

    BINDINGS = CHECKS_BINDINGS
    DEFAULT_CSS = """
    ChecksPane {
        height: 1fr;
        & #checks-summary { padding: 0 1; height: auto; }
        & #findings { height: 1fr; }
    }
    """

    def __init__(self, space_id: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.space_id = space_id
        self.folder: Path | None = None
        self.report: CheckReport | None = None
        #: Option id -> finding, for the options that are findings (headers are disabled).
        self.findings: dict[str, Finding] = {}

    @property
    def spaces_app(self) -> SpacesApp:
        return cast("SpacesApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="checks-summary")
        yield OptionList(id="findings")

    def on_mount(self) -> None:
        self.spaces_app.config_changed.subscribe(self, lambda _: self._follow_linked_folder())

    def _follow_linked_folder(self) -> None:
        """`f` linked another folder while the pane is shown: its findings (or its "No local
        folder" hint) are about the old one, so run the checks of the new one."""
        if self.linked_folder() == self.folder:
            return
        if self.display:
            self.action_run_checks()
        else:
            self.report = None  # shown later: `on_show` runs the checks of the new folder

    def on_show(self) -> None:
        # Checks read every file of the folder: run them when the pane is first shown, and again
        # when the linked folder changed meanwhile (`f`), not for a pane nobody looks at.
        if self.report is None or self.linked_folder() != self.folder:
            self.action_run_checks()
        # The Space screen switches panes without moving focus; the pane's keys need it.
        self.call_after_refresh(self.query_one("#findings", OptionList).focus)

    def on_hide(self) -> None:
        # Another pane is shown: keys must reach the Space screen, not this hidden pane.
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors_with_self:
            self.screen.set_focus(None)

    def linked_folder(self) -> Path | None:
        """The folder spacetui.yaml links to the Space (read each time: `f` may link one)."""
        entry = self.spaces_app.config.space(self.space_id)
        return entry.folder if entry else None

    def action_run_checks(self) -> None:
        folder = self.linked_folder()
        summary = self.query_one("#checks-summary", Static)
        if folder is None:
            self.folder = None
            self._show_findings(())
            summary.update(
                Text(
                    f"No local folder is linked to {self.space_id}. Press F to link one "
                    "(saved in spacetui.yaml), then r to run the checks."
                )
            )
            return
        self.folder = folder
        summary.update(Text(f"Checking {clean(str(folder))} …"))
        self.spaces_app.checks.run(self, folder)

    @on(ChecksFinished)
    def show_report(self, event: ChecksFinished) -> None:
        self.report = event.report
        self.query_one("#checks-summary", Static).update(
            summary_text(str(event.folder), event.report.summary())
        )
        self._show_findings(event.report.findings)

    @on(ChecksFailed)
    def show_failure(self, event: ChecksFailed) -> None:
        self.report = None
        self._show_findings(())
        self.query_one("#checks-summary", Static).update(
            Text(f"The checks could not run: {clean(event.message)}", style="red")
        )

    def _show_findings(self, findings: tuple[Finding, ...]) -> None:
        options = self.query_one("#findings", OptionList)
        options.clear_options()
        self.findings = {}
        items: list[Option | None] = []
        for severity, group in grouped(findings):
            items.append(Option(group_title(severity, len(group)), disabled=True))
            for finding in group:
                option_id = f"finding-{len(self.findings)}"
                self.findings[option_id] = finding
                items.append(Option(finding_text(finding), id=option_id))
        if self.report is not None and not findings:
            items.append(Option(Text("No findings: the folder looks ready to deploy.", "green")))
        options.add_options(items)
        first = next(iter(self.findings), None)
        if first is not None:
            options.highlighted = options.get_option_index(first)

    def selected(self) -> Finding | None:
        """The highlighted finding, if it is one."""
        options = self.query_one("#findings", OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self.findings.get(option.id or "")

    @on(OptionList.OptionSelected, "#findings")
    def show_file(self, event: OptionList.OptionSelected) -> None:
        finding = self.findings.get(event.option.id or "")
        if finding is None or self.folder is None:
            return
        self.spaces_app.checks.load_file(self, self.folder, finding)

    @on(FileLoaded)
    def open_file_view(self, event: FileLoaded) -> None:
        self.app.push_screen(FileView(event.title, event.lines, event.line))

    def action_open_editor(self) -> None:
        finding = self.selected()
        if finding is None:
            raise SkipAction()  # `o` then means the Space screen's own key
        if self.folder is not None and self.spaces_app.checks.open_in_editor(self.folder, finding):
            self.action_run_checks()
