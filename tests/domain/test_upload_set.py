"""The upload set: huggingface_hub's walk, .hfignore and the server-side .gitignore, with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.errors import UsageError
from tui.domain.upload_set import (
    DANGLING_REASON,
    DEFAULT_IGNORE_PATTERNS,
    SYMLINK_DIR_REASON,
    UploadFile,
    collect_upload_set,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def reasons(upload_set) -> dict[str, str]:
    return {e.path: e.reason for e in upload_set.excluded}


def test_default_ignore_patterns_are_huggingface_hubs() -> None:
    from huggingface_hub.utils._paths import DEFAULT_IGNORE_PATTERNS as HUB_PATTERNS

    assert DEFAULT_IGNORE_PATTERNS == HUB_PATTERNS


def test_files_sizes_and_total(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "print(1)\n", "sub/data.txt": "abc", "sub/deeper/x.json": "{}"})
    result = collect_upload_set(tmp_path)
    assert result.paths() == ["app.py", "sub/data.txt", "sub/deeper/x.json"]
    assert [f.size for f in result.files] == [9, 3, 2]
    assert result.total_bytes == 14
    assert result.get("sub/data.txt").local_path == tmp_path / "sub" / "data.txt"
    assert "app.py" in result and "nope" not in result
    assert result.excluded == ()


def test_git_and_hf_cache_are_always_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": "",
            ".git/config": "",
            ".git/objects/ab/cdef": "",
            "sub/.git": "gitdir: ../.git/modules/sub",  # a submodule's .git file
            "lib/.git/HEAD": "",
            ".cache/huggingface/token": "",
            "nested/.cache/huggingface/hub/x": "",
            ".cache/torch/kept.bin": "",
        },
    )
    result = collect_upload_set(tmp_path)
    assert result.paths() == [".cache/torch/kept.bin", "app.py"]
    assert reasons(result) == {
        ".cache/huggingface/": "always skipped: .cache/huggingface/",
        ".git/": "always skipped: .git/",
        "lib/.git/": "always skipped: .git/",
        "nested/.cache/huggingface/": "always skipped: .cache/huggingface/",
        "sub/.git": "always skipped: .git/",
    }


def test_same_files_as_huggingface_hub_upload_folder(tmp_path: Path) -> None:
    """The walk lists exactly what huggingface_hub's upload_folder would send (no README, so
    the listing needs no network)."""
    from huggingface_hub import HfApi

    write(
        tmp_path,
        {
            "app.py": "x",
            "a/b/c.txt": "y",
            ".hidden/file": "z",
            ".git/config": "",
            "m/.cache/huggingface/x": "",
            "target/real.txt": "t",
        },
    )
    (tmp_path / "link_to_file.txt").symlink_to(tmp_path / "app.py")
    (tmp_path / "link_to_dir").symlink_to(tmp_path / "target", target_is_directory=True)
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    ops = HfApi(endpoint="http://127.0.0.1:9")._prepare_upload_folder_additions(
        tmp_path, path_in_repo="", ignore_patterns=list(DEFAULT_IGNORE_PATTERNS), repo_type="space"
    )
    assert collect_upload_set(tmp_path).paths() == sorted(op.path_in_repo for op in ops)


def test_symlinks_follow_huggingface_hub(tmp_path: Path) -> None:
    write(tmp_path, {"real/data.bin": "12345", "app.py": ""})
    (tmp_path / "copy.bin").symlink_to(tmp_path / "real" / "data.bin")
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "broken").symlink_to(tmp_path / "nowhere")
    result = collect_upload_set(tmp_path)
    assert result.paths() == ["app.py", "copy.bin", "real/data.bin"]
    copy = result.get("copy.bin")
    assert copy is not None and copy.is_symlink and copy.size == 5
    assert reasons(result) == {"alias/": SYMLINK_DIR_REASON, "broken": DANGLING_REASON}


def test_hfignore_reasons_name_the_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".hfignore": "# comment\n\n*.log\n!keep.log\nbuild/\n/secret.txt\n",
            "app.py": "",
            "debug.log": "",
            "keep.log": "",
            "sub/trace.log": "",
            "build/out/x.o": "",
            "secret.txt": "",
            "sub/secret.txt": "",
        },
    )
    result = collect_upload_set(tmp_path)
    assert result.paths() == [".hfignore", "app.py", "keep.log", "sub/secret.txt"]
    by_path = {e.path: e for e in result.excluded}
    assert by_path["debug.log"].reason == ".hfignore line 3: *.log"
    assert (by_path["debug.log"].source, by_path["debug.log"].line) == (".hfignore", 3)
    assert by_path["sub/trace.log"].line == 3
    assert by_path["build/"].reason == ".hfignore line 5: build/"
    assert by_path["secret.txt"].reason == ".hfignore line 6: /secret.txt"
    assert result.exclusion_of("build/out/x.o") == by_path["build/"]
    assert result.exclusion_of("app.py") is None


def test_hfignore_with_crlf_and_bom(tmp_path: Path) -> None:
    (tmp_path / ".hfignore").write_bytes(b"\xef\xbb\xbf*.tmp\r\ndata/\r\n")
    write(tmp_path, {"a.tmp": "", "data/x": "", "b.txt": ""})
    result = collect_upload_set(tmp_path)
    assert result.paths() == [".hfignore", "b.txt"]


def test_server_side_gitignore_from_the_upload(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".gitignore": "*.safetensors\nmodels/\n",
            "Dockerfile": "",
            "models/w.bin": "",
            "weights.safetensors": "",
        },
    )
    result = collect_upload_set(tmp_path, remote_gitignore="Dockerfile\n")
    # The uploaded .gitignore replaces the remote one, so Dockerfile stays.
    assert result.paths() == [".gitignore", "Dockerfile"]
    by_path = {e.path: e for e in result.excluded}
    assert by_path["models/w.bin"].reason == "server-side .gitignore line 2: models/"
    assert by_path["weights.safetensors"].line == 1


def test_remote_gitignore_applies_without_a_local_one(tmp_path: Path) -> None:
    write(tmp_path, {"data/a.csv": "", "app.py": ""})
    result = collect_upload_set(tmp_path, remote_gitignore="data/\n")
    assert result.paths() == ["app.py"]
    assert reasons(result) == {"data/a.csv": "server-side .gitignore (remote) line 1: data/"}


def test_hfignored_gitignore_is_not_applied(tmp_path: Path) -> None:
    write(tmp_path, {".hfignore": ".gitignore\n", ".gitignore": "*\n", "app.py": ""})
    assert collect_upload_set(tmp_path).paths() == [".hfignore", "app.py"]


def test_not_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        collect_upload_set(tmp_path / "missing")
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match="not a folder"):
        collect_upload_set(tmp_path / "file")


def test_upload_file_keeps_its_contract() -> None:
    upload = UploadFile("a/b.txt", Path("/x/a/b.txt"), 3)
    assert (upload.path, upload.local_path, upload.size, upload.is_symlink) == (
        "a/b.txt",
        Path("/x/a/b.txt"),
        3,
        False,
    )
    assert upload == UploadFile("a/b.txt", "/x/a/b.txt", 3)


def test_the_repositorys_own_hfignore_keeps_dev_files_out() -> None:
    result = collect_upload_set(REPO_ROOT)
    paths = result.paths()
    assert "pyproject.toml" in paths and "README.md" in paths
    assert any(p.startswith("tui/") and p.endswith(".py") for p in paths)
    for path in paths:
        first = path.split("/")[0]
        assert first not in ("tests", ".github", ".ci", ".venv", "venv", "benchmarks"), path
        assert "__pycache__" not in path.split("/"), path
        assert not path.endswith(".pyc"), path
        assert ".pytest_cache" not in path and ".ruff_cache" not in path, path


def test_odd_patterns_neither_crash_nor_warn(tmp_path: Path) -> None:
    import warnings

    write(tmp_path, {".hfignore": "[[a]\n[z-a]\n\\\n!\n", "a": "", "b": ""})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = collect_upload_set(tmp_path)
    # `[[a]` is the set {"[", "a"} (as in git); the other lines never match anything.
    assert result.paths() == [".hfignore", "b"]
    assert reasons(result) == {"a": ".hfignore line 1: [[a]"}
