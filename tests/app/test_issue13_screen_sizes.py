"""Issue 13, every screen usable at 80x24 and at 200x60 (the rest of the screens, after
test_issue13_size_snapshots): the Space screen's runtime panel, a failed Space's explanation,
the Checks pane and its file view, the History pane, the deploy review, the secrets and
variables screen with its entry dialog, the create dialog, the welcome screen, and the confirm,
text and choice dialogs, as snapshots."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.helpers.app import Hub, MakeApp, loaded, screen_text, settled, wait_for
from tui.domain.config import Config, UiPreferences, WatchedSpace
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.ui.actions import space_url
from tui.ui.app import SpacesApp
from tui.ui.screens import space as space_screen
from tui.ui.screens.space import SpaceScreen

SIZES = pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
RunBefore = Callable[[Pilot], Awaitable[None]]

#: The side log of a wide terminal is off: its lines arrive at their own pace.
NO_SIDE_LOG = UiPreferences(side_log_from=0)


@pytest.fixture
def fixed_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runtime panel's URL names the emulator's random port: shown as PORT instead."""
    monkeypatch.setattr(
        space_screen,
        "space_url",
        lambda endpoint, space_id: re.sub(r":\d+", ":PORT", space_url(endpoint, space_id)),
    )


def link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, mistake: bool) -> Config:
    """alice/api linked to a scaffolded folder, named by a relative path so that no temporary
    folder shows; with `mistake`, uv without --system in its Dockerfile (DOCKER012)."""
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    if mistake:
        dockerfile = folder / "Dockerfile"
        dockerfile.write_text(
            dockerfile.read_text().replace(
                "RUN pip install", "RUN pip install uv && uv pip install"
            )
        )
    monkeypatch.chdir(tmp_path)
    return Config(
        path=tmp_path / "spacetui.yaml",
        spaces=(WatchedSpace("alice/api", folder=Path("space")),),
        ui=NO_SIDE_LOG,
    )


@pytest.fixture
def linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    """alice/api linked to a folder whose checks find an error."""
    return link(tmp_path, monkeypatch, mistake=True)


@pytest.fixture
def linked_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    """alice/api linked to a folder the checks let deploy."""
    return link(tmp_path, monkeypatch, mistake=False)


def steady(app: SpacesApp) -> None:
    """Cursors stop blinking (and show): on a loaded machine the blink timer toggled them
    between the waits and the snapshot."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]


def screen_named(app: SpacesApp, name: str) -> Callable[[], bool]:
    return lambda: type(app.screen).__name__ == name


def on_space(app: SpacesApp, space_id: str, *keys: str, until: Callable[[], object]) -> RunBefore:
    """A run_before that opens one Space's screen, presses keys, then waits for `until`."""

    async def run_before(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: app.board.get(space_id) is not None)
        await app.push_screen(SpaceScreen(space_id))
        await pilot.press(*keys)
        await wait_for(pilot, until)
        await settled(pilot)

    return run_before


def text_of(app: SpacesApp, selector: str) -> str:
    return " ".join(str(app.screen.query_one(selector).render()).split())


