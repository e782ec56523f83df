"""Issue 13: "In stage" is shown only where it is known, and sorting by it falls back on the
last change for Spaces already in their stage when spacetui started."""

from __future__ import annotations

from tests.helpers.app import FILES, SETTLE, SIZE, Hub, MakeApp, wait_for
from tui.ui.widgets.space_table import SpaceTable


def table(app) -> SpaceTable:  # noqa: ANN001
    return app.screen.query_one("#spaces", SpaceTable)


async def test_older_spaces_show_no_made_up_age_and_sort_by_their_last_change(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.emu.state.create_space("alice/aaa-old", sdk="docker")
    hub.emu.state.commit("alice/aaa-old", FILES)
    hub.clock.advance(1200)
    hub.emu.state.create_space("alice/zzz-recent", sdk="docker")
    hub.emu.state.commit("alice/zzz-recent", FILES)
    hub.clock.advance(SETTLE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 2)
        for space_id in ("alice/aaa-old", "alice/zzz-recent"):
            assert str(table(app).get_cell(space_id, "age")) == "-"
        await pilot.press("4")  # sort by In stage: the most recent change first
        await wait_for(pilot, lambda: table(app).space_ids == ["alice/zzz-recent", "alice/aaa-old"])
