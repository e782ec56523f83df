"""A per-folder cache of what unchanged files hold, keyed by what `stat` says, so they are not read.

An entry maps a path inside the Space folder to (size, mtime_ns, ctime_ns, inode), the digests
computed for it (git blob sha1, sha256) and the secret scan's verdict on those same bytes (the
kind and line of each finding, never the secret itself), with the id of the rule set that gave
it. A lookup answers only when all four still match: an edit, a `touch`, a rename or a
replacement changes at least one, and the file is read again. Like git's index, a file modified
less than `RACY_MARGIN_NS` before it was read is neither cached nor answered for, since a
same-size rewrite within the file system's timestamp granularity would keep its mtime. The cache
lives in `$XDG_CACHE_HOME/spacetui/stat/<folder id>.msgpack`; a file that does not parse, has another
format or version, names another folder, belongs to another user or holds one malformed entry is
ignored and replaced, never trusted; verdicts given under other secret-scan rules are dropped.
The file is msgpack decoded by msgspec into typed structs, which checks every field in C (half
the time of `json.loads` plus a Python check per entry, for a third less disk).

The same file keeps the tree of the Space the folder was last compared with, at its head sha
(`remote_tree`): a commit's tree never changes, so while the Space's head is that sha, a deploy
asks the Hub for the head alone, not for a 10,000-line listing. This only saves a request: what
the deploy sends is still decided by content ids, and a wrong tree can only make it send more or
report a change, never send bytes the secret scan did not read.

The cache is a pure lookup in front of reading: `cached_digest` (called by
`tui.domain.deploy.hashing`) and `scan_of` (called by `tui.domain.upload_set`) consult the cache
made active by `using(folder)`, and the caller reads the file itself on a miss.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import msgspec

from tui.domain.paths import cache_dir, folder_id
from tui.domain.private_file import read_own, write_private
from tui.domain.secret_scan import KINDS as FINDING_KINDS
from tui.domain.secret_scan import rules_fingerprint

FORMAT = "spacetui-stat-cache"
VERSION = 2
SUFFIX = ".msgpack"
#: Files modified this recently (ns) when read are neither cached nor answered for: their mtime
#: may not move on the next same-size write (FAT has 2 s granularity; ext4 and APFS are finer).
RACY_MARGIN_NS = 2_000_000_000
#: Digest kinds and their length in bytes.
KINDS = {"git-sha1": 20, "sha256": 32}

_NonNegative = Annotated[int, msgspec.Meta(ge=0)]
_Line = Annotated[int, msgspec.Meta(ge=1)]
_Sha1 = Annotated[bytes, msgspec.Meta(min_length=20, max_length=20)]
_Sha256 = Annotated[bytes, msgspec.Meta(min_length=32, max_length=32)]
#: A path inside the folder: not empty, not absolute, no `..` segment.
_Key = Annotated[str, msgspec.Meta(pattern=r"^(?!/)(?!(?:.*/)?\.\.(?:/|$)).+$")]
_HeadSha = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{40}$")]
_HEAD_SHA = re.compile(r"[0-9a-f]{40}")


class Entry(msgspec.Struct, array_like=True, frozen=True, gc=False):
    """What one file held when `stat` said this: its digests and the secret scan's verdict.

    `verdict` is the (kind, line) of each finding on the bytes whose sha256 is here (never the
    secret itself), or None when not scanned under the current rules.
    """

    size: _NonNegative
    mtime_ns: _NonNegative
    ctime_ns: _NonNegative
    inode: _NonNegative
    sha256: _Sha256 | None = None
    git_sha1: _Sha1 | None = None
    verdict: tuple[tuple[str, _Line], ...] | None = None

    def matches(self, st: os.stat_result) -> bool:
        """True when `stat` still says what it said when the file was read."""
        return (
            self.size == st.st_size
            and self.mtime_ns == st.st_mtime_ns
            and self.ctime_ns == st.st_ctime_ns
            and self.inode == st.st_ino
        )


class RemoteEntry(msgspec.Struct, array_like=True, frozen=True, gc=False):
    """One file of the Space's tree: path, size, git blob id and LFS sha256 (either may be absent).

    Kept as the Hub wrote them, unchecked: an id that is not what the Hub holds can only make
    the plan call a file changed (and send it, scanned) or, if edited by hand, unchanged.
    """

    path: str
    size: _NonNegative
    blob_id: str | None = None
    lfs_sha256: str | None = None


class RemoteTree(msgspec.Struct, frozen=True):
    """The tree of `space_id` at `head_sha`, as the Hub listed it."""

    space_id: str
    head_sha: _HeadSha
    files: tuple[RemoteEntry, ...]


class _File(msgspec.Struct):
    format: str
    version: int
    folder: str
    rules: str
    entries: dict[_Key, Entry]
    remote: RemoteTree | None = None


_DECODER = msgspec.msgpack.Decoder(_File)
_ENCODER = msgspec.msgpack.Encoder()

_active: contextvars.ContextVar[StatCache | None] = contextvars.ContextVar(
    "spacetui_stat_cache", default=None
)

#: A verdict: (kind, line) of each finding, empty when the bytes hold no secret.
Verdict = tuple[tuple[str, int], ...]


def fingerprint(st: os.stat_result) -> tuple[int, int, int, int]:
    """What `stat` says about a file; an equal fingerprint means the bytes were not rewritten."""
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


@dataclass
class StatCache:
    """The cache of one folder, loaded in memory; `save` writes it back atomically."""

    folder: Path
    file: Path
    #: Entries are replaced, never mutated (frozen structs), so a lookup needs no lock.
    entries: dict[str, Entry] = field(default_factory=dict)
    remote: RemoteTree | None = None
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
        file = (cache_dir or default_cache_dir()) / f"{folder_id(folder)}{SUFFIX}"
        cache = cls(folder=folder, file=file)
        raw = read_own(file)
        if raw is None:
            return cache
        parsed = _parse(raw, folder)
        if parsed is None:
            cache._dirty = True  # rewrite it: a bad file must not linger
        else:
            body, cache._dirty = parsed
            cache.entries, cache.remote = body.entries, body.remote
        return cache

    def lookup(
        self, path: Path, kind: str, st: os.stat_result, *, now_ns: int | None = None
    ) -> str | None:
        """The cached `kind` digest of `path` (hex) if its fingerprint still matches `st`."""
        key = self._key(path)
        entry = None if key is None else self._entry(key, st, now_ns)
        if entry is None:
            return None
        digest = (
            entry.sha256 if kind == "sha256" else entry.git_sha1 if kind == "git-sha1" else None
        )
        return None if digest is None else digest.hex()

    def scan_of(
        self, key: str, st: os.stat_result, *, now_ns: int
    ) -> tuple[str, Verdict, str | None] | None:
        """(sha256, secret-scan verdict, git blob sha1 if known) of the file at repo path `key`,
        if `st` still matches its entry and the verdict was given under the current rules."""
        entry = self._entry(key, st, now_ns)
        if entry is None or entry.verdict is None or entry.sha256 is None:
            return None
        git_sha1 = None if entry.git_sha1 is None else entry.git_sha1.hex()
        return entry.sha256.hex(), entry.verdict, git_sha1

    def store(
        self, path: Path, kind: str, digest: str, before: os.stat_result, *, now_ns: int
    ) -> None:
        """Remember `digest`, unless the file changed while hashed or is too young to trust."""
        key = self._key(path)
        if key is not None and kind in KINDS:
            self._put(key, path, before, {kind: bytes.fromhex(digest)}, None, now_ns)

    def remember_scan(
        self,
        key: str,
        path: str,
        before: os.stat_result,
        *,
        size: int,
        sha256: str,
        verdict: Verdict,
        now_ns: int,
        git_sha1: str | None = None,
    ) -> None:
        """Remember the sha256, git blob id and scan verdict of the `size` bytes just read.

        `before` is the `fstat` of the descriptor read; nothing is kept when the file at `path`
        is no longer that file, was not a regular file of exactly `size` bytes (a `/proc` file
        says 0) or is too young to trust.
        """
        if not stat.S_ISREG(before.st_mode) or size != before.st_size:
            self._forget(key)
            return
        digests = {"sha256": bytes.fromhex(sha256)}
        if git_sha1 is not None:
            digests["git-sha1"] = bytes.fromhex(git_sha1)
        self._put(key, path, before, digests, verdict, now_ns)

    def forget(self, key: str) -> None:
        """Drop the entry of repo path `key` (its file is to be read again next time)."""
        self._forget(key)

    def remote_tree(self, space_id: str) -> RemoteTree | None:
        """The tree of `space_id` as last listed (its `head_sha` and `files`), or None."""
        tree = self.remote
        return tree if tree is not None and tree.space_id == space_id else None

    def remember_remote(self, space_id: str, head_sha: str, files: Sequence[RemoteEntry]) -> None:
        """Keep the tree of `space_id` at `head_sha` (a head that is not a sha is not kept)."""
        tree = (
            RemoteTree(space_id, head_sha, tuple(files)) if _HEAD_SHA.fullmatch(head_sha) else None
        )
        with self._lock:
            if tree != self.remote:
                self.remote = tree
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
                key: entry
                for key, entry in self.entries.items()
                if os.path.lexists(self._prefix + key.replace("/", os.sep))
            }
            self.entries = entries
            body = _File(
                FORMAT, VERSION, str(self.folder), rules_fingerprint(), entries, self.remote
            )
            self._dirty = False
        # A cache that cannot be written only costs the next deploy some reading.
        write_private(self.file, _ENCODER.encode(body))

    def _entry(self, key: str, st: os.stat_result, now_ns: int | None) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None or not entry.matches(st):
            return None
        if st.st_mtime_ns > (time.time_ns() if now_ns is None else now_ns) - RACY_MARGIN_NS:
            return None  # too young (or dated in the future): a rewrite may keep this mtime
        return entry

    def _put(
        self,
        key: str,
        path: str | Path,
        before: os.stat_result,
        digests: dict[str, bytes],
        verdict: Verdict | None,
        now_ns: int,
    ) -> None:
        try:
            after = os.stat(path)
        except OSError:
            self._forget(key)
            return
        seen = fingerprint(before)
        if fingerprint(after) != seen or before.st_mtime_ns > now_ns - RACY_MARGIN_NS:
            self._forget(key)
            return
        with self._lock:
            old = self.entries.get(key)
            if old is None or not old.matches(before):
                old = Entry(*seen)
            sha256 = digests.get("sha256", old.sha256)
            if verdict is None and sha256 == old.sha256:
                verdict = old.verdict  # a digest added to an entry keeps its verdict
            entry = Entry(
                *seen,
                sha256=sha256,
                git_sha1=digests.get("git-sha1", old.git_sha1),
                verdict=verdict if sha256 is not None else None,
            )
            if entry != self.entries.get(key):  # a file read again for its finding: no rewrite
                self.entries[key] = entry
                self._dirty = True

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


def active_for(folder: Path) -> StatCache | None:
    """The active cache if it is `folder`'s, else None (a cache never answers for another folder)."""
    cache = _active.get()
    if cache is None or cache.folder != Path(folder).resolve():
        return None
    return cache


