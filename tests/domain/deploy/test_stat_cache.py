"""The stat cache: unchanged files hash nothing; edits, touch, renames and bad caches re-hash."""

from __future__ import annotations

import os
import time
from pathlib import Path

import msgspec
import pytest

from tui.domain import stat_cache
from tui.domain.deploy import hashing
from tui.domain.deploy.plan import RemoteFile, UploadPlan, compare
from tui.domain.upload_set import UploadFile

HOUR_NS = 3600 * 10**9


class _Counting:
    """Wraps the real hashing functions and counts which paths were read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.read: list[str] = []
        for name in ("_git_blob_sha1", "_sha256_of"):
            real = getattr(hashing, name)
            monkeypatch.setattr(hashing, name, self._wrap(real))

    def _wrap(self, real):  # noqa: ANN001, ANN202 - a test double
        def counted(path: Path) -> str:
            self.read.append(path.name)
            return real(path)

        return counted

    def take(self) -> list[str]:
        read, self.read = sorted(self.read), []
        return read


def _age(path: Path, ns_ago: int = HOUR_NS) -> None:
    """Set the file's mtime in the past, so the cache may trust it (see RACY_MARGIN_NS)."""
    past = time.time_ns() - ns_ago
    os.utime(path, ns=(past, past))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "space"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"alpha\n")
    (root / "b.txt").write_bytes(b"bravo\n")  # same size as a.txt
    (root / "sub" / "model.bin").write_bytes(b"\x01" * 5000)
    for path in root.rglob("*"):
        if path.is_file():
            _age(path)
    return root


def _remote_of(root: Path) -> list[RemoteFile]:
    """The Space holding exactly these bytes: blob ids for text, sha256 for the LFS file."""
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel.endswith(".bin"):
            out.append(RemoteFile(rel, path.stat().st_size, lfs_sha256=hashing._sha256_of(path)))
        else:
            out.append(RemoteFile(rel, path.stat().st_size, blob_id=hashing._git_blob_sha1(path)))
    return out


def _plan(root: Path, remote: list[RemoteFile]) -> UploadPlan:
    local = [
        UploadFile(p.relative_to(root).as_posix(), p, p.stat().st_size)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]
    return compare("alice/app", local, remote, head_sha="0" * 40)


def _status(plan: UploadPlan) -> dict[str, str]:
    return {f.path: f.status for f in plan.files}


def test_an_unchanged_replan_hashes_nothing(folder: Path, monkeypatch) -> None:
    remote = _remote_of(folder)
    counting = _Counting(monkeypatch)
    first = _plan(folder, remote)
    assert counting.take() == ["a.txt", "b.txt", "model.bin"]
    second = _plan(folder, remote)
    assert counting.take() == []
    assert set(_status(first).values()) == set(_status(second).values()) == {"unchanged"}
    # The cache is under the user's cache folder (a tmp dir in tests), one file per folder.
    files = list((Path(os.environ["XDG_CACHE_HOME"]) / "spacetui" / "stat").glob("*.msgpack"))
    assert len(files) == 1


@pytest.mark.parametrize("same_size", [True, False])
def test_an_edit_is_rehashed_and_seen(folder: Path, monkeypatch, same_size: bool) -> None:
    remote = _remote_of(folder)
    _plan(folder, remote)
    counting = _Counting(monkeypatch)
    (folder / "a.txt").write_bytes(b"ALPHA\n" if same_size else b"alpha, longer\n")
    plan = _plan(folder, remote)
    assert _status(plan)["a.txt"] == "changed"
    # A different size is decided without hashing; the same size is re-hashed, never trusted.
    assert counting.take() == (["a.txt"] if same_size else [])


def test_an_edit_that_restores_the_old_mtime_is_still_rehashed(folder: Path, monkeypatch) -> None:
    remote = _remote_of(folder)
    _plan(folder, remote)
    target = folder / "a.txt"
    before = target.stat()
    target.write_bytes(b"ALPHA\n")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or `touch -r` do
    counting = _Counting(monkeypatch)
    assert _status(_plan(folder, remote))["a.txt"] == "changed"
    assert counting.take() == ["a.txt"]


