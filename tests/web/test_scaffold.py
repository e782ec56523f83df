"""`spacetui init --web-dashboard`: checks clean, deploys private to the emulator, and the server
it describes serves its page for that Space (privacy asked of the Hub, URL from SPACE_HOST)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest
from huggingface_hub import HfApi

from tests.conftest import ALICE_TOKEN
from tests.web.helpers import running
from tui.cli import main
from tui.emulator.server import RunningEmulator
from tui.web.settings import build_settings
from tui.web.space_guard import require_private_space

SECRET = "dashboard-access-secret-123"


def test_scaffold_is_a_uid_1000_docker_space_serving_spacetui_web_and_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "dash"
    assert main(["init", "--web-dashboard", str(root)]) == 0
    dockerfile = (root / "Dockerfile").read_text()
    assert "useradd -m -u 1000 user" in dockerfile and "USER user" in dockerfile
    assert 'CMD ["spacetui", "web", "--host", "0.0.0.0", "--port", "7860"' in dockerfile
    assert "app_port: 7860" in (root / "README.md").read_text()
    assert "HF_TOKEN=" not in dockerfile and "SPACETUI_WEB_SECRET=" not in dockerfile
    capsys.readouterr()
    assert main(["check", str(root)]) == 0
    assert "0 errors, 0 warnings, 0 info" in capsys.readouterr().out
    assert main(["init", "--web-dashboard", str(root)]) == 1  # never overwritten silently
    # The check reads `spacetui web`'s own flags: a port that is not app_port is an error.
    dockerfile_path = root / "Dockerfile"
    dockerfile_path.write_text(dockerfile.replace('"--port", "7860"', '"--port", "7861"'))
    capsys.readouterr()
    assert main(["check", str(root)]) != 0
    assert "spacetui web listens on port 7861 while app_port is 7860" in capsys.readouterr().out


async def test_deployed_to_the_emulator_it_is_private_and_serves_its_page(
    tmp_path: Path, emulator: RunningEmulator, alice_api: HfApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "dash"
    assert main(["init", "--web-dashboard", str(root)]) == 0
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    # The deploy command runs its own event loop: a thread of its own, as from a shell.
    code = await asyncio.to_thread(
        main,
        [
            "--endpoint",
            emulator.url,
            "deploy",
            str(root),
            "--space",
            "alice/dash",
            "--create",
            "--yes",
            "--no-follow",
        ],
    )
    assert code == 0
    assert alice_api.space_info("alice/dash").private is True
    assert "Dockerfile" in alice_api.list_repo_files("alice/dash", repo_type="space")

    # What the container does at start, with the variables the Hub and its secrets provide.
    env = {
        "SPACE_ID": "alice/dash",
        "SPACE_HOST": "alice-dash.hf.space",
        "HF_ENDPOINT": emulator.url,
        "SPACETUI_WEB_SECRET": SECRET,
    }
    settings = build_settings(
        host="127.0.0.1", port=0, demo=True, max_sessions=2, public_url=None, environ=env
    )
    require_private_space("alice/dash", emulator.url, ALICE_TOKEN)
    async with running(settings) as (_server, url):
        jar = aiohttp.CookieJar(unsafe=True)
        host = {"Host": "alice-dash.hf.space"}
        async with aiohttp.ClientSession(cookie_jar=jar) as client:
            async with client.get(url, headers={"Host": "alice-dash.hf.space.evil.example"}) as r:
                assert r.status == 421
            async with client.get(url, headers=host) as r:
                assert r.status == 401
                assert f"frame-ancestors {emulator.url}" in r.headers["Content-Security-Policy"]
            async with client.post(
                f"{url}/login",
                data={"secret": SECRET},
                allow_redirects=False,
                headers={**host, "Origin": "https://alice-dash.hf.space"},
            ) as r:
                assert r.status == 303
                cookie = r.headers["Set-Cookie"]
                assert "Secure" in cookie and "SameSite=None" in cookie and "Partitioned" in cookie
                session = r.cookies["spacetui_session"].value
            async with client.get(
                url, headers={**host, "Cookie": f"spacetui_session={session}"}
            ) as r:
                assert r.status == 200
                assert 'data-session-websocket-url="wss://alice-dash.hf.space/ws"' in await r.text()
