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


def test_every_binding_of_the_app_has_a_unique_id_and_a_tooltip() -> None:
    owners = (SpacesApp, DashboardScreen, SpaceScreen, SettingsScreen, ConfirmDialog, TextPrompt,
              ChoiceDialog, CreateSpaceDialog, EntryDialog, HelpScreen, WelcomeScreen)  # fmt: skip
    bindings = [b for owner in owners for b in owner.BINDINGS if isinstance(b, Binding)]
    assert all(isinstance(b, Binding) for owner in owners for b in owner.BINDINGS)
    assert bindings and all(b.id and b.tooltip for b in bindings)
    for _, group in GROUPS:
        ids = [b.id for b in group]
        assert len(ids) == len(set(ids))


def test_check_keymap_splits_usable_and_unknown_ids() -> None:
    usable, problems = check_keymap({"space.restart": "ctrl+r", "list.filtr": "f"})
    assert usable == {"space.restart": "ctrl+r"}
    assert problems == ["keymap: unknown binding id 'list.filtr' (did you mean 'list.filter'?)"]
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