def test_touch_rehashes_and_stays_unchanged(folder: Path, monkeypatch) -> None:
    remote = _remote_of(folder)
    _plan(folder, remote)
    _age(folder / "sub" / "model.bin", HOUR_NS // 2)  # a touch: new mtime, same bytes
    counting = _Counting(monkeypatch)
    assert _status(_plan(folder, remote))["sub/model.bin"] == "unchanged"
    assert counting.take() == ["model.bin"]
    _plan(folder, remote)
    assert counting.take() == []  # the touched file is cached again


def test_swapping_two_same_size_files_by_rename_is_seen(folder: Path, monkeypatch) -> None:
    remote = _remote_of(folder)
    _plan(folder, remote)
    a, b, tmp = folder / "a.txt", folder / "b.txt", folder / "tmp"
    os.rename(a, tmp)
    os.rename(b, a)
    os.rename(tmp, b)  # same sizes, same mtimes: only the inodes moved
    counting = _Counting(monkeypatch)
    assert _status(_plan(folder, remote)) == {
        "a.txt": "changed",
        "b.txt": "changed",
        "sub/model.bin": "unchanged",
    }
    assert counting.take() == ["a.txt", "b.txt"]


def test_a_file_too_young_to_trust_is_not_cached(folder: Path, monkeypatch) -> None:
    remote = _remote_of(folder)
    os.utime(folder / "a.txt")  # mtime now: a same-size rewrite could keep it
    _plan(folder, remote)
    counting = _Counting(monkeypatch)
    _plan(folder, remote)
    assert counting.take() == ["a.txt"]


def _cache_file() -> Path:
    (file,) = (Path(os.environ["XDG_CACHE_HOME"]) / "spacetui" / "stat").glob("*.msgpack")
    return file


def _body(file: Path) -> dict:
    """The cache file as plain data: entries are [size, mtime, ctime, inode, sha256, sha1, verdict]."""
    body = msgspec.msgpack.decode(file.read_bytes())
    assert isinstance(body, dict)
    return body


def _poisoned(file: Path) -> dict:
    """The cache with every digest replaced by the digest of other bytes (a lie if trusted)."""
    body = _body(file)
    for entry in body["entries"].values():
        entry[4] = b"\xff" * 32 if entry[4] is not None else None
        entry[5] = b"\xff" * 20 if entry[5] is not None else None
    return body


def _pack(body: dict) -> bytes:
    return msgspec.msgpack.encode(body)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda body: b"{not msgpack",
        lambda body: _pack(body)[:-7],  # cut short
        lambda body: _pack({**body, "folder": "/elsewhere"}),
        lambda body: _pack({**body, "version": 99}),
        lambda body: _pack({**body, "format": "other"}),
        lambda body: _pack({**body, "entries": {**body["entries"], "../x": [1, 2, 3, 4]}}),
        lambda body: _pack({**body, "entries": {**body["entries"], "/abs": [1, 2, 3, 4]}}),
        lambda body: _pack({**body, "entries": {**body["entries"], "c.txt": [1, "2", 3, 4]}}),
        lambda body: _pack({**body, "entries": {**body["entries"], "c.txt": [1, -2, 3, 4]}}),
        lambda body: _pack(
            {**body, "entries": {**body["entries"], "d.txt": [1, 2, 3, 4, b"x", None, None]}}
        ),
        lambda body: _pack(
            {**body, "entries": {**body["entries"], "e.txt": [1, 2, 3, 4, None, None, []]}}
        ),
        lambda body: _pack(
            {
                **body,
                "entries": {**body["entries"], "f.txt": [1, 2, 3, 4, b"f" * 32, None, [["x", 1]]]},
            }
        ),
    ],
    ids=[
        "garbage",
        "truncated",
        "foreign-folder",
        "version",
        "format",
        "escaping-key",
        "absolute-key",
        "bad-number",
        "negative-number",
        "bad-digest",
        "verdict-without-sha256",
        "unknown-finding-kind",
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored(folder: Path, monkeypatch, spoil) -> None:
    remote = _remote_of(folder)
    _plan(folder, remote)
    file = _cache_file()
    # Every digest is a lie, and each variant makes the file untrustworthy in one more way.
    file.write_bytes(spoil(_poisoned(file)))
    counting = _Counting(monkeypatch)
    assert set(_status(_plan(folder, remote)).values()) == {"unchanged"}
    assert counting.take() == ["a.txt", "b.txt", "model.bin"]
    # ...and is replaced by a good one.
    _plan(folder, remote)
    assert counting.take() == []


def test_without_an_active_cache_hashing_is_plain(folder: Path, monkeypatch) -> None:
    counting = _Counting(monkeypatch)
    for _ in range(2):
        hashing.git_blob_sha1(folder / "a.txt")
    assert counting.take() == ["a.txt", "a.txt"]


def test_a_cache_never_answers_for_a_file_outside_its_folder(folder: Path, tmp_path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"x")
    _age(outside)
    with stat_cache.using(folder) as cache:
        hashing.git_blob_sha1(outside)
        hashing.git_blob_sha1(outside)
    assert cache.hits == 0 and cache.entries == {}


def test_entries_of_deleted_files_are_dropped_when_the_cache_is_saved(folder: Path) -> None:
    remote = _remote_of(folder)
    _plan(folder, remote)
    (folder / "b.txt").unlink()
    (folder / "c.txt").write_bytes(b"charlie\n")  # a change, so the cache is written again
    _age(folder / "c.txt")
    _plan(folder, [*remote, RemoteFile("c.txt", 8, blob_id="0" * 40)])
    kept = _body(_cache_file())["entries"]
    assert sorted(kept) == ["a.txt", "c.txt", "sub/model.bin"]
