"""Send keys the way a paste, a password manager or `tmux send-keys` does: all at once."""

from __future__ import annotations

from textual import events
from textual.app import App

from tui._compat.textual import character_to_key, driver_of


def burst(app: App[object], keys: list[str]) -> None:
    """Queue every key before the app handles the first (Pilot.press waits after each key)."""
    driver = driver_of(app)
    assert driver is not None
    for key in keys:
        char = key if len(key) == 1 else None
        name = character_to_key(key) if len(key) == 1 and not key.isalnum() else key
        event = events.Key(name, char)
        event.set_sender(app)
        driver.send_message(event)
