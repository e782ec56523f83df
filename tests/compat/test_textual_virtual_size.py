"""`tui._compat.textual.set_virtual_size` still updates a scroll view without reflowing the
screen, and still shows a scrollbar when one is needed (fails loudly after a Textual upgrade)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView

from tui._compat.textual import set_virtual_size


class _View(ScrollView):
    DEFAULT_CSS = "_View { height: 1fr; overflow: auto auto; }"


class _App(App[None]):
    def compose(self) -> ComposeResult:
        yield _View()


async def test_growing_content_updates_the_scrollbars_without_a_screen_layout(
    monkeypatch,  # noqa: ANN001
) -> None:
    layouts: list[int] = []
    original = Screen._refresh_layout

    def counting(self: Screen[None], *args: object, **kwargs: object) -> None:
        layouts.append(1)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    app = _App()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(_View)
        await pilot.pause()
        set_virtual_size(view, Size(20, 50))  # a scrollbar appears: that needs a layout
        await pilot.pause()
        assert view.virtual_size == Size(20, 50) and view.show_vertical_scrollbar
        assert view.max_scroll_y == 50 - view.scrollable_content_region.height
        layouts.clear()
        for height in range(51, 60):  # growing further: the scrollbar stays, no layout
            set_virtual_size(view, Size(20, height))
            await pilot.pause()
        assert view.virtual_size == Size(20, 59)
        assert view.vertical_scrollbar.window_virtual_size == 59
        assert view.max_scroll_y == 59 - view.scrollable_content_region.height
        assert layouts == []
        # The plain assignment (what set_virtual_size replaces) does reflow the screen.
        view.virtual_size = Size(20, 70)
        await pilot.pause()
        assert layouts
