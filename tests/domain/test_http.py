"""The HTTP boundary: client construction and the mapping of every failure to one typed error."""

from __future__ import annotations

import gzip
import json
import socket

import httpx
import httpx2
import pytest
from huggingface_hub import errors as hf_errors
from huggingface_hub.utils import hf_raise_for_status

from tui.domain.errors import (
    AuthError,
    HubError,
    HubRequestError,
    HubUnavailable,
    NetworkDown,
    PermissionDenied,
    RateLimited,
    SpaceNotFound,
)
from tui.domain.http import (
    DEFAULT_ENDPOINT,
    USER_AGENT,
    araise_for_hub_status,
    error_from_exception,
    error_from_response,
    make_async_client,
    raise_for_hub_status,
    retry_after_seconds,
)

TOKEN = "hf_TestTokenABCDEFGHIJKLMNOP"
BASE = "http://127.0.0.1:9"


def _response(
    status: int,
    path: str = "/api/spaces/alice/app/runtime",
    *,
    headers: dict[str, str] | None = None,
    json_body: object | None = None,
    text: str | None = None,
    token: str | None = TOKEN,
) -> httpx.Response:
    request_headers = {"authorization": f"Bearer {token}"} if token else {}
    request = httpx.Request("GET", BASE + path, headers=request_headers)
    if json_body is not None:
        return httpx.Response(status, headers=headers, json=json_body, request=request)
    return httpx.Response(status, headers=headers, text=text or "", request=request)


REPO_NOT_FOUND = {"x-error-code": "RepoNotFound", "x-error-message": "Repository not found"}

MAPPING = [
    pytest.param(
        _response(404, headers=REPO_NOT_FOUND),
        SpaceNotFound,
        "Space alice/app was not found",
        id="404-repo-not-found",
    ),
    pytest.param(
        _response(401, headers=REPO_NOT_FOUND, token=None),
        SpaceNotFound,
        "not signed in",
        id="401-anonymous-private",
    ),
    pytest.param(
        _response(404), SpaceNotFound, "your token cannot see it", id="404-space-route-no-code"
    ),
    pytest.param(
        _response(404, "/api/nothing"),
        HubRequestError,
        "no such resource: /api/nothing",
        id="404-other-route",
    ),
    pytest.param(
        _response(
            401,
            "/api/whoami-v2",
            headers={"x-error-message": "Invalid credentials in Authorization header"},
        ),
        AuthError,
        "rejected your token",
        id="401-bad-token",
    ),
    pytest.param(
        _response(401, "/api/whoami-v2", token=None), AuthError, "needs a token", id="401-no-token"
    ),
    pytest.param(
        _response(403, headers={"x-error-message": "You don't have write access"}),
        PermissionDenied,
        "needs write access (You don't have write access)",
        id="403",
    ),
    pytest.param(
        _response(403, headers={"x-error-code": "GatedRepo"}),
        PermissionDenied,
        "gated",
        id="403-gated",
    ),
    pytest.param(
        _response(403, headers={"x-error-message": "Access to this resource is disabled."}),
        PermissionDenied,
        "disabled",
        id="403-disabled",
    ),
    pytest.param(
        _response(
            429,
            headers={
                "ratelimit": '"api";r=0;t=12',
                "ratelimit-policy": '"fixed window";"api";q=500;w=300',
            },
        ),
        RateLimited,
        "retry in 12 s.",
        id="429-ratelimit",
    ),
    pytest.param(
        _response(503, text="upstream connect error"), HubUnavailable, "HTTP 503", id="503"
    ),
    pytest.param(_response(500), HubUnavailable, "unavailable right now", id="500"),
    pytest.param(
        _response(
            409,
            "/api/repos/create",
            json_body={"error": "You already created this space repo", "url": "x"},
        ),
        HubRequestError,
        "(HTTP 409): You already created this space repo.",
        id="409-json-error",
    ),
    pytest.param(
        _response(400, json_body={"errors": [{"message": "sleep time too short"}]}),
        HubRequestError,
        "sleep time too short",
        id="400-errors-list",
    ),
    pytest.param(
        _response(400, headers={"content-type": "text/html"}, text="<html>boom</html>"),
        HubRequestError,
        "(HTTP 400): bad request.",
        id="400-html-body-ignored",
    ),
]


@pytest.mark.parametrize(("response", "kind", "fragment"), MAPPING)
def test_error_from_response_maps_status_and_headers(
    response: httpx.Response, kind: type, fragment: str
) -> None:
    error = error_from_response(response)
    assert type(error) is kind
    assert fragment in error.message
    assert error.status == response.status_code
    assert "\n" not in error.message and TOKEN not in error.message


