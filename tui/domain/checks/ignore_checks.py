"""IGNORE001-003, IGNORE005-007: what `.hfignore` and the Hub's `.gitignore` leave out.

IGNORE004 (`.dockerignore` against COPY sources) needs the Dockerfile's COPY list and Docker's
own matching rules; it lives with the Docker checks, which also report COPY sources missing
from the upload set (DOCKER021) and so cover the COPY half of IGNORE002.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.needed_files import check_needed_files_kept
from tui.domain.hfignore import IgnoreFile, IgnoreRule
from tui.domain.upload_set import (
    GITIGNORE,
    HFIGNORE,
    REMOTE_GITIGNORE_SOURCE,
    SERVER_GITIGNORE_SOURCE,
    ExcludedFile,
)
from tui.domain.wording import counted

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
MAX_LISTED = 5
DOCKERIGNORE = ".dockerignore"
HUGGINGFACEIGNORE = ".huggingfaceignore"
_INCLUDE = re.compile(r"^\s*(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", re.MULTILINE)


def _exclusion(ctx: CheckContext, path: str) -> ExcludedFile | None:
    """Why `path` is not uploaded, from the upload set or the plain `excluded` mapping."""
    if ctx.upload_set is not None:
        return ctx.upload_set.exclusion_of(path)
    for excluded, reason in ctx.excluded.items():
        if excluded == path or (excluded.endswith("/") and path.startswith(excluded)):
            return ExcludedFile(excluded, reason)
    return None


def required_files(ctx: CheckContext) -> list[str]:
    """Files the Space cannot work without, whether or not they are in the upload set."""
    card = ctx.card or {}
    sdk = ctx.sdk
    required = ["README.md"]
    if sdk == "docker" or (sdk is None and ctx.is_file("Dockerfile")):
        required.append("Dockerfile")
    app_file = card.get("app_file")
    if sdk == "gradio":
        required.append(app_file if isinstance(app_file, str) else "app.py")
    elif sdk == "static" and not card.get("app_build_command"):
        required.append(app_file if isinstance(app_file, str) else "index.html")
    if sdk != "docker":
        required += ["requirements.txt", "packages.txt", "pre-requirements.txt"]
    # Files pulled in by `-r other.txt` / `-c constraints.txt` in an uploaded requirements file.
    for name in ("requirements.txt", "pre-requirements.txt"):
        if name in ctx.files:
            text = ctx.read_text(name) or ""
            required += [m.group(1) for m in _INCLUDE.finditer(text)]
    return list(dict.fromkeys(required))  # repeats dropped, first-seen order kept


def check_required_not_ignored(ctx: CheckContext) -> Iterator[Finding]:
    """IGNORE002 (.hfignore) / IGNORE003 (server .gitignore): a required file is left out."""
    for path in required_files(ctx):
        if path in ctx.files or not ctx.is_file(path):
            continue
        entry = _exclusion(ctx, path)
        if entry is None:
            continue
        if entry.source == HFIGNORE:
            yield Finding(
                "IGNORE002",
                ERROR,
                f"{path} is required but {entry.reason} excludes it, so the Space would be "
                f"broken by our own filter: remove that line or add '!{path}' after it.",
                HFIGNORE,
                entry.line,
            )
        elif entry.source in (SERVER_GITIGNORE_SOURCE, REMOTE_GITIGNORE_SOURCE):
            yield Finding(
                "IGNORE003",
                ERROR,
                f"{path} is required but the Hub's {entry.reason} makes it skip the file "
                "silently: remove that line from .gitignore (it applies on the Hub too).",
                GITIGNORE if entry.source == SERVER_GITIGNORE_SOURCE else None,
                entry.line,
            )


def check_server_gitignore(ctx: CheckContext) -> Iterator[Finding]:
    """IGNORE003 (info): which uploaded files the Hub's root .gitignore makes it skip."""
    required = set(required_files(ctx))
    by_rule: dict[tuple[str, int | None], list[str]] = {}
    upload_set = ctx.upload_set
    entries = (
        upload_set.excluded
        if upload_set is not None
        else [ExcludedFile(p, r) for p, r in ctx.excluded.items()]
    )
    for entry in entries:
        if entry.source not in (SERVER_GITIGNORE_SOURCE, REMOTE_GITIGNORE_SOURCE):
            continue
        if entry.path in required:
            continue  # reported as an error by check_required_not_ignored
        by_rule.setdefault((entry.reason, entry.line), []).append(entry.path)
    for (reason, line), paths in sorted(by_rule.items(), key=lambda kv: kv[0][1] or 0):
        listed = ", ".join(paths[:MAX_LISTED]) + (" ..." if len(paths) > MAX_LISTED else "")
        remote = REMOTE_GITIGNORE_SOURCE in reason
        where = (
            "the Space's .gitignore on the Hub (or upload your own .gitignore)"
            if remote
            else "the root .gitignore"
        )
        yield Finding(
            "IGNORE003",
            INFO,
            f"the Hub will skip {counted(len(paths), 'file')} because of {reason}: {listed}. If the "
            f"Space needs them, remove that line from {where}.",
            None if remote else GITIGNORE,
            line,
        )


