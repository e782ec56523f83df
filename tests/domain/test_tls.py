"""The lazily loaded TLS context verifies exactly as httpx's default one, over real loopback TLS."""

from __future__ import annotations

import asyncio
import http.server
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tui.domain.tls import lazy_verifying_context

SETTINGS = ("protocol", "verify_mode", "check_hostname", "options", "verify_flags")


@pytest.fixture(autouse=True)
def _no_env_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE"):
        monkeypatch.delenv(name, raising=False)


def test_settings_are_create_default_contexts_and_nothing_is_trusted_before_a_handshake() -> None:
    lazy = lazy_verifying_context()
    reference = httpx.create_ssl_context()
    for name in (*SETTINGS, "minimum_version", "maximum_version"):
        assert getattr(lazy, name) == getattr(reference, name), name
    assert lazy.cert_store_stats()["x509_ca"] == 0  # the bundle is not loaded yet
    lazy.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="huggingface.co")
    assert lazy.cert_store_stats() == reference.cert_store_stats()  # certifi's, as httpx's


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A certificate for localhost that no public bundle trusts (made by the openssl CLI)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost"],
        check=True,
        capture_output=True,
    )
    return cert, key


class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("content-length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


@pytest.fixture
def https_url(self_signed: tuple[Path, Path]) -> Iterator[str]:
    cert, key = self_signed
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_an_untrusted_certificate_is_refused_sync_and_async(https_url: str) -> None:
    with httpx.Client(verify=lazy_verifying_context()) as client:  # wrap_socket
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            client.get(https_url)

    async def fetch() -> None:
        async with httpx.AsyncClient(verify=lazy_verifying_context()) as client:  # wrap_bio
            await client.get(https_url)

    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        asyncio.run(fetch())


def test_the_bundle_httpx_would_use_is_loaded_before_the_first_handshake(
    https_url: str, self_signed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(self_signed[0]))  # as httpx honours it
    context = lazy_verifying_context()
    assert context.cert_store_stats()["x509_ca"] == 0
    with httpx.Client(verify=context) as client:
        assert client.get(https_url).text == "hello"
    assert context.cert_store_stats()["x509"] == 1  # only that certificate is trusted
