"""LogView and LogPane driven with Pilot: follow/pause, search, filter, wrap, safety, memory bound.

These tests feed LogEvents straight into the widget (the unit under test is the widget; the
streams are exercised against the emulator in test_logs_screen.py).
"""

from __future__ import annotations

import colorsys
import re

from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widget import Widget

from tests.helpers.app import wait_for
from tui._compat.textual import notifications_of, strips_of, terminal_output
from tui.domain.models import LogEvent, Stage
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.log_render import SOURCE_COLORS
from tui.ui.widgets.log_view import LogView
from tui.ui.widgets.space_cells import stage_badge

SIZE = (100, 24)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class PaneApp(App[None]):
    """A bare app holding one pane (the widget does not need the app shell)."""

    def __init__(self, capacity: int = 100_000, sources: list[str] | None = None) -> None:
        super().__init__()
        self.capacity = capacity
        self.sources = sources or ["demo/api"]

    def compose(self) -> ComposeResult:
        yield LogPane(self.sources, "run", capacity=self.capacity, id="pane")

    def on_mount(self) -> None:
        self.query_one(LogView).focus()


def lines(texts: list[str], start: int = 0, space_id: str = "demo/api") -> list[LogEvent]:
    return [
        LogEvent(
            index=start + i,
            timestamp=f"2026-11-28T10:{(start + i) // 60 % 60:02d}:{(start + i) % 60:02d}.000Z",
            data=text,
            space_id=space_id,
        )
        for i, text in enumerate(texts)
    ]


def numbered(n: int, start: int = 0) -> list[LogEvent]:
    return lines([f"line {i} GET /health 200" for i in range(start, start + n)], start)


def screen_text(view: LogView) -> list[str]:
    return [strip.text.rstrip() for strip in view.rendered_strips()]


def status_text(app: App[None]) -> str:
    return app.query_one(LogPane).status.build_text().plain


async def feed(pilot, view: LogView, events: list[LogEvent]) -> None:
    """Hand a batch to the view and let its frame timer apply it (10-30 Hz)."""
    view.append_batch(events)
    await wait_for(pilot, lambda: view.pending_lines == 0)
    await pilot.pause()


def segments_of(strips: list[Strip]):
    return [segment for strip in strips for segment in strip]


async def test_follows_then_pauses_on_scroll_up_and_counts_new_lines() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        await feed(pilot, view, numbered(200))
        assert view.following and view.scroll_y == view.max_scroll_y > 0
        assert screen_text(view)[-1].startswith("line 199 ")

        await pilot.press("k", "k", "k")
        assert not view.following
        top_before = screen_text(view)[0]
        await feed(pilot, view, numbered(25, 200))
        # The reader's position is kept and the new lines are counted, not shown.
        assert screen_text(view)[0] == top_before
        assert "paused +25 new lines" in status_text(app)

        await pilot.press("end")
        assert view.following and view.scroll_y == view.max_scroll_y
        assert screen_text(view)[-1].startswith("line 224 ")
        assert "following" in status_text(app) and "new lines" not in status_text(app)


async def test_vim_and_less_keys_move_and_resume_at_the_bottom() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        await feed(pilot, view, numbered(300))
        end = view.max_scroll_y
        height = view.scrollable_content_region.height
        await pilot.press("ctrl+u")
        assert view.scroll_y == end - height // 2 and not view.following
        await pilot.press("pageup")
        assert view.scroll_y == end - height // 2 - (height - 1)
        await pilot.press("g")
        assert view.scroll_y == 0 and screen_text(view)[0].startswith("line 0 ")
        await pilot.press("j", "j", "ctrl+d")
        assert view.scroll_y == 2 + height // 2
        await pilot.press("G")
        assert view.following and view.scroll_y == end
        # Scrolling down onto the last row resumes following too (toolong's rule).
        await pilot.press("k")
        assert not view.following
        await pilot.press("j")
        assert view.following


