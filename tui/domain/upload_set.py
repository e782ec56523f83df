"""The exact files a deploy uploads from a Space folder, and why every other file is left out.

The walk mirrors huggingface_hub's `upload_folder` (`_prepare_upload_folder_additions`): symlinked
files are followed and uploaded as copies, symlinked directories and dangling links are skipped,
and `DEFAULT_IGNORE_PATTERNS` (`.git`, `.cache/huggingface`) are always dropped. On top of that come
the folder's `.hfignore` (gitignore semantics) and a simulation of the Hub's server-side root
`.gitignore`, which makes the Hub silently skip matching files.

Unlike huggingface_hub, a symlink whose target leaves the folder, or lands in `/proc`, `/sys` or
`/dev`, is never followed (a link to `/proc/self/environ` would publish the deploy's own token),
and each uploaded file is read once, here: its size is the bytes read (never a `stat` size, which
is 0 for `/proc` files), its sha256 and secret scan come from the same bytes, so the commit can
refuse a file that changed since (`tui.domain.upload_verify`). When the folder's stat cache is
active (`tui.domain.stat_cache.using`, as a deploy makes it), a file whose entry still matches its
`stat` and holds a clean verdict under the current secret-scan rules is not read: its sha256 and
verdict come from the cache, and `from_cache` says so, so a file that must be sent is read and
scanned again from the bytes sent (`tui.domain.upload_verify`). A cached verdict with findings is
read again, so the finding is reported as a fresh one is.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tui.domain.errors import UsageError
from tui.domain.hfignore import IgnoreFile, IgnoreRule
from tui.domain.secret_scan import CHUNK_BYTES, SecretHit, scan_chunks
from tui.domain.stat_cache import StatCache, active_for

if TYPE_CHECKING:
    from collections.abc import Iterator

#: huggingface_hub's `utils._paths.DEFAULT_IGNORE_PATTERNS`, copied so a `check` does not pay for
#: importing huggingface_hub; a test pins the two lists together.
DEFAULT_IGNORE_PATTERNS = [
    ".git",
    ".git/*",
    "*/.git",
    "**/.git/**",
    ".cache/huggingface",
    ".cache/huggingface/*",
    "*/.cache/huggingface",
    "**/.cache/huggingface/**",
]

HFIGNORE = ".hfignore"
GITIGNORE = ".gitignore"
SERVER_GITIGNORE_SOURCE = "server-side .gitignore"
REMOTE_GITIGNORE_SOURCE = "server-side .gitignore (remote)"

SYMLINK_DIR_REASON = "symlinked directory (huggingface_hub skips these)"
DANGLING_REASON = "dangling symlink (huggingface_hub skips these)"
SPECIAL_REASON = "not a regular file (huggingface_hub skips these)"
UNREADABLE_REASON = "unreadable directory"
OUTSIDE_REASON = "symlink to a file outside the folder (never uploaded)"
SYSTEM_REASON = "symlink into /proc, /sys or /dev (never uploaded)"
#: Link targets under these are never read: their stat size lies (0) and their bytes are secrets.
SYSTEM_DIRS = ("/proc", "/sys", "/dev")
#: Files up to this size also get their git blob id while read (the Hub's regular-file limit:
#: larger files are LFS, compared by sha256).
GIT_BLOB_MAX_BYTES = 10 * 1024 * 1024
#: Characters a repo path may not hold: they fake lines in a review, and the Hub rejects them.
_BAD_NAME_CHARS = frozenset(chr(c) for c in range(32)) | {"\x7f", "\\"}
#: The same characters and the surrogates that stand for bytes that are not UTF-8, as one regex:
#: a generator over each character of 10,000 names took 0.1 s of an unchanged re-deploy.
_BAD_NAME = re.compile("[\x00-\x1f\x7f\\\\\udc80-\udcff]")


@dataclass(frozen=True, slots=True, init=False)
class UploadFile:
    """One file that will be uploaded: its path in the repo, where it is on disk, its size."""

    path: str
    _local: str = field(repr=False)
    size: int
    is_symlink: bool = False
    sha256: str | None = None
    secrets: tuple[SecretHit, ...] = ()
    from_cache: bool = False
    git_sha1: str | None = None

    def __init__(
        self,
        path: str,
        local_path: Path | str,
        size: int,
        *,
        is_symlink: bool = False,
        sha256: str | None = None,
        secrets: tuple[SecretHit, ...] = (),
        from_cache: bool = False,
        git_sha1: str | None = None,
    ) -> None:
        object.__setattr__(self, "path", path)
        # Kept as a string: building 20,000 Path objects costs more than the whole match.
        object.__setattr__(self, "_local", os.fspath(local_path))
        object.__setattr__(self, "size", size)
        # A symlinked file is uploaded as a full copy of its target.
        object.__setattr__(self, "is_symlink", is_symlink)
        # The sha256 of the bytes read (and scanned) when the set was built; None if never read.
        object.__setattr__(self, "sha256", sha256)
        object.__setattr__(self, "secrets", secrets)
        # True when sha256 and the (clean) scan verdict came from the stat cache, not a read:
        # such a file is read and scanned again before it is sent.
        object.__setattr__(self, "from_cache", from_cache)
        # The git blob id, computed in the same read (small files) or known to the stat cache:
        # the plan then needs no read.
        object.__setattr__(self, "git_sha1", git_sha1)

    @property
    def local_path(self) -> Path:
        """Where the file is on disk (a symlink is read through, as huggingface_hub does)."""
        return Path(self._local)

    @property
    def local(self) -> str:
        """`local_path` as a string (no Path built: 10,000 of them cost a re-deploy ~50 ms)."""
        return self._local


@dataclass(frozen=True, slots=True)
class ExcludedFile:
    """A path left out of the upload and the reason; a path ending in `/` is a whole directory."""

    path: str
    reason: str
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class UploadSet:
    """The files of one folder that a deploy sends, plus everything left out."""

    root: Path
    files: tuple[UploadFile, ...]
    excluded: tuple[ExcludedFile, ...]
    #: The folders the walk listed ("" for the root), in walk order: every entry in them was seen
    #: (kept or left out); every other folder was skipped whole. Empty when not from a walk.
    walked: tuple[str, ...] = ()
    _by_path: dict[str, UploadFile] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_path.update((f.path, f) for f in self.files)

    @property
    def total_bytes(self) -> int:
        """The sum of the sizes of the uploaded files."""
        return sum(f.size for f in self.files)

    def paths(self) -> list[str]:
        """The repo paths of the uploaded files, in upload order."""
        return [f.path for f in self.files]

    def __contains__(self, path: object) -> bool:
        return path in self._by_path

    def get(self, path: str) -> UploadFile | None:
        """The uploaded file at `path`, or None."""
        return self._by_path.get(path)

    def exclusion_of(self, path: str) -> ExcludedFile | None:
        """Why `path` is not uploaded: its own entry, or that of an excluded parent directory."""
        for entry in self.excluded:
            if entry.path == path or (entry.path.endswith("/") and path.startswith(entry.path)):
                return entry
        return None


def _always_skipped(parent: str, name: str) -> str | None:
    """The DEFAULT_IGNORE_PATTERNS verdict for entry `name` of an already accepted `parent`."""
    if name == ".git":
        return "always skipped: .git/"
    if name == "huggingface" and (parent == ".cache" or parent.endswith("/.cache")):
        return "always skipped: .cache/huggingface/"
    return None


def _read_ignore(path: Path, source: str) -> IgnoreFile | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return IgnoreFile.from_text(data.decode("utf-8", errors="replace"), source=source)


def _excluded_by_rule(path: str, rule: IgnoreRule) -> ExcludedFile:
    return ExcludedFile(path, rule.describe(), rule.source, rule.line)


def _link_verdict(link: str, real_root: str) -> str | None:
    """Why the file symlink `link` is not followed, or None when its target may be uploaded."""
    target = os.path.realpath(link)
    if any(target == d or target.startswith(d + "/") for d in SYSTEM_DIRS):
        return SYSTEM_REASON
    if not (target == real_root or target.startswith(real_root.rstrip("/") + "/")):
        return OUTSIDE_REASON
    return None


class _Found(NamedTuple):
    """A file the walk kept, not yet read (a tuple: the walk finds 10,000s of them)."""

    path: str
    local: str
    is_symlink: bool


def _walk(
    root: Path, hfignore: IgnoreFile | None
) -> tuple[list[_Found], list[ExcludedFile], list[str]]:
    """Depth-first scandir walk that never enters a skipped or ignored directory; also returns
    the folders it listed."""
    real_root = os.path.realpath(root)
    files: list[_Found] = []
    excluded: list[ExcludedFile] = []
    walked: list[str] = []
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        directory, parent = stack.pop()
        walked.append(parent)
        prefix = parent + "/" if parent else ""
        try:
            with os.scandir(directory) as it:
                entries = list(it)
        except OSError:
            excluded.append(ExcludedFile(prefix or "./", UNREADABLE_REASON))
            continue
        for entry in entries:
            name = entry.name
            rel = prefix + name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir()  # follows symlinks
                is_file = not is_dir and entry.is_file()
            except OSError:
                excluded.append(ExcludedFile(rel, DANGLING_REASON))
                continue
            if is_link and not is_dir:
                verdict = _link_verdict(entry.path, real_root)
                if verdict is not None:
                    excluded.append(ExcludedFile(rel, verdict))
                    continue
            reason = _always_skipped(parent, name)
            if reason is not None:
                excluded.append(ExcludedFile(rel + "/" if is_dir else rel, reason))
                continue
            if hfignore:
                rule = hfignore.excludes(rel, is_dir=is_dir)
                if rule is not None:
                    excluded.append(_excluded_by_rule(rel + "/" if is_dir else rel, rule))
                    continue
            if is_dir:
                if is_link:
                    excluded.append(ExcludedFile(rel + "/", SYMLINK_DIR_REASON))
                else:
                    stack.append((entry.path, rel))
            elif is_file:
                # The size is the bytes read later (`_read_all`): a stat size can lie.
                files.append(_Found(rel, entry.path, is_link))
            elif is_link:
                excluded.append(ExcludedFile(rel, DANGLING_REASON))
            else:
                excluded.append(ExcludedFile(rel, SPECIAL_REASON))
    return files, excluded, walked


def collect_upload_set(root: Path, *, remote_gitignore: str | None = None) -> UploadSet:
    """Walk `root` as huggingface_hub would, then apply `.hfignore` and the server's `.gitignore`.

    `remote_gitignore` is the Space's current root `.gitignore` on the Hub; it is used only when
    the folder has no `.gitignore` of its own to upload (an uploaded one replaces it).
    Raises UsageError when `root` is not a readable folder.
    """
    root = Path(root)
    try:
        mode = root.stat().st_mode
    except OSError as exc:
        raise UsageError(f"{root}: no such folder") from exc
    if not stat.S_ISDIR(mode):
        raise UsageError(f"{root}: not a folder")
    hfignore_path = root / HFIGNORE
    hfignore = _read_ignore(hfignore_path, HFIGNORE) if hfignore_path.is_file() else None
    files, excluded, walked = _walk(root, hfignore)

    uploaded = {f.path for f in files}
    gitignore: IgnoreFile | None = None
    if GITIGNORE in uploaded:
        gitignore = _read_ignore(root / GITIGNORE, SERVER_GITIGNORE_SOURCE)
    elif remote_gitignore is not None:
        gitignore = IgnoreFile.from_text(remote_gitignore, source=REMOTE_GITIGNORE_SOURCE)
    if gitignore:
        kept: list[_Found] = []
        for found in files:
            rule = gitignore.excludes_path(found.path)
            if rule is None:
                kept.append(found)
            else:
                excluded.append(_excluded_by_rule(found.path, rule))
        files = kept

    uploads, specials = _read_all(files, active_for(root))
    excluded.extend(specials)
    uploads.sort(key=attrgetter("path"))
    excluded.sort(key=attrgetter("path"))
    return UploadSet(
        root=root, files=tuple(uploads), excluded=tuple(excluded), walked=tuple(walked)
    )


def without_remote_ignored(upload_set: UploadSet, remote_gitignore: str) -> UploadSet:
    """`upload_set` less the files the Space's own root `.gitignore` makes the Hub skip.

    The files are not read again: what was scanned stays what is uploaded.
    """
    if GITIGNORE in upload_set:
        return upload_set  # the uploaded .gitignore replaces the remote one
    gitignore = IgnoreFile.from_text(remote_gitignore, source=REMOTE_GITIGNORE_SOURCE)
    kept: list[UploadFile] = []
    excluded = list(upload_set.excluded)
    for upload in upload_set.files:
        rule = gitignore.excludes_path(upload.path)
        if rule is None:
            kept.append(upload)
        else:
            excluded.append(_excluded_by_rule(upload.path, rule))
    excluded.sort(key=attrgetter("path"))
    return UploadSet(
        root=upload_set.root, files=tuple(kept), excluded=tuple(excluded), walked=upload_set.walked
    )


def shown_name(path: str) -> str:
    """`path` safe to print: control characters, backslashes and bad bytes escaped visibly."""
    return ascii(path) if _BAD_NAME.search(path) else path


def refuse_unsafe_names(upload_set: UploadSet) -> None:
    """Raise UsageError for a name the review could not show or the Hub store (deploys only).

    Called before the review and before anything is created on the Hub; `check` still lists
    such files, escaped (`shown_name`).
    """
    for upload in upload_set.files:
        path = upload.path
        if not _BAD_NAME.search(path):
            continue
        if any(c in _BAD_NAME_CHARS for c in path):
            what = "a backslash" if "\\" in path else "a control character (newline, tab…)"
        elif any("\udc80" <= c <= "\udcff" for c in path):
            what = "bytes that are not UTF-8"
        else:
            continue
        raise UsageError(
            f"The file name {ascii(path)} holds {what}, which a Space cannot store: "
            "rename it, or add it to .hfignore."
        )


def open_regular(path: str) -> int | None:
    """A read descriptor on the regular file at `path`, or None when it is anything else.

    O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    Raises OSError when the file exists but cannot be opened (permissions).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        os.set_blocking(fd, True)
    except OSError:
        os.close(fd)
        raise
    return fd


