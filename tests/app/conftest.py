"""Fixtures for the app's Pilot tests: a ManualClock emulator with Spaces in chosen stages, and
a factory for SpacesApp wired to it with a fast monitor and an injectable clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from huggingface_hub import HfApi

# Re-exported for test files not yet importing from tests.helpers.app.
from tests.helpers.app import (  # noqa: F401
    BROKEN_FILES,
    DOCKERFILE,
    FILES,
    README,
    SETTLE,
    SIZE,
    AppClock,
    Hub,
    MakeApp,
    fast_monitor,
    notifications,
    screen_text,
    table_stage,
    wait_for,
)
from tests.helpers.hub import ALICE, ALICE_TOKEN, BOB_TOKEN
from tui.domain.auth import HubTarget
from tui.domain.config import Config, ConfigError
from tui.emulator.clock import ManualClock
from tui.emulator.server import serve_emulator
from tui.ui.app import SpacesApp


@pytest.fixture
def hub() -> Iterator[Hub]:
    """An empty emulator (alice and bob) whose clock only moves by hand."""
    clock = ManualClock()
    with serve_emulator(
        seed="empty", users={ALICE: ALICE_TOKEN, "bob": BOB_TOKEN}, clock=clock
    ) as emu:
        yield Hub(emu, clock)


@pytest.fixture
def make_app(hub: Hub, tmp_path: Path) -> MakeApp:
    """SpacesApp on the emulator as alice, config in tmp_path (or as given)."""

    def build(
        *,
        token: str | None = ALICE_TOKEN,
        config: Config | None = None,
        config_error: ConfigError | None = None,
        clock: Callable[[], float] | None = None,
        **options: object,
    ) -> SpacesApp:
        config_path = config.path if config and config.path else tmp_path / "spacetui.yaml"
        return SpacesApp(
            HubTarget(hub.emu.url, token),
            config=config or Config(path=config_path),
            config_path=config_path,
            config_error=config_error,
            clock=clock or hub.clock.now,
            **{"monitor_factory": fast_monitor, **options},
        )

    return build


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