async def test_search_highlights_and_n_moves_between_matches() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        texts = [f"request {i}" for i in range(120)]
        texts[10] = "worker booted: needle one"
        texts[60] = "cache NEEDLE two"
        texts[100] = "needle three"
        await feed(pilot, view, lines(texts))
        await pilot.press("g", "slash", *"needle", "enter")
        assert view.cursor_seq == 10 and not view.following
        assert "/needle 1/3 matches" in status_text(app)
        row = screen_text(view).index("worker booted: needle one")
        strip = view.rendered_strips()[row]
        highlighted = [seg for seg in strip if seg.text == "needle"]
        assert highlighted, "the match is a segment of its own"
        base = [seg for seg in strip if seg.text.startswith("worker")][0]
        assert highlighted[0].style.bgcolor != base.style.bgcolor

        await pilot.press("n")
        assert view.cursor_seq == 60 and "cache NEEDLE two" in screen_text(view)
        await pilot.press("n")
        assert view.cursor_seq == 100
        await pilot.press("n")
        assert view.cursor_seq == 10  # wraps
        await pilot.press("N")
        assert view.cursor_seq == 100
        await pilot.press("escape")
        assert view.model.search is None and "matches" not in status_text(app)


async def test_filter_hides_non_matching_lines_and_bang_inverts() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        texts = ["GET /health 200"] * 50 + ["boot: loading model", "ERROR: CUDA out of memory"]
        await feed(pilot, view, lines(texts))
        await pilot.press("ampersand", *"!health", "enter")
        shown = [text for text in screen_text(view) if text]
        assert shown == ["boot: loading model", "ERROR: CUDA out of memory"]
        assert "filter !health: 2 of 52 lines" in status_text(app)
        # New lines go through the filter as they arrive.
        await feed(pilot, view, lines(["GET /health 200", "ready"], 52))
        assert [text for text in screen_text(view) if text][-1] == "ready"

        await pilot.press("ampersand")
        prompt = app.query_one(LogPane).prompt
        assert prompt.value == "!health"
        prompt.value = ""
        await pilot.press("enter")
        assert view.model.filter is None and view.model.row_count == 54


async def test_errors_preset_and_jump_to_first_error() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        texts = [f"#5 [2/6] RUN step {i}" for i in range(100)]
        texts[30] = "error: No virtual environment found; run `uv venv` to create an environment"
        texts[80] = '--> ERROR: process "/bin/sh -c uv pip install" did not complete: exit code: 2'
        await feed(pilot, view, lines(texts))
        await pilot.press("E")
        assert view.cursor_seq == 30 and not view.following
        assert any(text.startswith("error: No virtual environment") for text in screen_text(view))
        await pilot.press("e")
        assert view.model.row_count == 2 and "filter errors: 2 of 100" in status_text(app)
        await pilot.press("e")
        assert view.model.filter is None


async def test_a_bad_regex_is_reported_and_changes_nothing() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        view = app.query_one(LogView)
        await feed(pilot, view, numbered(10))
        await pilot.press("ampersand", *"(oops", "enter")
        await pilot.pause()
        assert view.model.filter is None and view.model.row_count == 10
        messages = [n.message for n in notifications_of(app)]
        assert any("Not a valid regular expression" in m for m in messages)


async def test_escape_sequences_never_reach_the_screen_and_markup_stays_literal() -> None:
    hostile = (
        "\x1b[31mred\x1b[0m "
        "\x1b]52;c;ZXZpbA==\x07"  # OSC 52 clipboard write
        "\x1b]0;pwned title\x07"  # window title
        "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ "  # OSC 8 hyperlink
        "\x1b[2J\x1b[H"  # erase screen, cursor home
        "\x9b31m8bit\x9b0m "  # 8-bit CSI
        "\x1bP+q544e\x1b\\"  # DCS
        "bell\x07 nul\x00 bs\x08 "
        "[bold]literal[/bold] [link=http://x]y[/link]"
    )
    app = PaneApp()
    async with app.run_test(size=(140, 10)) as pilot:
        view = app.query_one(LogView)
        await feed(pilot, view, lines([hostile, "tab\there", "\u202eevil bidi"]))
        for key in ("", "t", "w"):  # plain, with timestamps, wrapped
            if key:
                await pilot.press(key)
            strips = view.rendered_strips()
            for segment in segments_of(strips):
                assert not _CONTROL.search(segment.text), repr(segment.text)
                assert "\u202e" not in segment.text
                assert segment.control is None
            joined = "".join(strip.text for strip in strips)
            assert "[bold]literal[/bold] [link=http://x]y[/link]" in joined
            assert "pwned" not in joined and "ZXZpbA" not in joined
        red = [seg for seg in segments_of(view.rendered_strips()) if seg.text == "red"]
        assert red and red[0].style.color is not None and red[0].style.color.name == "red"
        assert view.rendered_strips()[0].text.startswith("10:00:00.000 red link 8bit bell nul bs")
        # The whole screen, as the compositor paints it, holds no escape either.
        painted = terminal_output(app)
        assert "evil bidi" in painted and "pwned" not in painted


