"""The palette's Screenshot: an SVG of the screen saved to a folder that exists, with one toast.

Textual's own delivery saves to `~/Downloads` only, says "Failed to save screenshot" with no
reason when that folder is missing, and words its success in markup our plain toasts show raw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

if TYPE_CHECKING:
    from textual.app import App


def screenshot_folders() -> list[Path]:
    """Where a screenshot may go, best first: the Downloads folder (created if missing), then
    the folder spacetui was started from."""
    return [platformdirs.user_downloads_path(), Path.cwd()]


def write_screenshot(svg: str, name: str, folders: Sequence[Path]) -> Path:
    """Write `svg` as `name` in the first folder that exists or can be made; return the file.

    Raises:
        OSError: no folder took it; the message names each folder and why.
    """
    reasons: list[str] = []
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(svg, encoding="utf-8")
        except OSError as exc:
            reasons.append(f"{folder}: {exc.strerror or exc}")
            continue
        return path
    raise OSError("; ".join(reasons) or "no folder to save it in")


def save_screenshot(app: App[Any], folders: Sequence[Path] | None = None) -> None:
    """Export the screen now, write it in a worker, and say where it went or why it did not."""
    svg = app.export_screenshot()
    name = f"{app.title}_{datetime.now():%Y-%m-%dT%H_%M_%S}.svg"  # colons are not for Windows
    chosen = list(folders) if folders is not None else screenshot_folders()

    async def run() -> None:
        try:
            path = await asyncio.to_thread(write_screenshot, svg, name, chosen)
        except OSError as exc:
            app.notify(
                f"Could not save the screenshot: {exc}",
                title="Screenshot",
                severity="error",
                timeout=10,
            )
        else:
            app.notify(f"Saved to {path}", title="Screenshot", timeout=6)

    app.run_worker(run(), group="screenshot", exit_on_error=False)