@SIZES
def test_runtime_panel_at(
    varied: Hub, make_app: MakeApp, snap_compare, size, fixed_url: None
) -> None:  # noqa: ANN001
    """The runtime panel of a running Space: every field, Back and Help in the footer."""
    app = make_app(demo=True, config=Config(ui=NO_SIDE_LOG))
    run_before = on_space(app, "alice/api", until=lambda: "Revision" in screen_text(app))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_failed_space_at(
    varied: Hub, make_app: MakeApp, snap_compare, size, fixed_url: None
) -> None:  # noqa: ANN001
    """A failed Space's screen: its error and why it failed, with the log lines that prove it."""
    app = make_app(demo=True, config=Config(ui=NO_SIDE_LOG))
    run_before = on_space(
        app, "alice/broken", until=lambda: "From the log:" in text_of(app, "#failure")
    )
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_checks_pane_at(varied: Hub, make_app: MakeApp, snap_compare, size, linked: Config) -> None:  # noqa: ANN001
    """The Checks pane with an error finding (DOCKER012) and the others below it."""
    app = make_app(demo=True, config=linked)
    run_before = on_space(
        app, "alice/api", "c", until=lambda: app.screen.query_one("#checks").report is not None
    )
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_check_file_view_at(
    varied: Hub, make_app: MakeApp, snap_compare, size, linked: Config
) -> None:  # noqa: ANN001
    """Enter on the finding: the Dockerfile at its line."""
    app = make_app(demo=True, config=linked)
    opened = on_space(
        app, "alice/api", "c", until=lambda: app.screen.query_one("#checks").report is not None
    )

    async def run_before(pilot: Pilot) -> None:
        await opened(pilot)
        await pilot.press("enter")
        await wait_for(pilot, screen_named(app, "FileView"))
        await settled(pilot)
        steady(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_history_pane_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001
    """The History pane of a Space with two revisions."""
    app = make_app(demo=True, config=Config(ui=NO_SIDE_LOG))
    run_before = on_space(
        app,
        "alice/api",
        "H",
        # Focused, its key (U) joins the footer: wait for the footer itself.
        until=lambda: (
            app.screen.query_one("#history-table").row_count > 0
            and "U Roll back" in screen_text(app)
        ),
    )
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_deploy_review_at(
    varied: Hub, make_app: MakeApp, snap_compare, size, linked_clean: Config
) -> None:  # noqa: ANN001
    """D in the Deploy pane: the review of what changes, with its diffs and its buttons."""
    app = make_app(demo=True, config=linked_clean)

    def reviewing() -> bool:
        return app.screen.query_one("#deploy").has_class("-reviewing")

    opened = on_space(
        app,
        "alice/api",
        "d",
        until=lambda: "Deploy (D)" in str(app.screen.query_one("#deploy-start").label),
    )

    async def run_before(pilot: Pilot) -> None:
        await opened(pilot)
        await pilot.press("D")
        await wait_for(pilot, reviewing)
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_settings_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001
    """Secrets and variables of alice/api: one masked secret, one variable."""
    app = make_app(demo=True, config=Config(ui=NO_SIDE_LOG))

    def listed() -> bool:
        screen = app.screen
        return (
            type(screen).__name__ == "SettingsScreen"
            and screen.query_one("#settings-table").row_count == 2
        )

    assert snap_compare(app, terminal_size=size, run_before=loaded(app, "S", until=listed))


@SIZES
def test_entry_dialog_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001
    """Adding a secret: name, masked value, the keys; a refused character is named."""
    app = make_app(demo=True, config=Config(ui=NO_SIDE_LOG))

    def listed() -> bool:
        # Both rows in, and the table focused (its cursor row is drawn behind the dialog).
        screen = app.screen
        return (
            type(screen).__name__ == "SettingsScreen"
            and screen.query_one("#settings-table").row_count == 2
            and getattr(screen.focused, "id", None) == "settings-table"
        )

    inner = loaded(app, "S", until=listed)

    async def run_before(pilot: Pilot) -> None:
        await inner(pilot)
        await pilot.press("S")
        await wait_for(pilot, screen_named(app, "EntryDialog"))
        await pilot.press(*"my-key")
        await wait_for(pilot, lambda: "Not allowed" in text_of(app, "#problem"))
        await settled(pilot)
        steady(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def steady_after(app: SpacesApp, key: str, screen: str) -> RunBefore:
    """A run_before that presses `key` on the loaded list, waits for `screen`, stops the blink."""
    inner = loaded(app, key, until=screen_named(app, screen))

    async def run_before(pilot: Pilot) -> None:
        await inner(pilot)
        steady(app)
        await pilot.pause()

    return run_before


@SIZES
def test_create_dialog_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001
    """n on the list: id, SDK, visibility, Create and Cancel."""
    app = make_app(demo=True, config=Config(ui=NO_SIDE_LOG))
    run_before = steady_after(app, "n", "CreateSpaceDialog")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_welcome_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001
    """Not signed in: how to sign in, and the demo one key away."""
    app = make_app(
        demo=True, missing_token_for="https://huggingface.co", config=Config(ui=NO_SIDE_LOG)
    )

    async def run_before(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: app.first_round_done)
        await wait_for(pilot, screen_named(app, "WelcomeScreen"))
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_confirm_dialog_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001
    """^r on the list: the restart question, both buttons."""
    app = make_app(demo=True, config=Config(ui=NO_SIDE_LOG))
    run_before = loaded(app, "ctrl+r", until=screen_named(app, "ConfirmDialog"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_text_prompt_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001
    """a on the list: the Space id to watch."""
    app = make_app(demo=True, config=Config(ui=NO_SIDE_LOG))
    run_before = steady_after(app, "a", "TextPrompt")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_choice_dialog_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001
    """h on the list: every hardware flavour, the current one marked."""
    app = make_app(demo=True, config=Config(ui=NO_SIDE_LOG))
    run_before = loaded(app, "h", until=screen_named(app, "ChoiceDialog"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_a_tall_terminal_gives_the_review_more_than_14_rows(
    varied: Hub, make_app: MakeApp, linked_clean: Config
) -> None:
    """At 200x60 the review was capped at 14 rows above an empty build log; 24 rows keep it."""
    heights = {}
    for size in ((80, 24), (200, 60)):
        app = make_app(demo=True, config=linked_clean)
        async with app.run_test(size=size) as pilot:
            await on_space(
                app,
                "alice/api",
                "d",
                until=lambda app=app: (
                    "Deploy (D)" in str(app.screen.query_one("#deploy-start").label)
                ),
            )(pilot)
            await pilot.press("D")
            await wait_for(
                pilot, lambda app=app: app.screen.query_one("#deploy").has_class("-reviewing")
            )
            await settled(pilot)  # laid out once the review is shown
            review = app.screen.query_one("#deploy-review")
            heights[size] = (review.region.height, review.virtual_size.height)
    small, tall = heights[(80, 24)], heights[(200, 60)]
    assert small[0] <= 14
    assert tall[0] > 14 and tall[0] >= min(tall[1], 20), heights
