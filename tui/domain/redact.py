"""Remove secrets from text before it can reach output, logs or error messages."""

from __future__ import annotations

import re

# Hugging Face user and org tokens, plus anything after a Bearer scheme.
_HF_TOKEN = re.compile(r"\bhf_[A-Za-z0-9]{6,}")
_ORG_TOKEN = re.compile(r"\bapi_org_[A-Za-z0-9]{6,}")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")
_known_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret (a token in use) so `redact` removes it wherever it appears."""
    if value and len(value) >= 4:
        _known_secrets.add(value)


def redact(text: str) -> str:
    """`text` with every known secret and every token-shaped string replaced by `***`."""
    # Each pattern runs only when its literal part occurs: a plain substring test is ~30x faster
    # than the regex scan, and `spacetui logs` passes every line of a flood through here.
    for secret in _known_secrets:
        if secret in text:
            text = text.replace(secret, "***")
    if "hf_" in text:
        text = _HF_TOKEN.sub("***", text)
    if "api_org_" in text:
        text = _ORG_TOKEN.sub("***", text)
    if "bearer" in text.lower():
        text = _BEARER.sub(lambda m: m.group(1) + "***", text)
    return text
