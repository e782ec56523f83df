"""The plan compares local files with the remote revision by content hash, hashing only if needed."""

from __future__ import annotations

from pathlib import Path

from tui.domain.deploy.hashing import git_blob_sha1, sha256_of
from tui.domain.deploy.plan import RemoteFile, compare
from tui.domain.upload_set import UploadFile


def _local(tmp_path: Path, name: str, data: bytes) -> UploadFile:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return UploadFile(name, path, len(data))


def test_git_blob_sha1_matches_git() -> None:
    # `printf 'hello\n' | git hash-object --stdin`
    import tempfile

    with tempfile.NamedTemporaryFile() as handle:
        handle.write(b"hello\n")
        handle.flush()
        assert git_blob_sha1(Path(handle.name)) == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_classifies_added_changed_unchanged_and_remote_only(tmp_path: Path) -> None:
    same = _local(tmp_path, "app.py", b"print('hi')\n")
    edited = _local(tmp_path, "Dockerfile", b"FROM python:3.12\n")
    new = _local(tmp_path, "sub/new.txt", b"new")
    big = _local(tmp_path, "model.bin", b"\0" * 2048)
    remote = [
        RemoteFile("app.py", same.size, blob_id=git_blob_sha1(same.local_path)),
        RemoteFile("Dockerfile", edited.size, blob_id="0" * 40),
        RemoteFile("model.bin", big.size, blob_id="f" * 40, lfs_sha256=sha256_of(big.local_path)),
        RemoteFile("old.txt", 3, blob_id="a" * 40),
        RemoteFile(".gitattributes", 10, blob_id="b" * 40),
    ]
    plan = compare("alice/app", [same, edited, new, big], remote, head_sha="c" * 40)

    assert [f.path for f in plan.unchanged] == ["app.py", "model.bin"]
    assert [f.path for f in plan.changed] == ["Dockerfile"]
    assert [f.path for f in plan.added] == ["sub/new.txt"]
    # .gitattributes belongs to the Hub: never offered for deletion.
    assert [r.path for r in plan.remote_only] == ["old.txt"]
    assert plan.upload_bytes == edited.size + new.size
    assert plan.has_changes(delete=False)


def test_size_mismatch_is_a_change_without_hashing(tmp_path: Path) -> None:
    local = _local(tmp_path, "a.txt", b"abc")
    plan = compare("a/b", [local], [RemoteFile("a.txt", 99, blob_id=None)], head_sha=None)
    assert plan.changed[0].remote_size == 99


def test_nothing_to_send_means_no_changes_unless_deleting(tmp_path: Path) -> None:
    local = _local(tmp_path, "a.txt", b"abc")
    remote = [
        RemoteFile("a.txt", 3, blob_id=git_blob_sha1(local.local_path)),
        RemoteFile("gone.txt", 1, blob_id="1" * 40),
    ]
    plan = compare("a/b", [local], remote, head_sha="d" * 40)
    assert not plan.has_changes(delete=False)
    assert plan.has_changes(delete=True)
    assert plan.summary()["remote_only"] == ["gone.txt"]
