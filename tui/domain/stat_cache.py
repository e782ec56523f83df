"""A per-folder cache of file content ids keyed by what `stat` says, so unchanged files hash nothing.

An entry maps a path inside the Space folder to (size, mtime_ns, ctime_ns, inode) and the digests
computed for it (git blob sha1, sha256). A lookup answers only when all four still match: an
edit, a `touch`, a rename or a replacement changes at least one, and the file is hashed again.
Like git's index, an entry is not kept when the file was younger than `RACY_MARGIN_NS` at hashing
time, since a same-size rewrite within the file system's timestamp granularity would keep its
mtime. The cache lives in `$XDG_CACHE_HOME/spacetui/stat/<folder id>.json`; a file that does not
parse, has another format or version, or names another folder is ignored and replaced, never
trusted.

The cache is a pure lookup in front of hashing: `cached_digest` (called by
`tui.domain.deploy.hashing`) consults the cache made active by `using(folder)`, and computes the
digest itself on a miss. With no active cache it just computes.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.domain.paths import cache_dir

FORMAT = "spacetui-stat-cache"
VERSION = 1
#: Files modified this recently (ns) when hashed are not cached: their mtime may not move on the
#: next same-size write (FAT has 2 s granularity; ext4 and APFS are far finer).
RACY_MARGIN_NS = 2_000_000_000
#: Digest kinds and the length of their hex form.
KINDS = {"git-sha1": 40, "sha256": 64}

_active: contextvars.ContextVar[StatCache | None] = contextvars.ContextVar(
    "spacetui_stat_cache", default=None
)


#: One entry, as stored: [size, mtime_ns, ctime_ns, inode, {kind: hex digest}]. Entries stay in
#: this JSON form in memory too (no object per file) and are replaced, never mutated, so a
#: lookup needs no lock.
Row = list[Any]


def fingerprint(st: os.stat_result) -> tuple[int, int, int, int]:
    """What `stat` says about a file; an equal fingerprint means the bytes were not rewritten."""
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


@dataclass
class StatCache:
    """The cache of one folder, loaded in memory; `save` writes it back atomically."""

    folder: Path
    file: Path
    entries: dict[str, Row] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    _dirty: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _prefix: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._prefix = os.path.join(str(self.folder), "")

    @classmethod
    def load(cls, folder: Path, *, cache_dir: Path | None = None) -> StatCache:
        """The folder's cache from disk, or an empty one if it is missing, corrupt or foreign."""
        folder = Path(folder).resolve()
        file = (cache_dir or default_cache_dir()) / f"{folder_id(folder)}.json"
        cache = cls(folder=folder, file=file)
        try:
            raw = file.read_bytes()
        except OSError:
            return cache
        entries = _parse(raw, folder)
        if entries is None:
            cache._dirty = True  # rewrite it: a bad file must not linger
        else:
            cache.entries = entries
        return cache

    def lookup(self, path: Path, kind: str, st: os.stat_result) -> str | None:
        """The cached `kind` digest of `path` if its fingerprint still matches `st`."""
        key = self._key(path)
        row = None if key is None else self.entries.get(key)
        # Field by field, no tuple built: this runs once per file of the folder.
        if (
            row is None
            or row[0] != st.st_size
            or row[1] != st.st_mtime_ns
            or row[2] != st.st_ctime_ns
            or row[3] != st.st_ino
        ):
            return None
        digest: str | None = row[4].get(kind)
        return digest

    def store(
        self, path: Path, kind: str, digest: str, before: os.stat_result, *, now_ns: int
    ) -> None:
        """Remember `digest`, unless the file changed while hashed or is too young to trust."""
        key = self._key(path)
        if key is None:
            return
        try:
            after = os.stat(path)
        except OSError:
            return
        seen = fingerprint(before)
        if fingerprint(after) != seen or before.st_mtime_ns > now_ns - RACY_MARGIN_NS:
            self._forget(key)
            return
        with self._lock:
            row = self.entries.get(key)
            digests = dict(row[4]) if row is not None and tuple(row[:4]) == seen else {}
            digests[kind] = digest
            self.entries[key] = [*seen, digests]
            self._dirty = True

    def save(self) -> None:
        """Write the cache if it changed: a temporary file renamed over the old one.

        Entries of files that no longer exist are dropped then, so the cache does not grow with
        every file ever deleted (checked only when something changed, so a clean re-deploy pays
        nothing for it).
        """
        with self._lock:
            if not self._dirty:
                return
            entries = {
                key: row
                for key, row in self.entries.items()
                if os.path.lexists(self._prefix + key.replace("/", os.sep))
            }
            self.entries = entries
            body = {
                "format": FORMAT,
                "version": VERSION,
                "folder": str(self.folder),
                "entries": dict(entries),
            }
            self._dirty = False
        data = json.dumps(body, separators=(",", ":")).encode()
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".stat-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, self.file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            pass  # a cache that cannot be written only costs the next deploy some hashing

    def _key(self, path: Path) -> str | None:
        # String operations, not PurePath.relative_to: this runs once per file of the folder.
        absolute = os.fspath(path)
        if not os.path.isabs(absolute) or "/." in absolute or os.sep + "." in absolute:
            absolute = os.path.abspath(absolute)  # normalises: no "..", no "." segments left
        if not absolute.startswith(self._prefix):
            return None  # outside the folder: not this cache's business
        return absolute[len(self._prefix) :].replace(os.sep, "/")

    def _forget(self, key: str) -> None:
        with self._lock:
            if self.entries.pop(key, None) is not None:
                self._dirty = True


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/spacetui/stat`."""
    return cache_dir() / "stat"


def folder_id(folder: Path) -> str:
    """A file name for the folder's cache: a hash of its absolute path."""
    return hashlib.sha256(os.fsencode(folder)).hexdigest()[:32]


@contextlib.contextmanager
def using(folder: Path, *, cache_dir: Path | None = None) -> Iterator[StatCache]:
    """Make `folder`'s cache active for hashing in this context (and threads it starts with
    `asyncio.to_thread`), then save it. Re-entering for the same folder reuses the active one."""
    current = _active.get()
    resolved = Path(folder).resolve()
    if current is not None and current.folder == resolved:
        yield current
        return
    cache = StatCache.load(resolved, cache_dir=cache_dir)
    token = _active.set(cache)
    try:
        yield cache
    finally:
        _active.reset(token)
        cache.save()


def using_for_files(files: Iterable[tuple[str, Path]]) -> contextlib.AbstractContextManager[object]:
    """`using(folder)` for files given as (path in the repo, path on disk); the folder is the
    first file's root. Nothing to hash, nothing to load."""
    for repo_path, local_path in files:
        return using(Path(local_path).parents[repo_path.count("/")])
    return contextlib.nullcontext()


def cached_digest(path: Path, kind: str, compute: Callable[[Path], str]) -> str:
    """`compute(path)`, unless the active cache already knows the `kind` digest of these bytes."""
    cache = _active.get()
    if cache is None:
        return compute(path)
    try:
        before = os.stat(path)
    except OSError:
        return compute(path)  # let hashing raise its own error
    digest = cache.lookup(path, kind, before)
    if digest is not None:
        cache.hits += 1
        return digest
    cache.misses += 1
    digest = compute(path)
    cache.store(path, kind, digest, before, now_ns=time.time_ns())
    return digest


def _parse(raw: bytes, folder: Path) -> dict[str, Row] | None:
    """The entries of a cache file, or None when anything about it is off."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if (
        not isinstance(body, dict)
        or body.get("format") != FORMAT
        or body.get("version") != VERSION
        or body.get("folder") != str(folder)
        or not isinstance(body.get("entries"), dict)
    ):
        return None
    entries: dict[str, Row] = body["entries"]
    for key, value in entries.items():
        if not _valid_entry(key, value):
            return None  # one bad entry means the file cannot be trusted at all
    return entries


def _valid_entry(key: Any, value: Any) -> bool:
    if not isinstance(key, str) or not key or key.startswith("/") or ".." in key.split("/"):
        return False
    if type(value) is not list or len(value) != 5:
        return False
    size, mtime_ns, ctime_ns, inode, digests = value
    for number in (size, mtime_ns, ctime_ns, inode):
        if type(number) is not int or number < 0:
            return False
    if type(digests) is not dict:
        return False
    for kind, digest in digests.items():
        length = KINDS.get(kind)
        if length is None or type(digest) is not str or len(digest) != length:
            return False
        if digest.strip("0123456789abcdef"):  # anything left is not lowercase hex
            return False
    return True
