"""Helpers for deploy tests: a Space folder factory and a deploy runner collecting events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tui.domain.auth import HubTarget
from tui.domain.deploy.engine import Deployer
from tui.domain.deploy.events import DeployEvent, DeployResult
from tui.domain.deploy.options import DeployOptions
from tui.domain.hub import HubClient
from tui.domain.scaffold import ScaffoldOptions, write_scaffold

ALICE_TOKEN = "hf_alice_test_token"


@pytest.fixture
def space_folder(tmp_path: Path) -> Path:
    """`spacetui init`'s known-good Docker Space."""
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    return folder


class DeployRun:
    """Runs deploys against one emulator as alice, keeping every event."""

    def __init__(self, url: str) -> None:
        self.target = HubTarget(endpoint=url, token=ALICE_TOKEN)
        self.events: list[DeployEvent] = []

    async def __call__(
        self,
        folder: Path,
        space_id: str = "alice/app",
        *,
        on_event: Callable[[DeployEvent], None] | None = None,
        confirm: Callable[..., Awaitable[bool]] | None = None,
        stamp: bool = False,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        **options: object,
    ) -> DeployResult:
        self.events.clear()

        def emit(event: DeployEvent) -> None:
            self.events.append(event)
            if on_event:
                on_event(event)

        async with HubClient(self.target) as hub:
            deployer = Deployer(
                hub,
                DeployOptions(folder=folder, space_id=space_id, **options),  # type: ignore[arg-type]
                emit=emit,
                confirm=confirm,
                poll_interval=0.05,
                stamp=stamp,
                **({"sleep": sleep} if sleep is not None else {}),
            )
            self.deployer = deployer
            return await deployer.run()

    def of(self, kind: str) -> list[DeployEvent]:
        return [e for e in self.events if e.kind == kind]


@pytest.fixture
def deploy(emulator) -> DeployRun:  # noqa: ANN001 - the shared emulator fixture
    return DeployRun(emulator.url)
