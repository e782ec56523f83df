"""Requests refused before any app starts: foreign Host, foreign Origin, listing, headers."""

from __future__ import annotations

import aiohttp
import pytest

from tests.web.helpers import running
from tui.web.settings import WebSettings

SETTINGS = WebSettings(host="127.0.0.1", port=0, demo=True)


async def test_foreign_host_is_421_on_every_route() -> None:
    async with running(SETTINGS) as (server, url), aiohttp.ClientSession() as client:
        port = server.settings.port
        for path in ("/", "/ws", "/static/js/textual.js"):
            async with client.get(
                f"{url}{path}", headers={"Host": f"attacker.example:{port}"}
            ) as r:
                assert r.status == 421, path
        # The same port under a rebinding name pointing at 127.0.0.1 is still foreign.
        async with client.get(url, headers={"Host": f"127.0.0.1.nip.io:{port}"}) as r:
            assert r.status == 421
        for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            async with client.get(url, headers={"Host": host}) as r:
                assert r.status == 200, host
    assert not server.sessions


@pytest.mark.parametrize("origin", [None, "https://evil.example", "http://127.0.0.1:1", "null"])
async def test_foreign_origin_on_the_websocket_is_403(origin: str | None) -> None:
    async with running(SETTINGS) as (server, url), aiohttp.ClientSession() as client:
        headers = {"Origin": origin} if origin else {}
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(f"{url}/ws", headers=headers)
        assert refused.value.status == 403
        assert not server.sessions


async def test_static_has_no_listing_and_no_path_walking() -> None:
    async with running(SETTINGS) as (_server, url), aiohttp.ClientSession() as client:
        for path in (
            "/static/",
            "/static/js/",
            "/static/fonts",
            "/static/..%2fserver.py",
            "/static/js/../../server.py",
            "/static/templates/app_index.html",
        ):
            async with client.get(f"{url}{path}") as r:
                assert r.status == 404, path
        async with client.get(f"{url}/static/fonts/RobotoMono-VariableFont_wght.ttf") as r:
            assert r.status == 200


async def test_every_response_has_the_security_headers_and_the_page_stays_on_its_origin() -> None:
    async with running(SETTINGS) as (_server, url), aiohttp.ClientSession() as client:
        for path in ("/", "/static/js/textual.js", "/nothing-here"):
            async with client.get(f"{url}{path}") as r:
                csp = r.headers["Content-Security-Policy"]
                assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
                assert r.headers["X-Content-Type-Options"] == "nosniff"
                assert r.headers["Referrer-Policy"] == "no-referrer"
        async with client.get(url) as r:
            page = await r.text()
        assert "googleapis" not in page and "https://" not in page
        assert 'src="/static/' in page and "<script>" not in page  # no inline script
        async with client.get(f"{url}/static/spacetui/page.css") as r:
            assert "/static/fonts/RobotoMono" in await r.text()


async def test_behind_a_proxy_the_page_points_at_the_public_url() -> None:
    settings = WebSettings(host="127.0.0.1", port=0, public_url="https://dash.example.org")
    async with running(settings) as (_server, url), aiohttp.ClientSession() as client:
        # A proxy that forwards the upstream's own Host: the page must still name the public one.
        async with client.get(url) as r:
            assert 'data-session-websocket-url="wss://dash.example.org/ws"' in await r.text()
        async with client.get(url, headers={"Host": "dash.example.org"}) as r:
            assert r.status == 200