def save_active() -> None:
    """Write the active cache now (a long deploy should not lose it to a hard stop)."""
    cache = _active.get()
    if cache is not None:
        cache.save()


def cached_digest(path: Path, kind: str, compute: Callable[[Path], str]) -> str:
    """`compute(path)`, unless the active cache already knows the `kind` digest of these bytes."""
    cache = _active.get()
    if cache is None:
        return compute(path)
    try:
        before = os.stat(path)
    except OSError:
        return compute(path)  # let hashing raise its own error
    now_ns = time.time_ns()
    digest = cache.lookup(path, kind, before, now_ns=now_ns)
    if digest is not None:
        cache.hits += 1
        return digest
    cache.misses += 1
    digest = compute(path)
    cache.store(path, kind, digest, before, now_ns=now_ns)
    return digest


def _parse(raw: bytes, folder: Path) -> tuple[_File, bool] | None:
    """(body, dirty) of a cache file, or None when anything about it is off.

    msgspec checks every field's type and range while decoding; what a type cannot say (the
    verdict's kinds, a verdict only with a sha256) is checked here. Verdicts given under other
    secret-scan rules are dropped (digests stay: bytes are bytes), and the cache is then dirty.
    """
    try:
        body = _DECODER.decode(raw)
    except msgspec.MsgspecError:
        return None
    if body.format != FORMAT or body.version != VERSION or body.folder != str(folder):
        return None
    for entry in body.entries.values():
        if entry.verdict and (
            entry.sha256 is None or any(kind not in FINDING_KINDS for kind, _ in entry.verdict)
        ):
            return None  # one bad entry means the file cannot be trusted at all
        if entry.verdict is not None and entry.sha256 is None:
            return None
    if body.rules == rules_fingerprint():
        return body, False
    body.entries = {
        key: msgspec.structs.replace(entry, verdict=None) for key, entry in body.entries.items()
    }
    return body, True
