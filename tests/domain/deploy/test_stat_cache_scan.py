"""The stat cache's secret-scan verdicts: unchanged files are not read, changed ones always are,
a cached finding still blocks, and a cached file that must be sent is scanned from the bytes
sent. Deploys run over loopback HTTP against the emulator."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from tui.domain import stat_cache, upload_set, upload_verify
from tui.domain.checks.engine import run_checks
from tui.domain.upload_set import collect_upload_set

HOUR_NS = 3600 * 10**9
# Random-looking, real-format, never a real credential.
TOKEN = "hf_" + "ZqWnTrKvLpXsMdJbHcFyGuEoIaRtPwQmVk"


def _age(root: Path, ns_ago: int = HOUR_NS) -> None:
    """Every file's mtime in the past, so the cache may trust it (see RACY_MARGIN_NS)."""
    past = time.time_ns() - ns_ago
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, ns=(past, past))


class _Reads:
    """Counts the files the upload set reads (and scans), by repo path; the real scan runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str] = []
        real = upload_set.scan_chunks

        def counted(chunks: Iterator[bytes], *, name: str = "") -> Iterator:  # noqa: ANN401
            self.names.append(name)
            return real(chunks, name=name)

        monkeypatch.setattr(upload_set, "scan_chunks", counted)

    def take(self) -> list[str]:
        names, self.names = sorted(self.names), []
        return names


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "space"
    (root / "sub").mkdir(parents=True)
    (root / "README.md").write_text("---\ntitle: T\nsdk: static\n---\n")
    (root / "index.html").write_text("<p>hi</p>\n")
    (root / "a.txt").write_bytes(b"alpha\n")
    (root / "b.txt").write_bytes(b"bravo\n")  # same size as a.txt
    (root / "sub" / "data.bin").write_bytes(bytes(range(256)) * 20)
    _age(root)
    return root


ALL = ["README.md", "a.txt", "b.txt", "index.html", "sub/data.bin"]


def _collect(root: Path) -> upload_set.UploadSet:
    with stat_cache.using(root):
        return collect_upload_set(root)


def _cache_file() -> Path:
    (file,) = (Path(os.environ["XDG_CACHE_HOME"]) / "spacetui" / "stat").glob("*.msgpack")
    return file


# -- the upload set with the cache -----------------------------------------------------------


def test_an_unchanged_folder_is_not_read_again_and_gives_the_same_set(
    folder: Path, monkeypatch
) -> None:
    reads = _Reads(monkeypatch)
    first = _collect(folder)
    assert reads.take() == ALL
    second = _collect(folder)
    assert reads.take() == []
    assert [(f.path, f.size, f.sha256) for f in first.files] == [
        (f.path, f.size, f.sha256) for f in second.files
    ]
    assert all(f.from_cache for f in second.files) and not any(f.from_cache for f in first.files)
    # Without an active cache, everything is read: `check` and hand-built sets stay as they were.
    collect_upload_set(folder)
    assert reads.take() == ALL


@pytest.mark.parametrize("same_size", [True, False])
def test_an_edit_is_read_and_scanned_again(folder: Path, monkeypatch, same_size: bool) -> None:
    _collect(folder)
    reads = _Reads(monkeypatch)
    (folder / "a.txt").write_bytes(b"ALPHA\n" if same_size else f"x = '{TOKEN}'\n".encode())
    again = _collect(folder)
    assert reads.take() == ["a.txt"]
    assert again.get("a.txt").sha256 == hashlib.sha256((folder / "a.txt").read_bytes()).hexdigest()


def test_a_touch_is_read_again(folder: Path, monkeypatch) -> None:
    _collect(folder)
    reads = _Reads(monkeypatch)
    _age(folder, HOUR_NS // 2)  # new mtimes, same bytes
    _collect(folder)
    assert reads.take() == ALL
    _collect(folder)
    assert reads.take() == []  # cached again


def test_a_same_size_edit_that_restores_the_mtime_is_caught_by_ctime(
    folder: Path, monkeypatch
) -> None:
    _collect(folder)
    target = folder / "a.txt"
    before = target.stat()
    target.write_bytes(f"{TOKEN[:5]}\n".encode())  # same size (6 bytes)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p`/`touch -r` do
    assert target.stat().st_size == before.st_size
    reads = _Reads(monkeypatch)
    again = _collect(folder)
    assert reads.take() == ["a.txt"]
    assert again.get("a.txt").sha256 == hashlib.sha256(target.read_bytes()).hexdigest()


def test_renames_and_a_new_inode_are_read_again(folder: Path, monkeypatch) -> None:
    _collect(folder)
    a, b, tmp = folder / "a.txt", folder / "b.txt", folder / "tmp"
    os.rename(a, tmp)
    os.rename(b, a)
    os.rename(tmp, b)  # same sizes, same mtimes: only the inodes moved
    data = folder / "sub" / "data.bin"
    st = data.stat()
    copy = folder / "sub" / "copy"
    copy.write_bytes(data.read_bytes())
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(copy, data)  # same bytes, same mtime, another inode
    reads = _Reads(monkeypatch)
    again = _collect(folder)
    assert reads.take() == ["a.txt", "b.txt", "sub/data.bin"]
    assert again.get("a.txt").sha256 == hashlib.sha256(b"bravo\n").hexdigest()


def test_a_file_in_the_racy_margin_is_always_read(folder: Path, monkeypatch) -> None:
    os.utime(folder / "a.txt")  # mtime now: a same-size rewrite within the margin could keep it
    _collect(folder)
    reads = _Reads(monkeypatch)
    _collect(folder)
    assert reads.take() == ["a.txt"]
    _collect(folder)
    assert reads.take() == ["a.txt"]


def test_an_entry_never_answers_while_its_mtime_is_young(folder: Path) -> None:
    # Even an entry somehow stored for a young file is not believed (the lookup checks too).
    cache = stat_cache.StatCache.load(folder)
    st = (folder / "a.txt").stat()
    now = st.st_mtime_ns + stat_cache.RACY_MARGIN_NS  # exactly at the margin: trusted
    sha = hashlib.sha256(b"alpha\n").hexdigest()
    cache.entries["a.txt"] = stat_cache.Entry(
        *stat_cache.fingerprint(st), bytes.fromhex(sha), None, ()
    )
    assert cache.scan_of("a.txt", st, now_ns=now) is not None
    assert cache.scan_of("a.txt", st, now_ns=now - 1) is None


def _spoil(body: dict) -> dict:
    """Mark every entry clean with the digest of other bytes: a lie if ever believed."""
    for entry in body["entries"].values():
        entry[4], entry[6] = b"\xee" * 32, []
    return body


@pytest.mark.parametrize(
    "damage",
    ["truncated", "garbage", "foreign-folder", "other-version", "other-user"],
)
def test_a_corrupt_or_foreign_cache_is_never_trusted(
    folder: Path, monkeypatch, damage: str
) -> None:
    _collect(folder)
    file = _cache_file()
    body = _spoil(msgspec.msgpack.decode(file.read_bytes()))
    if damage == "truncated":
        file.write_bytes(msgspec.msgpack.encode(body)[:-9])
    elif damage == "garbage":
        file.write_bytes(b"\x00" * 64)
    elif damage == "foreign-folder":
        file.write_bytes(msgspec.msgpack.encode({**body, "folder": "/somewhere/else"}))
    elif damage == "other-version":
        file.write_bytes(msgspec.msgpack.encode({**body, "version": stat_cache.VERSION - 1}))
    else:
        file.write_bytes(msgspec.msgpack.encode(body))  # a lie, then owned by someone else
        if os.getuid() == 0:
            os.chown(file, os.getuid() + 4242, -1)
        else:  # only root can give a file away: make this user someone else instead
            monkeypatch.setattr(stat_cache.os, "getuid", lambda: os.getuid() + 4242)
    reads = _Reads(monkeypatch)
    again = _collect(folder)
    assert reads.take() == ALL
    assert not any(f.from_cache for f in again.files)
    assert again.get("a.txt").sha256 == hashlib.sha256(b"alpha\n").hexdigest()


def test_a_good_cache_file_with_a_lie_is_believed_so_the_spoiling_is_real(
    folder: Path, monkeypatch
) -> None:
    # The control for the test above: the same lie in an intact file of this user is used.
    _collect(folder)
    file = _cache_file()
    file.write_bytes(msgspec.msgpack.encode(_spoil(msgspec.msgpack.decode(file.read_bytes()))))
    reads = _Reads(monkeypatch)
    again = _collect(folder)
    assert reads.take() == []
    assert again.get("a.txt").sha256 == "ee" * 32


def test_a_change_of_the_scan_rules_drops_the_verdicts_not_the_digests(
    folder: Path, monkeypatch
) -> None:
    _collect(folder)
    monkeypatch.setattr(stat_cache, "rules_fingerprint", lambda: "other rules")
    reads = _Reads(monkeypatch)
    again = _collect(folder)
    assert reads.take() == ALL  # every verdict is given again under the new rules
    assert not any(f.from_cache for f in again.files)
    _collect(folder)
    assert reads.take() == []  # ...and kept under them


def test_the_rules_fingerprint_follows_the_rules(monkeypatch) -> None:
    from tui.domain import secret_scan

    before = secret_scan.rules_fingerprint()
    secret_scan.rules_fingerprint.cache_clear()
    monkeypatch.setattr(secret_scan, "CODE_SUFFIXES", (*secret_scan.CODE_SUFFIXES, ".lua"))
    try:
        assert secret_scan.rules_fingerprint() != before
    finally:
        secret_scan.rules_fingerprint.cache_clear()


def test_a_finding_is_kept_as_kind_and_line_never_the_secret(folder: Path) -> None:
    (folder / "app.py").write_text(f"import os\nTOKEN = '{TOKEN}'\n")
    _age(folder)
    _collect(folder)
    raw = _cache_file().read_bytes()
    assert TOKEN.encode() not in raw and TOKEN[:8].encode() not in raw
    entry = msgspec.msgpack.decode(raw)["entries"]["app.py"]
    assert entry[6] == [["Hugging Face token", 2]]


def test_a_file_with_a_cached_finding_is_read_so_it_is_reported_afresh(
    folder: Path, monkeypatch
) -> None:
    (folder / "app.py").write_text(f"import os\nTOKEN = '{TOKEN}'\n")
    _age(folder)
    _collect(folder)
    reads = _Reads(monkeypatch)
    again = _collect(folder)
    assert reads.take() == ["app.py"]
    report = run_checks(folder, upload_set=again)
    assert [(f.id, f.file, f.line) for f in report.findings if f.id == "SECRET002"] == [
        ("SECRET002", "app.py", 2)
    ]


# -- deploys over loopback -------------------------------------------------------------------


def _remote(emulator, space_id: str) -> dict[str, bytes]:
    space = emulator.state.get_space(space_id)
    return {} if space is None else {p: b.data for p, b in space.files().items()}


@pytest.mark.asyncio
async def test_an_unchanged_redeploy_reads_nothing(emulator, deploy, folder, monkeypatch) -> None:
    first = await deploy(folder, "alice/site", create=True, follow=False, probe=False)
    assert first.ok, first.message
    reads = _Reads(monkeypatch)
    again = await deploy(folder, "alice/site", follow=False, probe=False)
    assert again.outcome == "unchanged", again.message
    assert reads.take() == []


@pytest.mark.asyncio
async def test_a_cached_finding_still_blocks_the_deploy(
    emulator, deploy, folder, monkeypatch
) -> None:
    (folder / "app.py").write_text(f"import os\nTOKEN = '{TOKEN}'\n")
    _age(folder)
    for _ in range(2):  # the second deploy has the verdict in the cache
        result = await deploy(folder, "alice/site", create=True, follow=False, probe=False)
        assert result.outcome == "blocked" and "SECRET002" in result.check_ids
        assert emulator.state.get_space("alice/site") is None
    entry = msgspec.msgpack.decode(_cache_file().read_bytes())["entries"]["app.py"]
    assert entry[6] == [["Hugging Face token", 2]]


@pytest.mark.asyncio
async def test_cached_files_sent_to_another_space_are_scanned_from_the_bytes_sent(
    emulator, deploy, folder, monkeypatch
) -> None:
    first = await deploy(folder, "alice/site", create=True, follow=False, probe=False)
    assert first.ok, first.message
    scanned: dict[str, str] = {}
    real = upload_verify.scan_bytes

    def spy(data: bytes, *, name: str = ""):  # noqa: ANN202 - a spy on the real scan
        scanned[name] = hashlib.sha256(data).hexdigest()
        return real(data, name=name)

    monkeypatch.setattr(upload_verify, "scan_bytes", spy)
    reads = _Reads(monkeypatch)
    # Every file is known to the cache, and every one must be sent to the new Space.
    second = await deploy(folder, "alice/copy", create=True, follow=False, probe=False)
    assert second.ok, second.message
    assert reads.take() == []
    sent = _remote(emulator, "alice/copy")
    for path in ALL:
        assert scanned[path] == hashlib.sha256(sent[path]).hexdigest()
        assert sent[path] == (folder / path).read_bytes()


@pytest.mark.asyncio
@pytest.mark.parametrize("sent", ["inline", "by-path"])
async def test_a_cache_that_lies_about_a_secret_is_caught_before_sending(
    emulator, deploy, folder, monkeypatch, sent: str
) -> None:
    if sent == "by-path":  # as files over INLINE_BYTES go: read and scanned once more, by path
        monkeypatch.setattr(upload_verify, "INLINE_BYTES", 1)
    first = await deploy(folder, "alice/site", create=True, follow=False, probe=False)
    assert first.ok, first.message
    head = emulator.state.get_space("alice/site").head
    (folder / "a.txt").write_text(f"token: {TOKEN}\n")
    _age(folder)
    blocked = await deploy(folder, "alice/site", follow=False, probe=False)
    assert blocked.outcome == "blocked"
    # Someone rewrites the verdict as clean: the sha256 is right, only the verdict lies.
    file = _cache_file()
    body = msgspec.msgpack.decode(file.read_bytes())
    body["entries"]["a.txt"][6] = []
    file.write_bytes(msgspec.msgpack.encode(body))
    lied = await deploy(folder, "alice/site", follow=False, probe=False)
    assert lied.outcome == "error" and "a.txt holds a possible secret" in lied.message
    assert TOKEN not in lied.message
    assert emulator.state.get_space("alice/site").head == head  # nothing committed
    assert TOKEN.encode() not in _remote(emulator, "alice/site")["a.txt"]
    # The lying entry was dropped: the next deploy reads the file and blocks as it should.
    again = await deploy(folder, "alice/site", follow=False, probe=False)
    assert again.outcome == "blocked" and "SECRET002" in again.check_ids


@pytest.mark.asyncio
async def test_the_space_tree_is_reused_only_while_its_head_stays(
    emulator, deploy, folder, monkeypatch
) -> None:
    from tui.domain.deploy import remote_listing

    asked: list[dict[str, str]] = []
    real = remote_listing._decoded

    async def spy(hub, space_id, params, decoder):  # noqa: ANN001, ANN202 - a spy
        asked.append(params)
        return await real(hub, space_id, params, decoder)

    monkeypatch.setattr(remote_listing, "_decoded", spy)
    first = await deploy(folder, "alice/site", create=True, follow=False, probe=False)
    assert first.ok
    learn = await deploy(folder, "alice/site", follow=False, probe=False)
    assert learn.outcome == "unchanged"
    assert asked == [{"blobs": "true"}] * 2  # nothing kept yet (no Space, then a new head)
    asked.clear()
    unchanged = await deploy(folder, "alice/site", follow=False, probe=False)
    assert unchanged.outcome == "unchanged"
    assert asked == [{"expand": "sha"}]  # the head alone: the kept tree is that head's
    asked.clear()
    # Someone else commits: the kept tree is stale, so the deploy lists the Space again.
    emulator.state.commit("alice/site", {"a.txt": b"changed on the Hub\n", "extra.txt": b"x\n"})
    moved = await deploy(folder, "alice/site", follow=False, probe=False)
    assert asked == [{"expand": "sha"}, {"blobs": "true"}]
    assert moved.ok and moved.outcome != "unchanged", moved.message
    assert _remote(emulator, "alice/site")["a.txt"] == b"alpha\n"
    plan = deploy.of("plan")[0].plan
    assert [f.path for f in plan.to_upload] == ["a.txt"]
    assert [r.path for r in plan.remote_only] == ["extra.txt"]
