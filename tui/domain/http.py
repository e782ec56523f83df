"""The one HTTP boundary: builds httpx clients for the Hub and maps every failure to a typed error.

Nothing else in spacetui constructs an `httpx` client or decides what an HTTP status means.
Failures arrive in three shapes and all end up as one `HubError` subclass with one sentence:

* an `httpx.Response` with a 4xx/5xx status (`error_from_response`, `raise_for_hub_status`);
* a transport exception from `httpx` or from `httpx2`, the stack inside huggingface_hub
  (`error_from_exception`): connection refused, timeouts, dropped streams;
* a huggingface_hub exception (`RepositoryNotFoundError`, `HfHubHTTPError` with a `.response`,
  `LocalTokenNotFoundError`, `OfflineModeIsEnabled`, ...), recognised by class name so that this
  module never has to import huggingface_hub (the logs command stays light).

Remote text (the Hub's `X-Error-Message`, error bodies) is untrusted: it is flattened to one line,
stripped of control characters, capped, and passed through `redact` like every message.
"""

from __future__ import annotations

import email.utils
import functools
import json
import math
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

# isort: off
from tui.domain import httpx_cli_guard  # noqa: F401  (must run before httpx's first import)
import httpx

# isort: on

from tui import __version__
from tui.domain.auth import DEFAULT_ENDPOINT  # noqa: F401 - re-exported
from tui.domain.errors import (
    AuthError,
    HubError,
    HubRequestError,
    HubUnavailable,
    NetworkDown,
    PaymentRequired,
    PermissionDenied,
    RateLimited,
    SpaceNotFound,
)
from tui.domain.ratelimit import quota_from_headers
from tui.domain.sanitize import for_terminal, register_secret

if TYPE_CHECKING:
    import ssl

USER_AGENT = f"spacetui/{__version__}"

#: Connect fast, but let slow Hub answers finish; streams pass `STREAM_TIMEOUT` per request.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=60.0, pool=30.0)
#: For log streams: no read timeout, the stream decides itself when the server went quiet.
STREAM_TIMEOUT = httpx.Timeout(connect=10.0, read=None, write=60.0, pool=30.0)
#: Many concurrent log streams share one client, each holding a connection for its lifetime.
DEFAULT_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=32)
#: huggingface_hub's client (`tui/domain/hub/hf_session.py`): no overall timeout, as its own
#: default, since a large commit's answer can take minutes; its calls pass their own timeouts.
HF_TIMEOUT = None

#: Used when a 429 carries no usable header; the Hub's windows are 5 minutes, resets come sooner.
DEFAULT_RATE_LIMIT_WAIT = 30.0
#: A hostile or broken header must not park a watcher for days: the Hub's windows are 300 s.
MAX_RATE_LIMIT_WAIT = 900.0
_SERVER_MESSAGE_LIMIT = 200
_ERROR_BODY_LIMIT = 65536
_BODY_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})

_SIGN_IN_HINT = "run `hf auth login` or set HF_TOKEN"
_INVALID_METADATA = "Invalid metadata in README.md"
_INVALID_CREDENTIALS = "Invalid credentials in Authorization header"
_DISABLED = "Access to this resource is disabled."
_PAYMENT_METHOD = "add a payment method"
_SPACE_IN_PATH = re.compile(r"/api/spaces/(?P<id>[^/?#]+/[^/?#]+)")


