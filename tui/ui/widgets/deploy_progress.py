"""DeployProgress: the upload's two bars, the file that moved last and the whole upload."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from tui.domain.deploy.events import UploadProgress
from tui.ui.widgets.deploy_text import file_progress_label, overall_progress_label


class DeployProgress(Vertical):
    """Byte-level progress of an upload (hidden by the Deploy pane until bytes move)."""

    def compose(self) -> ComposeResult:
        yield Label(id="file-label")
        # A total from the start: a bar without one animates at 15 fps even while hidden.
        yield ProgressBar(total=1, show_eta=False, id="file-bar")
        yield Label(id="overall-label")
        yield ProgressBar(total=1, show_eta=False, id="overall-bar")

    def show(self, event: UploadProgress, average: float | None) -> None:
        """Draw `event`; `average` is the whole upload's rate once every byte was sent."""
        self.query_one("#file-label", Label).update(file_progress_label(event))
        self.query_one("#file-bar", ProgressBar).update(
            total=max(event.file_total, 1), progress=event.file_bytes
        )
        self.query_one("#overall-label", Label).update(overall_progress_label(event, average))
        self.query_one("#overall-bar", ProgressBar).update(
            total=max(event.bytes_total, 1), progress=event.bytes_done
        )
