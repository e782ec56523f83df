"""Issue 13, the log screen: each pane names its Space at every size (80x24: they named none),
Tab says it moves between panes, m says what it switched to, merged prefixes line up, error
lines are coloured, an empty filter result says so, and a static Space offers no log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.color import Color
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer, Static

from tests.helpers.app import (
    FILES,
    SETTLE,
    Hub,
    MakeApp,
    clear_toasts,
    notifications,
    screen_text,
    wait_for,
)
from tests.helpers.hub import ALICE_TOKEN
from tui.domain.auth import HubTarget
from tui.domain.logstream import StreamState
from tui.domain.models import LogEvent
from tui.ui.screens.logs import LogsScreen
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.log_view import LogView
from tui.ui.widgets.space_table import SpaceTable

SIZES = pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
STATIC_README = b"---\nsdk: static\n---\n"


class LogsApp(App[None]):
    """A bare app that opens the logs screen (the app shell pushes the same screen)."""

    def __init__(self, screen: LogsScreen) -> None:
        super().__init__()
        self.logs_screen = screen

    def compose(self) -> ComposeResult:
        yield Static("home")

    def on_mount(self) -> None:
        self.push_screen(self.logs_screen)


class PaneApp(App[None]):
    """One pane fed by hand (no stream)."""

    def __init__(self, sources: list[str]) -> None:
        super().__init__()
        self.sources = sources

    def compose(self) -> ComposeResult:
        yield LogPane(self.sources, "run", id="pane")

    def on_mount(self) -> None:
        self.query_one(LogView).focus()


def built(hub: Hub, *space_ids: str) -> list[str]:
    """Docker Spaces whose builds finished: their build logs are whole and end (no clock runs)."""
    for space_id in space_ids:
        hub.emu.state.create_space(space_id, sdk="docker")
        hub.emu.state.commit(space_id, FILES)
    hub.clock.advance(SETTLE)
    return list(space_ids)


def logs_app(hub: Hub, space_ids: list[str], **options: object) -> LogsApp:
    target = HubTarget(hub.emu.url, ALICE_TOKEN)
    return LogsApp(LogsScreen(space_ids, target=target, **options))  # type: ignore[arg-type]


async def mounted(pilot: Pilot, app: LogsApp) -> None:
    """Wait until the logs screen's `on_mount` ran: every stream it starts has been started."""
    await wait_for(pilot, lambda: app.screen is app.logs_screen and app.logs_screen.is_mounted)


def footer_row(app: App[None]) -> str:
    """The screen's last row as drawn (the footer's keys)."""
    return screen_text(app).rstrip("\n").split("\n")[-1]  # type: ignore[arg-type]


def bar(pane: LogPane) -> list[str]:
    """The pane's status bar rows as drawn at its width."""
    width = pane.status.content_region.width
    return pane.status.build_text(width).plain.split("\n")


def events(texts: list[str], space_id: str) -> list[LogEvent]:
    return [
        LogEvent(index=i, timestamp=f"2026-11-28T10:00:{i:02d}.000Z", data=t, space_id=space_id)
        for i, t in enumerate(texts)
    ]


async def settle(pilot: Pilot, view: LogView) -> None:
    """Wait until the view applied every line and its status bar shows the view's last state
    (a flood's state reaches the bar up to `STATUS_INTERVAL` late): a condition, not a delay."""
    status = view.parent.status  # type: ignore[union-attr]
    await wait_for(pilot, lambda: view.pending_lines == 0 and status.view_state == view.view_state)


def all_ended(app: App[None]) -> Callable[[], bool]:
    def check() -> bool:
        panes = list(app.screen.query(LogPane))
        return bool(panes) and all(
            "■ ended" in bar(pane)[0]
            and pane.view.model.store.next_seq > 0
            and pane.view.pending_lines == 0
            and pane.status.view_state is not None
            and pane.status.view_state.stored == pane.view.model.store.next_seq
            for pane in panes
        )

    return check


# ---- bug 1: every pane names its Space --------------------------------------------------------


@SIZES
@pytest.mark.parametrize("count", [2, 4])
async def test_each_pane_names_its_space_at_every_size(hub: Hub, size, count: int) -> None:  # noqa: ANN001
    spaces = built(hub, *[f"alice/llm-finetune-studio-{i}" for i in range(count)])
    app = logs_app(hub, spaces, kind="build")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, all_ended(app))
        for pane, space in zip(app.screen.query(LogPane), spaces, strict=True):
            [row] = bar(pane)
            name = space.split("/")[1]
            if size == (200, 60):
                assert row.startswith(f"{space} · build log │ ■ ended"), row
            else:  # about 36 cells: the name without its owner, cut with an ellipsis
                assert row.startswith(name[:6]) and "…" in row.split(" │ ")[0], row
                assert "■ ended" in row, row


