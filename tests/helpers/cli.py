"""Run `spacetui` in the test's own process, and deploy follows that poll every 50 ms.

A subprocess costs an interpreter start and every import again (about half a second each,
more on a loaded machine), and its deploys poll the Hub every 2 s: a static Space, which never
shows a build stage, settles after five polls, 8 s of waiting per deploy. Tests that check
what a command prints and returns run it here; the few that need a real process (signals,
a killed upload, the exit path) keep spawning one.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

import pytest

#: How often an in-process deploy polls the runtime and probes the app (the emulator runs 50x).
POLL_INTERVAL = 0.05


@dataclass(frozen=True)
class Done:
    """What a command returned and printed, shaped like `subprocess.CompletedProcess`."""

    returncode: int
    stdout: str
    stderr: str


def fast_deploy_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """`spacetui deploy` and `rollback` in this process poll every POLL_INTERVAL seconds."""
    from tui.commands import deploy_run, rollback_run
    from tui.domain.deploy.engine import Deployer
    from tui.domain.rollback import Rollback

    fast = functools.partial(Deployer, poll_interval=POLL_INTERVAL)
    monkeypatch.setattr(deploy_run, "Deployer", fast)
    monkeypatch.setattr(
        rollback_run, "Rollback", functools.partial(Rollback, poll_interval=POLL_INTERVAL)
    )


def run_cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    env: Mapping[str, str] | None = None,
) -> Done:
    """`spacetui *args` through `tui.cli.main`, with exactly `env` as the environment if given."""
    from tui.cli import main

    if env is not None:
        for name in set(os.environ) - set(env):
            monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        # huggingface_hub read this one into its constants at import; a new process reads it again.
        import huggingface_hub.constants

        disable_xet = env.get("HF_HUB_DISABLE_XET", "").upper() in {"1", "ON", "YES", "TRUE"}
        monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_DISABLE_XET", disable_xet)
    fast_deploy_polls(monkeypatch)
    capsys.readouterr()  # only this command's output
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return Done(code, out, err)
