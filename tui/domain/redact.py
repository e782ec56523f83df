"""Remove secrets from text before it can reach output, logs or error messages."""

from __future__ import annotations

import re

# Hugging Face user and org tokens, plus anything after a Bearer scheme.
_TOKEN_PATTERNS = (
    re.compile(r"\bhf_[A-Za-z0-9]{6,}"),
    re.compile(r"\bapi_org_[A-Za-z0-9]{6,}"),
    re.compile(r"(?i)(bearer\s+)[^\s\"',;]+"),
)
_known_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret (a token in use) so `redact` removes it wherever it appears."""
    if value and len(value) >= 4:
        _known_secrets.add(value)


def redact(text: str) -> str:
    """`text` with every known secret and every token-shaped string replaced by `***`."""
    for secret in _known_secrets:
        text = text.replace(secret, "***")
    for pattern in _TOKEN_PATTERNS:
        if pattern.groups:
            text = pattern.sub(lambda m: m.group(1) + "***", text)
        else:
            text = pattern.sub("***", text)
    return text
