"""An app session over a real WebSocket on 127.0.0.1: list, keys, cap, environment, process end."""

from __future__ import annotations

import os
from pathlib import Path

import aiohttp
import pytest

from tests.web.helpers import read_until, running, wait_for
from tui.web.settings import WebSettings

pytestmark = pytest.mark.slow


def _origin(url: str) -> dict[str, str]:
    return {"Origin": url}


async def test_list_arrives_keys_apply_and_the_app_ends_on_disconnect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Things the server holds that no app may inherit.
    monkeypatch.setenv("SPACETUI_WEB_SECRET", "server-only-secret-value-123")
    monkeypatch.setenv("HF_TOKEN", "hf_server_token_never_for_the_demo")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-for-apps")
    settings = WebSettings(host="127.0.0.1", port=0, demo=True, max_sessions=1)
    async with running(settings) as (server, url), aiohttp.ClientSession() as client:
        async with client.ws_connect(f"{url}/ws?width=120&height=40", headers=_origin(url)) as ws:
            await read_until(ws, "demo/todo-api")
            (service,) = [s for s in server.sessions.values() if s is not None]
            process = service.process
            assert process is not None and process.returncode is None
            environ = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
            names = {item.split(b"=", 1)[0].decode() for item in environ if item}
            assert "SPACETUI_WEB" in names
            assert not names & {"SPACETUI_WEB_SECRET", "HF_TOKEN", "AWS_SECRET_ACCESS_KEY"}

            await ws.send_json(["stdin", "?"])  # the help screen
            await read_until(ws, "spacetui keys")

            # The cap: a second tab is refused while this one is open.
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(f"{url}/ws", headers=_origin(url))
            assert refused.value.status == 409
        await wait_for(lambda: not server.sessions)
        assert process.returncode is not None
        with pytest.raises(ProcessLookupError):
            os.kill(process.pid, 0)


async def test_saving_a_log_is_a_browser_download_not_a_file_on_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio
    import json

    monkeypatch.chdir(tmp_path)  # the app's working directory: where a server-side save would land
    settings = WebSettings(host="127.0.0.1", port=0, demo=True, max_sessions=1)
    async with running(settings) as (_server, url), aiohttp.ClientSession() as client:
        async with client.ws_connect(f"{url}/ws?width=120&height=40", headers=_origin(url)) as ws:
            await read_until(ws, "demo/todo-api")
            # The last row, one up (demo/todo-api), opened; then its run log, once lines arrived.
            for key in ("G", "\x1b[A", "\r"):
                await ws.send_json(["stdin", key])
            await read_until(ws, "Revision")
            await ws.send_json(["stdin", "l"])
            await read_until(ws, "GET /todos")
            await ws.send_json(["stdin", "s"])  # the save prompt, with its default file name
            await read_until(ws, ".log")
            await ws.send_json(["stdin", "\r"])

            async def delivery_key() -> str:
                while True:
                    message = await ws.receive()
                    if message.type == aiohttp.WSMsgType.TEXT:
                        kind, data = json.loads(message.data)
                        if kind == "deliver_file_start":
                            return str(data)

            key = await asyncio.wait_for(delivery_key(), 30)
            async with client.get(f"{url}/download/{key}") as response:
                assert response.status == 200
                assert "attachment" in response.headers["Content-Disposition"]
                body = await response.text()
            assert "GET /todos" in body
    assert not list(tmp_path.glob("*.log"))
