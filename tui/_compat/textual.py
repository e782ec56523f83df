"""Textual: what tests and benchmarks read of a running app that Textual keeps private."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual._compositor import LayoutUpdate
from textual.app import App
from textual.keys import _character_to_key
from textual.notifications import Notification
from textual.screen import Screen
from textual.strip import Strip

__all__ = [
    "character_to_key",
    "driver_of",
    "notifications_of",
    "segments_text",
    "strips_of",
    "terminal_output",
]


def strips_of(screen: Screen[Any]) -> list[Strip]:
    """Every line the screen's compositor would paint now (all layers composited)."""
    return list(screen._compositor.render_strips())


def terminal_output(app: App[Any]) -> str:
    """A full repaint of the current screen: the text and escapes Textual writes to the terminal."""
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, LayoutUpdate), type(update)  # a full update is always a layout
    return update.render_segments(app.console)


def notifications_of(app: App[Any]) -> list[Notification]:
    """The toasts currently shown (Textual keeps them in a private collection)."""
    return list(app._notifications)


def driver_of(app: App[Any]) -> Any:
    """The app's driver (None before it runs): tests queue raw key events on it."""
    return app._driver


def character_to_key(character: str) -> str:
    """Textual's key name for a typed character (`" "` is `space`)."""
    return _character_to_key(character)


def segments_text(strip: Strip) -> str:
    """The plain text of one painted line."""
    return "".join(segment.text for segment in strip if isinstance(segment, Segment))
