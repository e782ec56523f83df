"""ChecksPane: the config checks of the folder linked to a Space, grouped by severity.

The checks run in a thread worker and arrive as a message; the pane never changes the folder.
Enter on a finding shows the file at its line; `o` opens it in `$EDITOR` instead.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.domain.redact import redact
from tui.ui.widgets.check_file_view import FileView
from tui.ui.widgets.check_render import (
    MAX_VIEW_BYTES,
    clean,
    finding_text,
    group_title,
    grouped,
    place,
    summary_text,
    viewable_lines,
)

if TYPE_CHECKING:
    from tui.domain.checks.engine import CheckReport
    from tui.domain.checks.findings import Finding
    from tui.ui.app import SpacesApp

CHECKS_BINDINGS = [
    Binding("r", "run_checks", "Re-run checks", id="checks.rerun", tooltip="Run the checks again"),
    Binding(
        "o",
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

    @dataclass
    class Finished(Message):
        """The checks of `folder` ran."""

        folder: Path
        report: CheckReport

    @dataclass
    class Failed(Message):
        """The checks could not run (the folder vanished, cannot be read...)."""

        folder: Path
        message: str

    @dataclass
    class FileLoaded(Message):
        """A finding's file, read and cleaned for the viewer."""

        title: str
        lines: list[str]
        line: int | None

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
                    f"No local folder is linked to {self.space_id}. Press f to link one "
                    "(saved in spacetui.yaml), then r to run the checks."
                )
            )
            return
        self.folder = folder
        summary.update(Text(f"Checking {clean(str(folder))} …"))
        self._run(folder)

    @work(thread=True, exclusive=True, group="checks", exit_on_error=False)
    def _run(self, folder: Path) -> None:
        """Run the checks off the event loop (they read every file of the folder)."""
        from tui.domain.checks.engine import run_checks
        from tui.domain.errors import SpacetuiError

        if not folder.is_dir():
            self.post_message(self.Failed(folder, f"{folder} is not a folder (any more)."))
            return
        try:
            report = run_checks(folder)
        except SpacetuiError as exc:
            self.post_message(self.Failed(folder, exc.message))
        except OSError as exc:
            self.post_message(self.Failed(folder, f"{exc.filename or folder}: {exc.strerror}"))
        else:
            self.post_message(self.Finished(folder, report))

    @on(Finished)
    def show_report(self, event: Finished) -> None:
        self.report = event.report
        self.query_one("#checks-summary", Static).update(
            summary_text(str(event.folder), event.report.summary())
        )
        self._show_findings(event.report.findings)

    @on(Failed)
    def show_failure(self, event: Failed) -> None:
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

    def _file_of(self, finding: Finding | None) -> Path | None:
        """The finding's file inside the folder, or None (with a toast saying why)."""
        if finding is None or self.folder is None:
            return None
        if not finding.file:
            self.app.notify(f"{finding.id} is about the folder as a whole, not one file.")
            return None
        path = self.folder / finding.file
        if not path.is_file():
            self.app.notify(
                f"{clean(finding.file)} is not a file in the folder.", severity="warning"
            )
            return None
        return path

    @on(OptionList.OptionSelected, "#findings")
    def show_file(self, event: OptionList.OptionSelected) -> None:
        finding = self.findings.get(event.option.id or "")
        path = self._file_of(finding)
        if finding is None or path is None:
            return
        self._load_file(path, finding)

    @work(thread=True, exclusive=True, group="checks-file", exit_on_error=False)
    def _load_file(self, path: Path, finding: Finding) -> None:
        """Read the file off the event loop (at most what the viewer shows)."""
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_VIEW_BYTES + 1)
        except OSError as exc:
            self.post_message(self.Failed(self.folder or path.parent, f"{path}: {exc.strerror}"))
            return
        self.post_message(self.FileLoaded(place(finding), viewable_lines(data), finding.line))

    @on(FileLoaded)
    def open_file_view(self, event: FileLoaded) -> None:
        self.app.push_screen(FileView(event.title, event.lines, event.line))

    def action_open_editor(self) -> None:
        editor = os.environ.get("EDITOR", "").strip()
        finding = self.selected()
        if finding is None:
            raise SkipAction()  # `o` then means the Space screen's own key
        if not editor:
            self.app.notify("Set $EDITOR to open files in your editor; Enter shows the file here.")
            return
        path = self._file_of(finding)
        if path is None:
            return
        command = [*shlex.split(editor), *([f"+{finding.line}"] if finding.line else []), str(path)]
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)  # noqa: S603 - the user's own $EDITOR
        except SuspendNotSupported:
            self.app.notify("This terminal cannot hand over to $EDITOR; Enter shows the file here.")
        except OSError as exc:
            self.app.notify(redact(f"$EDITOR failed: {exc}"), severity="error")
        self.action_run_checks()
