"""FILES002–FILES011: what is in the upload set: forbidden paths, counts, sizes, links, bloat."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity
from tui.domain.units import format_bytes
from tui.domain.upload_set import DANGLING_REASON, SYMLINK_DIR_REASON
from tui.domain.wording import counted

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
KB, MB, GB = 1024, 1024**2, 1024**3

MAX_ENTRIES_PER_FOLDER = 10_000
MANY_FILES = 100_000
TEXT_LFS_BYTES = 10 * MB
BINARY_LFS_BYTES = 1 * MB
HARD_FILE_LIMIT = 500 * GB
SPLIT_FILE_SIZE = 200 * GB
LARGE_FILES_BUDGET = 1 * GB
PRIVATE_QUOTA_HINT = 10 * GB
MAX_LISTED = 10

#: Directory names that are local-only state and should not be uploaded.
BLOAT_DIRS = (
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".ipynb_checkpoints",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "wandb",
    "mlruns",
    ".tox",
)
#: Names that count as bloat only at the root (elsewhere they may be real code).
ROOT_BLOAT_DIRS = ("dist", "build")
BLOAT_SUFFIXES = (".pyc", ".log")
BLOAT_NAMES = (".DS_Store", "Thumbs.db")

#: Files the Hub and the build look up by exact name.
SPECIAL_FILES = ("Dockerfile", "requirements.txt", "packages.txt", "pre-requirements.txt")


def check_forbidden_paths(ctx: CheckContext) -> Iterator[Finding]:
    """FILES002: no uploaded path goes through a .git or .cache folder, or has a '..' part."""
    for path in ctx.files:
        if ".git" not in path and ".cache" not in path and ".." not in path:
            continue  # the common case, without splitting every path
        parts = path.split("/")
        bad = next((p for p in parts[:-1] if p in (".git", ".cache", "..")), None)
        if bad is None and parts[-1] == "..":
            bad = ".."
        if bad is None:
            continue
        yield Finding(
            "FILES002",
            ERROR,
            f"huggingface_hub refuses to upload files under a '{bad}' folder ({path}) and "
            f"aborts the whole upload: add '{bad}/' to .hfignore or move the file.",
            path,
        )


def check_counts(ctx: CheckContext) -> Iterator[Finding]:
    """FILES003: at most 10,000 entries in one folder; warn above 100,000 files in total."""
    per_folder: Counter[str] = Counter()
    subfolders: defaultdict[str, set[str]] = defaultdict(set)
    for path in ctx.files:
        parent, _, _ = path.rpartition("/")
        per_folder[parent] += 1
        while parent:
            grand, _, name = parent.rpartition("/")
            if name in subfolders[grand]:
                break
            subfolders[grand].add(name)
            parent = grand
    for folder in sorted(set(per_folder) | set(subfolders)):
        entries = per_folder[folder] + len(subfolders[folder])
        if entries > MAX_ENTRIES_PER_FOLDER:
            yield Finding(
                "FILES003",
                ERROR,
                f"folder '{folder or '.'}' has {entries} entries; the Hub allows at most "
                f"{MAX_ENTRIES_PER_FOLDER:,} per folder: split it into subfolders.",
                folder or None,
            )
    if len(ctx.files) > MANY_FILES:
        yield Finding(
            "FILES003",
            WARNING,
            f"the upload has {len(ctx.files):,} files; above {MANY_FILES:,} the Hub degrades: "
            "pack small files into archives or a dataset repo.",
        )


def _is_binary(ctx: CheckContext, path: str) -> bool:
    try:
        with open(ctx.root / path, "rb") as handle:
            return b"\x00" in handle.read(8192)
    except OSError:
        return False


def _large_files(ctx: CheckContext) -> list[tuple[str, int, bool]]:
    """(path, size, is_binary) of every file that goes through Xet/LFS."""
    found = []
    for path, size in ctx.files.items():
        if size < BINARY_LFS_BYTES:
            continue
        binary = _is_binary(ctx, path)
        if binary or size > TEXT_LFS_BYTES:
            found.append((path, size, binary))
    return found


def check_large_files(ctx: CheckContext) -> Iterator[Finding]:
    """FILES004 (large or binary files go to Xet/LFS) and FILES006 (>1 GB of them)."""
    large = sorted(_large_files(ctx), key=lambda item: -item[1])
    for path, size, binary in large[:MAX_LISTED]:
        kind = "binary file" if binary else "text file over 10 MB"
        yield Finding(
            "FILES004",
            INFO,
            f"{kind} of {format_bytes(size)}: spacetui deploy uploads it through Xet/LFS "
            "automatically; a plain git push would be rejected unless .gitattributes tracks "
            "it with LFS/Xet.",
            path,
        )
    if len(large) > MAX_LISTED:
        yield Finding(
            "FILES004",
            INFO,
            f"{len(large) - MAX_LISTED} more large or binary files also go through Xet/LFS.",
        )
    total = sum(size for _, size, _ in large)
    if total > LARGE_FILES_BUDGET:
        yield Finding(
            "FILES006",
            WARNING,
            f"{format_bytes(total)} of large files; Space repos are reported to stop at about "
            "1 GB of LFS/Xet storage (history included): keep weights in a model repo and use "
            "preload_from_hub or download them at startup.",
        )


def check_file_size_limits(ctx: CheckContext) -> Iterator[Finding]:
    """FILES005: no file over 500 GB; warn over 200 GB."""
    for path, size in ctx.files.items():
        if size > HARD_FILE_LIMIT:
            yield Finding(
                "FILES005",
                ERROR,
                f"{format_bytes(size)} is over the Hub's 500 GB per-file limit: split the file.",
                path,
            )
        elif size > SPLIT_FILE_SIZE:
            yield Finding(
                "FILES005",
                WARNING,
                f"{format_bytes(size)} is over 200 GB, where uploads get unreliable: "
                "split the file into parts.",
                path,
            )


def check_private_quota(ctx: CheckContext) -> Iterator[Finding]:
    """FILES007: a big upload counts against the private storage quota if the Space is private."""
    total = sum(ctx.files.values())
    if total > PRIVATE_QUOTA_HINT:
        yield Finding(
            "FILES007",
            INFO,
            f"the upload is {format_bytes(total)}: for a private Space this counts against the "
            "private storage quota (100 GB on free accounts).",
        )


def check_symlinks(ctx: CheckContext) -> Iterator[Finding]:
    """FILES008: symlinked folders and dangling links are silently skipped by huggingface_hub."""
    for path, reason in ctx.excluded.items():
        if reason == SYMLINK_DIR_REASON:
            yield Finding(
                "FILES008",
                WARNING,
                f"'{path}' is a symlinked folder; huggingface_hub skips it, so none of its "
                "files reach the Space: copy the folder in instead of linking it.",
                path,
            )
        elif reason == DANGLING_REASON:
            yield Finding(
                "FILES008",
                WARNING,
                f"'{path}' is a symlink to nothing; it is skipped: fix or remove the link.",
                path,
            )
    upload_set = ctx.upload_set
    if upload_set is None:
        return
    for upload in upload_set.files:
        if upload.is_symlink:
            yield Finding(
                "FILES008",
                INFO,
                f"'{upload.path}' is a symlink; it is uploaded as a full copy of "
                f"{os.path.basename(os.path.realpath(upload.local_path))}.",
                upload.path,
            )


#: A cheap pre-filter: only paths this matches can be bloat.
_MAYBE_BLOAT = re.compile(
    "|".join(re.escape(n) for n in (*BLOAT_DIRS, *ROOT_BLOAT_DIRS, *BLOAT_NAMES, *BLOAT_SUFFIXES))
)


def _bloat_of(path: str) -> str | None:
    """The local-only folder or kind of file `path` belongs to, or None."""
    if _MAYBE_BLOAT.search(path) is None:
        return None
    parts = path.split("/")
    for index, part in enumerate(parts[:-1]):
        if part in BLOAT_DIRS or (index == 0 and part in ROOT_BLOAT_DIRS):
            return "/".join(parts[: index + 1]) + "/"
    name = parts[-1]
    if name in BLOAT_NAMES:
        return name
    for suffix in BLOAT_SUFFIXES:
        if name.endswith(suffix):
            return "*" + suffix
    return None


#: Bloat that can break a build (host-native binaries, a venv shadowing the image's packages);
#: the rest (logs, .DS_Store, caches) only slows the upload.
_BREAKING_BLOAT = frozenset({".venv/", "venv/", "env/", "node_modules/"})


def check_bloat(ctx: CheckContext) -> Iterator[Finding]:
    """FILES009: virtualenvs, node_modules, caches, logs and build output are not uploaded."""
    card = ctx.card or {}
    declared = card.get("app_file")
    app_file = declared if isinstance(declared, str) else ""
    groups: dict[str, list[str]] = {}
    for path in ctx.files:
        group = _bloat_of(path)
        if group is None or (group.endswith("/") and app_file.startswith(group)):
            continue
        groups.setdefault(group, []).append(path)
    for group, paths in sorted(groups.items()):
        size = sum(ctx.files[p] for p in paths)
        yield Finding(
            "FILES009",
            WARNING if group.rstrip("/").rsplit("/", 1)[-1] + "/" in _BREAKING_BLOAT else INFO,
            f"{counted(len(paths), 'local-only file')} ({group}, {format_bytes(size)}) would be uploaded "
            f"and slow down the upload and build: add '{group}' to .hfignore.",
            paths[0] if len(paths) == 1 else group,
        )


def check_case(ctx: CheckContext) -> Iterator[Finding]:
    """FILES010: special files spelled exactly; no two paths that differ only by case."""
    root_names = {p for p in ctx.files if "/" not in p}
    for name in root_names:
        for special in SPECIAL_FILES:
            if name != special and name.lower() == special.lower() and special not in root_names:
                if special == "Dockerfile" and ctx.sdk == "docker":
                    continue  # DOCKER001 reports the Dockerfile of a Docker Space
                yield Finding(
                    "FILES010",
                    ERROR,
                    f"'{name}' must be spelled exactly '{special}' (the Hub and the build are "
                    f"case-sensitive): rename it.",
                    name,
                )
    by_lower: defaultdict[str, list[str]] = defaultdict(list)
    for path in ctx.files:
        by_lower[path.lower()].append(path)
    for paths in by_lower.values():
        if len(paths) > 1:
            paths.sort()
            yield Finding(
                "FILES010",
                WARNING,
                f"{' and '.join(paths)} differ only by case; they collide on macOS and Windows "
                "checkouts: rename one.",
                paths[0],
            )


def check_readme_encoding(ctx: CheckContext) -> Iterator[Finding]:
    """FILES011: README.md is valid UTF-8 (huggingface_hub reads it before uploading)."""
    if "README.md" not in ctx.files:
        return
    try:
        data = (ctx.root / "README.md").read_bytes()
    except OSError:
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        yield Finding(
            "FILES011",
            ERROR,
            f"README.md is not valid UTF-8 (byte {exc.start}), so huggingface_hub fails with "
            "UnicodeDecodeError before uploading: re-save it as UTF-8.",
            "README.md",
            line,
        )


FILES_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_forbidden_paths,
    check_counts,
    check_large_files,
    check_file_size_limits,
    check_private_quota,
    check_symlinks,
    check_bloat,
    check_case,
    check_readme_encoding,
]