def make_async_client(
    endpoint: str,
    token: str | None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: httpx.Timeout | None = None,
    event_hooks: Mapping[str, list[Any]] | None = None,
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` for the Hub at `endpoint`, authenticated with `token` if given.

    Args:
        endpoint: base URL, e.g. `https://huggingface.co` or an emulator's `http://127.0.0.1:port`.
        token: a Hub token, sent as `Authorization: Bearer`; registered with `redact`.
        transport: a test transport (`httpx.MockTransport`, a counting wrapper) instead of the network.
        timeout: overrides `DEFAULT_TIMEOUT`; streams pass `STREAM_TIMEOUT` on their own request.
        event_hooks: httpx request/response hooks, e.g. to count requests in tests.
    """
    headers = {"user-agent": USER_AGENT}
    if token:
        register_secret(token)
        headers["authorization"] = f"Bearer {token}"
    return httpx.AsyncClient(
        base_url=endpoint.rstrip("/"),
        headers=headers,
        timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
        limits=DEFAULT_LIMITS,
        follow_redirects=True,  # httpx drops Authorization on a redirect to another origin
        http1=True,
        http2=False,
        verify=_ssl_context(),
        transport=transport,
        event_hooks=dict(event_hooks) if event_hooks else None,
    )


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default verifying context, built once per process: loading the CA bundle took
    ~40 ms of every client, a third of an unchanged re-deploy in-process. Reusing one context
    across clients is what `ssl` intends (it is only read when a connection is wrapped)."""
    return httpx.create_ssl_context()


def proxy_for(url: str) -> str | None:
    """The proxy the environment names for `url` (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), or None.

    httpx reads these itself for our client; huggingface_hub's client gets an explicit transport
    (`hub/hf_session.py`), which turns that lookup off, so it asks here.
    """
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname or urllib.request.proxy_bypass(parts.hostname):
        return None
    return urllib.request.getproxies().get(parts.scheme)


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds a 429 asks us to wait, or None when the headers do not say.

    `RateLimit: "api";r=0;t=<s>` wins (the Hub's own header, only meaningful when `r=0`); then a
    `Retry-After` of delta-seconds or an HTTP date. The value is returned as the server states it:
    huggingface_hub adds 1 s for rounding, but `t` already counts to the reset and waiting a little
    short only earns a fresh 429 with a fresh `t`, so no margin is added here.
    """
    quota = quota_from_headers(headers)
    if quota is not None and quota.remaining == 0:
        return _bounded_wait(quota.reset)
    retry_after = (_header(headers, "retry-after") or "").strip()
    if not retry_after:
        return None
    try:
        return _bounded_wait(float(retry_after))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(retry_after)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return _bounded_wait(when.timestamp() - (time.time() if now is None else now))


def _bounded_wait(seconds: float) -> float | None:
    """A usable wait: never negative, never beyond `MAX_RATE_LIMIT_WAIT`; None for nan."""
    if math.isnan(seconds):
        return None
    return min(max(0.0, seconds), MAX_RATE_LIMIT_WAIT)


def error_from_response(response: Any, *, space_id: str | None = None) -> HubError:
    """The typed error for a failed Hub response (httpx or httpx2, read duck-typed).

    The body is used for the server's message only if it has already been read: a streamed
    response should go through `araise_for_hub_status`, which reads a bounded body first.
    """
    status = int(response.status_code)
    headers = response.headers
    url = _request_url(response)
    space_id = space_id or _space_id_from_url(url)
    error_code = _header(headers, "x-error-code")
    error_message = _header(headers, "x-error-message")
    had_token = _request_had_token(response)

    if error_code == "RepoNotFound":
        return _not_found(space_id, had_token, status)
    if error_code == "GatedRepo":
        return PermissionDenied(
            f"{_subject(space_id)} is gated and your account has not been granted access.",
            status=status,
        )
    if error_message == _DISABLED:
        return PermissionDenied(
            f"{_subject(space_id)} has been disabled on the Hub.", status=status
        )
    if status == 401:
        if error_message == _INVALID_CREDENTIALS or (had_token and not space_id):
            return AuthError(
                f"The Hub rejected your token (invalid or expired); {_SIGN_IN_HINT}.", status=status
            )
        if space_id:
            return _not_found(space_id, had_token, status)
        return AuthError(f"The Hub needs a token for this; {_SIGN_IN_HINT}.", status=status)
    if status == 402 or (status == 403 and _PAYMENT_METHOD in _server_message(response)):
        detail = _server_message(response) or "the plan does not allow this"
        return PaymentRequired(f"The Hub refused: {detail.rstrip('.')}.", status=status)
    if status == 403:
        detail = _server_message(response)
        suffix = f" ({detail})" if detail else ""
        return PermissionDenied(
            f"Your token is not allowed to do this on {_subject(space_id, lower=True)}; "
            f"it needs write access{suffix}.",
            status=status,
        )
    if status == 404:
        if space_id:
            return _not_found(space_id, had_token, status)
        return HubRequestError(f"The Hub has no such resource: {_path(url)}.", status=status)
    if status == 429:
        wait = retry_after_seconds(headers)
        known = wait is not None
        wait = DEFAULT_RATE_LIMIT_WAIT if wait is None else wait
        return RateLimited(
            f"The Hub is rate-limiting requests; retry in {_seconds(wait)}"
            + ("." if known else " (the Hub did not say when)."),
            retry_after=wait,
            status=status,
        )
    if status >= 500:
        return HubUnavailable(
            f"The Hub is unavailable right now (HTTP {status}); try again in a moment.",
            status=status,
        )
    detail = _server_message(response) or _reason(status)
    return HubRequestError(f"The Hub refused the request (HTTP {status}): {detail}.", status=status)


def raise_for_hub_status(response: Any, *, space_id: str | None = None) -> None:
    """Raise the typed error for `response` if it failed (4xx/5xx); do nothing otherwise."""
    if int(response.status_code) >= 400:
        raise error_from_response(response, space_id=space_id)


async def araise_for_hub_status(response: httpx.Response, *, space_id: str | None = None) -> None:
    """`raise_for_hub_status` for a streamed response: reads up to 64 KiB of an error body first."""
    if response.status_code < 400:
        return
    if response.is_stream_consumed:
        raise error_from_response(response, space_id=space_id)
    body = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) >= _ERROR_BODY_LIMIT:
                break
    except httpx.HTTPError:
        pass  # a body cut short still leaves the status and headers to explain the failure
    # aiter_bytes already decoded the body: the copy must not claim an encoding or a length.
    headers = [(k, v) for k, v in response.headers.multi_items() if k not in _BODY_HEADERS]
    read = httpx.Response(
        response.status_code, headers=headers, content=bytes(body), request=response.request
    )
    raise error_from_response(read, space_id=space_id)


def error_from_exception(exc: BaseException, *, space_id: str | None = None) -> HubError:
    """The typed error for anything raised while talking to the Hub.

    Handles our own `HubError` (returned as is), httpx and httpx2 status and transport errors, and
    huggingface_hub's exceptions. Anything unrecognised becomes a plain `HubError` naming its type.
    """
    if isinstance(exc, HubError):
        return exc
    cause = exc.__cause__
    if type(exc) is RuntimeError and isinstance(cause, Exception):
        # huggingface_hub wraps a failed LFS upload ("Error while uploading 'x' to the Hub.")
        # around the real error, often a 5xx the storage kept answering: that error is the story.
        return error_from_exception(cause, space_id=space_id)
    names = _class_names(exc)
    response = getattr(exc, "response", None)
    request_url = _exception_url(exc)
    space_id = space_id or _space_id_from_url(request_url)

    if "LocalTokenNotFoundError" in names:
        return AuthError(f"No Hugging Face token found; {_SIGN_IN_HINT}.")
    if "OfflineModeIsEnabled" in names:
        return NetworkDown(
            "HF_HUB_OFFLINE is set, so nothing is sent to the Hub; unset it to go online."
        )
    if "GatedRepoError" in names and response is None:
        return PermissionDenied(
            f"{_subject(space_id)} is gated and your account has not been granted access."
        )
    if "RepositoryNotFoundError" in names and response is None:
        return _not_found(space_id, None, None)
    if response is not None and _looks_like_response(response):
        return error_from_response(response, space_id=space_id)
    if isinstance(exc, ValueError) and str(exc).startswith(_INVALID_METADATA):
        # huggingface_hub validates README.md with the Hub before a commit and turns the Hub's
        # 400 into this ValueError, one "- problem" line per error.
        problems = [_clean(line.lstrip("- ")) for line in str(exc).splitlines()[1:]]
        listed = "; ".join(p.rstrip(".") for p in problems if p) or "no reason given"
        return HubRequestError(f"The Hub refused the front matter of README.md: {listed}.")
    return _transport_error(exc, names, request_url)


def _transport_error(exc: BaseException, names: set[str], url: str) -> HubError:
    """Connection-level failures (httpx, httpx2 or plain OS errors) as `NetworkDown`."""
    where = _origin(url)
    at = f" at {where}" if where else ""
    if names & {"ConnectTimeout", "PoolTimeout"}:
        return NetworkDown(
            f"Timed out connecting to the Hub{at}; check your network or the endpoint."
        )
    if names & {"ReadTimeout", "WriteTimeout", "TimeoutException"} or isinstance(exc, TimeoutError):
        return NetworkDown(f"The Hub{at} stopped answering (timed out); try again in a moment.")
    if "RemoteProtocolError" in names:
        return NetworkDown(f"The connection to the Hub{at} dropped in the middle of a response.")
    if "UnsupportedProtocol" in names or "InvalidURL" in names:
        return NetworkDown(f"The Hub endpoint{at or ''} is not a valid http(s) URL.")
    if names & {"ConnectError", "NetworkError", "TransportError", "ProxyError"} or isinstance(
        exc, ConnectionError | OSError
    ):
        reason = _clean(str(exc)) or type(exc).__name__
        return NetworkDown(
            f"Cannot reach the Hub{at} ({reason}); check your network or the endpoint."
        )
    reason = _clean(str(exc))
    return HubError(
        f"Unexpected error talking to the Hub: {type(exc).__name__}"
        + (f": {reason}" if reason else "")
        + "."
    )


def _not_found(space_id: str | None, had_token: bool | None, status: int | None) -> SpaceNotFound:
    """The one sentence for 'missing, or private and not visible to you'."""
    if had_token is False:
        tail = f"it is private and you are not signed in ({_SIGN_IN_HINT})"
    else:
        tail = "it is private and your token cannot see it"
    return SpaceNotFound(f"{_subject(space_id)} was not found, or {tail}.", status=status)


def _subject(space_id: str | None, *, lower: bool = False) -> str:
    if space_id:
        return f"Space {_clean(space_id)}"
    return "the Space" if lower else "The Space"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by case-insensitive name from httpx/httpx2 headers or a plain dict."""
    value = headers.get(name)
    if value is not None:
        return value
    for key, val in headers.items():
        if key.lower() == name:
            return val
    return None


def _request_url(response: Any) -> str:
    try:
        request = response.request
    except RuntimeError:  # httpx raises when a Response was built without a request
        return ""
    return str(request.url) if request is not None else ""


def _request_had_token(response: Any) -> bool | None:
    try:
        request = response.request
    except RuntimeError:
        return None
    if request is None:
        return None
    return bool(_header(request.headers, "authorization"))


def _exception_url(exc: BaseException) -> str:
    for holder in (getattr(exc, "response", None), exc):
        try:
            request = getattr(holder, "request", None)
        except RuntimeError:
            request = None
        if request is not None and getattr(request, "url", None) is not None:
            return str(request.url)
    return ""


def _space_id_from_url(url: str) -> str | None:
    match = _SPACE_IN_PATH.search(url)
    return match["id"] if match else None


def _origin(url: str) -> str:
    try:
        parsed = httpx.URL(url)
    except Exception:  # an unparseable URL simply gives no location in the message
        return ""
    if not parsed.host:
        return ""
    return _clean(f"{parsed.scheme}://{parsed.host}" + (f":{parsed.port}" if parsed.port else ""))


def _path(url: str) -> str:
    try:
        return _clean(httpx.URL(url).path) or "?"
    except Exception:
        return "?"


def _class_names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _looks_like_response(obj: Any) -> bool:
    return hasattr(obj, "status_code") and hasattr(obj, "headers")


def _server_message(response: Any) -> str:
    """The Hub's own explanation (X-Error-Message, then a JSON or text body), cleaned, or ''."""
    parts: list[str] = []
    header = _header(response.headers, "x-error-message")
    if header:
        parts.append(header)
    text = _body_text(response)
    if text:
        try:
            body = json.loads(text)
        except ValueError:
            content_type = _header(response.headers, "content-type") or ""
            if "html" not in content_type:
                parts.append(text)
        else:
            parts.extend(_json_messages(body))
    seen: list[str] = []
    for part in (_clean(p) for p in parts):
        if part and part not in seen:
            seen.append(part)
    message = "; ".join(seen).rstrip(".")
    if len(message) > _SERVER_MESSAGE_LIMIT:
        message = message[: _SERVER_MESSAGE_LIMIT - 1].rstrip() + "…"
    return message


def _json_messages(body: Any) -> list[str]:
    """Messages from the error body shapes huggingface_hub understands."""
    if not isinstance(body, dict):
        return []
    messages: list[str] = []
    error = body.get("error")
    if isinstance(error, list):
        messages.extend(str(item) for item in error)
    elif error is not None:
        description = body.get("error_description")
        messages.append(f"{error}: {description}" if description else str(error))
    elif body.get("error_description"):
        messages.append(str(body["error_description"]))
    for item in body.get("errors") or ():
        if isinstance(item, dict) and item.get("message"):
            messages.append(str(item["message"]))
    return messages


def _body_text(response: Any) -> str:
    try:
        return str(response.text)
    except Exception:  # not read yet (a stream), or undecodable: the status alone must do
        return ""


def _clean(text: str) -> str:
    """Remote or user text as one safe line: no control characters, no tokens."""
    return for_terminal(text, one_line=True)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "unexpected status"


def _seconds(wait: float) -> str:
    return f"{wait:.0f} s" if wait >= 1 or wait == 0 else f"{wait:.1f} s"
