"""huggingface_hub's HTTP client, built in this one place from spacetui's HTTP settings.

huggingface_hub 2.4 keeps ONE process-wide `httpx2.Client` (`get_session`), built by the factory
given to its public `set_client_factory`; `HfApi` has no per-instance client. So the client of
every `HfApi` call (deploy commits, Space settings, restarts) is configured here: its transport
(a test's, or the network's with the proxy the environment names), transport wrappers (the
deploy's byte counter), timeout and redirects. `HubClient.hf_api()` applies its transport here,
so one `HubClient` decides both of its connections.

The one private part: the request hook huggingface_hub's own default factory installs (offline
mode, request ids); a factory that drops it would change huggingface_hub's behaviour. It comes
from `tui/_compat/huggingface_hub.py`, whose test fails loudly if the library moves it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx2
from huggingface_hub import set_client_factory

from tui._compat.huggingface_hub import hf_request_event_hook
from tui.domain.http import HF_TIMEOUT, proxy_for

#: Wraps the transport (outermost last); the deploy's upload counter is one.
TransportWrapper = Callable[[httpx2.BaseTransport], httpx2.BaseTransport]

_lock = threading.Lock()
_transport: httpx2.BaseTransport | None = None
_endpoint: str | None = None
_wrappers: list[TransportWrapper] = []
_installed = False


def use(endpoint: str, transport: httpx2.BaseTransport | None) -> None:
    """Send huggingface_hub's requests through `transport` (None: the network) to `endpoint`.

    The shared client is rebuilt only when something changed, so its pooled connections stay.
    """
    global _transport, _endpoint, _installed
    with _lock:
        if _installed and transport is _transport and endpoint == _endpoint:
            return
        _transport, _endpoint, _installed = transport, endpoint, True
    set_client_factory(_client)  # closes the old shared client; the next call builds ours


def add_wrapper(wrap: TransportWrapper) -> None:
    """Wrap every later transport in `wrap` (once per process per wrapper)."""
    with _lock:
        if wrap in _wrappers:
            return
        _wrappers.append(wrap)
    set_client_factory(_client)


def _client() -> httpx2.Client:
    # The same shape as huggingface_hub's default client, on our transport.
    with _lock:
        transport, endpoint, wrappers = _transport, _endpoint, list(_wrappers)
    if transport is None:
        # An explicit transport turns httpx2's own proxy lookup off: do it ourselves.
        proxy = proxy_for(endpoint) if endpoint else None
        transport = httpx2.HTTPTransport(proxy=proxy)
    for wrap in wrappers:
        transport = wrap(transport)
    return httpx2.Client(
        transport=transport,
        event_hooks={"request": [hf_request_event_hook]},
        follow_redirects=True,
        timeout=HF_TIMEOUT,
    )
