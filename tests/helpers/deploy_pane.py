"""The deploy pane tests' shared pieces: a scaffolded folder, the app on the emulator, the pane."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox

from tests.app.conftest import (
    fast_monitor,
    notifications,
    screen_text,
    wait_for,
)
from tests.conftest import ALICE_TOKEN
from tui.domain.auth import HubTarget
from tui.domain.config import load_config
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.emulator.server import RunningEmulator
from tui.ui.app import SpacesApp
from tui.ui.screens.space import SpaceScreen
from tui.ui.widgets.deploy_pane import DeployPane

SPACE = "alice/app"
SECRET_VALUE = "s3cret-value-never-shown"


def scaffold(tmp_path: Path) -> Path:
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    return folder


def scaffold_with_uv_mistake(tmp_path: Path) -> Path:
    """The scaffold with `uv pip install` without --system: DOCKER012 stops its deploy."""
    folder = scaffold(tmp_path)
    dockerfile = folder / "Dockerfile"
    dockerfile.write_text(
        dockerfile.read_text().replace("RUN pip install", "RUN pip install uv && uv pip install")
    )
    return folder


def make_app(emulator: RunningEmulator, tmp_path: Path, folder: Path, extra: str = "") -> SpacesApp:
    config_path = tmp_path / "spacetui.yaml"
    config_path.write_text(f"spaces:\n  - id: {SPACE}\n    folder: {folder}\n{extra}")
    return SpacesApp(
        HubTarget(emulator.url, ALICE_TOKEN),
        config=load_config(config_path),
        config_path=config_path,
        monitor_factory=fast_monitor,
    )


def flat(app: SpacesApp) -> str:
    """The screen's words on one line: wrapped text reads whole again."""
    return " ".join(screen_text(app).split())


class Screens:
    """Every screen text seen during a test, to prove no secret was ever rendered."""

    def __init__(self, app: SpacesApp) -> None:
        self.app = app
        self.seen: list[str] = []

    def __call__(self) -> str:
        text = screen_text(self.app)
        self.seen.append(text)
        return text

    def never_showed(self, *secrets: str) -> bool:
        shown = self.seen + [n for n in notifications(self.app)]
        return not any(secret in text for text in shown for secret in secrets)


def pane(app: SpacesApp) -> DeployPane:
    return app.screen.query_one(DeployPane)


async def open_deploy(app: SpacesApp, pilot) -> DeployPane:  # noqa: ANN001
    await app.push_screen(SpaceScreen(SPACE))
    await pilot.press("d")
    await wait_for(pilot, lambda: pane(app).display and "Deploy (D)" in screen_text(app))
    return pane(app)


async def wait_result(pilot, app: SpacesApp, timeout: float = 20.0) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: pane(app).result is not None, timeout=timeout)
    # Drawn, not only set: the stage line says "Finished: …" from the result on.
    await wait_for(pilot, lambda: "Finished: " in screen_text(app))


async def deploy_new_space(app: SpacesApp, pilot, deploy: DeployPane) -> None:  # noqa: ANN001
    """Press D on a pane whose Space does not exist yet and confirm the review with y."""
    await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
    await pilot.press("D")
    await wait_for(pilot, lambda: "Review the changes" in flat(app))
    await pilot.press("y")
