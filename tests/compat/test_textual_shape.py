"""Textual still has the private parts tui._compat.textual reads (fails loudly after an upgrade)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from tui._compat.textual import (
    character_to_key,
    driver_of,
    notifications_of,
    segments_text,
    strips_of,
    terminal_output,
)


class _Tiny(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("hello compat")


async def test_a_running_app_exposes_what_the_tests_read() -> None:
    app = _Tiny()
    assert driver_of(app) is None
    async with app.run_test(size=(40, 5)) as pilot:
        assert driver_of(app) is not None
        app.notify("a toast", title="T")
        await pilot.pause()
        assert [n.message for n in notifications_of(app)] == ["a toast"]
        painted = "\n".join(segments_text(strip) for strip in strips_of(app.screen))
        assert "hello compat" in painted
        output = terminal_output(app)
        assert "hello compat" in output and "\x1b[" in output


def test_a_typed_character_has_textual_key_name() -> None:
    assert character_to_key(" ") == "space"
    assert character_to_key("&") == "ampersand"
