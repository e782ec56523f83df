"""The access secret: asked on a form before any app starts, never taken from a URL, never logged."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from tests.web.helpers import running
from tui.web.access import COOKIE, MAX_FAILURES, AccessGate
from tui.web.settings import WebSettings

SECRET = "correct-horse-battery-staple-42"


def _settings() -> WebSettings:
    return WebSettings(host="127.0.0.1", port=0, demo=True, secret=SECRET)


async def test_without_the_secret_nothing_but_the_login_form(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async with running(_settings()) as (server, url), aiohttp.ClientSession() as client:
        async with client.get(url) as r:
            assert r.status == 401 and 'type="password"' in await r.text()
        # A secret in the query string is not a way in (it would sit in logs and history).
        async with client.get(f"{url}/?secret={SECRET}") as r:
            assert r.status == 401
        async with client.get(f"{url}/static/js/textual.js") as r:
            assert r.status == 401
        # A download needs its single-use key, which only a signed-in WebSocket ever receives.
        async with client.get(f"{url}/download/{'0' * 32}") as r:
            assert r.status == 404
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(f"{url}/ws", headers={"Origin": url})
        assert refused.value.status == 401
        assert not server.sessions
    assert SECRET not in caplog.text.replace(f"secret={SECRET}", "")  # only the test's own URL


async def test_the_right_secret_gives_an_httponly_session_cookie_and_no_log_line_has_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async with running(_settings()) as (_server, url):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
            async with client.post(
                f"{url}/login", data={"secret": "wrong"}, headers={"Origin": url}
            ) as r:
                assert r.status == 403
            # From another origin the right secret is refused too (login CSRF).
            async with client.post(
                f"{url}/login", data={"secret": SECRET}, headers={"Origin": "https://evil.example"}
            ) as r:
                assert r.status == 403
            async with client.post(
                f"{url}/login",
                data={"secret": SECRET},
                headers={"Origin": url},
                allow_redirects=False,
            ) as r:
                assert r.status == 303
                cookie = r.headers["Set-Cookie"]
                assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and SECRET not in cookie
            async with client.get(url) as r:
                assert r.status == 200 and "textual-terminal" in await r.text()
    assert caplog.text and SECRET not in caplog.text


def test_wrong_secrets_are_throttled_and_sessions_expire() -> None:
    now = [1000.0]
    gate = AccessGate("s" * 20, clock=lambda: now[0])
    for _ in range(MAX_FAILURES):
        assert gate.sign_in("guess") is None
    assert gate.throttled()
    now[0] += 61
    assert not gate.throttled()
    session = gate.sign_in("s" * 20)
    assert session and gate.allows(session) and not gate.allows("forged") and not gate.allows(None)
    now[0] += 13 * 3600
    assert not gate.allows(session)
    assert COOKIE == "spacetui_session"


async def test_login_is_refused_while_throttled() -> None:
    async with running(_settings()) as (server, url), aiohttp.ClientSession() as client:
        for _ in range(MAX_FAILURES):
            async with client.post(
                f"{url}/login", data={"secret": "x"}, headers={"Origin": url}
            ) as r:
                assert r.status == 403
        async with client.post(
            f"{url}/login", data={"secret": SECRET}, headers={"Origin": url}, allow_redirects=False
        ) as r:
            assert r.status == 429
        assert server.gate.throttled()


async def test_a_login_post_from_another_site_is_refused_even_with_the_secret() -> None:
    headers = {"Origin": "null", "Sec-Fetch-Site": "cross-site"}
    async with running(_settings()) as (_server, url), aiohttp.ClientSession() as client:
        async with client.post(f"{url}/login", data={"secret": SECRET}, headers=headers) as r:
            assert r.status == 403
        same = {
            "Origin": "null",
            "Sec-Fetch-Site": "same-origin",
        }  # Chromium's own form, no-referrer
        async with client.post(
            f"{url}/login", data={"secret": SECRET}, headers=same, allow_redirects=False
        ) as r:
            assert r.status == 303