def _hfignore(ctx: CheckContext) -> IgnoreFile | None:
    text = ctx.read_text(HFIGNORE) if ctx.is_file(HFIGNORE) else None
    return IgnoreFile.from_text(text, source=HFIGNORE) if text else None


def _glob_free(text: str) -> bool:
    return not any(c in text for c in "*?[")


def _fnmatch_difference(rule: IgnoreRule, excluded_deep: bool) -> str | None:
    """How huggingface_hub's fnmatch `ignore_patterns` would read `rule` differently, or None."""
    pattern = rule.pattern
    if rule.negated:
        return (
            "huggingface_hub's ignore_patterns have no '!' negation, so the files it "
            "re-includes would be dropped"
        )
    if pattern.startswith("/"):
        return (
            f"fnmatch never matches a leading '/', so '{pattern}' would exclude nothing "
            f"(write '{pattern.lstrip('/')}')"
        )
    body = pattern.rstrip("/")
    if excluded_deep and "/" not in body:
        if pattern.endswith("/"):
            return (
                f"'{pattern}' would only match a top-level folder (write '{body}/*' and "
                f"'*/{body}/*')"
            )
        if _glob_free(body):
            return f"'{pattern}' would only match that exact top-level path (add '*/{body}')"
    return None


def check_hfignore_portability(ctx: CheckContext) -> Iterator[Finding]:
    """IGNORE005: .hfignore lines that huggingface_hub's fnmatch patterns would read otherwise."""
    hfignore = _hfignore(ctx)
    if hfignore is None:
        return
    used: dict[int, bool] = {}
    entries = ctx.upload_set.excluded if ctx.upload_set is not None else []
    for entry in entries:
        if entry.source == HFIGNORE and entry.line is not None:
            deep = "/" in entry.path.rstrip("/")
            used[entry.line] = used.get(entry.line, False) or deep
    for rule in hfignore.rules:
        if not rule.negated and rule.line not in used:
            continue
        difference = _fnmatch_difference(rule, used.get(rule.line, False))
        if difference is None:
            continue
        yield Finding(
            "IGNORE005",
            WARNING,
            f"{difference}. spacetui deploy applies .hfignore with gitignore rules, but "
            "`hf upload --exclude` or upload_folder(ignore_patterns=...) with this line would "
            "upload a different set: deploy with spacetui, or adjust the line.",
            HFIGNORE,
            rule.line,
        )


def check_uploaded_gitignore(ctx: CheckContext) -> Iterator[Finding]:
    """IGNORE006: an uploaded .gitignore keeps filtering every later upload on the Hub."""
    if GITIGNORE in ctx.files:
        yield Finding(
            "IGNORE006",
            INFO,
            "this .gitignore is uploaded, and from then on the Hub applies it to every upload "
            "into this Space (files it matches are skipped silently): keep deploy-only "
            "exclusions in .hfignore instead.",
            GITIGNORE,
        )


def _count(entries: Iterable[ExcludedFile], *sources: str) -> str:
    count = sum(1 for e in entries if e.source in sources)
    return f"{count} excluded"


