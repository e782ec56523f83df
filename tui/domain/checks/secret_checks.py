"""SECRET001–SECRET005: credentials that would be published with the Space, git history, links out.

Messages name the file, the line and the kind of secret with a masked prefix (`hf_Ab…`); the
secret itself never appears in a finding.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from tui.domain import secret_scan
from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity
from tui.domain.secret_shapes import is_placeholder as _token_placeholder
from tui.domain.upload_set import shown_name

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

#: Token kinds and patterns live in `tui.domain.secret_scan` (hand-written: measured against
#: detect-secrets' plugins in benchmarks/bench_secrets.py, see docs/security.md).
TOKEN_PATTERNS = secret_scan.TOKEN_PATTERNS
#: Files larger than this are not read by SECRET003 (a warning about public assignments).
SCAN_MAX_BYTES = 2_000_000

#: (glob on the file name, reason). Matched against the name and, with a slash, the path.
RISKY_FILES: tuple[tuple[str, str], ...] = (
    (".env", "an environment file"),
    (".env.*", "an environment file"),
    ("*.env", "an environment file"),
    (".envrc", "an environment file"),
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
    """True for values that obviously are not real secrets (`hf_xxxx…`, `<your token>`).

    Judged by structure and entropy (`tui.domain.secret_shapes`), never by a word that a random
    token may hold by chance.
    """
    return _token_placeholder(value)


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
    if (name.startswith(".env") or ".env" in name) and name.endswith(SAFE_ENV_SUFFIXES):
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


def _head(path: str, limit: int) -> bytes | None:
    """The first `limit` bytes of the regular file at `path`, or None (FIFOs are never opened)."""
    from tui.domain.upload_set import open_regular

    try:
        fd = open_regular(path)
    except OSError:
        return None
    if fd is None:
        return None
    with open(fd, "rb") as handle:
        return handle.read(limit)


def _scan_uploads(ctx: CheckContext) -> _Scan:
    """The secrets found in the very bytes the upload set read; cached on the context."""
    cached = getattr(ctx, "_secret_scan", None)
    if isinstance(cached, _Scan):
        return cached
    scan = _Scan()
    root = str(ctx.root)
    by_path = {f.path: f for f in ctx.upload_set.files} if ctx.upload_set is not None else {}
    for path in ctx.files:
        upload = by_path.get(path)
        if upload is not None and upload.sha256 is not None:
            hits = upload.secrets
        else:  # a hand-built context: read the file now, whole
            hits = tuple(
                secret_scan.scan_chunks(
                    secret_scan.read_chunks(os.path.join(root, path)), name=path
                )
            )
        for hit in hits:
            scan.tokens.append((path, hit.kind, hit.line, hit.secret))
        lowered = path.lower()
        if lowered.endswith((".json", ".npmrc")):
            data = _head(os.path.join(root, path), SCAN_MAX_BYTES) or b""
            if lowered.endswith(".json") and _SERVICE_ACCOUNT.search(data):
                scan.content_reasons[path] = "a cloud service-account key"
            elif lowered.endswith(".npmrc") and _NPM_TOKEN in data:
                scan.content_reasons[path] = "an npm token"
    # A per-context cache the other secret checks read; CheckContext declares no field for it.
    ctx._secret_scan = scan  # type: ignore[attr-defined]
    return scan


def _only_certificates(ctx: CheckContext, path: str) -> bool:
    """True for a `.pem`/`.crt` holding public certificates and no private key (Gradio's CA)."""
    if not path.lower().endswith((".pem", ".crt")):
        return False
    if any(p == path and kind == "private key" for p, kind, _, _ in _scan_uploads(ctx).tokens):
        return False
    head = _head(os.path.join(str(ctx.root), path), SCAN_MAX_BYTES) or b""
    return b"-----BEGIN CERTIFICATE-----" in head and b"PRIVATE KEY" not in head


def check_risky_files(ctx: CheckContext) -> Iterator[Finding]:
    """SECRET001: files that hold credentials by their name (or, for JSON/.npmrc, content)."""
    by_content = _scan_uploads(ctx).content_reasons
    for path in ctx.files:
        reason = _risky_reason(path) or by_content.get(path) or _risky_target(ctx, path)
        if reason is None or _only_certificates(ctx, path):
            continue
        yield Finding(
            "SECRET001",
            ERROR,
            f"{shown_name(path)} is {reason} and would be published with the Space (the Hub "
            "only warns after the push): add it to .hfignore and put the values in Space secrets.",
            path,
        )


def _risky_target(ctx: CheckContext, path: str) -> str | None:
    """For a symlink, the verdict on its target's name: `config.txt -> .env` is an env file."""
    upload = ctx.upload_set.get(path) if ctx.upload_set is not None else None
    if upload is None or not upload.is_symlink:
        return None
    root = os.path.realpath(ctx.root)
    target = os.path.relpath(os.path.realpath(upload.local_path), root).replace(os.sep, "/")
    reason = _risky_reason(target)
    return f"a link to {target}, {reason}" if reason else None


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
        if is_placeholder(value) or any(secret_scan.scan_bytes(value.encode())):
            continue  # placeholders are fine; real token shapes are SECRET002 errors
        yield text.count("\n", 0, match.start()) + 1, match.group("name"), value


def check_public_secrets(ctx: CheckContext) -> Iterator[Finding]:
    """SECRET003: secret-looking values where everything is public: front matter, web, notebooks."""
    card = ctx.card or {}
    for key, value in card.items():
        lowered = str(key).lower()
        if isinstance(value, str) and any(
            w in lowered for w in ("token", "secret", "password", "api_key", "apikey")
        ):
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
    """(kind, line, secret) of the first real token in the file at `path`, or None."""
    from tui.domain.upload_set import open_regular

    try:
        fd = open_regular(path)
    except OSError:
        return None
    if fd is None:
        return None
    os.close(fd)
    for hit in secret_scan.scan_chunks(secret_scan.read_chunks(path), name=path):
        return hit.kind, hit.line, hit.secret
    return None


def check_links_not_followed(ctx: CheckContext) -> Iterator[Finding]:
    """SECRET005: symlinks that are never followed: out of the folder, or into /proc, /sys, /dev."""
    from tui.domain.upload_set import OUTSIDE_REASON, SYSTEM_REASON

    entries = ctx.upload_set.excluded if ctx.upload_set is not None else ()
    for entry in entries:
        if entry.reason not in (OUTSIDE_REASON, SYSTEM_REASON):
            continue
        where = (
            "outside the folder" if entry.reason == OUTSIDE_REASON else "into /proc, /sys or /dev"
        )
        yield Finding(
            "SECRET005",
            INFO,
            f"{shown_name(entry.path)} is a symlink {where}; it is never uploaded (its target "
            "could hold credentials): copy the file into the folder if the Space needs it.",
            entry.path,
        )


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
    check_links_not_followed,
]

#: Checks `spacetui check` runs but a deploy does not: the deploy engine blocks on every SECRET*
#: id whatever its severity, and SECRET004 is only advice (see registry.REPORT_ONLY_CHECKS).
REPORT_ONLY_SECRET_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_git_history,
]
