"""The emulator's pure helpers: git ids, LFS rules, tree listing, NDJSON parsing, time formats."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.emulator.blobs import Blob, git_blob_sha1
from tui.emulator.errors import HubError, header_safe
from tui.emulator.lfs_rules import LFS_SIZE_THRESHOLD, LfsRules
from tui.emulator.routes_commit import parse_ndjson
from tui.emulator.routes_files import list_tree
from tui.emulator.state import DEFAULT_GITATTRIBUTES
from tui.emulator.timefmt import http_date, iso_z


def test_git_blob_ids_match_git() -> None:
    assert (
        git_blob_sha1(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    )  # `git hash-object /dev/null`
    assert git_blob_sha1(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_lfs_blob_ids_hash_the_pointer() -> None:
    blob = Blob(b"\0" * 10, lfs=True)
    assert blob.oid == hashlib.sha256(b"\0" * 10).hexdigest()
    assert blob.pointer.startswith(b"version https://git-lfs.github.com/spec/v1\noid sha256:")
    assert blob.blob_id == git_blob_sha1(blob.pointer)
    assert Blob(b"x").oid == git_blob_sha1(b"x")


def test_lfs_rules() -> None:
    rules = LfsRules.from_text(DEFAULT_GITATTRIBUTES.decode())
    assert rules.wants_lfs_for("models/w.safetensors", 10, b"{}")
    assert rules.wants_lfs_for("deep/dir/archive.zip", 10, b"PK")
    assert rules.wants_lfs_for("notes.txt", 10, b"a\0b")
    assert rules.wants_lfs_for("big.txt", LFS_SIZE_THRESHOLD + 1, b"text")
    assert not rules.wants_lfs_for("big.txt", LFS_SIZE_THRESHOLD, b"text")
    assert not rules.wants_lfs_for("empty.bin", 0, b"")
    assert not LfsRules.from_text("# *.txt filter=lfs\n*.md text\n").wants_lfs_for(
        "a.md", 3, b"abc"
    )


def test_tree_listing_levels() -> None:
    tree = {path: Blob(b"x") for path in ("a.txt", "src/b.py", "src/pkg/c.py")}
    assert [e["path"] for e in list_tree(tree, "", recursive=False)] == ["a.txt", "src"]
    assert [e["path"] for e in list_tree(tree, "src", recursive=False)] == ["src/b.py", "src/pkg"]
    assert [(e["type"], e["path"]) for e in list_tree(tree, "", recursive=True)] == [
        ("file", "a.txt"),
        ("directory", "src"),
        ("file", "src/b.py"),
        ("directory", "src/pkg"),
        ("file", "src/pkg/c.py"),
    ]


def test_parse_ndjson() -> None:
    header, ops = parse_ndjson(
        b'{"key":"header","value":{"summary":"s","description":""}}\n\n'
        b'{"key":"deletedFolder","value":{"path":"d/"}}\n'
    )
    assert header["summary"] == "s"
    assert ops == [("deletedFolder", {"path": "d/"})]
    for bad in (
        b"",
        b'{"key":"header","value":{"summary":""}}',
        b'{"key":"nope","value":{}}',
        b"[1]",
    ):
        with pytest.raises(HubError) as caught:
            parse_ndjson(bad)
        assert caught.value.status == 400


@given(st.binary(max_size=400))
def test_parse_ndjson_only_ever_raises_400s(payload: bytes) -> None:
    try:
        parse_ndjson(payload)
    except HubError as exc:
        assert exc.status == 400


def test_time_formats() -> None:
    assert iso_z(1_780_000_000.1234) == "2026-05-28T20:26:40.123Z"
    assert http_date(1_780_000_000) == "Thu, 28 May 2026 20:26:40 GMT"


@given(st.text())
def test_header_safe_is_always_printable_ascii(text: str) -> None:
    safe = header_safe(text)
    assert all(32 <= ord(ch) < 127 for ch in safe)
