"""Issue 14 point 3: a token-shaped value is never published as a (public) Space variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.domain.auth import HubTarget
from tui.domain.errors import UsageError
from tui.domain.hub.client import HubClient
from tui.domain.scaffold import ScaffoldOptions, write_scaffold

ALICE_TOKEN = "hf_alice_test_token"
REAL_SHAPED = "hf_" + "ZqWnTrKvLpXsMdJbHcFyGuEoIaRtPwQmVk"


def _deploy(url: str, folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, HF_ENDPOINT=url, HF_TOKEN=ALICE_TOKEN, **env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "deploy",
            str(folder),
            "--space",
            "alice/app",
            "--create",
            "--yes",
            "--no-follow",
            *args,
        ],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--variable", "HF_TOKEN"), {}),  # the value comes from $HF_TOKEN: the deploy's token
        (("--variable", f"MODEL={REAL_SHAPED}"), {}),
        (("--variable", "OPENAI_KEY"), {"OPENAI_KEY": "sk-proj-" + "Zq3WnTrKvLp_XsMdJbHcFyGu" * 3}),
    ],
)
def test_token_shaped_variables_are_refused_before_anything(
    emulator, tmp_path: Path, args: tuple[str, ...], env: dict[str, str]
) -> None:
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    done = _deploy(emulator.url, folder, *args, **env)
    assert done.returncode == 2, done.stderr
    assert "variables are public: set it as a secret instead" in done.stderr
    assert "Traceback" not in done.stderr
    for value in (ALICE_TOKEN, REAL_SHAPED, *env.values()):
        assert value not in done.stdout + done.stderr
    assert emulator.state.get_space("alice/app") is None  # nothing created, nothing published


def test_plain_variables_still_publish(emulator, tmp_path: Path) -> None:
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    done = _deploy(emulator.url, folder, "--variable", "MODE=fast", "--variable", "MODEL_ID")
    assert done.returncode == 2 and "Variable MODEL_ID has no value" in done.stderr
    done = _deploy(emulator.url, folder, "--variable", "MODE=fast")
    assert done.returncode == 0, done.stderr


@pytest.mark.asyncio
async def test_the_apps_variable_dialog_path_refuses_a_token(emulator) -> None:
    async with HubClient(HubTarget(emulator.url, ALICE_TOKEN)) as hub:
        await hub.create_space("alice/app", sdk="docker")
        with pytest.raises(UsageError, match="variables are public"):
            await hub.add_variable("alice/app", "HF_TOKEN", REAL_SHAPED)
        await hub.add_variable("alice/app", "MODE", "fast")
        assert set(await hub.variables("alice/app")) == {"MODE"}


@pytest.mark.parametrize(
    ("key", "value", "refused"),
    [
        ("TOKENIZER", "gpt2", False),
        ("MAX_TOKENS", "512", False),
        ("MODE", "fast", False),
        ("HF_TOKEN", "<set me>", False),
        ("HF_TOKEN", "anything", True),
        ("db-password", "x", True),
        ("NOTE", REAL_SHAPED, True),
        ("GH", "ghp_" + "Zq3WnTrKvLpXsMdJbHcFyGuEoIaRtPwQmVk9", True),
    ],
)
def test_variable_refusal_rule(key: str, value: str, refused: bool) -> None:
    from tui.domain.secret_shapes import variable_refusal

    assert (variable_refusal(key, value) is not None) is refused
