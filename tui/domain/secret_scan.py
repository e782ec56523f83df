"""Find real credentials in any bytes, streaming: every encoding text comes in, any size.

The patterns run over raw bytes, so printable runs inside binary files (pickles, SQLite pages,
early NUL bytes) are searched as they are; each chunk is also searched with its NUL bytes
removed (UTF-16 text, with or without a BOM) and with JSON `\\u00XX` escapes decoded (notebooks).
Chunks overlap by more than the longest token, so a token split across two reads is found once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tui.domain.secret_shapes import is_placeholder

#: Bytes read per step; the overlap keeps any token whole in at least one window.
CHUNK_BYTES = 1 << 20
OVERLAP_BYTES = 512

#: (kind, pattern). A pattern's group 1, when present, is the secret itself (context-bound kinds).
TOKEN_PATTERNS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("Hugging Face token", re.compile(rb"(?<![A-Za-z0-9_])hf_[A-Za-z]{34}(?![A-Za-z0-9])")),
    ("Hugging Face org token", re.compile(rb"(?<![A-Za-z0-9_])api_org_[A-Za-z]{34}(?![A-Za-z0-9])")),
    ("private key", re.compile(rb"-----BEGIN [A-Z ]{0,20}PRIVATE KEY(?: BLOCK)?-----")),
    ("AWS access key id", re.compile(rb"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])")),
    (
        "AWS secret access key",
        re.compile(
            rb"(?i)(?:aws|secret[_ -]?access|secretaccesskey)[\w.\-\"']{0,30}?"
            rb"[\\\"']{0,2}\s*(?:[:=]|=>|,)\s*[\\\"']{0,2}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
        ),
    ),
    ("GitHub token", re.compile(rb"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])")),
    ("GitHub token", re.compile(rb"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9])")),
    ("GitLab token", re.compile(rb"(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_\-]{20,}")),
    ("Stripe secret key", re.compile(rb"(?<![A-Za-z0-9_])[sr]k_live_[A-Za-z0-9]{24,247}")),
    ("Replicate token", re.compile(rb"(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9])")),
    (
        "Weights & Biases key",
        re.compile(rb"(?i)wandb[^\n]{0,40}?(?<![0-9a-f])([0-9a-f]{40})(?![0-9a-f])"),
    ),
    (
        "OpenAI-style API key",
        re.compile(rb"(?<![A-Za-z0-9_\-])sk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_\-]{20,}"),
    ),
    ("Google API key", re.compile(rb"(?<![A-Za-z0-9_])AIza[0-9A-Za-z_\-]{35}")),
    ("Slack token", re.compile(rb"(?<![A-Za-z0-9_])xox[baprs]-[A-Za-z0-9\-]{10,}")),
)
#: `password = "…"` and its kin, searched only in code and configuration (see `CODE_SUFFIXES`).
PASSWORD_ASSIGNMENT = re.compile(
    rb"""(?ix)(?<![\w-])[\w-]*(?:passw(?:or)?d|pwd|secret[_-]?key|api[_-]?key|auth[_-]?token|"""
    rb"""access[_-]?token|client[_-]?secret)[\w-]*["']?\s*(?::=|=>|[:=])\s*["']([^"'\s]{8,200})["']"""
)
PASSWORD_KIND = "password or key assignment"
#: Files where an assignment is code a server runs (documentation and web pages are other checks').
CODE_SUFFIXES = (
    ".py", ".js", ".mjs", ".cjs", ".ts", ".rb", ".go", ".java", ".php", ".sh", ".rs", ".yaml",
    ".yml", ".toml", ".ini", ".cfg", ".conf", ".env", ".json", ".properties",
)  # fmt: skip
#: Literal pieces one of which every match holds: a window holding none is skipped at memchr speed.
_PREFIXES = (
    b"hf_", b"api_org_", b"PRIVATE KEY", b"AKIA", b"ASIA", b"ABIA", b"ACCA", b"ws", b"WS",
    b"ecret", b"ECRET", b"github_pat_", b"gh", b"glpat-", b"k_live_", b"r8_", b"andb", b"ANDB",
    b"sk-", b"AIza", b"xox",
)  # fmt: skip
_JSON_ESCAPE = re.compile(rb"\\u00([0-7][0-9a-fA-F])")
_NUL = b"\x00"


@dataclass(frozen=True, slots=True)
class SecretHit:
    """One real-looking credential: its kind, 1-based line (in the raw bytes) and value."""

    kind: str
    line: int
    secret: str


def _views(window: bytes) -> Iterator[bytes]:
    """The window as it is, without NUL bytes (UTF-16), and with JSON escapes decoded."""
    yield window
    if _NUL in window:
        yield window.replace(_NUL, b"")
    if b"\\u00" in window:
        yield _JSON_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), window)


def is_code_name(name: str) -> bool:
    """True for files whose assignments a server runs: code, config, `.env*`, `Dockerfile`."""
    base = name.rsplit("/", 1)[-1].lower()
    return base.endswith(CODE_SUFFIXES) or base.startswith(".env") or base == "dockerfile"


def _matches(view: bytes, *, code: bool) -> Iterator[tuple[str, int, str]]:
    patterns = TOKEN_PATTERNS
    if code:
        patterns = (*TOKEN_PATTERNS, (PASSWORD_KIND, PASSWORD_ASSIGNMENT))
    elif not any(p in view for p in _PREFIXES):
        return
    for kind, pattern in patterns:
        for match in pattern.finditer(view):
            group = 1 if pattern.groups else 0
            secret = match.group(group).decode("ascii", "replace")
            if kind == "private key" or not is_placeholder(secret):
                yield kind, match.start(group), secret


def scan_chunks(chunks: Iterable[bytes], *, name: str = "") -> Iterator[SecretHit]:
    """Every real-looking credential in the stream of `chunks`, each reported once.

    `name` is the file's path: in code and configuration files (`is_code_name`) secret-named
    assignments of literal values count too.
    """
    code = is_code_name(name)
    seen: set[str] = set()
    carry = b""
    lines_before = 0  # newlines in the stream before `carry`
    for chunk in chunks:
        if not chunk:
            continue
        window = carry + chunk
        for view in _views(window):
            for kind, offset, secret in _matches(view, code=code):
                if secret in seen:
                    continue
                seen.add(secret)
                line = lines_before + 1
                if view is window:
                    line += window.count(b"\n", 0, offset)
                yield SecretHit(kind, line, secret)
        keep = min(len(window), OVERLAP_BYTES)
        lines_before += window.count(b"\n", 0, len(window) - keep)
        carry = window[len(window) - keep :]


def scan_bytes(data: bytes, *, name: str = "") -> Iterator[SecretHit]:
    """`scan_chunks` over one bytes object."""
    return scan_chunks(
        (data[i : i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)), name=name
    )


def read_chunks(path: str, *, limit: int | None = None) -> Iterator[bytes]:
    """The file at `path` in chunks (at most `limit` bytes); nothing when it cannot be read."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, a generator holds it
    except OSError:
        return
    with handle:
        total = 0
        while chunk := handle.read(CHUNK_BYTES):
            total += len(chunk)
            yield chunk
            if limit is not None and total >= limit:
                return
