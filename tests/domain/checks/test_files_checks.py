"""FILES002–FILES011, table-driven on real folders, plus the size-based rules on sparse files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.checks import files_checks
from tui.domain.checks.context import CheckContext
from tui.domain.checks.engine import run_checks

README = "---\ntitle: T\nemoji: 🚀\nsdk: docker\n---\n"
DOCKER = 'FROM python:3.12\nCMD ["python", "-m", "http.server", "7860"]\n'
BASE = {"README.md": README, "Dockerfile": DOCKER}

# (rule, expected severity or None, files)
ROWS = [
    ("FILES002", "error", {**BASE, ".cache/torch/model.bin": "x"}),
    ("FILES002", None, {**BASE, ".cache/huggingface/hub/x": "x", "cache/x": "x"}),
    ("FILES004", "info", {**BASE, "weights.bin": b"\x00" * (1024 * 1024 + 1)}),
    ("FILES004", None, {**BASE, "small.bin": b"\x00" * 1000, "text.txt": "a" * 2_000_000}),
    ("FILES009", "warning", {**BASE, ".venv/lib/site.py": "x"}),
    ("FILES009", "info", {**BASE, "pkg/__pycache__/m.cpython-311.pyc": "x"}),
    ("FILES009", "info", {**BASE, "debug.log": "x"}),
    ("FILES009", "warning", {**BASE, "web/node_modules/a/index.js": "x"}),
    ("FILES009", None, {**BASE, ".hfignore": ".venv/\n*.log\n", ".venv/x": "", "a.log": ""}),
    ("FILES009", None, {**BASE, "src/build/helper.py": "x"}),
    ("FILES010", "error", {**BASE, "Requirements.txt": "x"}),
    ("FILES010", "warning", {**BASE, "Data.csv": "x", "data.csv": "y"}),
    ("FILES010", None, {**BASE, "requirements.txt": "x"}),
    ("FILES011", "error", {"README.md": b"---\nsdk: docker\ntitle: caf\xe9\n---\n"}),
    ("FILES011", None, BASE),
]


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize(
    ("rule", "severity", "files"), ROWS, ids=[f"{r}-{s}-{i}" for i, (r, s, _) in enumerate(ROWS)]
)
def test_files_rule(tmp_path: Path, rule: str, severity: str | None, files: dict) -> None:
    _write(tmp_path, files)
    found = [f for f in run_checks(tmp_path).findings if f.id == rule]
    if severity is None:
        assert found == [], found
    else:
        assert found and severity in {f.severity.value for f in found}, found


def test_symlinks_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, {**BASE, "real/a.txt": "a"})
    (tmp_path / "linked_dir").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    (tmp_path / "copy.txt").symlink_to(tmp_path / "real" / "a.txt")
    found = {
        (f.file, f.severity.value) for f in run_checks(tmp_path).findings if f.id == "FILES008"
    }
    assert found == {("linked_dir/", "warning"), ("dangling", "warning"), ("copy.txt", "info")}


def test_no_symlink_no_files008(tmp_path: Path) -> None:
    _write(tmp_path, BASE)
    assert not [f for f in run_checks(tmp_path).findings if f.id == "FILES008"]


def _ctx(tmp_path: Path, files: dict[str, int]) -> CheckContext:
    return CheckContext(root=tmp_path, files=files, sdk="docker")


def test_too_many_entries_in_one_folder(tmp_path: Path) -> None:
    files = {f"data/{i}.txt": 1 for i in range(10_001)}
    found = list(files_checks.check_counts(_ctx(tmp_path, files)))
    assert [(f.id, f.severity.value, f.file) for f in found] == [("FILES003", "error", "data")]
    ok = {f"data/{i // 5000}/{i}.txt": 1 for i in range(10_001)}
    assert list(files_checks.check_counts(_ctx(tmp_path, ok))) == []


def test_too_many_files_in_total(tmp_path: Path) -> None:
    files = {f"d{i // 9000}/{i}.txt": 1 for i in range(100_001)}
    found = list(files_checks.check_counts(_ctx(tmp_path, files)))
    assert [(f.id, f.severity.value) for f in found] == [("FILES003", "warning")]


def test_file_size_limits(tmp_path: Path) -> None:
    gb = 1024**3
    ctx = _ctx(tmp_path, {"huge.bin": 501 * gb, "big.bin": 250 * gb, "ok.bin": 10 * gb})
    found = {(f.file, f.severity.value) for f in files_checks.check_file_size_limits(ctx)}
    assert found == {("huge.bin", "error"), ("big.bin", "warning")}


def test_large_file_budget_and_private_quota(tmp_path: Path) -> None:
    # Sparse files: real sizes on disk are tiny, but the check sees what would be uploaded.
    for name in ("a.bin", "b.bin"):
        with open(tmp_path / name, "wb") as handle:
            handle.truncate(6 * 1024**3)
    ctx = _ctx(tmp_path, {"a.bin": 6 * 1024**3, "b.bin": 6 * 1024**3})
    large = list(files_checks.check_large_files(ctx))
    assert {f.id for f in large} == {"FILES004", "FILES006"}
    assert [f.id for f in files_checks.check_private_quota(ctx)] == ["FILES007"]
    small = _ctx(tmp_path, {"x.txt": 10})
    assert list(files_checks.check_private_quota(small)) == []
