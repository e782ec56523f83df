"""The deploy stamp's digest and file: every change a deploy could miss changes the digest."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tui.domain import stat_cache
from tui.domain.deploy import stamp as stamp_module
from tui.domain.deploy.stamp import (
    Stamp,
    code_fingerprint,
    folder_digest,
    forget_stamp,
    load_stamp,
    outside_walked,
    save_stamp,
    settled_before,
    stamp_path,
)

HOUR_NS = 3600 * 10**9
SHA = "a" * 40
WHERE = ("http://127.0.0.1:1", "alice/app")


def _write(folder: Path, path: str, data: bytes = b"x") -> Path:
    file = folder / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data)
    return file


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "space"
    for path in ("README.md", "app.py", "data/a.txt", "data/b.txt", "logs/x.log", ".hfignore"):
        _write(root, path, path.encode())
    return root


WALKED = ("", "data")  # `logs/` stands for a folder the walk skipped (.hfignore'd)


def _digest(folder: Path, *, marks: tuple[str, ...] = (), **kwargs: object) -> str | None:
    # Everything written by the test is older than "now + 1 h": settled for the check.
    settled = int(kwargs.pop("settled", time.time_ns() + HOUR_NS))  # type: ignore[call-overload]
    got = folder_digest(
        folder, WALKED, marks, endpoint="http://h", space_id="a/b", settled_before_ns=settled
    )
    return None if got is None else got[0]


def test_the_digest_is_stable_for_an_unchanged_folder(folder: Path) -> None:
    assert _digest(folder) is not None
    assert _digest(folder) == _digest(folder)


@pytest.mark.parametrize(
    "change",
    [
        "edit_same_size",
        "touch",
        "chmod",
        "rename",
        "new_file",
        "new_folder",
        "remove",
        "hfignore",
        "ignored_file_in_listed_folder",
        "replace_by_copy",
    ],
)
def test_every_change_a_deploy_would_see_changes_the_digest(folder: Path, change: str) -> None:
    before = _digest(folder)
    if change == "edit_same_size":
        (folder / "app.py").write_bytes(b"APP.PY")  # same size; mtime/ctime move
    elif change == "touch":
        os.utime(folder / "data/a.txt")
    elif change == "chmod":
        os.chmod(folder / "app.py", 0o600)
    elif change == "rename":
        (folder / "data/b.txt").rename(folder / "data/c.txt")
    elif change == "new_file":
        _write(folder, "data/new.txt")
    elif change == "new_folder":
        (folder / "data/sub").mkdir()
    elif change == "remove":
        (folder / "data/a.txt").unlink()
    elif change == "hfignore":
        (folder / ".hfignore").write_text("logs/\n")
    elif change == "ignored_file_in_listed_folder":
        _write(folder, "debug.log")
    elif change == "replace_by_copy":
        data = (folder / "app.py").read_bytes()
        st = (folder / "app.py").stat()
        (folder / "app.py").unlink()
        _write(folder, "app.py", data)
        os.utime(folder / "app.py", ns=(st.st_atime_ns, st.st_mtime_ns))  # same bytes, mtime
    assert _digest(folder) != before


def test_a_skipped_folder_is_not_listed_but_a_checked_path_in_it_is_marked(folder: Path) -> None:
    before = _digest(folder)
    _write(folder, "logs/y.log")  # inside a folder the walk skipped: no deploy reads it
    assert _digest(folder) == before
    marked = _digest(folder, marks=("logs/z.txt",))
    _write(folder, "logs/z.txt")  # a path the checks asked about (absent before)
    assert _digest(folder, marks=("logs/z.txt",)) != marked


def test_nothing_is_vouched_for_that_changed_too_recently(folder: Path) -> None:
    assert _digest(folder, settled=time.time_ns() + HOUR_NS) is not None
    # The files were written moments ago: a check "now" does not trust them yet.
    assert _digest(folder, settled=settled_before()) is None


def test_a_symlink_or_a_missing_listed_folder_refuses(folder: Path) -> None:
    (folder / "link.txt").symlink_to(folder / "app.py")
    assert _digest(folder) is None
    (folder / "link.txt").unlink()
    assert _digest(folder) is not None
    for file in (folder / "data").iterdir():
        file.unlink()
    (folder / "data").rmdir()
    assert _digest(folder) is None


def test_the_endpoint_and_space_are_part_of_the_digest(folder: Path) -> None:
    settled = time.time_ns() + HOUR_NS
    one = folder_digest(
        folder, WALKED, (), endpoint="e1", space_id="a/b", settled_before_ns=settled
    )
    two = folder_digest(
        folder, WALKED, (), endpoint="e2", space_id="a/b", settled_before_ns=settled
    )
    three = folder_digest(
        folder, WALKED, (), endpoint="e1", space_id="a/c", settled_before_ns=settled
    )
    assert one and two and three and len({one[0], two[0], three[0]}) == 3


def test_the_code_fingerprint_moves_with_any_deciding_source_file(tmp_path: Path) -> None:
    package = tmp_path / "tui"
    _write(package, "domain/rules.py", b"A = 1\n")
    _write(package, "commands/deploy.py", b"B = 1\n")
    _write(package, "ui/screen.py", b"C = 1\n")
    before = code_fingerprint(package)
    os.utime(package / "ui/screen.py", ns=(1, 1))  # the app's screens decide nothing
    assert code_fingerprint(package) == before
    os.utime(package / "domain/rules.py", ns=(1, 1))
    assert code_fingerprint(package) != before


def test_the_code_fingerprint_moves_with_a_deciding_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = _write(tmp_path / "libs", "fakematcher/__init__.py", b"RULES = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "libs"))
    package = tmp_path / "tui"
    _write(package, "domain/rules.py", b"A = 1\n")
    before = code_fingerprint(package, ("fakematcher",))
    assert code_fingerprint(package, ("fakematcher",)) == before
    library.write_bytes(b"RULES = 22\n")  # an upgrade rewrites the library's files
    assert code_fingerprint(package, ("fakematcher",)) != before


def test_outside_walked_keeps_only_paths_in_folders_the_walk_skipped() -> None:
    assert outside_walked({"app.py", "data/x", "logs/y", "a/b/c"}, WALKED) == ("a/b/c", "logs/y")


def _stamp(**fields: object) -> Stamp:
    base: dict[str, object] = {
        "endpoint": "http://127.0.0.1:1",
        "space_id": "alice/app",
        "head_sha": SHA,
        "digest": "b" * 64,
        "walked": ("", "data"),
        "marks": (),
        "files": 3,
        "needed": ("OPENAI_API_KEY",),
    }
    base.update(fields)
    return Stamp(**base)  # type: ignore[arg-type]


def test_a_saved_stamp_loads_back(folder: Path) -> None:
    assert save_stamp(folder, _stamp())
    assert load_stamp(folder, *WHERE) == _stamp()
    assert stamp_path(folder, *WHERE).stat().st_mode & 0o777 == 0o600
    forget_stamp(folder, *WHERE)
    assert load_stamp(folder, *WHERE) is None


@pytest.mark.parametrize(
    "spoil",
    [
        lambda body: body.update(format="other"),
        lambda body: body.update(v=99),
        lambda body: body.update(folder="/elsewhere"),
        lambda body: body.update(head_sha="main"),
        lambda body: body.update(digest="z" * 64),
        lambda body: body.update(files=-1),
        lambda body: body.update(files=True),
        lambda body: body.update(walked=["data"]),  # no root
        lambda body: body.update(walked=["", "../out"]),
        lambda body: body.update(needed="OPENAI_API_KEY"),
        lambda body: body.pop("marks"),
    ],
)
def test_a_foreign_or_spoiled_stamp_is_ignored(folder: Path, spoil) -> None:  # noqa: ANN001
    save_stamp(folder, _stamp())
    body = json.loads(stamp_path(folder, *WHERE).read_text())
    spoil(body)
    stamp_path(folder, *WHERE).write_text(json.dumps(body))
    assert load_stamp(folder, *WHERE) is None


def test_each_space_a_folder_goes_to_keeps_its_own_stamp(folder: Path) -> None:
    other = _stamp(space_id="alice/other")
    save_stamp(folder, _stamp())
    save_stamp(folder, other)
    assert load_stamp(folder, *WHERE) == _stamp()
    assert load_stamp(folder, "http://127.0.0.1:1", "alice/other") == other
    forget_stamp(folder, *WHERE)
    assert load_stamp(folder, "http://127.0.0.1:1", "alice/other") == other
    assert load_stamp(folder, "http://elsewhere", "alice/app") is None


def test_a_stamp_answers_only_for_the_hub_and_space_it_names(folder: Path) -> None:
    save_stamp(folder, _stamp())
    planted = stamp_path(folder, "http://127.0.0.1:1", "alice/other")
    planted.write_bytes(stamp_path(folder, *WHERE).read_bytes())  # another Space's file name
    assert load_stamp(folder, "http://127.0.0.1:1", "alice/other") is None


def test_a_corrupt_or_linked_stamp_file_is_ignored(folder: Path, tmp_path: Path) -> None:
    save_stamp(folder, _stamp())
    stamp_path(folder, *WHERE).write_bytes(b"\x00not json")
    assert load_stamp(folder, *WHERE) is None
    elsewhere = tmp_path / "planted.json"
    save_stamp(folder, _stamp())
    stamp_path(folder, *WHERE).rename(elsewhere)
    stamp_path(folder, *WHERE).symlink_to(elsewhere)  # a link could point anywhere: never followed
    assert load_stamp(folder, *WHERE) is None


def test_the_racy_margin_is_the_stat_caches() -> None:
    assert stamp_module.RACY_MARGIN_NS == stat_cache.RACY_MARGIN_NS