def test_space_id_argument_names_the_space_even_off_its_route() -> None:
    error = error_from_response(
        _response(404, "/api/whatever", headers=REPO_NOT_FOUND), space_id="bob/x"
    )
    assert (
        error.message == "Space bob/x was not found, or it is private and your token cannot see it."
    )


def test_rate_limit_wait_is_carried_and_defaults_when_unsaid() -> None:
    limited = error_from_response(_response(429, headers={"retry-after": "7"}))
    assert isinstance(limited, RateLimited) and limited.retry_after == 7.0
    unsaid = error_from_response(_response(429))
    assert isinstance(unsaid, RateLimited) and unsaid.retry_after > 0
    assert "did not say" in unsaid.message


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"RateLimit": '"api";r=0;t=55'}, 55.0),
        ({"ratelimit": '"api";r=0;t=55', "retry-after": "3"}, 55.0),
        ({"ratelimit": '"api";r=12;t=55', "retry-after": "3"}, 3.0),  # r>0: not the cause
        ({"ratelimit": '"api";r=12;t=55'}, None),
        ({"retry-after": "2.5"}, 2.5),
        ({"retry-after": "Thu, 01 Jan 1970 00:01:40 GMT"}, 40.0),  # an HTTP date, 40 s after `now`
        ({"retry-after": "soon"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, 900.0),  # capped: a broken header cannot park a watcher for days
        ({"ratelimit": '"api";r=0;t=86400'}, 900.0),
        ({"retry-after": "-5"}, 0.0),
        ({}, None),
    ],
)
def test_retry_after_seconds(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after_seconds(headers, now=60.0) == expected


def test_remote_text_is_flattened_and_capped() -> None:
    hostile = "\x1b]52;c;ZXZpbA==\x07line1\r\nline2\x1b[31m " + "x" * 1000
    error = error_from_response(_response(400, headers={"x-error-message": "bad"}, text=hostile))
    assert "\x1b" not in error.message and "\x07" not in error.message and "\n" not in error.message
    assert len(error.message) < 300


def test_token_never_appears_in_messages() -> None:
    echoed = f"token {TOKEN} is not allowed; Bearer {TOKEN}"
    for status in (400, 403, 409):
        error = error_from_response(
            _response(status, headers={"x-error-message": echoed}, text=echoed)
        )
        assert TOKEN not in error.message and TOKEN not in str(error)


def test_raise_for_hub_status_passes_success_and_raises_typed() -> None:
    raise_for_hub_status(_response(200))
    with pytest.raises(SpaceNotFound):
        raise_for_hub_status(_response(404, headers=REPO_NOT_FOUND))


async def test_araise_reads_a_streamed_error_body() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": "streamed reason"})

    async with make_async_client(BASE, None, transport=httpx.MockTransport(handler)) as client:
        async with client.stream("GET", "/api/spaces/alice/app/logs/run") as response:
            with pytest.raises(HubRequestError, match="streamed reason"):
                await araise_for_hub_status(response)


async def test_araise_reads_a_compressed_error_body_and_survives_a_cut_one() -> None:
    payload = gzip.compress(json.dumps({"error": "compressed reason"}).encode())

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cut"):
            return httpx.Response(503, stream=_CutStream())
        return httpx.Response(409, headers={"content-encoding": "gzip"}, content=payload)

    async with make_async_client(BASE, None, transport=httpx.MockTransport(handler)) as client:
        async with client.stream("GET", "/api/spaces/alice/app/logs/build") as response:
            with pytest.raises(HubRequestError, match="compressed reason"):
                await araise_for_hub_status(response)
        async with client.stream("GET", "/api/spaces/alice/app/cut") as response:
            with pytest.raises(HubUnavailable):
                await araise_for_hub_status(response)


class _CutStream(httpx.AsyncByteStream):
    async def __aiter__(self):  # type: ignore[override]
        yield b'{"err'
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body"
        )


# --- transport errors ------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_connection_refused_is_network_down() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    async with make_async_client(url, TOKEN) as client:
        with pytest.raises(httpx.ConnectError) as caught:
            await client.get("/api/whoami-v2")
    error = error_from_exception(caught.value)
    assert isinstance(error, NetworkDown)
    assert f"Cannot reach the Hub at {url}" in error.message


