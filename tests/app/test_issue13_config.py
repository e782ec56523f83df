"""Issue 13 bug 4: a spacetui.yaml with problems keeps every valid part (theme, keymap) and
reports every problem at once with file:line; a keymap entry that is unknown or takes a key
another binding of the same screen has is reported, located, and not applied."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.app import SIZE, Hub, MakeApp, notifications, screen_text, wait_for
from tui.commands.app import _load_config
from tui.domain.config import load_config
from tui.ui.keymap import check_keymap
from tui.ui.screens.dialogs import ConfirmDialog


def test_a_config_with_problems_keeps_its_valid_parts(tmp_path: Path) -> None:
    path = tmp_path / "spacetui.yaml"
    path.write_text(
        "spaces:\n  - alice/app\n  - not an id\nui:\n  theme: nord\n  bel: true\n"
        "keymap:\n  space.restart: ctrl+r\nzzz: 1\n"
    )
    config, error = _load_config(str(path))
    assert error is not None
    assert [p.line for p in error.problems] == [3, 6, 9]  # every problem, in line order
    assert config.space_ids == ("alice/app",)
    assert config.ui.theme == "nord"
    assert config.keymap == {"space.restart": "ctrl+r"}
    assert config.keymap_lines == {"space.restart": 8}


def test_a_keymap_entry_that_takes_another_bindings_key_is_reported_and_dropped() -> None:
    usable, problems = check_keymap(
        {"space.restart": "l", "space.pause_resume": "ctrl+p2"},
        lines={"space.restart": 4},
        file="/home/a/spacetui.yaml",
    )
    assert usable == {"space.pause_resume": "ctrl+p2"}
    assert len(problems) == 1
    assert problems[0].startswith("/home/a/spacetui.yaml:4: keymap.space.restart: 'l' is already")
    assert "space.logs" in problems[0] and "keeps ctrl+r" in problems[0]


async def test_the_app_applies_the_valid_parts_and_shows_every_problem_in_one_toast(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("alice/app")
    path = tmp_path / "spacetui.yaml"
    path.write_text(
        "ui:\n  theme: nord\n  bel: true\n"
        "keymap:\n  space.restart: ctrl+t\n  space.restrat: x\n  space.pause_resume: l\n"
    )
    config, error = _load_config(str(path))
    app = make_app(config=config, config_error=error)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "alice/app" in screen_text(app))
        assert app.theme == "nord"
        toasts = [n for n in notifications(app) if str(path) in n]
        assert len(toasts) == 1
        lines = toasts[0].splitlines()
        assert any(line.startswith(f"{path}:3: ui.bel: unknown key") for line in lines)
        assert any(
            line.startswith(f"{path}:6: keymap.space.restrat: unknown binding id") for line in lines
        )
        assert any(
            line.startswith(f"{path}:7: keymap.space.pause_resume: 'l' is already")
            for line in lines
        )
        await pilot.press("ctrl+t")  # the valid remap applies
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await pilot.press("p")  # the clashing remap was not applied: p still pauses
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Pause" in screen_text(app)


def test_load_config_still_raises_for_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "spacetui.yaml"
    path.write_text("ui:\n  bel: true\n")
    try:
        load_config(path)
    except Exception as exc:  # noqa: BLE001
        assert exc.config is not None and exc.config.ui.bell is False  # type: ignore[attr-defined]
    else:
        raise AssertionError("expected a ConfigError")