@SIZES
def test_two_panes_side_by_side_at(hub: Hub, snap_compare, size) -> None:  # noqa: ANN001
    """Two finished build logs side by side: each bar names its Space (80x24 named none)."""
    spaces = built(hub, "alice/api", "alice/llm-finetune-studio")
    app = logs_app(hub, spaces, kind="build")

    async def run_before(pilot: Pilot) -> None:
        await wait_for(pilot, all_ended(app))
        await clear_toasts(pilot)  # the Tab notice times out on its own clock

    assert snap_compare(app, terminal_size=size, run_before=run_before)


# ---- an empty pane says so in its body (80x24: its bar had room for "0 lines" only) ----------


def building(hub: Hub, *space_ids: str) -> list[str]:
    """Docker Spaces still building (the clock does not move): their run logs are empty."""
    for space_id in space_ids:
        hub.emu.state.create_space(space_id, sdk="docker")
        hub.emu.state.commit(space_id, FILES)
    return list(space_ids)


def body(pane: LogPane) -> list[str]:
    """The pane's log rows as drawn, right blanks removed (empty rows kept)."""
    return [strip.text.rstrip() for strip in pane.view.rendered_strips()]


def all_live_and_empty(app: App[None]) -> Callable[[], bool]:
    def check() -> bool:
        panes = list(app.screen.query(LogPane))
        return bool(panes) and all(
            "● live" in bar(pane)[0]
            and pane.status.view_state is not None
            and pane.status.view_state.stored == 0
            for pane in panes
        )

    return check


@SIZES
def test_two_empty_panes_side_by_side_at(hub: Hub, snap_compare, size) -> None:  # noqa: ANN001
    """Two run logs of building Spaces: each pane says in its body that it has no run log yet
    and that b shows the build log (at 80x24 the bars only had room for "0 lines")."""
    spaces = building(hub, "alice/api", "alice/llm-finetune-studio")
    app = logs_app(hub, spaces)

    async def run_before(pilot: Pilot) -> None:
        await wait_for(pilot, all_live_and_empty(app))
        await clear_toasts(pilot)  # the Tab notice times out on its own clock

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_an_empty_pane_says_what_is_going_on_and_what_to_press_at_80x24(hub: Hub) -> None:
    spaces = building(hub, "alice/api", "alice/llm-finetune-studio")
    app = logs_app(hub, spaces)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, all_live_and_empty(app))
        for pane in app.screen.query(LogPane):
            assert "no run log yet" not in bar(pane)[0]  # no room there at this size
            assert body(pane)[:2] == ["no run log yet", "b: build log"], body(pane)
        first = app.screen.query(LogPane).first()
        await pilot.press("b")  # the build log has lines: the words give way to them
        await wait_for(pilot, lambda: body(first)[0].startswith("===== Build Queued"))
        assert not any("log yet" in row for row in body(first))
        await pilot.press("r")  # back to the empty run log: its words come back
        await wait_for(pilot, lambda: body(first)[:2] == ["no run log yet", "b: build log"])


async def test_an_empty_static_pane_says_why_in_its_body_wrapped_to_its_width(hub: Hub) -> None:
    building(hub, "alice/api")
    hub.emu.state.create_space("alice/site", sdk="static")
    hub.emu.state.commit("alice/site", {"README.md": STATIC_README, "index.html": b"<h1>hi</h1>"})
    app = logs_app(hub, ["alice/api", "alice/site"], static=["alice/site"])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(LogPane)))
        site = app.screen.query_one("#pane-1", LogPane)
        await wait_for(pilot, lambda: site.status.view_state is not None)
        rows = [row for row in body(site) if row]
        width = site.view.scrollable_content_region.width
        assert width < len("static Space: served as files, no build or run log")
        assert " ".join(rows) == "static Space: served as files, no build or run log", rows
        assert all(len(row) <= width for row in rows)


async def test_the_empty_pane_s_words_go_once_a_line_arrives() -> None:
    app = PaneApp(["alice/api"])
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(LogView)
        await pilot.pause()
        assert [row.rstrip() for row in (s.text for s in view.rendered_strips())][:2] == [
            "no run log yet",
            "b: build log",
        ]
        # In the muted italic of the view's messages (wrapping had lost the style).
        muted = view._component_style("log-view--empty")
        words = [seg for seg in view.rendered_strips()[0] if seg.text.strip()]
        assert words and all(
            seg.style and seg.style.color == muted.color and seg.style.italic for seg in words
        )
        view.append_batch(events(["booting"], "alice/api"))
        await settle(pilot, view)
        rows = [strip.text.rstrip() for strip in view.rendered_strips()]
        assert rows[0] == "booting" and not any(rows[1:]), rows
        pane = app.query_one(LogPane)
        pane.switch_kind("build")  # cleared for the build log's stream: its own words
        await pilot.pause()
        rows = [strip.text.rstrip() for strip in view.rendered_strips()]
        assert rows[:3] == ["no build log yet", "r: run log", ""], rows