async def test_a_token_in_a_log_line_is_not_rendered_nor_copied() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        await feed(pilot, view, lines(["HF_TOKEN=hf_abcdefghijklmnopqrstuvwx loaded"]))
        assert "hf_abcdefghij" not in "".join(screen_text(view))
        assert "HF_TOKEN=*** loaded" in screen_text(view)
        await pilot.press("y")
        assert "hf_abcdefghij" not in app.clipboard and "***" in app.clipboard


async def test_wrap_shows_long_lines_whole_and_timestamps_toggle() -> None:
    app = PaneApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(LogView)
        width = view.scrollable_content_region.width
        long = "".join(f"{i:03d}-" for i in range(60))  # 240 chars
        await feed(pilot, view, lines(["first", long, "last"]))
        assert screen_text(view)[1] == long[:width]
        await pilot.press("w")
        wrap = view.model.wrap_width
        assert wrap is not None and wrap <= width
        rows = screen_text(view)
        assert rows[1] == long[:wrap]
        # Continuation rows hang 2 cells in: the next line's start is told apart at a glance.
        more = -(-(len(long) - wrap) // (wrap - 2))
        continued = rows[2 : 2 + more]
        assert all(row.startswith("  ") and row[2] != " " for row in continued)
        assert rows[1] + "".join(row[2:] for row in continued) == long
        assert rows[2 + more] == "last"
        assert rows[-1] == "last" or "last" in rows
        assert view.following and view.scroll_y == view.max_scroll_y
        await pilot.press("t")
        assert screen_text(view)[0].startswith("10:00:00.000 first")
        assert "wrap time" in status_text(app)
        # With timestamps, continuation rows start under the text, after the time column.
        rows = screen_text(view)
        at = next(i for i, row in enumerate(rows) if row.startswith("10:00:01.000 000-"))
        text_start = len("10:00:01.000 ")
        continued = rows[at + 1 : rows.index("10:00:02.000 last")]
        assert continued and all(row[:text_start] == " " * text_start for row in continued)
        assert rows[at][text_start:] + "".join(r[text_start:] for r in continued) == long
        await pilot.press("w", "t")
        assert screen_text(view)[0] == "first"


async def test_wrap_set_before_any_line_hangs_a_long_first_line_whole() -> None:
    # The first line measured in a rewrap (and wrap set on an empty log) once got no wrap width:
    # a long first line took too few rows and its end was cut off.
    app = PaneApp()
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(LogView)
        await pilot.press("w", "t")
        await pilot.pause()
        assert "wrap time" in status_text(app)
        first = "===== Application Startup at 2026-11-28 14:24:23 ====="
        await feed(pilot, view, lines([first, "", "Traceback (most recent call last):"]))
        rows = screen_text(view)
        stamp = "10:00:00.000 "
        end = rows.index("10:00:01.000")
        assert end == 3 and all(row.startswith(" " * len(stamp)) for row in rows[1:end])
        assert "".join(row[len(stamp) :] for row in rows[:end]) == first
        await pilot.press("t")  # without timestamps: 2 cells in
        rows = screen_text(view)
        assert rows[0] + rows[1][2:] == first and rows[1].startswith("  ")
        await pilot.press("w")
        await pilot.pause()
        assert screen_text(view)[0] == first[: view.scrollable_content_region.width]
        assert "wrap" not in status_text(app)


async def test_memory_is_bounded_by_the_capacity() -> None:
    app = PaneApp(capacity=10_000)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        for start in range(0, 200_000, 20_000):
            view.append_batch(numbered(20_000, start))
            assert view.pending_lines <= 10_000
        await feed(pilot, view, [])
        assert len(view.model.store) == 10_000
        assert view.model.row_count == 10_000
        assert screen_text(view)[-1].startswith("line 199999 ")
        # In a flood the status bar is told at most 4 times a second, the last state late.
        await wait_for(pilot, lambda: app.query_one(LogPane).status.view_state == view.view_state)
        assert "10,000 lines" in status_text(app)


async def test_copy_takes_the_lines_on_screen_and_Y_takes_the_whole_view() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        await feed(pilot, view, lines([f"\x1b[32mINFO\x1b[0m n={i}" for i in range(100)]))
        await pilot.press("y")
        copied = app.clipboard.splitlines()
        assert copied[-1] == "INFO n=99" and len(copied) == view.scrollable_content_region.height
        assert "\x1b" not in app.clipboard and "│" not in app.clipboard
        await pilot.press("Y")
        assert len(app.clipboard.splitlines()) == 100


async def test_merged_view_prefixes_each_line_with_its_space_in_its_colour() -> None:
    app = PaneApp(sources=["demo/api", "demo/web"])
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        view.append_batch(lines(["api up"], 0, "demo/api"))
        await feed(pilot, view, lines(["web up"], 0, "demo/web"))
        rows = [text for text in screen_text(view) if text]
        assert rows == ["demo/api api up", "demo/web web up"]
        colours = {
            seg.text.strip(): seg.style.color
            for seg in segments_of(view.rendered_strips())
            if seg.text.strip() in ("demo/api", "demo/web")
        }
        assert colours["demo/api"] != colours["demo/web"]
        assert all(c is not None and c.name != "red" for c in colours.values())


def _hue_distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """Degrees between the hues of two RGB colours (0-180)."""
    hue_a = colorsys.rgb_to_hsv(*(c / 255 for c in a))[0] * 360
    hue_b = colorsys.rgb_to_hsv(*(c / 255 for c in b))[0] * 360
    return min(abs(hue_a - hue_b), 360 - abs(hue_a - hue_b))


async def test_merged_view_source_colours_are_never_the_error_red_as_rendered() -> None:
    # QA: "magenta" came out #F4005F under Textual's default ANSI theme, the BUILD_ERROR red.
    sources = [f"demo/s{i}" for i in range(len(SOURCE_COLORS))]
    app = PaneApp(sources=sources)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        for source in sources[:-1]:
            view.append_batch(lines(["up"], 0, source))
        await feed(pilot, view, lines(["up"], 0, sources[-1]))
        prefixes = [
            seg.style.color
            for seg in segments_of(view.rendered_strips())
            if seg.text.strip() in sources and seg.style.color is not None
        ]
        assert len(prefixes) == len(sources)
        badge_color = Style.parse(str(stage_badge(Stage.BUILD_ERROR).style)).color
        assert badge_color is not None
        for theme in (app.ansi_theme_dark, app.ansi_theme_light):
            # What the terminal is sent: Textual turns ANSI names into this theme's RGB.
            red = tuple(badge_color.get_truecolor(theme))
            assert red[0] > 2 * max(red[1], 50)  # the badge itself is red under this theme
            shown = [tuple(color.get_truecolor(theme)) for color in prefixes]
            assert len(set(shown)) == len(shown)
            assert all(_hue_distance(rgb, red) > 40 for rgb in shown), shown
            assert all(_hue_distance(rgb, (255, 0, 0)) > 40 for rgb in shown), shown


async def test_escape_closes_the_prompt_without_applying_it() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        await feed(pilot, view, numbered(5))
        await pilot.press("slash", *"line", "escape")
        pane = app.query_one(LogPane)
        assert not pane.prompt.has_class("-active") and view.has_focus
        assert view.model.search is None


def test_span_styles_never_come_from_markup() -> None:
    from tui.ui.widgets.log_render import body_text

    text = body_text("[red]x[/red] \x1b[1;38;5;208mhot\x1b[0m")
    assert text.plain == "[red]x[/red] hot"
    hot = [span for span in text.spans if text.plain[span.start : span.end] == "hot"]
    assert hot and isinstance(hot[0].style, Style) and hot[0].style.bold


def test_stream_states_read_as_one_phrase_each() -> None:
    from tui.domain.logstream import StreamState
    from tui.ui.widgets.log_status import describe_stream

    assert describe_stream(StreamState("live")) == "live"
    assert describe_stream(StreamState("connecting")) == "connecting"
    assert describe_stream(StreamState("connecting", attempt=2)) == "connecting (attempt 3)"
    waiting = StreamState("reconnecting", attempt=2, wait=7.6, reason="Hub unavailable (503).")
    assert describe_stream(waiting) == "reconnecting in 8 s (attempt 2): Hub unavailable (503)."
    assert describe_stream(waiting, remaining=2.2).startswith("reconnecting in 2 s")
    assert describe_stream(waiting, remaining=-1).startswith("reconnecting in 0 s")
    assert describe_stream(StreamState("ended", reason="closed by the Hub")) == (
        "ended: closed by the Hub"
    )
    leaked = StreamState("failed", reason="401 for Bearer hf_abcdefghijklmnop\x1b[2J")
    text = describe_stream(leaked)
    assert text.startswith("failed: 401") and "hf_abcdefgh" not in text and "\x1b" not in text


async def test_status_bar_counts_the_reconnect_wait_down() -> None:
    from tui.domain.logstream import StreamState
    from tui.ui.widgets.log_status import LogStatus

    now = [100.0]

    class StatusApp(App[None]):
        def compose(self) -> ComposeResult:
            yield LogStatus("demo/api · run log", clock=lambda: now[0])

    app = StatusApp()
    async with app.run_test(size=SIZE):
        bar = app.query_one(LogStatus)
        bar.set_stream_state("demo/api", StreamState("reconnecting", attempt=1, wait=10.0))
        assert "◌ reconnecting in 10 s (attempt 1)" in bar.build_text().plain
        now[0] += 4
        assert "reconnecting in 6 s" in bar.build_text().plain
        bar.set_stream_state("demo/api", StreamState("live"))
        assert "● live" in bar.build_text().plain


def test_a_token_split_by_colour_codes_is_still_redacted() -> None:
    from tui.ui.widgets.log_render import body_text

    text = body_text("token=hf_abcd\x1b[1mefghijklmnop\x1b[0m done")
    assert "hf_abcd" not in text.plain and "***" in text.plain and text.plain.endswith(" done")


def test_a_colour_rich_cannot_parse_keeps_the_text() -> None:
    from tui.ui.widgets.log_render import _span_style

    style = _span_style("not-a-colour", None, True, False, False, False, False)
    assert style.color is None and style.bold


async def test_mouse_or_scrollbar_scrolling_pauses_and_resumes_follow() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LogView)
        await feed(pilot, view, numbered(200))
        # What the mouse wheel and the scrollbar do: plain scroll_to / scroll_relative calls.
        view.scroll_relative(y=-5, animate=False)
        await pilot.pause()
        assert not view.following
        await feed(pilot, view, numbered(3, 200))
        assert "paused +3 new lines" in status_text(app)
        view.scroll_to(y=view.max_scroll_y, animate=False)
        await pilot.pause()
        assert view.following
        await feed(pilot, view, numbered(2, 203))
        assert view.scroll_y == view.max_scroll_y
        assert screen_text(view)[-1].startswith("line 204 ")


