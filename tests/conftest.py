"""Test-wide hygiene: no real token, endpoint or config can leak in from the developer's machine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tui.emulator.server import RunningEmulator, serve_emulator

if TYPE_CHECKING:
    from huggingface_hub import HfApi

# huggingface_hub reads these at import time, so they are set before any test module imports it.
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_UPDATE_CHECK"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
# CI and GITHUB_STEP_SUMMARY too: CI mode (`deploy --ci`) must be on only where a test asks for it.
for _name in (
    "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT", "SPACETUI_CONFIG", "CI", "GITHUB_STEP_SUMMARY"
):
    os.environ.pop(_name, None)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh HF_HOME and XDG dirs per test, so no saved token or config is ever read."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)


# -- emulator fixtures (shared by every area's integration tests) --------------------------------

ALICE = "alice"
ALICE_TOKEN = "hf_alice_test_token"
BOB = "bob"
BOB_TOKEN = "hf_bob_test_token"
#: Simulated durations run 50x faster in tests, so a whole build takes about a second.
TEST_SPEED = 50.0


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    """A fresh empty emulator on a free loopback port with users alice and bob."""
    with serve_emulator(
        seed="empty", users={ALICE: ALICE_TOKEN, BOB: BOB_TOKEN}, speed=TEST_SPEED
    ) as emu:
        yield emu


@pytest.fixture
def demo_emulator() -> Iterator[RunningEmulator]:
    """A fresh emulator with the demo account (`demo` / `hf_spacetui_demo_token`) and its Spaces."""
    with serve_emulator(seed="demo", users={ALICE: ALICE_TOKEN}, speed=TEST_SPEED) as emu:
        yield emu


@pytest.fixture
def alice_api(emulator: RunningEmulator) -> HfApi:
    """The real huggingface_hub client, as alice, against `emulator`."""
    from huggingface_hub import HfApi

    return HfApi(endpoint=emulator.url, token=ALICE_TOKEN)


@pytest.fixture
def bob_api(emulator: RunningEmulator) -> HfApi:
    """The real huggingface_hub client, as bob, against `emulator`."""
    from huggingface_hub import HfApi

    return HfApi(endpoint=emulator.url, token=BOB_TOKEN)