# ---- Tab and m say what they do ---------------------------------------------------------------


async def test_tab_is_offered_and_moves_between_panes_only_when_there_are_several(
    hub: Hub,
) -> None:
    spaces = built(hub, "alice/one", "alice/two")
    for space_ids in (spaces, spaces[:1]):
        app = logs_app(hub, space_ids, kind="build")
        async with app.run_test(size=(120, 30)) as pilot:
            await mounted(pilot, app)  # its notice and its bindings are settled by then
            footer = app.screen.query_one(Footer)
            shown = {b.description for _, b, on, _ in footer.screen.active_bindings.values() if on}
            panes = list(app.screen.query(LogPane))
            if len(space_ids) == 1:
                assert "Next pane" not in shown
                assert not [n for n in notifications(app) if "Tab" in n]
                continue
            # The footer is drawn with the focused log's keys: the screen's keys are in it too.
            await wait_for(pilot, lambda a=app: "/ Search" in footer_row(a))
            assert "Next pane" in shown and "tab Next pane" in footer_row(app)
            assert any("Tab moves to the next pane" in n for n in notifications(app))
            assert panes[0].view.has_focus
            await pilot.press("tab")
            assert panes[1].view.has_focus
            await pilot.press("tab")
            assert panes[0].view.has_focus
            await pilot.press("shift+tab")
            assert panes[1].view.has_focus


async def test_m_says_what_it_switched_to(hub: Hub) -> None:
    spaces = built(hub, "alice/one", "alice/two")
    app = logs_app(hub, spaces, kind="build")
    async with app.run_test(size=(120, 30)) as pilot:
        await mounted(pilot, app)
        await pilot.press("m")
        await wait_for(pilot, lambda: len(app.screen.query(LogPane)) == 1)
        await wait_for(pilot, lambda: any(n.startswith("Merged:") for n in notifications(app)))
        said = [n for n in notifications(app) if n.startswith("Merged:")]
        assert said == ["Merged: the 2 Spaces in one view, in time order (m: side by side)."]
        await pilot.press("m")
        await wait_for(pilot, lambda: len(app.screen.query(LogPane)) == 2)
        await wait_for(pilot, lambda: any("Side by side" in n for n in notifications(app)))
        assert "Side by side: one pane per Space (m: merge)." in notifications(app)


# ---- merged prefixes, error colours, empty filter ---------------------------------------------


async def test_merged_prefixes_are_padded_so_every_line_starts_in_one_column() -> None:
    sources = ["alice/api", "demo-org/worker"]
    app = PaneApp(sources)
    async with app.run_test(size=(100, 12)) as pilot:
        view = app.query_one(LogView)
        view.append_batch(events(["from api"], "alice/api") + events(["from worker"], sources[1]))
        await settle(pilot, view)
        rows = [strip.text for strip in view.rendered_strips() if strip.text.strip()]
        assert [row.rstrip() for row in rows] == [
            "alice/api       from api",
            "demo-org/worker from worker",
        ]
        await pilot.press("w")  # wrap: the continuation indent follows the padded prefix too
        assert view._hanging_indent(view.model.seq_at(0), 40) == len("demo-org/worker ")


async def test_error_lines_are_coloured_by_the_one_definition_never_by_markup() -> None:
    app = PaneApp(["alice/api"])
    texts = [
        "INFO:     Application startup complete.",
        "ValueError: model not loaded [bold]not markup[/bold]",
        "\x1b[34mERROR\x1b[0m:    Exception in ASGI application",
        "[notice] A new release of pip is available: failed is not an error here",
    ]
    async with app.run_test(size=(100, 12)) as pilot:
        view = app.query_one(LogView)
        view.append_batch(events(texts, "alice/api"))
        await settle(pilot, view)
        error = view._component_style("log-view--error").color
        assert error is not None
        strips = view.rendered_strips()[:4]
        colours = [{seg.style.color for seg in strip if seg.text.strip()} for strip in strips]
        assert error not in colours[0] and error not in colours[3]
        assert colours[1] == {error}
        assert strips[1].text.startswith("ValueError: model not loaded [bold]not markup[/bold]")
        # The line's own colour stays on its coloured word; the rest takes the error colour.
        assert colours[2] == {Color.parse("blue"), error}