@pytest.mark.parametrize(
    ("exc", "fragment"),
    [
        (httpx.ReadTimeout("timed out"), "stopped answering"),
        (httpx.ConnectTimeout("timed out"), "Timed out connecting"),
        (httpx.RemoteProtocolError("peer closed connection"), "dropped in the middle"),
        (httpx2.ConnectError("[Errno 111] Connection refused"), "Connection refused"),
        (httpx2.ReadTimeout("timed out"), "stopped answering"),
    ],
)
async def test_transport_exceptions_are_network_down(exc: Exception, fragment: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    async with make_async_client(BASE, None, transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(type(exc)) as caught:
            await client.get("/api/spaces/alice/app")
    error = error_from_exception(caught.value)
    assert isinstance(error, NetworkDown) and fragment in error.message


def test_status_error_from_httpx_maps_through_its_response() -> None:
    response = _response(503)
    with pytest.raises(httpx.HTTPStatusError) as caught:
        response.raise_for_status()
    assert isinstance(error_from_exception(caught.value), HubUnavailable)


def test_hub_error_passes_through_unchanged() -> None:
    original = RateLimited("wait", retry_after=3)
    assert error_from_exception(original) is original


def test_unknown_exception_is_a_plain_hub_error_naming_its_type() -> None:
    error = error_from_exception(ZeroDivisionError("oops"))
    assert type(error) is HubError and "ZeroDivisionError" in error.message


# --- huggingface_hub exceptions (built by huggingface_hub's own hf_raise_for_status) ----------


def _hf_exception(
    status: int, path: str, headers: dict[str, str] | None = None, token: bool = True
) -> Exception:
    request = httpx2.Request(
        "POST", BASE + path, headers={"authorization": f"Bearer {TOKEN}"} if token else {}
    )
    response = httpx2.Response(status, headers=headers or {}, request=request, text="")
    with pytest.raises(hf_errors.HfHubHTTPError) as caught:
        hf_raise_for_status(response)
    return caught.value


@pytest.mark.parametrize(
    ("status", "headers", "hf_kind", "kind"),
    [
        (404, REPO_NOT_FOUND, hf_errors.RepositoryNotFoundError, SpaceNotFound),
        (403, {"x-error-code": "GatedRepo"}, hf_errors.GatedRepoError, PermissionDenied),
        (403, {"x-error-message": "no write"}, hf_errors.HfHubHTTPError, PermissionDenied),
        (429, {"ratelimit": '"api";r=0;t=4'}, hf_errors.HfHubHTTPError, RateLimited),
        (
            400,
            {"x-error-message": "static Spaces cannot restart"},
            hf_errors.BadRequestError,
            HubRequestError,
        ),
        (502, {}, hf_errors.HfHubHTTPError, HubUnavailable),
        # The client's 401 fallback only matches https URLs: over http it stays a plain HfHubHTTPError.
        (401, {}, hf_errors.HfHubHTTPError, SpaceNotFound),
    ],
)
def test_huggingface_hub_http_errors(
    status: int, headers: dict[str, str], hf_kind: type, kind: type
) -> None:
    exc = _hf_exception(status, "/api/spaces/alice/app/restart", headers)
    assert type(exc) is hf_kind
    error = error_from_exception(exc)
    assert type(error) is kind
    assert TOKEN not in error.message
    if kind is SpaceNotFound:
        assert "alice/app" in error.message
    if kind is RateLimited:
        assert error.retry_after == 4.0


def test_huggingface_hub_local_errors() -> None:
    assert isinstance(
        error_from_exception(hf_errors.LocalTokenNotFoundError("no token")), AuthError
    )
    offline = error_from_exception(hf_errors.OfflineModeIsEnabled("offline"))
    assert isinstance(offline, NetworkDown) and "HF_HUB_OFFLINE" in offline.message


# --- client construction ---------------------------------------------------------------------


async def test_client_sends_token_user_agent_and_follows_redirects() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/old":
            return httpx.Response(302, headers={"location": "/api/whoami-v2"})
        return httpx.Response(200, json={"name": "alice"})

    async with make_async_client(
        BASE + "/", TOKEN, transport=httpx.MockTransport(handler)
    ) as client:
        response = await client.get("/old")
    assert response.json() == {"name": "alice"}
    assert [r.url.path for r in seen] == ["/old", "/api/whoami-v2"]
    assert seen[-1].headers["authorization"] == f"Bearer {TOKEN}"
    assert seen[-1].headers["user-agent"] == USER_AGENT
    assert str(seen[-1].url).startswith(BASE + "/api")


async def test_client_without_token_sends_no_authorization() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    async with make_async_client(
        DEFAULT_ENDPOINT, None, transport=httpx.MockTransport(handler)
    ) as client:
        await client.get("/api/spaces")
    assert "authorization" not in seen[0].headers


def test_proxy_for_follows_the_environment(monkeypatch) -> None:  # noqa: ANN001
    from tui.domain.http import proxy_for

    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert proxy_for("https://huggingface.co") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert proxy_for("https://huggingface.co") == "http://proxy.example:3128"
    assert proxy_for("http://127.0.0.1:8000") is None  # the emulator is never proxied
