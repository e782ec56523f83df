"""Everything `spacetui web` decides before it binds: hosts, origins, access secret, framing.

Loopback serves without a secret. Any other address needs one, read from `SPACETUI_WEB_SECRET`
or from the file named by `SPACETUI_WEB_SECRET_FILE`: never from the command line (other users
see it in `ps`) nor from a URL (it would land in access logs and browser history).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tui.domain.errors import UsageError

SECRET_ENV = "SPACETUI_WEB_SECRET"
SECRET_FILE_ENV = "SPACETUI_WEB_SECRET_FILE"
#: Shorter secrets are refused: the login form is the only thing between a visitor and the token.
MIN_SECRET_LENGTH = 16
DEFAULT_HUB = "https://huggingface.co"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class WebSettings:
    """The resolved configuration of one `spacetui web` server."""

    host: str
    port: int
    demo: bool = False
    max_sessions: int = 1
    #: Required on the login form before a WebSocket may start an app; None on loopback.
    secret: str | None = None
    #: The scheme://host[:port] browsers use (a proxy's or a Space's), None: the bound address.
    public_url: str | None = None
    #: Origins allowed to frame the page (CSP frame-ancestors); empty: none may.
    frame_ancestors: tuple[str, ...] = ()
    #: The Space this server runs in, if any.
    space_id: str | None = None
    #: Extra arguments for the app process (`--endpoint URL`, `--config FILE`).
    app_args: tuple[str, ...] = field(default=())

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """Host header values served (lower case); any other is answered 421 (DNS rebinding)."""
        hosts: set[str] = set()
        if is_loopback(self.host) or self.host in ("0.0.0.0", "::", ""):
            hosts.update(f"{name}:{self.port}" for name in _LOOPBACK_NAMES)
        elif not _is_wildcard(self.host):
            hosts.add(_netloc(self.host, self.port))
        if self.public_url:
            hosts.add(urlsplit(self.public_url).netloc.lower())
        return frozenset(hosts)

    @property
    def allowed_origins(self) -> frozenset[str]:
        """Origin header values accepted on the WebSocket and the login form."""
        origins = {f"http://{host}" for host in self.allowed_hosts}
        if self.public_url:
            parts = urlsplit(self.public_url)
            origins.add(f"{parts.scheme}://{parts.netloc.lower()}")
        return frozenset(origins)

    @property
    def secure_cookies(self) -> bool:
        """Cookies marked Secure (and SameSite=None to work inside the Hub's iframe)."""
        return bool(self.public_url and self.public_url.startswith("https://"))


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or `localhost`."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    return host.strip("[]") in ("0.0.0.0", "::", "")


def _netloc(host: str, port: int) -> str:
    host = host.lower()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def read_secret(environ: Mapping[str, str]) -> str | None:
    """The access secret from the environment or the file it names; None when neither is set.

    Raises:
        UsageError: the file cannot be read, or the secret is too short.
    """
    secret = environ.get(SECRET_ENV, "").strip()
    path = environ.get(SECRET_FILE_ENV, "").strip()
    if not secret and path:
        try:
            secret = Path(path).expanduser().read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageError(
                f"{SECRET_FILE_ENV} names {path}, which cannot be read ({exc.strerror or exc})"
            ) from None
    if not secret:
        return None
    if len(secret) < MIN_SECRET_LENGTH:
        raise UsageError(
            f"the access secret is {len(secret)} characters long; use at least "
            f"{MIN_SECRET_LENGTH} (for example the output of `openssl rand -base64 24`)"
        )
    return secret


def build_settings(
    *,
    host: str,
    port: int,
    demo: bool,
    max_sessions: int,
    public_url: str | None,
    app_args: tuple[str, ...] = (),
    environ: Mapping[str, str] | None = None,
) -> WebSettings:
    """Check the options against the environment and return what the server will do.

    Raises:
        UsageError: one sentence saying which option or variable to change.
    """
    env = os.environ if environ is None else environ
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} must be between 0 and 65535")
    if max_sessions < 1:
        raise UsageError(f"--max-sessions {max_sessions} must be at least 1")
    space_id = env.get("SPACE_ID", "").strip() or None
    space_host = env.get("SPACE_HOST", "").strip()
    hub = _origin(env.get("HF_ENDPOINT", "").strip() or DEFAULT_HUB)
    frame_ancestors: tuple[str, ...] = ()
    if space_id:
        if not space_host:
            raise UsageError("SPACE_ID is set but SPACE_HOST is not; the Space's URL is unknown")
        # Inside a Space the page is reached at https://SPACE_HOST and framed by the Hub's page.
        public_url = f"https://{space_host.lower()}"
        frame_ancestors = (hub,)
    elif public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise UsageError(f"--public-url {public_url!r} must look like https://host[:port]")
        public_url = f"{parts.scheme}://{parts.netloc.lower()}"
    if _is_wildcard(host) and not public_url:
        raise UsageError(
            f"--host {host or '0.0.0.0'} listens on every address; add --public-url with the "
            "address browsers use, so requests for any other host name can be refused"
        )
    secret = read_secret(env)
    if not is_loopback(host) and secret is None:
        raise UsageError(
            f"--host {host} is reachable from other machines: set an access secret in "
            f"{SECRET_ENV} or in a file named by {SECRET_FILE_ENV} (never on the command line)"
        )
    return WebSettings(
        host=host,
        port=port,
        demo=demo,
        max_sessions=max_sessions,
        secret=secret,
        public_url=public_url,
        frame_ancestors=frame_ancestors,
        space_id=space_id,
        app_args=app_args,
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
