"""SECRET001–SECRET004: credentials that would be published with the Space, and git history.

Messages name the file, the line and the kind of secret with a masked prefix (`hf_Ab…`); the
secret itself never appears in a finding.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

#: Files larger than this are not scanned for tokens (models, datasets, archives).
SCAN_MAX_BYTES = 1_000_000
#: Extensions that are never text worth scanning.
BINARY_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .webp .ico .bmp .tiff .mp3 .mp4 .wav .ogg .flac .webm .avi .mov "
    ".zip .gz .tgz .bz2 .xz .7z .tar .whl .so .dll .dylib .exe .bin .pt .pth .ckpt "
    ".safetensors .onnx .gguf .npy .npz .pkl .parquet .arrow .h5 .pyc .woff .woff2 .ttf .otf "
    ".pdf".split()
)

#: (kind, pattern); the patterns used by gitleaks, detect-secrets and Checkmarx 2ms.
TOKEN_PATTERNS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("Hugging Face token", re.compile(rb"\bhf_[A-Za-z]{34}\b")),
    ("Hugging Face org token", re.compile(rb"\bapi_org_[A-Za-z]{34}\b")),
    ("private key", re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("AWS access key id", re.compile(rb"\bAKIA[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(rb"\bghp_[A-Za-z0-9]{36}\b")),
    ("OpenAI-style API key", re.compile(rb"\bsk-[A-Za-z0-9_-]{20,}")),
    ("Google API key", re.compile(rb"\bAIza[0-9A-Za-z_-]{35}")),
    ("Slack token", re.compile(rb"\bxox[baprs]-[A-Za-z0-9-]{10,}")),
)
_ANY_TOKEN = re.compile(b"|".join(p.pattern for _, p in TOKEN_PATTERNS))
#: Literal starts of the patterns above: a file holding none of them is skipped without a regex
#: (substring search is memchr-fast; the alternation scans every position).
_TOKEN_PREFIXES = (b"hf_", b"api_org_", b"PRIVATE KEY", b"AKIA", b"ghp_", b"sk-", b"AIza", b"xox")

_PLACEHOLDER_WORDS = ("xxx", "your", "token", "example", "placeholder", "dummy", "fake",
                      "changeme", "redacted", "insert", "here", "sample")  # fmt: skip

#: (glob on the file name, reason). Matched against the name and, with a slash, the path.
RISKY_FILES: tuple[tuple[str, str], ...] = (
    (".env", "an environment file"),
    (".env.*", "an environment file"),
    ("*.pem", "a certificate or private key"),
    ("*.key", "a private key"),
    ("*.p12", "a PKCS#12 key store"),
    ("*.pfx", "a PKCS#12 key store"),
    ("id_rsa*", "an SSH private key"),
    ("id_ed25519*", "an SSH private key"),
    ("id_ecdsa*", "an SSH private key"),
    (".netrc", "a .netrc with login passwords"),
    (".pypirc", "a PyPI credentials file"),
    ("credentials.json", "a credentials file"),
    ("*service-account*.json", "a cloud service-account key"),
    ("*service_account*.json", "a cloud service-account key"),
    ("kaggle.json", "a Kaggle API key"),
    (".aws/credentials", "AWS credentials"),
    (".huggingface/token", "a saved Hugging Face token"),
    (".cache/huggingface/token", "a saved Hugging Face token"),
)
SAFE_ENV_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults")

#: `name = "value"` assignments of secret-looking names, for files that are public by nature.
_ASSIGNMENT = re.compile(
    r"""(?ix)
    (?P<name>[\w-]*(?:api[_-]?key|token|secret|passw(?:or)?d|access[_-]?key)[\w-]*)
    ["']?\s*[:=]\s*["'](?P<value>[^"'\s]{8,})["']"""
)
PUBLIC_SUFFIXES = (".html", ".htm", ".js", ".mjs", ".jsx", ".ts", ".tsx", ".vue", ".svelte")


def mask(secret: str) -> str:
    """A recognisable but useless prefix of `secret`: `hf_Ab…`."""
    keep = 5 if len(secret) > 12 else 2
    if secret.startswith(("api_org_", "-----")):
        keep = 10
    return secret[:keep] + "…"


