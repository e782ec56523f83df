"""spacetui.yaml seen from the app: a broken file is shown with file:line and never overwritten;
the keymap remaps bindings by id; preferences apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.app import SIZE, Hub, MakeApp, notifications, screen_text, wait_for
from tui.domain.config import Config, ConfigError, load_config
from tui.ui.screens.dialogs import ConfirmDialog, TextPrompt


def broken_config(path: Path) -> tuple[Config, ConfigError]:
    try:
        load_config(path)
    except ConfigError as exc:
        return Config(path=path), exc
    raise AssertionError("the config was expected to be broken")


async def test_a_broken_config_shows_its_error_and_is_never_overwritten(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("alice/app")
    path = tmp_path / "spacetui.yaml"
    broken = "# my config\nspaces:\n  - alice/app\nui:\n  bel: true\n"
    path.write_text(broken)
    config, error = broken_config(path)
    app = make_app(config=config, config_error=error)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "alice/app" in screen_text(app))  # it still starts
        text = " ".join(line.strip() for line in screen_text(app).splitlines())  # unwrap the banner
        assert "spacetui.yaml has problems" in text
        assert f"{path}:5: ui.bel: unknown key (did you mean 'bell'?)" in text
        assert any(f"{path}:5" in n for n in notifications(app))
        # Editing the watch list must not replace the user's broken file.
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one("#answer").value = "bob/other"
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: any("Config error" in n or "ui.bel" in n for n in notifications(app)[1:])
        )
        assert path.read_text() == broken
        assert sorted(p.name for p in tmp_path.iterdir()) == ["spacetui.yaml"]


async def test_the_keymap_remaps_a_binding_by_id(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("alice/app")
    path = tmp_path / "spacetui.yaml"
    path.write_text("keymap:\n  space.restart: ctrl+t\n  space.restrat: x\n")
    app = make_app(config=load_config(path))
    async with app.run_test(size=(120, 200)) as pilot:  # tall enough for the whole help screen
        await wait_for(pilot, lambda: "alice/app" in screen_text(app))
        assert any(
            "unknown binding id 'space.restrat' (did you mean 'space.restart'?)" in n
            for n in notifications(app)
        )
        await pilot.press("ctrl+r")  # press returns once the key is handled: a binding would
        assert not isinstance(app.screen, ConfirmDialog)  # have pushed the dialog by then
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n", "question_mark")
        await wait_for(pilot, lambda: "spacetui keys" in screen_text(app))
        assert any("ctrl+t" in line and "Restart" in line for line in screen_text(app).splitlines())


@pytest.mark.parametrize(("theme", "applied"), [("nord", "nord"), ("no-such-theme", None)])
async def test_the_theme_preference(
    hub: Hub, make_app: MakeApp, tmp_path: Path, theme: str, applied: str | None
) -> None:
    path = tmp_path / "spacetui.yaml"
    path.write_text(f"ui:\n  theme: {theme}\n")
    app = make_app(config=load_config(path))
    async with app.run_test(size=SIZE) as pilot:
        if applied:
            await wait_for(pilot, lambda: app.theme == applied)
        else:
            await wait_for(
                pilot, lambda: any("unknown theme 'no-such-theme'" in n for n in notifications(app))
            )


async def test_config_problems_name_the_real_file_in_line_order_in_one_toast(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    path = tmp_path / "team.yaml"
    path.write_text("ui:\n  bel: true\nzzz: 1\naaa: 2\n")
    config, error = broken_config(path)
    app = make_app(config=config, config_error=error)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "team.yaml has problems" in screen_text(app))
        assert "spacetui.yaml" not in screen_text(app)
        toasts = [n for n in notifications(app) if "team.yaml" in n]
        assert len(toasts) == 1
        lines = [int(line.split(":")[1]) for line in toasts[0].splitlines()]
        assert lines == sorted(lines) and len(lines) == 3
