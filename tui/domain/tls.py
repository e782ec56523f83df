"""A verifying TLS context whose CA bundle is loaded at its first handshake, not at start-up.

httpx builds its TLS context when a client is made, and loading the CA bundle into it costs
20 to 40 ms; a command that talks only to a loopback emulator over plain http never needs it.
`LazyTrustContext` is built with the same settings as `ssl.create_default_context` (hostname
check on, certificate required) and loads the same bundle httpx would (`SSL_CERT_FILE`,
`SSL_CERT_DIR`, else certifi) the first time it wraps a socket or a BIO, before that handshake
starts. Verification is never weakened: until the bundle is loaded the context trusts nothing,
so a handshake could only fail, and every handshake goes through `wrap_socket` or `wrap_bio`.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from typing import Any


class LazyTrustContext(ssl.SSLContext):
    """An `ssl.SSLContext` (server authentication) that loads its trust store on first use."""

    _trust_lock: threading.Lock
    _trust_source: tuple[str | None, str | None]  # (cafile, capath), chosen when built
    _trust_loaded: bool

    def load_trust(self) -> None:
        """Load the CA bundle once (the first handshake of any thread does it)."""
        if self._trust_loaded:
            return
        with self._trust_lock:
            if not self._trust_loaded:
                cafile, capath = self._trust_source
                self.load_verify_locations(cafile=cafile, capath=capath)
                self._trust_loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:  # noqa: D102
        self.load_trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:  # noqa: D102
        self.load_trust()
        return super().wrap_bio(*args, **kwargs)


def lazy_verifying_context() -> LazyTrustContext:
    """httpx's default verifying context (`httpx.create_ssl_context()`), its bundle loaded later.

    The settings are those `ssl.create_default_context(Purpose.SERVER_AUTH)` gives
    (tests/domain/test_tls.py compares them attribute by attribute); the bundle is the one
    httpx picks: `$SSL_CERT_FILE`, else `$SSL_CERT_DIR`, else certifi's.
    """
    context = LazyTrustContext(ssl.PROTOCOL_TLS_CLIENT)
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    if sys.version_info >= (3, 13):  # create_default_context's stricter chain checks
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment:
        context.keylog_filename = keylog
    if os.environ.get("SSL_CERT_FILE"):
        source: tuple[str | None, str | None] = (os.environ["SSL_CERT_FILE"], None)
    elif os.environ.get("SSL_CERT_DIR"):
        source = (None, os.environ["SSL_CERT_DIR"])
    else:
        import certifi

        source = (certifi.where(), None)
    context._trust_lock = threading.Lock()
    context._trust_source = source
    context._trust_loaded = False
    return context