def bar_rows(app: App[None], bar: Widget) -> list[str]:
    """The rows of one status bar as the terminal shows them (padding stripped)."""
    region = bar.content_region
    rows = strips_of(app.screen)[region.y : region.bottom]
    return [
        "".join(seg.text for seg in strip).rstrip()[region.x : region.right].strip()
        for strip in rows
    ]


async def test_narrow_status_bars_shorten_the_title_and_keep_state_count_and_matches() -> None:
    # QA: the merged bar lost its count and "1/4 matches", a grid pane's bar lost the count
    # and kept a dangling "│". Three bars of 40 cells (38 inside the padding), really rendered.
    from textual.containers import Horizontal

    from tui.domain.logstream import StreamState
    from tui.ui.widgets.log_status import LogStatus
    from tui.ui.widgets.log_view import ViewState

    class BarsApp(App[None]):
        CSS = "Horizontal { height: 3; } LogStatus { width: 1fr; }"

        def compose(self) -> ComposeResult:
            with Horizontal():
                yield LogStatus("demo-org/internal-metrics · run log", id="ended")
                yield LogStatus("3 Spaces merged · run log", merged=True, id="merged")
                yield LogStatus("demo/api · run log", id="paused")

    def view(**changes: object) -> ViewState:
        fields: dict[str, object] = dict(
            following=True,
            new_lines=0,
            rows=1234,
            stored=1234,
            filter_label=None,
            search_label=None,
            match_number=None,
            match_count=0,
            wrap=True,
            timestamps=True,
        )
        return ViewState(**{**fields, **changes})  # type: ignore[arg-type]

    app = BarsApp()
    async with app.run_test(size=(120, 10)) as pilot:
        ended = app.query_one("#ended", LogStatus)
        ended.set_stream_state("x", StreamState("ended", reason="closed by the Hub"))
        ended.set_view_state(view())
        merged = app.query_one("#merged", LogStatus)
        for space in ("demo/todo-api", "demo/web", "demo-org/internal-metrics"):
            merged.set_stream_state(space, StreamState("live"))
        merged.set_view_state(
            view(
                following=False,
                new_lines=1,
                search_label="pandas",
                match_number=1,
                match_count=4,
                wrap=False,
                timestamps=False,
            )
        )
        paused = app.query_one("#paused", LogStatus)
        paused.set_stream_state("demo/api", StreamState("live"))
        paused.set_view_state(view(following=False, new_lines=1, wrap=False, timestamps=False))
        await pilot.pause()

        assert ended.content_region.width == 38
        [row] = bar_rows(app, ended)
        assert "■ ended" in row and "1,234 lines" in row, row
        assert len(row) <= 38 and not row.endswith("│")
        assert row.startswith("internal-metr… │")  # issue 13: a pane always names its Space
        assert "wrap" not in row  # the flags go before anything that matters

        title, state = bar_rows(app, merged)
        assert "todo-api ●" in title and "web ●" in title and "metri… ●" in title, title
        assert "1,234 lines" in state and "1/4 matches" in state and "paused +1" in state, state
        assert not title.endswith("│") and not state.endswith("│")

        [row] = bar_rows(app, paused)
        assert row == "api │ ● live │ paused +1 │ 1,234 lines", row
        assert "paused +1 new line (End: follow)" in paused.build_text(200).plain  # singular
        # Wide enough, nothing is shortened.
        full = ended.build_text(200).plain
        assert "demo-org/internal-metrics · run log │ ■ ended: closed by the Hub" in full
        assert full.endswith("1,234 lines │ wrap time")


