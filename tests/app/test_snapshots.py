"""Snapshots of the main screens with deterministic data: a ManualClock emulator (stages fixed),
the app's clock pinned to it, a fixed terminal size, and the demo title (no port number)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from huggingface_hub import HfApi
from textual.pilot import Pilot

from tests.helpers.app import BROKEN_FILES, FILES, SETTLE, Hub, MakeApp, wait_for
from tests.helpers.hub import ALICE_TOKEN
from tui.ui.app import SpacesApp
from tui.ui.keymap import GROUPS
from tui.ui.screens import help as help_screen
from tui.ui.widgets.space_table import SpaceTable

SIZE = (120, 30)


@pytest.fixture
def varied(hub: Hub) -> Hub:
    """Five Spaces in five stages."""
    api = HfApi(endpoint=hub.emu.url, token=ALICE_TOKEN)
    for space_id, files in (
        ("alice/api", FILES),
        ("alice/broken", BROKEN_FILES),
        ("alice/paused", FILES),
    ):
        hub.emu.state.create_space(space_id, sdk="docker", private=space_id == "alice/api")
        hub.emu.state.commit(space_id, files)
    hub.emu.state.create_space("alice/site", sdk="static")
    hub.clock.advance(SETTLE)
    api.pause_space("alice/paused")
    api.add_space_variable("alice/api", "MODEL_ID", "gpt2")
    api.add_space_secret("alice/api", "OPENAI_API_KEY", "sk-not-shown")
    hub.emu.state.create_space("alice/new", sdk="docker")
    hub.emu.state.commit("alice/new", FILES)
    assert hub.stage("alice/broken") == "BUILD_ERROR" and hub.stage("alice/new") == "BUILDING"
    return hub


def loaded(app: SpacesApp, *keys: str, until: Callable[[], object] | None = None):  # noqa: ANN201
    """A run_before that waits for the first full list, presses keys, then waits for `until`."""

    async def run_before(pilot: Pilot) -> None:
        await wait_for(
            pilot, lambda: len(app.screen.query_one("#spaces", SpaceTable).space_ids) == 5
        )
        await pilot.press(*keys)
        if until is not None:
            await wait_for(pilot, until)
        await pilot.pause(0.2)

    return run_before


def test_dashboard(varied: Hub, make_app: MakeApp, snap_compare) -> None:  # noqa: ANN001
    """You should see five Spaces with coloured stage badges, the demo banner and the footer keys."""
    app = make_app(demo=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=loaded(app))


def test_dashboard_sorted_by_stage_with_a_mark(
    varied: Hub, make_app: MakeApp, snap_compare
) -> None:  # noqa: ANN001
    """You should see the failing Space first, the building one next, and the first row marked."""
    app = make_app(demo=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=loaded(app, "3", "space"))


def test_confirm_restart(varied: Hub, make_app: MakeApp, snap_compare) -> None:  # noqa: ANN001
    """You should see the restart question over the list, Cancel focused."""
    app = make_app(demo=True)
    run_before = loaded(app, "ctrl+r", until=lambda: type(app.screen).__name__ == "ConfirmDialog")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_secrets_and_variables(varied: Hub, make_app: MakeApp, snap_compare) -> None:  # noqa: ANN001
    """You should see one masked secret and one variable of alice/api."""
    app = make_app(demo=True)

    def listed() -> bool:
        screen = app.screen
        return (
            type(screen).__name__ == "SettingsScreen"
            and screen.query_one("#settings-table").row_count == 2
        )

    assert snap_compare(app, terminal_size=SIZE, run_before=loaded(app, "S", until=listed))


def test_help(
    varied: Hub, make_app: MakeApp, snap_compare, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    """You should see the help screen with the first key groups."""
    # Only the shell's own groups: the log, checks and deploy panes' keys change on their own.
    monkeypatch.setattr(help_screen, "all_groups", lambda: GROUPS)
    app = make_app(demo=True)
    run_before = loaded(
        app, "question_mark", until=lambda: type(app.screen).__name__ == "HelpScreen"
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_welcome(varied: Hub, make_app: MakeApp, snap_compare) -> None:  # noqa: ANN001
    """You should see how to sign in, over the demo list."""
    app = make_app(demo=True, missing_token_for="https://huggingface.co")

    async def run_before(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: app.first_round_done)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
