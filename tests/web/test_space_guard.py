"""Inside a Space the server starts only when the Hub says that Space is private."""

from __future__ import annotations

import pytest
from huggingface_hub import HfApi

from tests.conftest import ALICE_TOKEN
from tui.domain.errors import UsageError
from tui.emulator.server import RunningEmulator
from tui.web.space_guard import require_private_space


def test_private_space_passes_public_and_unknown_are_refused(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    alice_api.create_repo("alice/dash", repo_type="space", space_sdk="docker", private=True)
    alice_api.create_repo("alice/open", repo_type="space", space_sdk="docker", private=False)
    require_private_space("alice/dash", emulator.url, ALICE_TOKEN)
    with pytest.raises(UsageError, match="is public"):
        require_private_space("alice/open", emulator.url, ALICE_TOKEN)
    with pytest.raises(UsageError, match="could not check"):
        require_private_space("alice/missing", emulator.url, ALICE_TOKEN)
    with pytest.raises(UsageError, match="no HF_TOKEN"):
        require_private_space("alice/dash", emulator.url, None)
    with pytest.raises(UsageError) as refused:
        require_private_space("alice/dash", emulator.url, "hf_wrong_token_value")
    assert "hf_wrong_token_value" not in refused.value.message


def test_the_command_refuses_a_public_space(
    emulator: RunningEmulator,
    alice_api: HfApi,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tui.cli import main

    alice_api.create_repo("alice/open", repo_type="space", space_sdk="docker", private=False)
    monkeypatch.setenv("SPACE_ID", "alice/open")
    monkeypatch.setenv("SPACE_HOST", "alice-open.hf.space")
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    monkeypatch.setenv("SPACETUI_WEB_SECRET", "a-long-enough-access-secret")
    code = main(["--endpoint", emulator.url, "web", "--host", "0.0.0.0", "--port", "0"])
    assert code == 2
    assert "alice/open is public" in capsys.readouterr().err
