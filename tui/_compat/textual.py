"""Textual: what tests and benchmarks read of a running app, and the log view's quiet virtual size,
where Textual keeps the parts private."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual._compositor import LayoutUpdate
from textual.app import App
from textual.geometry import Size
from textual.keys import _character_to_key
from textual.notifications import Notification
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

__all__ = [
    "character_to_key",
    "driver_of",
    "notifications_of",
    "segments_text",
    "set_virtual_size",
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


def set_virtual_size(widget: Widget, size: Size) -> None:
    """Set a scrolling widget's virtual size without a layout of the whole screen.

    `Widget.virtual_size` is a layout reactive: each change reflows the screen (7-10 ms at
    160x45 on the benchmark machine), which a log view growing by a batch every frame paid 30
    times a second. A widget whose own size does not follow its content needs only its
    scrollbars updated: Textual's own path for that (`_size_updated(layout=False)`) sets the
    value quietly and calls `_scroll_update`, whose scrollbar reactives still ask for a layout
    when a scrollbar appears or goes. A widget of `height: auto` or `width: auto` gets the
    ordinary assignment.
    """
    if widget.virtual_size == size:
        return
    styles = widget.styles
    if styles.is_auto_height or styles.is_auto_width or not widget.is_attached:
        widget.virtual_size = size
        return
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)
    widget.refresh()
