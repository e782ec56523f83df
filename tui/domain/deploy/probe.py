"""The health probe: after RUNNING, GET the Space's app URL and believe only a 2xx/3xx.

RUNNING is the Hub's word, not the app's: a Space can read RUNNING while its app answers
errors (hub-docs#1633). The probe asks the app itself, with a bounded wait: a 5xx, a refused
connection or a request that times out is retried every `interval` until `wait` runs out (an
app may still be warming up right after RUNNING); a 4xx is final (the probe path is wrong, or
the Space is private and the token cannot read it).

The URL comes from the Space info's `host` (`https://{subdomain}.hf.space`). On an endpoint on
this machine (the emulator, `127.0.0.1`/`localhost`/`::1`), the app is reached at the endpoint
itself with `Host: {subdomain}.hf.space`, which is how the emulator serves each Space's app.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

# isort: off
from tui.domain import httpx_cli_guard  # noqa: F401  (must run before httpx's first import)
import httpx

# isort: on

from tui.domain.deploy.app_address import DEFAULT_WAIT, AppAddress, app_address
from tui.domain.deploy.events import DeployEvent, ProbeOutcome, ProbeStarted, Reason, Remedy
from tui.domain.http import make_async_client
from tui.domain.sanitize import strip_ansi

if TYPE_CHECKING:
    from tui.domain.auth import HubTarget
    from tui.domain.deploy.events import DeployResult

#: One request's limit: a hung app must not hold the deploy for the whole wait in one go.
DEFAULT_REQUEST_TIMEOUT = 10.0
_SEEN_LIMIT = 120


async def probe_app(
    address: AppAddress,
    *,
    token: str | None,
    wait: float = DEFAULT_WAIT,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    interval: float = 2.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ProbeOutcome:
    """GET the app until it answers 2xx/3xx, answers a 4xx, or `wait` seconds have passed."""
    deadline = clock() + wait
    headers = {"host": address.host_header} if address.host_header else {}
    timeout = httpx.Timeout(request_timeout)
    # The token goes along to the Hub's own app host: a private Space answers only its owners.
    async with make_async_client(
        address.url, token if address.send_token else None, timeout=timeout, transport=transport
    ) as client:
        attempts = 0
        while True:
            attempts += 1
            status, seen = await _attempt(client, address.url, headers, request_timeout)
            final = status is not None and status < 500
            if final or clock() + interval > deadline:
                ok = status is not None and status < 400
                return ProbeOutcome(ok, address.shown, status, seen, attempts, wait)
            await sleep(interval)


async def _attempt(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], request_timeout: float
) -> tuple[int | None, str]:
    try:
        response = await client.get(url, headers=headers, follow_redirects=False)
    except httpx.TimeoutException:
        return None, f"no answer within {request_timeout:g} s"
    except httpx.HTTPError as exc:
        return None, f"no connection ({type(exc).__name__})"
    return response.status_code, _describe(response)


def _describe(response: httpx.Response) -> str:
    """`HTTP 503 (Your space is in error, …)`: the status and the page's first words, made safe."""
    text = _visible_text(response.text)
    detail = f" ({text})" if text else ""
    return f"HTTP {response.status_code}{detail}"


def _visible_text(body: str) -> str:
    """The first words a page shows (tags dropped, one line, no control characters, capped)."""
    words = html.unescape(re.sub(r"<[^>]*>", " ", body[:4096]))
    words = " ".join(strip_ansi(words).split())
    words = "".join(ch for ch in words if ch.isprintable())
    return words[:_SEEN_LIMIT].rstrip() + ("…" if len(words) > _SEEN_LIMIT else "")


async def probe_after_running(
    result: DeployResult,
    *,
    target: HubTarget,
    space_info: Callable[[], Awaitable[Any]],
    path: str = "/",
    wait: float = DEFAULT_WAIT,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    interval: float = 2.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    emit: Callable[[DeployEvent], None] | None = None,
) -> DeployResult:
    """The deploy's result once the app was asked: unchanged unless it ended RUNNING; then ok
    only if the app answered 2xx/3xx (outcome `probe_failed` otherwise)."""
    if not result.ok or result.stage != "RUNNING":
        return result
    info = await space_info()
    address = app_address(
        target.endpoint, getattr(info, "host", None), getattr(info, "subdomain", None), path
    )
    if not address.url.startswith(("http://", "https://")):
        unknown = "the Hub did not say where the app is (no host in its info)"
        return _with_probe(result, ProbeOutcome(False, "", None, unknown, 0, wait))
    if emit is not None:
        emit(ProbeStarted(url=address.shown, wait=wait))
    probed = await probe_app(
        address,
        token=target.token,
        wait=wait,
        request_timeout=request_timeout,
        interval=interval,
        sleep=sleep,
        clock=clock,
    )
    return _with_probe(result, probed)


def _with_probe(result: DeployResult, probed: ProbeOutcome) -> DeployResult:
    """The result with the probe's verdict as data; a failure's ways out are the front end's."""
    extra = {**result.extra, "probe": probed.to_json()}
    if probed.ok:
        return replace(
            result,
            # A 2xx needs no quote of the page: its first words read as noise in a success line.
            message=f"{result.message} Its app answered HTTP {probed.status} at {probed.url}.",
            extra=extra,
            probe=probed,
        )
    return replace(
        result,
        ok=False,
        outcome="probe_failed",
        message="",
        reasons=(Reason(probed.reason(result.space_id), Remedy.PROBE),),
        extra=extra,
        probe=probed,
    )
