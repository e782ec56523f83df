"""Saving a text the user asked to keep (a build log), off the event loop, with one toast."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App


def save_text(app: App[Any], path: Path, text: str) -> None:
    """Write `text` to `path` in an app worker; a toast says where it went or why it did not."""
    path = path.expanduser()

    async def run() -> None:
        try:
            await asyncio.to_thread(path.write_text, text, encoding="utf-8")
        except OSError as exc:
            app.notify(f"Could not save to {path}: {exc.strerror or exc}", severity="error")
        else:
            app.notify(f"Saved to {path}", timeout=4)

    app.run_worker(run(), group="save-text", exit_on_error=False)
