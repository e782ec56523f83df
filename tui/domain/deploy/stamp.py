"""The deploy stamp: proof, from `stat` alone, that a folder is still what its Space holds.

Like git's index, it lets `spacetui deploy` answer an unchanged re-deploy without reading a
file, hashing, scanning or running the checks. A deploy that ended well, with nothing to warn
about, leaves a stamp (`earned_stamp`): the Hub, the Space, the head sha the Space then had (its
tree equal to the upload set), and a digest of everything the deploy's decisions rested on:

- the listing of every folder the walk listed (each entry's name and type; each file's size,
  mtime_ns, ctime_ns and inode, kept or ignored): an edit, a touch, a new, removed or renamed
  file or folder, or a changed `.hfignore`/`.gitignore`, changes it;
- the `stat` of each listed folder (its ctime moves when an entry is added, removed or renamed)
  and the `stat` (or absence) of each other path the checks asked about (an `app_file` inside an
  ignored folder, say), as the checks saw it;
- the code that decided (`code_fingerprint`: spacetui's version, every source file of
  `tui/domain`, `tui/commands` and `tui/_compat` by size and mtime, and the files of pathspec,
  google-re2 and PyYAML), so an upgrade or an edit of a rule voids every stamp.

The stamp is earned only when nothing listed changed since before the deploy started, less the
stat cache's racy margin (a same-size rewrite may keep an mtime; a ctime cannot be set back):
so what the deploy read, hashed, scanned and checked, or took from the stat cache under the same
`stat`, is what is there. And no entry may be a symlink (a link's target can change under an
unchanged link). The check refuses, likewise, a folder where anything changed within the racy
margin. A stamp that does not parse, names another folder, Hub or Space, or is not the user's
own file is ignored. A stamp never causes an upload: the worst a wrong one could do is let a
re-deploy say "nothing changed". This module imports nothing of the deploy engine, the checks
or any HTTP client: `tui.commands.deploy_unchanged` reads it in the time Python takes to start.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from tui import __version__
from tui.domain.paths import cache_dir, folder_id
from tui.domain.private_file import read_own, write_private
from tui.domain.stat_mark import stat_mark

FORMAT = "spacetui-deploy-stamp"
VERSION = 1
#: As `stat_cache.RACY_MARGIN_NS` (a test keeps them equal): a file modified this recently may
#: be rewritten at the same size without its mtime moving.
RACY_MARGIN_NS = 2_000_000_000
#: The packages whose code decides a deploy (the rules, the walk, the checks, the wording).
_CODE_PACKAGES = ("domain", "commands", "_compat")
#: The libraries whose behaviour decides it too: gitignore matching, the scan's and the checks'
#: patterns, the README's YAML. An upgrade rewrites their files, and so voids every stamp.
_DEPENDENCIES = ("pathspec", "re2", "yaml")
_HEX = frozenset("0123456789abcdef")


class Stamp(NamedTuple):
    """What one deploy left: where, at which head, and the digest of what it decided on."""

    endpoint: str
    space_id: str
    head_sha: str
    digest: str
    walked: tuple[str, ...]
    #: Paths the checks asked about outside the listed folders.
    marks: tuple[str, ...]
    #: The number of files uploaded (the review's "unchanged: N files").
    files: int
    #: Names the code reads from the environment that the folder does not set itself: the Space
    #: must still provide each as a secret or variable.
    needed: tuple[str, ...]


def settled_before(now_ns: int | None = None) -> int:
    """The newest mtime/ctime the check trusts now: anything newer may change unseen."""
    return (time.time_ns() if now_ns is None else now_ns) - RACY_MARGIN_NS


def stamp_path(folder: Path, endpoint: str, space_id: str) -> Path:
    """Where the stamp of `folder` deployed to `space_id` on `endpoint` lives:
    `$XDG_CACHE_HOME/spacetui/stamp/<folder id>-<Space id>.json` (a folder deployed to two
    Spaces keeps one stamp for each)."""
    where = hashlib.sha256(f"{endpoint}\0{space_id}".encode()).hexdigest()[:16]
    return cache_dir() / "stamp" / f"{folder_id(folder)}-{where}.json"


def code_fingerprint(
    package: Path | None = None, dependencies: tuple[str, ...] = _DEPENDENCIES
) -> str:
    """spacetui's version, the size and mtime of each of its deciding source files (`package`:
    the `tui` folder, this one unless a test names another) and of each deciding library's
    entry file (found, not imported)."""
    from importlib.util import find_spec

    package = package or Path(__file__).resolve().parents[2]
    digest = hashlib.sha256(f"{__version__}\0".encode())
    for library in dependencies:
        spec = find_spec(library)
        origin = spec.origin if spec is not None else None
        mark = stat_mark(origin) if origin else None
        digest.update(f"{library}\0{origin}\0{mark}\n".encode())
    for name in _CODE_PACKAGES:
        for directory, dirs, files in os.walk(package / name):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for file in sorted(files):
                if file.endswith(".py"):
                    st = os.stat(os.path.join(directory, file))
                    digest.update(b"%s\0%d\0%d\n" % (file.encode(), st.st_size, st.st_mtime_ns))
    return digest.hexdigest()


def folder_digest(
    folder: Path,
    walked: Iterable[str],
    marks: Iterable[str],
    *,
    endpoint: str,
    space_id: str,
    settled_before_ns: int,
) -> tuple[str, int] | None:
    """(digest, files listed) of `folder` as `stat` sees it now, or None when `stat` cannot vouch
    for it: a symlink, a listed folder gone, or a folder or file whose mtime or ctime is not
    before `settled_before_ns` (changed too recently, or while the deploy that would stamp it
    ran: then what it read may not be what is there)."""
    root = os.fspath(folder)
    digest = hashlib.sha256()
    for part in (code_fingerprint(), endpoint, space_id):
        digest.update(part.encode() + b"\0")
    listed = 0
    for relative in sorted(walked):
        directory = os.path.join(root, relative) if relative else root
        try:
            # A folder's ctime moves when an entry is added, removed or renamed in it.
            st = os.stat(directory, follow_symlinks=False)
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode) or _unsettled(st, settled_before_ns):
            return None
        digest.update(_stat_line(b"D", os.fsencode(relative), st))
        for entry in entries:
            name = os.fsencode(entry.name)
            if entry.is_symlink():
                return None  # the target can change while the link's stat does not
            if entry.is_dir(follow_symlinks=False):
                digest.update(b"d%s\0" % name)
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                return None
            if not stat.S_ISREG(st.st_mode):
                digest.update(b"o%s\0%o\0" % (name, stat.S_IFMT(st.st_mode)))
                continue
            if _unsettled(st, settled_before_ns):
                return None
            listed += 1
            digest.update(_stat_line(b"f", name, st))
    for path in sorted(marks):
        mark = stat_mark(os.path.join(root, path))
        if mark is not None and max(mark[2], mark[3]) >= settled_before_ns:
            return None
        digest.update(b"m%s\0%s\n" % (os.fsencode(path), repr(mark).encode()))
    return digest.hexdigest(), listed


def _unsettled(st: os.stat_result, settled_before_ns: int) -> bool:
    return max(st.st_mtime_ns, st.st_ctime_ns) >= settled_before_ns


def _stat_line(kind: bytes, name: bytes, st: os.stat_result) -> bytes:
    return b"%s%s\0%o\0%d\0%d\0%d\0%d\n" % (
        kind,
        name,
        st.st_mode,
        st.st_size,
        st.st_mtime_ns,
        st.st_ctime_ns,
        st.st_ino,
    )


def outside_walked(touched: Iterable[str], walked: Iterable[str]) -> tuple[str, ...]:
    """The touched paths whose folder the walk did not list (their stat goes in the digest)."""
    listed = set(walked)
    return tuple(sorted(p for p in set(touched) if p.rpartition("/")[0] not in listed))


def load_stamp(folder: Path, endpoint: str, space_id: str) -> Stamp | None:
    """The stamp of `folder` deployed to `space_id` on `endpoint`, or None when there is none
    or anything about it is off."""
    raw = read_own(stamp_path(folder, endpoint, space_id))
    try:
        body = json.loads(raw or b"")
    except ValueError:
        return None
    stamp = _parsed(body, folder)
    if stamp is None or (stamp.endpoint, stamp.space_id) != (endpoint, space_id):
        return None
    return stamp


def _parsed(body: Any, folder: Path) -> Stamp | None:
    if not isinstance(body, dict) or body.get("format") != FORMAT or body.get("v") != VERSION:
        return None
    if body.get("folder") != os.fspath(folder):
        return None
    try:
        stamp = Stamp(
            endpoint=_text(body["endpoint"]),
            space_id=_text(body["space_id"]),
            head_sha=_text(body["head_sha"]),
            digest=_text(body["digest"]),
            walked=_texts(body["walked"]),
            marks=_texts(body["marks"]),
            files=_count(body["files"]),
            needed=_texts(body["needed"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    if not (_is_sha(stamp.head_sha) and len(stamp.digest) == 64 and set(stamp.digest) <= _HEX):
        return None
    if "" not in stamp.walked or any(
        p.startswith("/") or ".." in p.split("/") for p in stamp.walked
    ):
        return None  # the root is always listed; nothing may point outside the folder
    return stamp


def save_stamp(folder: Path, stamp: Stamp) -> bool:
    """Write `folder`'s stamp (atomically, private to the user); False when it could not be."""
    body = {"format": FORMAT, "v": VERSION, "folder": os.fspath(folder), **stamp._asdict()}
    # A stamp only saves time: one that cannot be written never fails a deploy.
    return write_private(
        stamp_path(folder, stamp.endpoint, stamp.space_id),
        json.dumps(body, separators=(",", ":")).encode(),
    )


def remember_stamp(folder: Path, endpoint: str, space_id: str, stamp: Stamp | None) -> None:
    """Keep the stamp a deploy earned, or, when it earned none, remove the old one."""
    if stamp is None or not save_stamp(folder, stamp):
        forget_stamp(folder, endpoint, space_id)


def forget_stamp(folder: Path, endpoint: str, space_id: str) -> None:
    """Remove the stamp of `folder` for that Space: its next deploy there goes the whole way."""
    try:
        stamp_path(folder, endpoint, space_id).unlink()
    except OSError:
        pass


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError("not a string")
    return value


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("not a list of strings")
    return tuple(value)


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError("not a count")
    return value


def _is_sha(value: str) -> bool:
    return len(value) == 40 and set(value) <= _HEX
