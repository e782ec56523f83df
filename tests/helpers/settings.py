"""Opening the settings screen and its entry dialogs in Pilot tests."""

from __future__ import annotations

from tests.helpers.app import screen_text, wait_for
from tui.ui.widgets.space_table import SpaceTable


def screen_is(app, name: str) -> bool:  # noqa: ANN001
    return type(app.screen).__name__ == name


async def open_settings(app, pilot) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: len(app.screen.query_one("#spaces", SpaceTable).space_ids) == 1)
    await pilot.press("S")
    await wait_for(pilot, lambda: screen_is(app, "SettingsScreen"))
    await wait_for(pilot, lambda: "no secrets or variables yet" in screen_text(app))


async def open_entry_dialog(app, pilot, key: str) -> None:  # noqa: ANN001
    """The settings screen, then its new-secret (`s`) or new-variable (`v`) dialog."""
    await open_settings(app, pilot)
    await pilot.press(key)
    await wait_for(pilot, lambda: screen_is(app, "EntryDialog"))
