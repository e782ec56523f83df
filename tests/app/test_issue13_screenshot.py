"""Issue 13 bug 3: the palette's Screenshot says where it saved, makes a missing Downloads
folder, falls back to a folder that exists, and says why when nothing took it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.app import SIZE, Hub, MakeApp, notifications, screen_text, wait_for
from tui.ui.controllers import screenshot


async def test_a_missing_downloads_folder_is_made_and_the_toast_names_the_file(
    hub: Hub, make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = tmp_path / "home" / "Downloads"  # does not exist
    monkeypatch.setattr(screenshot.platformdirs, "user_downloads_path", lambda: downloads)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "spacetui" in screen_text(app))
        app.deliver_screenshot()  # what the palette's "Screenshot" calls
        await wait_for(pilot, lambda: any("Saved to" in n for n in notifications(app)))
        saved = list(downloads.glob("*.svg"))
        assert len(saved) == 1 and saved[0].read_text().startswith("<svg")
        toast = next(n for n in notifications(app) if "Saved to" in n)
        assert toast == f"Saved to {saved[0]}"
        assert "[$" not in toast


async def test_a_folder_that_cannot_be_made_falls_back_then_says_why(
    hub: Hub, make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    fallback = tmp_path / "here"
    fallback.mkdir()
    monkeypatch.setattr(screenshot.platformdirs, "user_downloads_path", lambda: blocker / "Dl")
    monkeypatch.chdir(fallback)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "spacetui" in screen_text(app))
        app.deliver_screenshot()
        await wait_for(pilot, lambda: any("Saved to" in n for n in notifications(app)))
        assert len(list(fallback.glob("*.svg"))) == 1
        # Nowhere to go: the toast names the folder and the reason.
        screenshot.save_screenshot(app, [blocker / "Dl"])
        await wait_for(pilot, lambda: any("Could not save" in n for n in notifications(app)))
        failure = next(n for n in notifications(app) if "Could not save" in n)
        assert str(blocker / "Dl") in failure and "Not a directory" in failure