async def test_a_filter_that_matches_nothing_says_so() -> None:
    app = PaneApp(["alice/api"])
    async with app.run_test(size=(100, 12)) as pilot:
        view = app.query_one(LogView)
        view.append_batch(events(["INFO: ready", "INFO: GET / 200"], "alice/api"))
        await settle(pilot, view)
        view.filter("xyz")
        await pilot.pause()
        assert view.rendered_strips()[0].text.rstrip() == (
            "no line matches 'xyz' (of 2) — Esc shows all"
        )
        await pilot.press("escape")
        assert view.rendered_strips()[0].text.startswith("INFO: ready")
        await pilot.press("e")  # the errors preset, on a log without errors
        assert (
            view.rendered_strips()[0].text.rstrip() == "no error line (of 2) — e or Esc shows all"
        )
        # An empty log is not "no match": the view says the log is empty instead.
        view.clear()
        await pilot.pause()
        rows = [strip.text.rstrip() for strip in view.rendered_strips()]
        assert rows[:3] == ["no run log yet", "b: build log", ""], rows


async def test_a_narrow_pane_wraps_the_no_match_sentence_instead_of_cutting_it() -> None:
    """Two panes side by side at 80x24 leave about 36 cells: the sentence lost its way out."""
    app = PaneApp(["alice/api"])
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(LogView)
        view.append_batch(events(["INFO: ready", "INFO: GET / 200"], "alice/api"))
        await settle(pilot, view)
        view.filter("xyz")
        await pilot.pause()
        rows = [strip.text.rstrip() for strip in view.rendered_strips()]
        shown = [row for row in rows if row]
        assert len(shown) > 1 and " ".join(shown) == "no line matches 'xyz' (of 2) — Esc shows all"


# ---- a static Space has no logs ---------------------------------------------------------------


async def test_a_static_space_s_pane_says_it_has_no_logs_and_offers_none(hub: Hub) -> None:
    hub.emu.state.create_space("alice/site", sdk="static")
    hub.emu.state.commit("alice/site", {"README.md": STATIC_README, "index.html": b"<h1>hi</h1>"})
    hub.clock.advance(SETTLE)
    app = logs_app(hub, ["alice/site"], static=["alice/site"])
    async with app.run_test(size=(120, 20)) as pilot:
        await mounted(pilot, app)  # its streams started (none) when it mounted: no time passes
        pane = app.screen.query_one(LogPane)
        [row] = bar(pane)
        assert "static Space: served as files, no build or run log" in row, row
        assert "b: build log" not in row and "r: run log" not in row
        assert not [w for w in app.workers if (w.group or "").startswith("logs:")]
        for key in ("b", "r"):
            await pilot.press(key)
            assert pane.kind == "run"
        said = [n for n in notifications(app) if "static Space" in n]
        assert said == ["alice/site: static Space, served as files with no build or run log."] * 2


async def test_the_app_s_log_screen_knows_a_static_space_from_the_list(
    hub: Hub, make_app: MakeApp
) -> None:
    """Without being told, the screen asks the app's list which Spaces are static."""
    hub.emu.state.create_space("alice/site", sdk="static")
    hub.emu.state.commit("alice/site", {"README.md": STATIC_README, "index.html": b"<h1>hi</h1>"})
    hub.clock.advance(SETTLE)
    app = make_app()
    async with app.run_test(size=(120, 20)) as pilot:
        await wait_for(pilot, lambda: "alice/site" in screen_text(app))
        await wait_for(pilot, lambda: app.board.get("alice/site") is not None)
        app.push_screen(LogsScreen(["alice/site"]))
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen) and app.screen.is_mounted)
        pane = app.screen.query_one(LogPane)
        assert pane.static and "static Space" in bar(pane)[0]


async def test_a_merged_view_streams_the_others_and_marks_the_static_one(hub: Hub) -> None:
    built(hub, "alice/api")
    hub.emu.state.create_space("alice/site", sdk="static")
    app = logs_app(hub, ["alice/api", "alice/site"], merged=True, static=["alice/site"])
    async with app.run_test(size=(160, 20)) as pilot:
        await mounted(pilot, app)
        groups = [w.group for w in app.workers if (w.group or "").startswith("logs:")]
        assert groups == ["logs:alice/api:run"]
        pane = app.screen.query_one(LogPane)
        assert not pane.static
        assert pane.status.stream_text("alice/site") == "ended: static Space, no logs"
        pane.set_stream_state("alice/api", StreamState("live"))


# ---- 80 columns keep the way out ------------------------------------------------------------


async def test_the_log_screen_footer_keeps_back_and_help_at_80_columns(
    hub: Hub, make_app: MakeApp
) -> None:
    """The log view's own keys came first in Textual's footer and filled 80 columns before Back
    and Help (issue 13: "cuts footers (no Back, no Help)")."""
    built(hub, "alice/one", "alice/two")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#spaces", SpaceTable)
        await wait_for(pilot, lambda: len(table.space_ids) == 2)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen))
        # The footer drawn with the focused log's keys (they came first and filled the row).
        await wait_for(pilot, lambda: "/ Search" in footer_row(app))
        last_row = footer_row(app)
        assert "q Back" in last_row and "? Help" in last_row, last_row
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
