"""Discoverability: every binding has an id, the help screen lists every key, the footer shows
the keys of the current view."""

from __future__ import annotations

from textual.binding import Binding

from tests.helpers.app import SIZE, Hub, MakeApp, screen_text, wait_for
from tui.ui.app import SpacesApp
from tui.ui.keymap import GROUPS, all_groups, check_keymap, keys_for, known_binding_ids
from tui.ui.screens.create import CreateSpaceDialog
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, TextPrompt
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.settings import EntryDialog, SettingsScreen
from tui.ui.screens.space import SpaceScreen
from tui.ui.screens.welcome import WelcomeScreen
from tui.ui.widgets.space_table import SpaceTable


def test_every_binding_of_the_app_has_a_unique_id_and_a_tooltip() -> None:
    owners = (
        SpacesApp,
        DashboardScreen,
        SpaceScreen,
        SettingsScreen,
        ConfirmDialog,
        TextPrompt,
        ChoiceDialog,
        CreateSpaceDialog,
        EntryDialog,
        HelpScreen,
        WelcomeScreen,
    )
    bindings = [b for owner in owners for b in owner.BINDINGS if isinstance(b, Binding)]
    assert all(isinstance(b, Binding) for owner in owners for b in owner.BINDINGS)
    assert bindings and all(b.id and b.tooltip for b in bindings)
    for _, group in GROUPS:
        ids = [b.id for b in group]
        assert len(ids) == len(set(ids))


def test_check_keymap_splits_usable_and_unknown_ids() -> None:
    usable, problems = check_keymap({"space.restart": "ctrl+r", "list.filtr": "f"})
    assert usable == {"space.restart": "ctrl+r"}
    assert problems == [
        "spacetui.yaml: keymap.list.filtr: unknown binding id 'list.filtr' "
        "(did you mean 'list.filter'?)"
    ]
    assert "space.restart" in known_binding_ids()


def test_keys_for_shows_remaps_and_friendly_names() -> None:
    binding = Binding("question_mark", "help", "Help", id="app.help")
    assert keys_for(binding, {}) == "?"
    assert keys_for(binding, {"app.help": "f1,question_mark"}) == "f1, ?"
    assert keys_for(Binding("ampersand", "x", "X"), {}) == "&"  # Textual's display names


async def test_the_help_screen_lists_every_binding(hub: Hub, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 200)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "spacetui keys" in screen_text(app))
        text = screen_text(app)
        for _, bindings in all_groups():
            for binding in bindings:
                assert binding.description in text, binding.id
                if binding.id:
                    assert binding.id in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def test_the_footer_shows_the_keys_of_the_view(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "alice/app" in screen_text(app))
        # The footer paints on its own refresh, which the first listing may arrive before.
        await wait_for(pilot, lambda: screen_text(app).splitlines()[-1].strip() != "")
        footer = screen_text(app).splitlines()[-1]
        for label in ("Filter", "Logs", "Restart", "Help", "Commands"):
            assert label in footer
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SpaceScreen))
        await wait_for(pilot, lambda: "Back" in screen_text(app).splitlines()[-1])
        footer = screen_text(app).splitlines()[-1]
        assert "Back" in footer and "Filter" not in footer
        # A new user finds the Space screen's panes from its footer.
        for key, label in (("i", "Runtime"), ("c", "Checks"), ("d", "Deploy"), ("l", "Logs")):
            assert f"{key} {label}" in footer, label


async def test_ctrl_p_opens_the_command_palette_as_colon_does(hub: Hub, make_app: MakeApp) -> None:
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in ("ctrl+p", "colon"):
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))


# -- QA pass: Home/End move the cursor, help lists every key --------------


async def test_home_end_and_g_G_move_the_cursor_not_the_columns(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/a", "alice/b", "alice/c")
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:  # narrow: the table can scroll sideways
        await wait_for(pilot, lambda: app.screen.query_one("#spaces", SpaceTable).row_count == 3)
        spaces = app.screen.query_one("#spaces", SpaceTable)
        assert spaces.max_scroll_x > 0
        for key, expected in (
            ("end", "alice/c"),
            ("home", "alice/a"),
            ("G", "alice/c"),
            ("g", "alice/a"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert spaces.selected_space_id == expected, key
            assert spaces.scroll_x == 0, key
        assert "alice/a" in screen_text(app)


def test_keys_for_lists_every_key_not_only_the_footer_label() -> None:
    follow = Binding("f,G,end", "follow", "Follow", key_display="f", id="log.follow")
    assert keys_for(follow, {}) == "f, G, end"
    assert keys_for(follow, {"log.follow": "F"}) == "F"


async def test_help_lists_ctrl_p_and_every_follow_key(hub: Hub, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 200)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "spacetui keys" in screen_text(app))
        lines = screen_text(app).splitlines()
        palette = next(line for line in lines if "app.palette" in line)
        follow = next(line for line in lines if "log.follow" in line)
        first = next(line for line in lines if "list.first" in line)
        assert ":, ctrl+p" in palette, palette
        assert "f, G, end" in follow, follow
        assert "home, g" in first, first