def _from_cache(upload: _Found, local: str, cache: StatCache, now_ns: int) -> UploadFile | None:
    """`upload` as the cache knows it, when its entry matches and its verdict is clean."""
    try:
        st = os.stat(local)
    except OSError:
        return None  # the read reports it
    if not stat.S_ISREG(st.st_mode):
        return None
    known = cache.scan_of(upload.path, st, now_ns=now_ns)
    if known is None or known[1]:
        return None  # unknown, or a finding: read, so it is reported from the bytes as they are
    cache.hits += 1
    return UploadFile(
        upload.path,
        upload.local,
        st.st_size,
        is_symlink=upload.is_symlink,
        sha256=known[0],
        from_cache=True,
        git_sha1=known[2],
    )


def _read_one(upload: _Found, cache: StatCache | None = None, now_ns: int = 0) -> UploadFile | None:
    """`upload` with its real size, sha256 and secrets, read once; None when not a regular file.

    With a `cache`, a file it answers for is not read, and a file read is remembered in it.
    """
    local = upload.local
    # The link was judged when walked; judge the final target again (a link may be swapped).
    if upload.is_symlink:
        local = os.path.realpath(local)
        if any(local == d or local.startswith(d + "/") for d in SYSTEM_DIRS):
            return None
    if cache is not None:
        known = _from_cache(upload, local, cache, now_ns)
        if known is not None:
            return known
        cache.misses += 1
    try:
        fd = open_regular(local)
    except OSError as exc:
        reason = exc.strerror or "cannot be read"
        raise UsageError(
            f"{shown_name(upload.path)} cannot be read ({reason.lower()}): fix its permissions "
            "or add it to .hfignore."
        ) from exc
    if fd is None:
        return None
    before = os.fstat(fd)
    digest = hashlib.sha256()
    # The git blob id from the same read, for files small enough to be regular files on the Hub
    # (the plan compares those by blob id, larger ones by sha256): no second read to plan.
    blob = (
        hashlib.sha1(b"blob %d\0" % before.st_size)
        if before.st_size <= GIT_BLOB_MAX_BYTES
        else None
    )
    size = 0

    def chunks() -> Iterator[bytes]:
        nonlocal size
        with os.fdopen(fd, "rb", buffering=0) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                digest.update(chunk)
                if blob is not None:
                    blob.update(chunk)
                size += len(chunk)
                yield chunk

    try:
        secrets = tuple(scan_chunks(chunks(), name=upload.path))
    except OSError as exc:
        raise UsageError(
            f"{shown_name(upload.path)} could not be read to the end ({exc.strerror or exc}): "
            "deploy again, or add it to .hfignore."
        ) from exc
    sha256 = digest.hexdigest()
    # The header said st_size bytes: a file that read otherwise (/proc, a write) has no blob id.
    git_sha1 = blob.hexdigest() if blob is not None and size == before.st_size else None
    if cache is not None:
        cache.remember_scan(
            upload.path,
            local,
            before,
            size=size,
            sha256=sha256,
            git_sha1=git_sha1,
            verdict=tuple((hit.kind, hit.line) for hit in secrets),
            now_ns=now_ns,
        )
    return UploadFile(
        upload.path,
        upload.local,
        size,
        is_symlink=upload.is_symlink,
        sha256=sha256,
        secrets=secrets,
        git_sha1=git_sha1,
    )


def _read_all(
    files: list[_Found], cache: StatCache | None
) -> tuple[list[UploadFile], list[ExcludedFile]]:
    read: list[UploadFile] = []
    specials: list[ExcludedFile] = []
    now_ns = time.time_ns()
    for upload in files:
        done = _read_one(upload, cache, now_ns)
        if done is None:
            reason = SYSTEM_REASON if upload.is_symlink else SPECIAL_REASON
            specials.append(ExcludedFile(upload.path, reason))
        else:
            read.append(done)
    return read, specials