def check_ignore_sources(ctx: CheckContext) -> Iterator[Finding]:
    """IGNORE001: the ignore files that apply, in the order they apply, once two or more do.

    With a single ignore file there is no order to explain, and the clean scaffold of
    `spacetui init` (one .hfignore) stays at zero findings; the order matters once two apply.
    """
    entries = ctx.upload_set.excluded if ctx.upload_set is not None else ()
    layers: list[str] = []
    if ctx.is_file(HFIGNORE):
        layers.append(f".hfignore (spacetui's upload only; {_count(entries, HFIGNORE)})")
    if GITIGNORE in ctx.files:
        count = _count(entries, SERVER_GITIGNORE_SOURCE)
        layers.append(f"the root .gitignore (applied by the Hub on every upload; {count})")
    elif any(e.source == REMOTE_GITIGNORE_SOURCE for e in entries):
        count = _count(entries, REMOTE_GITIGNORE_SOURCE)
        layers.append(f"the Space's .gitignore on the Hub ({count})")
    docker = ctx.sdk == "docker" or (ctx.sdk is None and "Dockerfile" in ctx.files)
    if docker and DOCKERIGNORE in ctx.files:
        layers.append(".dockerignore (the Docker build context only, after the upload)")
    if len(layers) < 2:
        return
    builtin = sum(1 for e in entries if e.reason.startswith("always skipped"))
    yield Finding(
        "IGNORE001",
        INFO,
        f"ignore rules apply in this order: built-in (.git/, .cache/huggingface/; {builtin} "
        "excluded) → "
        + " → ".join(layers)
        + "; a path dropped by an earlier file never reaches a later one.",
    )


def _gitignore_keeps_out(ctx: CheckContext, path: str) -> bool:
    if not ctx.is_file(GITIGNORE):
        return False
    text = ctx.read_text(GITIGNORE) or ""
    return IgnoreFile.from_text(text, source=GITIGNORE).excludes_path(path) is not None


def check_ignore_file_readers(ctx: CheckContext) -> Iterator[Finding]:
    """IGNORE007: ignore files other tools do not read.

    `.huggingfaceignore` is read by nothing, so its patterns silently exclude nothing (warning).
    `.hfignore` is read by spacetui only; that matters when it is all that keeps a real token
    out of the Space, since `hf upload`, upload_folder and `git push` would publish it (info).
    Only excluded files named like credentials (SECRET001's names: `.env`, `*.pem`, ...) are read.
    """
    if ctx.is_file(HUGGINGFACEIGNORE):
        fix = "move its lines into .hfignore" if ctx.is_file(HFIGNORE) else "rename it to .hfignore"
        yield Finding(
            "IGNORE007",
            WARNING,
            ".huggingfaceignore is read by no tool (not spacetui, hf upload or upload_folder), "
            f"so every file it lists is uploaded, and the file itself too: {fix}.",
            HUGGINGFACEIGNORE,
        )
    if ctx.upload_set is None or not ctx.is_file(HFIGNORE):
        return
    from tui.domain.checks.secret_checks import first_token, mask, risky_reason

    reported = 0
    for entry in ctx.upload_set.excluded:
        if entry.source != HFIGNORE or entry.path.endswith("/") or reported >= MAX_LISTED:
            continue
        if risky_reason(entry.path) is None:
            continue  # only files named like credentials are read: .hfignore drops thousands
        found = first_token(str(ctx.root / entry.path))
        if found is None or _gitignore_keeps_out(ctx, entry.path):
            continue
        kind, _, secret = found
        reported += 1
        yield Finding(
            "IGNORE007",
            INFO,
            f"only .hfignore keeps {entry.path} ({kind} {mask(secret)}) out of the upload; "
            "hf upload, upload_folder and git push do not read .hfignore and would publish it: "
            "list it in .gitignore too, or keep the file outside the Space folder.",
            HFIGNORE,
            entry.line,
        )


IGNORE_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_ignore_sources,
    check_required_not_ignored,
    check_server_gitignore,
    check_uploaded_gitignore,
    check_hfignore_portability,
    check_ignore_file_readers,
    check_needed_files_kept,
]
