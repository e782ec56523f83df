"""The Space list against the emulator: rows, live stage changes with notifications, filter,
sort, marks, staleness when the Hub fails, and the "looks stuck" mark."""

from __future__ import annotations

from pathlib import Path

from huggingface_hub import HfApi

from tests.helpers.app import (
    FILES,
    SIZE,
    AppClock,
    Hub,
    MakeApp,
    notifications,
    screen_text,
    table_stage,
    wait_for,
)
from tests.helpers.hub import ALICE_TOKEN, BOB_TOKEN
from tui.domain.config import load_config
from tui.domain.config_edit import watch_space
from tui.ui.widgets.space_table import SpaceTable


def table(app) -> SpaceTable:  # noqa: ANN001
    return app.screen.query_one("#spaces", SpaceTable)


async def test_the_list_shows_own_and_configured_spaces(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("alice/app", "alice/gr", "bob/public")
    config = watch_space(tmp_path / "spacetui.yaml", "bob/public")
    app = make_app(config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 3)
        assert table(app).space_ids == ["alice/app", "alice/gr", "bob/public"]
        assert "RUNNING" in table_stage(app, "bob/public")
        text = screen_text(app)
        assert "alice @ " in text and "3 Spaces" in text
        assert "cpu-basic" in text and "docker" in text


async def test_a_stage_change_reaches_the_table_and_raises_a_notification(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app", "alice/other")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 2)
        table(app).move_cursor(row=1)
        # Someone else restarts the Space, through the real client, while the app watches.
        HfApi(endpoint=hub.emu.url, token=ALICE_TOKEN).restart_space(
            "alice/app", factory_reboot=True
        )
        await wait_for(pilot, lambda: "BUILDING" in table_stage(app, "alice/app"))
        await wait_for(
            pilot, lambda: any("alice/app: RUNNING → BUILDING" in n for n in notifications(app))
        )
        assert table(app).selected_space_id == "alice/other"  # the cursor stayed put
        hub.clock.advance(3600)
        await wait_for(pilot, lambda: "RUNNING" in table_stage(app, "alice/app"))
        await wait_for(
            pilot, lambda: any("BUILDING → " in n and "RUNNING" in n for n in notifications(app))
        )


async def test_a_change_of_a_space_not_on_screen_is_announced(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/app", "alice/hidden")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 2)
        await pilot.press("slash", *"app", "enter")  # the filter hides alice/hidden
        await wait_for(pilot, lambda: table(app).space_ids == ["alice/app"])
        await pilot.press("question_mark")  # and the help screen covers the list
        HfApi(endpoint=hub.emu.url, token=ALICE_TOKEN).pause_space("alice/hidden")
        await wait_for(
            pilot, lambda: any("alice/hidden: RUNNING → PAUSED" in n for n in notifications(app))
        )


async def test_the_bell_rings_when_configured(hub: Hub, make_app: MakeApp, tmp_path: Path) -> None:
    hub.running("alice/app")
    path = tmp_path / "spacetui.yaml"
    path.write_text("ui:\n  bell: true\n  notify: false\n")
    app = make_app(config=load_config(path))
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # the terminal bell itself cannot be heard in a test
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 1)
        HfApi(endpoint=hub.emu.url, token=ALICE_TOKEN).pause_space("alice/app")
        await wait_for(pilot, lambda: rings)
        assert not any("PAUSED" in n for n in notifications(app))


async def test_filter_narrows_and_escape_restores(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/api", "alice/chat", "alice/chat-dev")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 3)
        await pilot.press("slash", *"chat")
        await wait_for(pilot, lambda: table(app).space_ids == ["alice/chat", "alice/chat-dev"])
        await pilot.press(*" dev")
        await wait_for(pilot, lambda: table(app).space_ids == ["alice/chat-dev"])
        assert "1 of 3 Spaces" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(table(app).space_ids) == 3)
        await pilot.press("slash", *"zq")
        await wait_for(pilot, lambda: "No Space matches the filter" in screen_text(app))


async def test_sort_by_column_keys_and_reverse(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/b-running", "alice/a-paused")
    HfApi(endpoint=hub.emu.url, token=ALICE_TOKEN).pause_space("alice/a-paused")
    hub.emu.state.create_space("alice/c-building", sdk="docker")
    hub.emu.state.commit("alice/c-building", FILES)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 3)
        assert table(app).space_ids == ["alice/a-paused", "alice/b-running", "alice/c-building"]
        await pilot.press("3")  # by stage: problems, then work in progress, running, idle
        await wait_for(pilot, lambda: table(app).space_ids[0] == "alice/c-building")
        assert table(app).space_ids == ["alice/c-building", "alice/b-running", "alice/a-paused"]
        await pilot.press("3")
        await wait_for(pilot, lambda: table(app).space_ids[0] == "alice/a-paused")
        await pilot.press("1")
        await wait_for(pilot, lambda: table(app).space_ids[0] == "alice/a-paused")
        assert "sort: space" in screen_text(app)


async def test_the_hub_failing_marks_rows_stale_and_keeps_them(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 1)
        hub.emu.faults.set(status=503)
        await wait_for(pilot, lambda: "Showing the last known stages." in screen_text(app))
        # Worded from the error itself: a 503 means the Hub was reached, so no "could not reach".
        text = " ".join(line.strip() for line in screen_text(app).splitlines())
        assert "⚠ The Hub is unavailable right now (HTTP 503)" in text
        assert "could not be reached" not in text and "((" not in text
        assert "⚠ stale: The Hub is unavailable" in str(table(app).get_cell("alice/app", "note"))
        assert "RUNNING" in table_stage(app, "alice/app")  # the last known status stays
        hub.emu.faults.clear()
        await wait_for(pilot, lambda: "last known stages" not in screen_text(app), timeout=8)
        assert str(table(app).get_cell("alice/app", "note")) == ""


async def test_time_in_stage_and_the_stuck_mark(hub: Hub, make_app: MakeApp) -> None:
    hub.emu.state.create_space("alice/slow", sdk="docker")
    hub.emu.state.commit("alice/slow", FILES)
    clock = AppClock()
    app = make_app(clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 1)
        assert "BUILDING" in table_stage(app, "alice/slow")
        # Seen building at start-up: the age is a lower bound.
        assert str(table(app).get_cell("alice/slow", "age")) == "≥0s"
        clock.now += 19 * 60
        await wait_for(pilot, lambda: str(table(app).get_cell("alice/slow", "age")) == "≥19m 00s")
        clock.now += 2 * 60
        await wait_for(pilot, lambda: "⚠ stuck" in str(table(app).get_cell("alice/slow", "age")))


async def test_marking_spaces_and_opening_one(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/one", "alice/two")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 2)
        await pilot.press("space")
        await wait_for(pilot, lambda: "1 marked" in screen_text(app))
        assert "✓ alice/one" in screen_text(app)
        await pilot.press("enter")  # the cursor moved to alice/two when marking
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SpaceScreen")
        assert app.screen.space_id == "alice/two"
        await wait_for(pilot, lambda: "RUNNING" in screen_text(app))
        text = screen_text(app)
        assert "cpu-basic" in text and f"{hub.emu.url}/spaces/alice/two" in text
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.query_one("#panes").current == "checks")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")


async def test_sign_in_failure_is_shown_and_config_spaces_still_watched(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("bob/public")
    config = watch_space(tmp_path / "spacetui.yaml", "bob/public")
    app = make_app(token="hf_not_a_known_token", config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Not signed in" in screen_text(app))
        assert any("token" in n.lower() for n in notifications(app))
        assert "hf_not_a_known_token" not in screen_text(app)


async def test_an_empty_account_says_what_to_do(hub: Hub, make_app: MakeApp) -> None:
    app = make_app(token=BOB_TOKEN)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "No Spaces yet" in screen_text(app))


async def test_a_watched_space_the_hub_does_not_know_is_named(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("alice/app")
    config = watch_space(tmp_path / "spacetui.yaml", "bob/typo")
    app = make_app(config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Watched but not shown" in screen_text(app))
        text = " ".join(line.strip() for line in screen_text(app).splitlines())
        assert "bob/typo:" in text and "not found" in text.lower()
        assert table(app).space_ids == ["alice/app"]


async def test_a_hub_outage_at_start_up_is_not_called_a_sign_in_problem(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.emu.faults.set(status=503, route="whoami")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Could not ask the Hub who you are" in screen_text(app))
        assert "hf auth login" not in screen_text(app)


async def test_the_demo_banner_stays_when_a_warning_joins_it(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("alice/app")
    config = watch_space(tmp_path / "spacetui.yaml", "bob/typo")
    app = make_app(config=config, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Watched but not shown" in screen_text(app))
        assert "Demo: an offline Hub emulator" in screen_text(app)
        assert app.screen.query_one("#banner").has_class("-warning")  # the worst one colours it


async def test_a_space_created_during_the_session_has_a_known_time_in_stage(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/old")
    app = make_app()  # the app's clock is the emulator's clock
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 1)
        assert str(table(app).get_cell("alice/old", "age")) == "-"  # not known: not shown
        hub.clock.advance(60)
        hub.emu.state.create_space("alice/new", sdk="docker")
        hub.emu.state.commit("alice/new", FILES)
        await wait_for(pilot, lambda: "alice/new" in table(app).space_ids)
        assert "BUILDING" in table_stage(app, "alice/new")
        assert str(table(app).get_cell("alice/new", "age")) == "0s"
