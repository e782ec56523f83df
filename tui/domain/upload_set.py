"""The exact files a deploy uploads from a Space folder, and why every other file is left out.

The walk mirrors huggingface_hub's `upload_folder` (`_prepare_upload_folder_additions`): symlinked
files are followed and uploaded as copies, symlinked directories and dangling links are skipped,
and `DEFAULT_IGNORE_PATTERNS` (`.git`, `.cache/huggingface`) are always dropped. On top of that come
the folder's `.hfignore` (gitignore semantics) and a simulation of the Hub's server-side root
`.gitignore`, which makes the Hub silently skip matching files.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from tui.domain.errors import UsageError
from tui.domain.hfignore import IgnoreFile, IgnoreRule

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


@dataclass(frozen=True, slots=True, init=False)
class UploadFile:
    """One file that will be uploaded: its path in the repo, where it is on disk, its size."""

    path: str
    _local: str = field(repr=False)
    size: int
    is_symlink: bool = False

    def __init__(
        self, path: str, local_path: Path | str, size: int, *, is_symlink: bool = False
    ) -> None:
        object.__setattr__(self, "path", path)
        # Kept as a string: building 20,000 Path objects costs more than the whole match.
        object.__setattr__(self, "_local", os.fspath(local_path))
        object.__setattr__(self, "size", size)
        # A symlinked file is uploaded as a full copy of its target.
        object.__setattr__(self, "is_symlink", is_symlink)

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


def _walk(root: Path, hfignore: IgnoreFile | None) -> tuple[list[UploadFile], list[ExcludedFile]]:
    """Depth-first scandir walk that never enters a skipped or ignored directory."""
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
                try:
                    size = entry.stat().st_size
                except OSError:
                    excluded.append(ExcludedFile(rel, DANGLING_REASON))
                    continue
                files.append(UploadFile(rel, entry.path, size, is_symlink=is_link))
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

    files.sort(key=attrgetter("path"))
    excluded.sort(key=attrgetter("path"))
    return UploadSet(root=root, files=tuple(files), excluded=tuple(excluded))
