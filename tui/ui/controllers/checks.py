"""ChecksController: runs the config checks of a linked folder and reads findings' files.

Both read the disk, so they run in the app's thread workers; the results go to the pane that
asked, as messages. The pane only draws them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported
from textual.message import Message

from tui.domain.redact import redact

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.domain.checks.engine import CheckReport
    from tui.domain.checks.findings import Finding
    from tui.ui.app import SpacesApp


@dataclass
class ChecksFinished(Message):
    """The checks of `folder` ran."""

    folder: Path
    report: CheckReport


@dataclass
class ChecksFailed(Message):
    """The checks could not run, or a finding's file could not be read."""

    folder: Path
    message: str


@dataclass
class FileLoaded(Message):
    """A finding's file, read and cleaned for the viewer."""

    title: str
    lines: list[str]
    line: int | None


class ChecksController:
    """Runs checks and reads files for the checks panes, off the event loop."""

    def __init__(self, app: SpacesApp) -> None:
        self.app = app

    def run(self, pane: Widget, folder: Path) -> None:
        """Check `folder`; `pane` gets `ChecksFinished` or `ChecksFailed`."""
        self.app.run_worker(
            lambda: _run_checks(pane, folder),
            thread=True,
            exclusive=True,
            group=f"checks:{id(pane)}",
            exit_on_error=False,
        )

    def load_file(self, pane: Widget, folder: Path, finding: Finding) -> None:
        """Read the finding's file (at most what the viewer shows); `pane` gets `FileLoaded`."""
        path = self._file_of(folder, finding)
        if path is None:
            return
        self.app.run_worker(
            lambda: _load_file(pane, folder, path, finding),
            thread=True,
            exclusive=True,
            group=f"checks-file:{id(pane)}",
            exit_on_error=False,
        )

    def open_in_editor(self, folder: Path, finding: Finding) -> bool:
        """Open the finding's file at its line in `$EDITOR`; False when nothing was opened."""
        editor = os.environ.get("EDITOR", "").strip()
        if not editor:
            self.app.notify("Set $EDITOR to open files in your editor; Enter shows the file here.")
            return False
        path = self._file_of(folder, finding)
        if path is None:
            return False
        command = [*shlex.split(editor), *([f"+{finding.line}"] if finding.line else []), str(path)]
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)  # noqa: S603 - the user's own $EDITOR
        except SuspendNotSupported:
            self.app.notify("This terminal cannot hand over to $EDITOR; Enter shows the file here.")
        except OSError as exc:
            self.app.notify(redact(f"$EDITOR failed: {exc}"), severity="error")
        return True

    def _file_of(self, folder: Path, finding: Finding) -> Path | None:
        """The finding's file inside the folder, or None (with a toast saying why)."""
        from tui.ui.widgets.check_render import clean

        if not finding.file:
            self.app.notify(f"{finding.id} is about the folder as a whole, not one file.")
            return None
        path = folder / finding.file
        if not path.is_file():
            self.app.notify(
                f"{clean(finding.file)} is not a file in the folder.", severity="warning"
            )
            return None
        return path


def _run_checks(pane: Widget, folder: Path) -> None:
    from tui.domain.checks.engine import run_checks
    from tui.domain.errors import SpacetuiError

    if not folder.is_dir():
        pane.post_message(ChecksFailed(folder, f"{folder} is not a folder (any more)."))
        return
    try:
        report = run_checks(folder)
    except SpacetuiError as exc:
        pane.post_message(ChecksFailed(folder, exc.message))
    except OSError as exc:
        pane.post_message(ChecksFailed(folder, f"{exc.filename or folder}: {exc.strerror}"))
    else:
        pane.post_message(ChecksFinished(folder, report))


def _load_file(pane: Widget, folder: Path, path: Path, finding: Finding) -> None:
    from tui.ui.widgets.check_render import MAX_VIEW_BYTES, place, viewable_lines

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_VIEW_BYTES + 1)
    except OSError as exc:
        pane.post_message(ChecksFailed(folder, f"{path}: {exc.strerror}"))
        return
    pane.post_message(FileLoaded(place(finding), viewable_lines(data), finding.line))
