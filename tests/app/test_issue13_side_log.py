"""Issue 13: a wide terminal shows the selected Space's live run log beside the list, following
the cursor; a narrower one (or `ui.side_log_from: 0`) does not."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.app import Hub, MakeApp, screen_text, wait_for
from tui.domain.config import load_config
from tui.ui.widgets.log_view import LogView
from tui.ui.widgets.space_table import SpaceTable


def side(app) -> LogView:  # noqa: ANN001
    return app.screen.query_one("#side-log", LogView)


async def test_the_side_log_follows_the_cursor_on_a_wide_terminal(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/one", "alice/two")
    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_for(
            pilot, lambda: len(app.screen.query_one("#spaces", SpaceTable).space_ids) == 2
        )
        await wait_for(pilot, lambda: bool(app.screen.query("#side-log")))  # mounted when wide
        await wait_for(pilot, lambda: side(app).display and side(app).region.width > 60)
        await wait_for(pilot, lambda: [w for w in app.workers if w.group == "side-log"])
        assert [w.description for w in app.workers if w.group == "side-log"] == ["Log of alice/one"]
        await wait_for(pilot, lambda: side(app).model.store.next_seq > 0)
        await pilot.press("down")
        await wait_for(
            pilot,
            lambda: any(
                w.description == "Log of alice/two" and not w.is_finished for w in app.workers
            ),
        )
        running = [w for w in app.workers if w.group == "side-log" and not w.is_finished]
        assert [w.description for w in running] == ["Log of alice/two"]  # one stream at a time
        assert "alice/one" in screen_text(app)


async def test_no_side_log_below_the_threshold_or_when_turned_off(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("alice/one")
    path = tmp_path / "spacetui.yaml"
    path.write_text("ui:\n  side_log_from: 0\n")
    for app, size in ((make_app(), (150, 40)), (make_app(config=load_config(path)), (220, 40))):
        async with app.run_test(size=size) as pilot:
            await wait_for(pilot, lambda a=app: "alice/one" in screen_text(a))
            # No time passes to prove a negative: wait until the list placed its side log for
            # this width (a wide one mounts the panel and follows the cursor from there).
            await wait_for(pilot, lambda a=app, w=size[0]: a.screen.side_log_width == w)
            assert not app.screen.has_class("-wide")
            assert not app.screen.query("#side-log") or not side(app).display
            assert not [w for w in app.workers if w.group == "side-log"]


async def test_the_side_panel_explains_a_failed_space(hub: Hub, make_app: MakeApp) -> None:
    from textual.widgets import Static

    from tests.helpers.app import BROKEN_FILES, SETTLE

    hub.emu.state.create_space("alice/broken", sdk="docker")
    hub.emu.state.commit("alice/broken", BROKEN_FILES)
    hub.clock.advance(SETTLE)
    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#side-failure")))

        def shown() -> str:
            widget = app.screen.query_one("#side-failure", Static)
            return " ".join(str(widget.render()).split()) if widget.display else ""

        await wait_for(pilot, lambda: "Checks that predict it: DOCKER012" in shown(), timeout=20)
        assert shown().startswith("Why it failed")


async def test_the_side_log_worker_posts_batches_and_the_screen_appends_them(
    hub: Hub, make_app: MakeApp
) -> None:
    """Issue 11 (d): the side log's worker touches no widget; it posts `SideLogBatch` messages
    and the screen's handler appends them, dropping batches of a stream it no longer follows."""
    from tui.domain.models import LogEvent
    from tui.ui.controllers.side_log import SideLogBatch

    hub.running("alice/one", "alice/two")
    app = make_app()
    seen: list[SideLogBatch] = []

    def hook(message: object) -> None:
        if isinstance(message, SideLogBatch):
            seen.append(message)

    async with app.run_test(size=(200, 40), message_hook=hook) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#side-log")))
        await wait_for(pilot, lambda: side(app).model.store.next_seq > 0)
        view = side(app)
        view.flush()
        shown = [view.model.store.plain(seq) for seq in view.model.row_seqs()]
        carried = [event.text for batch in seen for event in batch.events]
        assert seen and all(batch.space_id == "alice/one" for batch in seen)
        assert shown == carried[: len(shown)] and len(shown) > 0

        screen = app.screen
        current = seen[-1].generation
        stale = [LogEvent(index=10**6, timestamp="", data="stale line\n", space_id="alice/one")]
        fresh = [LogEvent(index=10**6 + 1, timestamp="", data="fresh line\n", space_id="alice/one")]
        screen.post_message(SideLogBatch("alice/one", current - 1, stale))  # a replaced stream
        screen.post_message(SideLogBatch("alice/two", current, stale))  # not the followed Space
        screen.post_message(SideLogBatch("alice/one", current, fresh))

        def texts() -> list[str]:
            view.flush()
            return [view.model.store.plain(seq) for seq in view.model.row_seqs()]

        # The screen handles its messages in order: once the fresh line is in, the stale ones
        # were handled (and dropped) before it.
        await wait_for(pilot, lambda: "fresh line" in texts())
        assert "stale line" not in texts()


async def test_the_side_panel_of_a_static_space_says_it_has_no_logs(
    hub: Hub, make_app: MakeApp
) -> None:
    """Issue 13: a static Space has no build or run log; the side panel says so and streams
    nothing (it showed an empty log)."""
    from textual.widgets import Static

    hub.emu.state.create_space("alice/site", sdk="static")
    hub.emu.state.commit(
        "alice/site", {"README.md": b"---\nsdk: static\n---\n", "index.html": b"<h1>hi</h1>"}
    )
    hub.running("alice/zeta")
    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_for(
            pilot, lambda: len(app.screen.query_one("#spaces", SpaceTable).space_ids) == 2
        )
        await wait_for(pilot, lambda: bool(app.screen.query("#side-failure")))
        assert app.screen.query_one("#spaces", SpaceTable).selected_space_id == "alice/site"
        panel = app.screen.query_one("#side-failure", Static)
        await wait_for(pilot, lambda: panel.display and "Static Space" in str(panel.render()))
        assert "no build or run log" in str(panel.render())
        assert not [w for w in app.workers if w.group == "side-log" and not w.is_finished]
        await pilot.press("down")  # a Space with logs: streamed again, the note gone
        await wait_for(pilot, lambda: side(app).model.store.next_seq > 0)
        assert not panel.display
