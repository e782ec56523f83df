"""Which Hub to talk to and with which token: explicit arguments, then the environment, then `hf auth login`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tui.domain.errors import AuthError, UsageError
from tui.domain.redact import register_secret

#: The Hub; `tui.domain.http` re-exports it. Kept here so resolving a target needs no httpx.
DEFAULT_ENDPOINT = "https://huggingface.co"


@dataclass(frozen=True)
class HubTarget:
    """A Hub endpoint and the token to use there (None: anonymous). The repr never shows the token."""

    endpoint: str
    token: str | None = field(default=None, repr=False)

    @property
    def has_token(self) -> bool:
        return bool(self.token)

    def __repr__(self) -> str:
        shown = "'***'" if self.token else "None"
        return f"HubTarget(endpoint={self.endpoint!r}, token={shown})"

    __str__ = __repr__


def resolve_target(endpoint: str | None = None, token: str | None = None) -> HubTarget:
    """The Hub target from arguments, the environment and the saved login, in that order.

    Endpoint: `endpoint`, then `HF_ENDPOINT`, then `https://huggingface.co`.
    Token: `token`, then `HF_TOKEN`, then whatever huggingface_hub finds (the token saved by
    `hf auth login` under `HF_HOME`, OIDC in CI). The token is registered with `redact`.

    Raises:
        UsageError: the endpoint is not an http(s) URL, or the token cannot be sent (non-ASCII).
        AuthError: huggingface_hub was asked for a token and failed (e.g. a broken OIDC setup).
    """
    chosen_endpoint = _validated_endpoint(
        endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    )
    chosen_token = (token or os.environ.get("HF_TOKEN") or "").strip() or _saved_token()
    register_secret(chosen_token)
    if chosen_token and not _sendable(chosen_token):
        # httpx would fail with a UnicodeEncodeError traceback deep inside the first request.
        raise UsageError(
            "The Hub token (HF_TOKEN or the saved login) has characters a token never has "
            "(non-ASCII, spaces or control characters): set it again from the Hub's token page."
        )
    return HubTarget(endpoint=chosen_endpoint, token=chosen_token)


def _sendable(token: str) -> bool:
    """True when `token` can travel in an HTTP header: printable ASCII, no spaces."""
    return all("!" <= char <= "~" for char in token)


def _saved_token() -> str | None:
    """The token huggingface_hub would use; imported lazily so an explicit token costs nothing."""
    from huggingface_hub import get_token

    try:
        return get_token()
    except Exception as exc:  # OIDC exchange failures and the like: one sentence, never a traceback
        raise AuthError(
            f"Could not read your Hugging Face token ({type(exc).__name__}); run `hf auth login` or set HF_TOKEN."
        ) from exc


def _validated_endpoint(endpoint: str) -> str:
    cleaned = endpoint.strip().rstrip("/")
    try:
        url = urlsplit(cleaned)
        valid = url.scheme in ("http", "https") and bool(url.hostname) and " " not in cleaned
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(f"The Hub endpoint must be an http(s) URL, got {cleaned!r}.")
    return cleaned
