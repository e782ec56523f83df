"""Endpoint and token discovery: argument, environment, then the login saved by huggingface_hub."""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import constants

from tui.domain.auth import HubTarget, resolve_target
from tui.domain.errors import UsageError
from tui.domain.http import DEFAULT_ENDPOINT
from tui.domain.redact import redact

SAVED = "hf_SavedByHfAuthLogin123456"


@pytest.fixture
def saved_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A token file where `hf auth login` writes it (huggingface_hub fixes the path at import)."""
    token_file = tmp_path / "token"
    token_file.write_text(SAVED + "\n")
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(token_file))
    return token_file


def test_defaults_without_anything_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "absent"))
    target = resolve_target()
    assert target == HubTarget(DEFAULT_ENDPOINT, None)
    assert not target.has_token


def test_argument_beats_environment_beats_saved_login(
    saved_login: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_target().token == SAVED
    monkeypatch.setenv("HF_TOKEN", "hf_FromEnvironment123456")
    assert resolve_target().token == "hf_FromEnvironment123456"
    assert resolve_target(token="hf_FromArgument1234567").token == "hf_FromArgument1234567"


def test_endpoint_argument_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:7860/")
    assert resolve_target().endpoint == "http://127.0.0.1:7860"
    assert resolve_target("https://hub.example/").endpoint == "https://hub.example"


@pytest.mark.parametrize("endpoint", ["huggingface.co", "ftp://hub", "http://", "https:// bad"])
def test_bad_endpoint_is_a_usage_error(endpoint: str) -> None:
    with pytest.raises(UsageError, match="http\\(s\\) URL"):
        resolve_target(endpoint)


def test_token_is_hidden_in_repr_and_redacted_everywhere(saved_login: Path) -> None:
    target = resolve_target()
    assert SAVED not in repr(target) and SAVED not in str(target) and "***" in repr(target)
    assert SAVED not in f"{target}"
    # Registered as a secret: even in a non-token-shaped context it is removed.
    assert redact(f"x{SAVED}y") == "x***y"


def test_unusual_token_shape_is_still_redacted_once_resolved() -> None:
    target = resolve_target(token="plain-secret-value")
    assert target.token == "plain-secret-value"
    assert "plain-secret-value" not in redact("echo plain-secret-value")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("token=hf_AbCdEf123456 end", "token=*** end"),
        ("org api_org_ABCDEFGH1", "org ***"),
        ("Authorization: BeArEr abc.def-ghi, next", "Authorization: BeArEr ***, next"),
        (
            "nothing secret here, hf_ too short and bearer",
            "nothing secret here, hf_ too short and bearer",
        ),
        ("shf_notatoken123 stays (no word boundary)", "shf_notatoken123 stays (no word boundary)"),
    ],
)
def test_redact_patterns_whatever_the_case_and_only_where_they_match(
    text: str, expected: str
) -> None:
    assert redact(text) == expected
