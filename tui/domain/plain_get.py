"""Confirming GETs over the standard library's `http.client`, for the unchanged re-deploy's check.

`tui.commands.deploy_unchanged` asks the Hub whether a stamped Space is still where its deploy
left it. Loading httpx, httpcore, anyio and asyncio costs a command about 0.1 s, more than that
whole answer, so these few reads go over `http.client`. They only ever confirm: an error, a
timeout, a redirect, any status but the one expected, an unreadable body or a proxy in the
environment gives None, and the caller takes the normal path, whose `HubClient` (the HTTP
boundary that maps every failure to a typed error) meets the same answer and words it. So no
error is worded here, and nothing here retries or waits.

The token is sent to the endpoint only (and to the app only when `send_token` says the app host
is the Hub's own, as the probe decides); it never appears in what this module returns.
"""

from __future__ import annotations

import http.client
import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from tui import __version__

if TYPE_CHECKING:
    import ssl

#: One request's limit: the normal path is always there to wait longer.
TIMEOUT = 5.0
#: Variables that route httpx's requests through a proxy (it reads them; `http.client` does not).
_PROXY_ENV = ("http_proxy", "https_proxy", "all_proxy")
_MAX_BODY = 16 * 1024 * 1024


def plain_http_usable(environ: Mapping[str, str] | None = None) -> bool:
    """False when the environment names a proxy, which httpx would go through."""
    env = os.environ if environ is None else environ
    return not any(env.get(name) or env.get(name.upper()) for name in _PROXY_ENV)


class PlainGet:
    """Keep-alive GETs to one origin; `get_json` and `status` answer None on anything odd."""

    def __init__(self, base_url: str, token: str | None, *, timeout: float = TIMEOUT) -> None:
        parts = urlsplit(base_url)
        self._base_path = parts.path.rstrip("/")
        self._headers = {"user-agent": f"spacetui/{__version__}", "accept-encoding": "identity"}
        if token:
            self._headers["authorization"] = f"Bearer {token}"
        self._connection = _connect(parts.scheme, parts.hostname or "", parts.port, timeout)

    def get_json(self, path: str, params: list[tuple[str, str]] | None = None) -> Any | None:
        """The decoded JSON of a 200 answer to `GET path`, or None."""
        answer = self._get(path, params)
        if answer is None or answer[0] != 200:
            return None
        try:
            return json.loads(answer[1])
        except ValueError:
            return None

    def status(self, path: str, *, host: str | None = None) -> int | None:
        """The status of `GET path` (redirects not followed), or None when there was no answer."""
        answer = self._get(path, None, host=host)
        return None if answer is None else answer[0]

    def close(self) -> None:
        """Close the connection."""
        if self._connection is not None:
            self._connection.close()

    def __enter__(self) -> PlainGet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(
        self, path: str, params: list[tuple[str, str]] | None, *, host: str | None = None
    ) -> tuple[int, bytes] | None:
        if self._connection is None:
            return None
        target = self._base_path + path + (f"?{urlencode(params)}" if params else "")
        headers = dict(self._headers)
        if host is not None:
            headers["host"] = host
        try:
            self._connection.request("GET", target, headers=headers)
            response = self._connection.getresponse()
            body = response.read(_MAX_BODY + 1)
        except (OSError, http.client.HTTPException):
            self._connection.close()
            return None
        if len(body) > _MAX_BODY:
            return None
        return response.status, body


def _connect(
    scheme: str, host: str, port: int | None, timeout: float
) -> http.client.HTTPConnection | None:
    if not host:
        return None
    if scheme == "http":
        return http.client.HTTPConnection(host, port, timeout=timeout)
    if scheme != "https":
        return None
    return http.client.HTTPSConnection(host, port, timeout=timeout, context=_ssl_context())


def _ssl_context() -> ssl.SSLContext:
    """The context httpx's `create_ssl_context()` builds (httpx 0.29, trust_env): the CA file or
    folder the environment names, else certifi's bundle. Loaded only for an https endpoint."""
    import ssl

    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())
