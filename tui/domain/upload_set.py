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
refuse a file that changed since (`tui.domain.upload_verify`).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain.errors import UsageError
from tui.domain.hfignore import IgnoreFile, IgnoreRule
from tui.domain.secret_scan import CHUNK_BYTES, SecretHit, scan_chunks

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
#: Characters a repo path may not hold: they fake lines in a review, and the Hub rejects them.
_BAD_NAME_CHARS = frozenset(chr(c) for c in range(32)) | {"\x7f", "\\"}


@dataclass(frozen=True, slots=True, init=False)
class UploadFile:
    """One file that will be uploaded: its path in the repo, where it is on disk, its size."""

    path: str
    _local: str = field(repr=False)
    size: int
    is_symlink: bool = False
    sha256: str | None = None
    secrets: tuple[SecretHit, ...] = ()

    def __init__(
        self,
        path: str,
        local_path: Path | str,
        size: int,
        *,
        is_symlink: bool = False,
        sha256: str | None = None,
        secrets: tuple[SecretHit, ...] = (),
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

    @property
    def local_path(self) -> Path:
        """Where the file is on disk (a symlink is read through, as huggingface_hub does)."""
        return Path(self._local)


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


def _walk(root: Path, hfignore: IgnoreFile | None) -> tuple[list[UploadFile], list[ExcludedFile]]:
    """Depth-first scandir walk that never enters a skipped or ignored directory."""
    real_root = os.path.realpath(root)
    files: list[UploadFile] = []
    excluded: list[ExcludedFile] = []
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        directory, parent = stack.pop()
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
                files.append(UploadFile(rel, entry.path, 0, is_symlink=is_link))
            elif is_link:
                excluded.append(ExcludedFile(rel, DANGLING_REASON))
            else:
                excluded.append(ExcludedFile(rel, SPECIAL_REASON))
    return files, excluded


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
    files, excluded = _walk(root, hfignore)

    uploaded = {f.path for f in files}
    gitignore: IgnoreFile | None = None
    if GITIGNORE in uploaded:
        gitignore = _read_ignore(root / GITIGNORE, SERVER_GITIGNORE_SOURCE)
    elif remote_gitignore is not None:
        gitignore = IgnoreFile.from_text(remote_gitignore, source=REMOTE_GITIGNORE_SOURCE)
    if gitignore:
        kept: list[UploadFile] = []
        for upload in files:
            rule = gitignore.excludes_path(upload.path)
            if rule is None:
                kept.append(upload)
            else:
                excluded.append(_excluded_by_rule(upload.path, rule))
        files = kept

    files, specials = _read_all(files)
    excluded.extend(specials)
    files.sort(key=attrgetter("path"))
    excluded.sort(key=attrgetter("path"))
    return UploadSet(root=root, files=tuple(files), excluded=tuple(excluded))


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
    return UploadSet(root=upload_set.root, files=tuple(kept), excluded=tuple(excluded))


def shown_name(path: str) -> str:
    """`path` safe to print: control characters, backslashes and bad bytes escaped visibly."""
    if any(c in _BAD_NAME_CHARS or "\udc80" <= c <= "\udcff" for c in path):
        return ascii(path)
    return path


def refuse_unsafe_names(upload_set: UploadSet) -> None:
    """Raise UsageError for a name the review could not show or the Hub store (deploys only).

    Called before the review and before anything is created on the Hub; `check` still lists
    such files, escaped (`shown_name`).
    """
    for upload in upload_set.files:
        path = upload.path
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


def _read_one(upload: UploadFile) -> UploadFile | None:
    """`upload` with its real size, sha256 and secrets, read once; None when not a regular file."""
    local = upload._local
    # The link was judged when walked; judge the final target again (a link may be swapped).
    if upload.is_symlink:
        local = os.path.realpath(local)
        if any(local == d or local.startswith(d + "/") for d in SYSTEM_DIRS):
            return None
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
    digest = hashlib.sha256()
    size = 0

    def chunks() -> Iterator[bytes]:
        nonlocal size
        with os.fdopen(fd, "rb", buffering=0) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                digest.update(chunk)
                size += len(chunk)
                yield chunk

    try:
        secrets = tuple(scan_chunks(chunks(), name=upload.path))
    except OSError as exc:
        raise UsageError(
            f"{shown_name(upload.path)} could not be read to the end ({exc.strerror or exc}): "
            "deploy again, or add it to .hfignore."
        ) from exc
    return UploadFile(
        upload.path,
        upload._local,
        size,
        is_symlink=upload.is_symlink,
        sha256=digest.hexdigest(),
        secrets=secrets,
    )


def _read_all(files: list[UploadFile]) -> tuple[list[UploadFile], list[ExcludedFile]]:
    read: list[UploadFile] = []
    specials: list[ExcludedFile] = []
    for upload in files:
        done = _read_one(upload)
        if done is None:
            reason = SYSTEM_REASON if upload.is_symlink else SPECIAL_REASON
            specials.append(ExcludedFile(upload.path, reason))
        else:
            read.append(done)
    return read, specials
