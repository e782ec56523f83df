"""What `spacetui web` accepts before it binds: hosts, the secret's sources, a Space's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main
from tui.domain.errors import UsageError
from tui.web.server import content_security_policy
from tui.web.settings import build_settings

SECRET = "a-long-enough-access-secret"


def _build(env: dict[str, str], **options: object) -> object:
    defaults: dict[str, object] = {
        "host": "127.0.0.1",
        "port": 8080,
        "demo": False,
        "max_sessions": 1,
        "public_url": None,
    }
    return build_settings(**{**defaults, **options}, environ=env)  # type: ignore[arg-type]


def test_loopback_needs_no_secret_and_allows_only_loopback_names() -> None:
    settings = _build({})
    assert settings.secret is None
    assert settings.allowed_hosts == {"127.0.0.1:8080", "localhost:8080", "[::1]:8080"}
    assert "http://127.0.0.1:8080" in settings.allowed_origins


@pytest.mark.parametrize("host", ["192.168.1.5", "example.org", "10.0.0.1"])
def test_any_other_host_needs_a_secret(host: str) -> None:
    with pytest.raises(UsageError, match="SPACETUI_WEB_SECRET"):
        _build({}, host=host)
    assert _build({"SPACETUI_WEB_SECRET": SECRET}, host=host).secret == SECRET


def test_the_secret_can_come_from_a_file_and_must_be_long(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    env = {"SPACETUI_WEB_SECRET_FILE": str(secret_file)}
    assert _build(env, host="10.0.0.2").secret == SECRET
    with pytest.raises(UsageError, match="cannot be read"):
        _build({"SPACETUI_WEB_SECRET_FILE": str(tmp_path / "missing")}, host="10.0.0.2")
    with pytest.raises(UsageError, match="at least 16"):
        _build({"SPACETUI_WEB_SECRET": "short"}, host="10.0.0.2")


def test_every_address_needs_the_public_url() -> None:
    env = {"SPACETUI_WEB_SECRET": SECRET}
    with pytest.raises(UsageError, match="--public-url"):
        _build(env, host="0.0.0.0")
    settings = _build(env, host="0.0.0.0", public_url="https://dash.example.org/")
    assert "dash.example.org" in settings.allowed_hosts
    assert "https://dash.example.org" in settings.allowed_origins
    assert settings.secure_cookies


def test_inside_a_space_the_url_comes_from_space_host_and_only_the_hub_may_frame_it() -> None:
    env = {
        "SPACETUI_WEB_SECRET": SECRET,
        "SPACE_ID": "alice/dash",
        "SPACE_HOST": "alice-dash.hf.space",
    }
    settings = _build(env, host="0.0.0.0", port=7860)
    assert settings.public_url == "https://alice-dash.hf.space"
    assert "alice-dash.hf.space" in settings.allowed_hosts
    assert "frame-ancestors https://huggingface.co" in content_security_policy(settings)
    with pytest.raises(UsageError, match="SPACE_HOST"):
        _build({"SPACETUI_WEB_SECRET": SECRET, "SPACE_ID": "alice/dash"}, host="0.0.0.0")


def test_the_command_line_says_one_sentence_and_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPACETUI_WEB_SECRET", raising=False)
    monkeypatch.delenv("SPACE_ID", raising=False)
    assert main(["web", "--host", "192.168.1.5"]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("spacetui web: --host 192.168.1.5 is reachable") and "Traceback" not in err
    )
    assert main(["web", "--max-sessions", "0"]) == 2
    # No flag takes the secret itself: it never sits in `ps` output or shell history.
    with pytest.raises(SystemExit):
        main(["web", "--secret", SECRET])
