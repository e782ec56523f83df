"""Where a Space's app answers: its `https://{subdomain}.hf.space` URL, or the emulator's mapping.

On an endpoint on this machine (the emulator, `127.0.0.1`/`localhost`/`::1`), the app is reached
at the endpoint itself with `Host: {subdomain}.hf.space`, which is how the emulator serves each
Space's app. Shared by the health probe (`probe.py`, over httpx) and the unchanged re-deploy's
check (`tui.commands.deploy_unchanged`, over the standard library), so both ask the same URL.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

from tui.domain.auth import DEFAULT_ENDPOINT

#: How long the probe keeps trying after RUNNING (an app may need a moment after the stage).
DEFAULT_WAIT = 60.0
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
#: The Hub's app hosts (static Spaces may be served from `*.static.hf.space`).
_HF_SPACE = re.compile(r"^https://[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.static)?\.hf\.space$")


class AppAddress(NamedTuple):
    """Where to send the probe: a URL, and the Host header to send it with (emulator only)."""

    url: str
    host_header: str | None = None
    #: Only the Hub's own app hosts (or the emulator) get the token: `host` is remote data.
    send_token: bool = False

    @property
    def shown(self) -> str:
        """The URL a user knows the app by (the hf.space one, also on the emulator)."""
        if self.host_header is None:
            return self.url
        parts = urlsplit(self.url)
        return f"https://{self.host_header}{parts.path}"


def app_address(endpoint: str, host: str | None, subdomain: str | None, path: str) -> AppAddress:
    """The app URL for `path`, mapped onto the endpoint when the endpoint is on this machine."""
    path = "/" + path.lstrip("/")
    endpoint_host = urlsplit(endpoint).hostname or ""
    if (
        endpoint_host in _LOOPBACK
        and subdomain
        and _HF_SPACE.match(f"https://{subdomain}.hf.space")
    ):
        return AppAddress(
            endpoint.rstrip("/") + path, host_header=f"{subdomain}.hf.space", send_token=True
        )
    base = (host or (f"https://{subdomain}.hf.space" if subdomain else "")).rstrip("/")
    hubs_own = endpoint.rstrip("/") == DEFAULT_ENDPOINT and bool(_HF_SPACE.match(base))
    return AppAddress(base + path, send_token=hubs_own)