def is_placeholder(value: str) -> bool:
    """True for values that obviously are not real secrets (`hf_xxxx…`, `<your token>`)."""
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    if any(c in value for c in "<>{}$*") or "..." in value:
        return True
    body = re.sub(r"^(hf_|api_org_|sk-|ghp_|AKIA|AIza|xox[baprs]-)", "", value)
    return len(set(body.lower())) <= 3


def _glob_regex(globs: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{fnmatch.translate(g)})" for g in globs))


#: One regex per kind of target instead of a fnmatch call per glob and file.
_NAME_GLOBS = _glob_regex(g for g, _ in RISKY_FILES if "/" not in g)
_PATH_GLOBS = re.compile(
    "(?:.*/)?(?:" + "|".join(re.escape(g) for g, _ in RISKY_FILES if "/" in g) + r")\Z"
)
_SERVICE_ACCOUNT = re.compile(rb'"type"\s*:\s*"service_account"')
_NPM_TOKEN = b"_authToken"


def _risky_reason(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    if name.startswith(".env") and name.endswith(SAFE_ENV_SUFFIXES):
        return None
    if name.endswith(".pub"):
        return None  # the public half of a key pair is meant to be shared
    if not (_NAME_GLOBS.match(name) or ("/" in path and _PATH_GLOBS.match(path))):
        return None
    for glob, reason in RISKY_FILES:
        target = path if "/" in glob else name
        if fnmatch.fnmatchcase(target, glob) or ("/" in glob and path.endswith("/" + glob)):
            return reason
    return None


def risky_reason(path: str) -> str | None:
    """Why the file name `path` suggests credentials (SECRET001's rule), or None."""
    return _risky_reason(path)


@dataclass
class _Scan:
    """Everything learnt from reading the uploaded text files once."""

    tokens: list[tuple[str, str, int, str]] = field(
        default_factory=list
    )  # path, kind, line, secret
    content_reasons: dict[str, str] = field(default_factory=dict)  # path -> SECRET001 reason


def _read(path: str) -> bytes | None:
    # os.open/os.read: a third of the cost of open().read() on thousands of small files.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return os.read(fd, SCAN_MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _scannable(path: str, size: int) -> bool:
    if size > SCAN_MAX_BYTES or size == 0:
        return False
    dot = path.rfind(".")
    return not (dot > path.rfind("/") and path[dot:].lower() in BINARY_SUFFIXES)


def _scan_uploads(ctx: CheckContext) -> _Scan:
    """Read every scannable uploaded file once; cached on the context for the other checks."""
    cached = getattr(ctx, "_secret_scan", None)
    if isinstance(cached, _Scan):
        return cached
    scan = _Scan()
    root = str(ctx.root)
    for path, size in ctx.files.items():
        if not _scannable(path, size):
            continue
        data = _read(os.path.join(root, path))
        if data is None or len(data) > SCAN_MAX_BYTES or b"\x00" in data[:8192]:
            continue
        if path.endswith(".json") and _SERVICE_ACCOUNT.search(data):
            scan.content_reasons[path] = "a cloud service-account key"
        elif path.endswith(".npmrc") and _NPM_TOKEN in data:
            scan.content_reasons[path] = "an npm token"
        if not any(prefix in data for prefix in _TOKEN_PREFIXES) or _ANY_TOKEN.search(data) is None:
            continue
        for kind, pattern in TOKEN_PATTERNS:
            for match in pattern.finditer(data):
                secret = match.group().decode("ascii", errors="replace")
                if kind != "private key" and is_placeholder(secret):
                    continue
                line = data.count(b"\n", 0, match.start()) + 1
                scan.tokens.append((path, kind, line, secret))
    ctx._secret_scan = scan  # type: ignore[attr-defined]
    return scan


def check_risky_files(ctx: CheckContext) -> Iterator[Finding]:
    """SECRET001: files that hold credentials by their name (or, for JSON/.npmrc, content)."""
    by_content = _scan_uploads(ctx).content_reasons
    for path in ctx.files:
        reason = _risky_reason(path) or by_content.get(path)
        if reason is None:
            continue
        yield Finding(
            "SECRET001",
            ERROR,
            f"{path} is {reason} and would be published with the Space (the Hub only warns "
            "after the push): add it to .hfignore and put the values in Space secrets.",
            path,
        )


def check_tokens_in_files(ctx: CheckContext) -> Iterator[Finding]:
    """SECRET002: token patterns and private keys inside uploaded text files."""
    for path, kind, line, secret in _scan_uploads(ctx).tokens:
        yield Finding(
            "SECRET002",
            ERROR,
            f"{kind} ({mask(secret)}) in an uploaded file would be public: remove it, "
            "revoke it, and read it from a Space secret (an environment variable) instead.",
            path,
            line,
        )


def _public_assignments(text: str) -> Iterator[tuple[int, str, str]]:
    for match in _ASSIGNMENT.finditer(text):
        value = match.group("value")
        if is_placeholder(value) or _ANY_TOKEN.search(value.encode()):
            continue  # placeholders are fine; real token shapes are SECRET002 errors
        yield text.count("\n", 0, match.start()) + 1, match.group("name"), value


def check_public_secrets(ctx: CheckContext) -> Iterator[Finding]:
    """SECRET003: secret-looking values where everything is public: front matter, web, notebooks."""
    card = ctx.card or {}
    for key, value in card.items():
        lowered = str(key).lower()
        if isinstance(value, str) and any(w in lowered for w in ("token", "secret", "password",
                                                                   "api_key", "apikey")):  # fmt: skip
            if not is_placeholder(value) and len(value) >= 8:
                yield Finding(
                    "SECRET003",
                    WARNING,
                    f"front matter key '{key}' holds a secret-looking value ({mask(value)}); "
                    "the README is public: move it to a Space secret.",
                    "README.md",
                    ctx.card_lines.get(str(key)),
                )
    for path, size in ctx.files.items():
        if size > SCAN_MAX_BYTES:
            continue
        lowered = path.lower()
        where = None
        if lowered.endswith(".ipynb"):
            where = "notebook"
        elif lowered.endswith(PUBLIC_SUFFIXES) and (ctx.sdk == "static" or "/" not in path):
            where = "browser code"
        if where is None:
            continue
        text = ctx.read_text(path)
        if not text:
            continue
        for line, name, value in _public_assignments(text):
            yield Finding(
                "SECRET003",
                WARNING,
                f"{name} = {mask(value)} in {where} is public once uploaded: read it from a "
                "Space secret on the server side instead.",
                path,
                line,
            )


def first_token(path: str) -> tuple[str, int, str] | None:
    """(kind, line, secret) of the first real token in the text file at `path`, or None."""
    data = _read(path)
    if data is None or len(data) > SCAN_MAX_BYTES or b"\x00" in data[:8192]:
        return None
    if not any(prefix in data for prefix in _TOKEN_PREFIXES) or _ANY_TOKEN.search(data) is None:
        return None
    for kind, pattern in TOKEN_PATTERNS:
        for match in pattern.finditer(data):
            secret = match.group().decode("ascii", errors="replace")
            if kind == "private key" or not is_placeholder(secret):
                return kind, data.count(b"\n", 0, match.start()) + 1, secret
    return None


def check_git_history(ctx: CheckContext) -> Iterator[Finding]:
    """SECRET004: a git checkout's history keeps secrets that the current files no longer have."""
    # `.git` is a folder in a clone and a file in a worktree or submodule.
    if not (ctx.root / ".git").exists():
        return
    yield Finding(
        "SECRET004",
        INFO,
        "this folder is a git checkout: spacetui uploads only the current files over HTTP, "
        "never .git or the history, but a `git push` to the Space sends every commit, with any "
        "secret deleted since: scan the history first (gitleaks git, trufflehog git).",
    )


SECRET_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_risky_files,
    check_tokens_in_files,
    check_public_secrets,
]

#: Checks `spacetui check` runs but a deploy does not: the deploy engine blocks on every SECRET*
#: id whatever its severity, and SECRET004 is only advice (see registry.REPORT_ONLY_CHECKS).
REPORT_ONLY_SECRET_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_git_history,
]
