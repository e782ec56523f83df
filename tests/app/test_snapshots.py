"""Snapshots of the main screens with deterministic data: a ManualClock emulator (stages fixed),
the app's clock pinned to it, a fixed terminal size, and the demo title (no port number)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.helpers.app import Hub, MakeApp, loaded, settled, wait_for
from tui.ui.keymap import GROUPS
from tui.ui.screens import help as help_screen

SIZE = (120, 30)


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
        await settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
