"""Start-up: which Hub (or the demo) and which config the app gets, the no-token welcome, and
errors that stay one line. The terminal UI itself is replaced by a recorder (a real terminal
cannot run under pytest); the emulator the demo serves is real."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.helpers.app import SIZE, Hub, MakeApp, screen_text, wait_for
from tui import cli
from tui.commands import app as app_command
from tui.domain.config import Config, ConfigError


@dataclass
class Started:
    endpoint: str
    token: str | None
    config: Config
    config_error: ConfigError | None
    demo: bool
    missing_token_for: str | None
    demo_account: str | None


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Started]:
    """Record what the app would be started with; for the demo, ask the live emulator who we are."""
    runs: list[Started] = []

    def record(target, config, config_error, *, demo, missing_token_for=None) -> int:  # noqa: ANN001
        account = None
        if demo:
            answer = httpx.get(
                f"{target.endpoint}/api/whoami-v2",
                headers={"authorization": f"Bearer {target.token}"},
            )
            account = answer.json()["name"]
        runs.append(
            Started(
                target.endpoint,
                target.token,
                config,
                config_error,
                demo,
                missing_token_for,
                account,
            )
        )
        return 0

    monkeypatch.setattr(app_command, "_run_app", record)
    return runs


def test_no_token_opens_the_demo_with_the_sign_in_help(started: list[Started]) -> None:
    assert cli.main([]) == 0
    [run] = started
    assert run.demo and run.demo_account == "demo"
    assert run.missing_token_for == "https://huggingface.co"
    assert run.endpoint.startswith("http://127.0.0.1:")


def test_demo_flag_skips_the_sign_in_help(
    started: list[Started], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_realuser_token_value")
    assert cli.main(["--demo"]) == 0
    [run] = started
    assert run.demo and run.demo_account == "demo" and run.missing_token_for is None
    assert run.token == app_command.DEMO_TOKEN


def test_a_token_opens_the_app_on_the_chosen_endpoint(
    started: list[Started], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_realuser_token_value")
    monkeypatch.setenv("HF_ENDPOINT", "https://hub.example.org")
    assert cli.main([]) == 0
    assert cli.main(["--endpoint", "https://other.example.org/"]) == 0
    assert [(r.endpoint, r.demo) for r in started] == [
        ("https://hub.example.org", False),
        ("https://other.example.org", False),
    ]
    assert started[0].token == "hf_realuser_token_value"


def test_no_token_names_the_endpoint_that_lacked_one(
    started: list[Started], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "https://hub.example.org")
    assert cli.main([]) == 0
    assert started[0].missing_token_for == "https://hub.example.org"


def test_a_bad_endpoint_is_one_line_and_exit_2(
    started: list[Started], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--endpoint", "not a url"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("spacetui: ") and "Traceback" not in err
    assert started == []


def test_a_broken_config_is_reported_and_kept(started: list[Started], tmp_path: Path) -> None:
    path = tmp_path / "spacetui.yaml"
    broken = "spaces:\n  - alice/app\n  - [oops\n"
    path.write_text(broken)
    assert cli.main(["--config", str(path), "--demo"]) == 0
    [run] = started
    assert run.config_error is not None
    assert str(run.config_error.problems[0]).startswith(
        f"{path}:3:"
    )  # the line with the unclosed `[`
    assert path.read_text() == broken


def test_the_demo_keeps_ui_preferences_but_not_the_watch_list(
    started: list[Started], tmp_path: Path
) -> None:
    path = tmp_path / "spacetui.yaml"
    path.write_text("spaces: [alice/app]\nui:\n  bell: true\nkeymap:\n  space.restart: ctrl+r\n")
    assert cli.main(["--config", str(path)]) == 0
    [run] = started
    assert run.config.ui.bell is True and run.config.keymap == {"space.restart": "ctrl+r"}
    assert run.config.spaces == () and run.config.path != path


async def test_the_welcome_screen_explains_sign_in_and_enter_opens_the_demo(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    app = make_app(demo=True, missing_token_for="https://huggingface.co")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WelcomeScreen")
        text = screen_text(app)
        assert "No Hugging Face token found for https://huggingface.co" in text
        assert "hf auth login" in text and "HF_TOKEN" in text
        assert "Enter: continue with the demo" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        await wait_for(pilot, lambda: "alice/app" in screen_text(app))
        assert "Demo: an offline Hub emulator" in screen_text(app)


async def test_q_on_the_welcome_screen_quits(hub: Hub, make_app: MakeApp) -> None:
    app = make_app(demo=True, missing_token_for="https://huggingface.co")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WelcomeScreen")
        await pilot.press("q")
        await wait_for(pilot, lambda: app.return_code is not None)