async def test_an_empty_run_log_says_so_and_points_at_the_build_log() -> None:
    # QA: the run-log pane of a BUILDING Space showed only "● live".
    from tui.domain.logstream import StreamState

    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(LogPane)
        pane.set_stream_state("demo/api", StreamState("live"))
        await pilot.pause()
        [row] = bar_rows(app, pane.status)
        assert row == "demo/api · run log │ ● live │ 0 lines │ no run log yet — b: build log"
        await feed(pilot, pane.view, lines(["booting"]))
        [row] = bar_rows(app, pane.status)
        assert "│ 1 line" in row and "no run log yet" not in row and "following" in row


# -- QA pass: the merged status bar fits its width ------------------------


async def test_a_narrow_merged_bar_keeps_every_space_s_state_on_one_row() -> None:
    from tui.domain.logstream import StreamState
    from tui.ui.widgets.log_status import LogStatus
    from tui.ui.widgets.log_view import ViewState

    names = ("demo/qa-sec", "demo/todo-api", "demo-org/internal-metrics", "demo/sentiment-bot")
    states = (
        StreamState("live"),
        StreamState("ended", reason="closed by the Hub"),
        StreamState("failed", reason="HTTP 500"),
        StreamState("connecting"),
    )

    class BarApp(App[None]):
        CSS = "LogStatus { width: 36; }"

        def compose(self) -> ComposeResult:
            yield LogStatus("4 Spaces merged · run log", merged=True)

    app = BarApp()
    async with app.run_test(size=(60, 6)) as pilot:
        bar = app.query_one(LogStatus)
        for name, state in zip(names, states, strict=True):
            bar.set_stream_state(name, state)
        bar.set_view_state(
            ViewState(
                following=True,
                new_lines=0,
                rows=12,
                stored=12,
                filter_label=None,
                search_label=None,
                match_number=None,
                match_count=0,
                wrap=False,
                timestamps=False,
            )
        )
        await pilot.pause()
        sources, view = bar_rows(app, bar)
        assert len(sources) <= 34, sources
        for name, mark in zip(names, "●■✕◌", strict=True):
            assert f"{name.split('/')[1][:2]}" in sources and mark in sources, (name, sources)
        assert sources.count("…") == 4  # one ellipsis per Space, none at the row's end only
        assert "12 lines" in view
