"""Conformance: uploads (preupload, LFS, commit) and downloads through the real huggingface_hub."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

import httpx
import pytest
from huggingface_hub import CommitOperationAdd, HfApi, constants, hf_hub_download
from huggingface_hub.errors import BadRequestError, EntryNotFoundError, HfHubHTTPError

from tests.helpers.hub import ALICE_TOKEN
from tui.emulator.clock import ManualClock
from tui.emulator.server import RunningEmulator, serve_emulator

BIG = 11 * 1024 * 1024  # above the Hub's 10 MB regular-file limit, and above one 8 MiB LFS part


def make_space_folder(root: Path) -> dict[str, bytes]:
    """A small Space with text files, a small binary and a >10 MB binary (random: no xet dedup)."""
    files = {
        "README.md": b"---\ntitle: Demo\nemoji: \xf0\x9f\x9a\x80\nsdk: docker\napp_port: 7860\n---\n",
        "Dockerfile": b"FROM python:3.12-slim\nCOPY . .\nCMD python app.py\n",
        "app.py": b"print('hello')\n",
        "src/util.py": b"X = 1\n",
        "assets/icon.bin": b"\x89PNG\0\0" + os.urandom(2000),
        "weights/model.bin": os.urandom(BIG),
    }
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return files


def download_all(
    emulator: RunningEmulator, space_id: str, paths: list[str], tmp: Path
) -> dict[str, bytes]:
    out = {}
    for path in paths:
        local = hf_hub_download(
            space_id,
            path,
            repo_type="space",
            endpoint=emulator.url,
            token=ALICE_TOKEN,
            cache_dir=tmp / "cache",
        )
        out[path] = Path(local).read_bytes()
    return out


def test_upload_on_the_clients_default_path_round_trips(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    """With hf_xet importable (the client's default), the client would send every `lfs`-mode file
    through Xet, whose CAS protocol the emulator cannot serve, and no request reveals which path a
    client will take. So by default the emulator answers `regular` for every file: the client then
    inlines them in the commit, even the >10 MB binary, and reads them back byte for byte."""
    assert constants.HF_HUB_DISABLE_XET is False
    alice_api.create_repo("alice/app", repo_type="space", space_sdk="docker")
    files = make_space_folder(tmp_path / "src")

    info = alice_api.upload_folder(
        folder_path=tmp_path / "src", repo_id="alice/app", repo_type="space"
    )

    space = emulator.state.get_space("alice/app")
    assert space is not None and info.oid == space.head
    assert set(space.revisions[space.head]) == {".gitattributes", *files}
    assert download_all(emulator, "alice/app", list(files), tmp_path) == files


def test_upload_on_plain_lfs_uses_basic_and_multipart(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HF_HUB_DISABLE_XET plus the emulator's `lfs_uploads` switch: binaries go through the LFS
    batch API; the small one as one PUT, the >10 MB one as 8 MiB multipart parts."""
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)
    emulator.state.lfs_uploads = True
    alice_api.create_repo("alice/app", repo_type="space", space_sdk="docker")
    files = make_space_folder(tmp_path / "src")
    # Zero-cost fault rules double as request counters: each expires after `count` matches.
    icon_oid = hashlib.sha256(files["assets/icon.bin"]).hexdigest()
    emulator.faults.set(route=f"/lfs-storage/alice/app/{icon_oid}", latency=0.001, count=2)
    emulator.faults.set(route="/part/", latency=0.001, count=2)
    emulator.faults.set(route="/complete", latency=0.001, count=1)

    alice_api.upload_folder(folder_path=tmp_path / "src", repo_id="alice/app", repo_type="space")

    assert emulator.faults.rules() == []  # one PUT + one verify; two parts; one completion
    space = emulator.state.get_space("alice/app")
    assert space is not None
    tree = space.revisions[space.head]
    assert {path for path, blob in tree.items() if blob.lfs} == {
        "assets/icon.bin",
        "weights/model.bin",
    }
    assert download_all(emulator, "alice/app", list(files), tmp_path) == files
    siblings = {
        s.rfilename: s for s in alice_api.space_info("alice/app", files_metadata=True).siblings
    }
    assert siblings["weights/model.bin"].lfs is not None
    assert siblings["weights/model.bin"].lfs.size == BIG


def test_unchanged_reupload_makes_no_new_revision(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    alice_api.create_repo("alice/app", repo_type="space", space_sdk="docker")
    (tmp_path / "app.py").write_text("print(1)\n")
    (tmp_path / "Dockerfile").write_text("FROM python\n")
    first = alice_api.upload_folder(folder_path=tmp_path, repo_id="alice/app", repo_type="space")
    space = emulator.state.get_space("alice/app")
    assert space is not None
    revisions = len(space.revisions)

    again = alice_api.upload_folder(folder_path=tmp_path, repo_id="alice/app", repo_type="space")

    assert again.oid == first.oid
    assert len(space.revisions) == revisions


def test_unchanged_lfs_reupload_makes_no_new_revision(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)
    emulator.state.lfs_uploads = True
    alice_api.create_repo("alice/app", repo_type="space", space_sdk="docker")
    (tmp_path / "data.bin").write_bytes(b"\0\1\2" * 1000)
    first = alice_api.upload_folder(folder_path=tmp_path, repo_id="alice/app", repo_type="space")
    again = alice_api.upload_folder(folder_path=tmp_path, repo_id="alice/app", repo_type="space")
    assert again.oid == first.oid


def test_gitignore_in_the_upload_makes_the_server_ignore_paths(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    alice_api.create_repo("alice/app", repo_type="space", space_sdk="static")
    (tmp_path / ".gitignore").write_text("*.log\nbuild/\n")
    (tmp_path / "index.html").write_text("<h1>hi</h1>")
    (tmp_path / "debug.log").write_text("noise")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "out.js").write_text("x")

    alice_api.upload_folder(folder_path=tmp_path, repo_id="alice/app", repo_type="space")

    files = set(alice_api.list_repo_files("alice/app", repo_type="space"))
    assert files == {".gitattributes", ".gitignore", "index.html"}


def test_gitattributes_patterns_choose_lfs(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.state.lfs_uploads = True
    response = httpx.post(
        f"{emulator.url}/api/spaces/alice/app/preupload/main",
        headers={"authorization": f"Bearer {ALICE_TOKEN}"},
        json={
            "files": [
                {
                    "path": "model.safetensors",
                    "sample": base64.b64encode(b"{}").decode(),
                    "size": 2,
                },
                {"path": "app.py", "sample": base64.b64encode(b"print()").decode(), "size": 7},
                {"path": "empty.bin", "sample": "", "size": 0},
            ]
        },
    )
    modes = {entry["path"]: entry["uploadMode"] for entry in response.json()["files"]}
    assert modes == {"model.safetensors": "lfs", "app.py": "regular", "empty.bin": "regular"}
    assert response.json()["commitOid"] == emulator.state.get_space("alice/app").head


def test_create_pr_returns_a_discussion_url_and_leaves_main_alone(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    head = emulator.state.get_space("alice/app").head
    info = alice_api.create_commit(
        "alice/app",
        [CommitOperationAdd("app.py", b"print(2)\n")],
        commit_message="Try a change",
        repo_type="space",
        create_pr=True,
    )
    assert info.pr_url is not None and info.pr_url.endswith("/discussions/1")
    assert emulator.state.get_space("alice/app").head == head
    pr_files = alice_api.list_repo_files("alice/app", repo_type="space", revision="refs/pr/1")
    assert "app.py" in pr_files


def test_delete_patterns_and_delete_folder(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.state.commit(
        "alice/app", {"old.txt": b"1", "keep.txt": b"2", "docs/a.md": b"a", "docs/b/c.md": b"c"}
    )
    (tmp_path / "new.txt").write_text("3")
    alice_api.upload_folder(
        folder_path=tmp_path, repo_id="alice/app", repo_type="space", delete_patterns=["old.txt"]
    )
    alice_api.delete_folder("docs", repo_id="alice/app", repo_type="space")
    files = set(alice_api.list_repo_files("alice/app", repo_type="space"))
    assert files == {".gitattributes", "keep.txt", "new.txt"}
    with pytest.raises(EntryNotFoundError):
        alice_api.delete_file("missing.txt", repo_id="alice/app", repo_type="space")


def test_tree_listing_paginates_and_paths_info(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.state.commit(
        "alice/app", {f"pkg/m{i}.py": b"x" * i for i in range(12)} | {"a.py": b""}
    )
    emulator.state.page_size = 5
    entries = list(alice_api.list_repo_tree("alice/app", repo_type="space", recursive=True))
    paths = [entry.path for entry in entries]
    assert len(paths) == 15 and "pkg" in paths and "pkg/m11.py" in paths
    top = [entry.path for entry in alice_api.list_repo_tree("alice/app", repo_type="space")]
    assert top == [".gitattributes", "a.py", "pkg"]
    info = alice_api.get_paths_info("alice/app", ["pkg/m3.py", "pkg", "nope"], repo_type="space")
    assert [(item.path, type(item).__name__) for item in info] == [
        ("pkg/m3.py", "RepoFile"),
        ("pkg", "RepoFolder"),
    ]


def test_lfs_file_without_an_uploaded_object_is_a_bad_request(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    lines = [
        {"key": "header", "value": {"summary": "add", "description": ""}},
        {
            "key": "lfsFile",
            "value": {"path": "x.bin", "algo": "sha256", "oid": "a" * 64, "size": 3},
        },
    ]
    response = httpx.post(
        f"{emulator.url}/api/spaces/alice/app/commit/main",
        headers={"authorization": f"Bearer {ALICE_TOKEN}", "content-type": "application/x-ndjson"},
        content="".join(json.dumps(line) + "\n" for line in lines),
    )
    assert response.status_code == 400
    assert "never uploaded" in response.json()["error"]


def test_stale_parent_commit_is_rejected(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    parent = emulator.state.get_space("alice/app").head
    emulator.state.commit("alice/app", {"a.txt": b"moved on"})
    with pytest.raises(HfHubHTTPError) as caught:
        alice_api.create_commit(
            "alice/app",
            [CommitOperationAdd("b.txt", b"b")],
            commit_message="late",
            repo_type="space",
            parent_commit=parent,
        )
    assert caught.value.response.status_code == 412


def test_malformed_commit_payloads_are_clear_400s(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    url = f"{emulator.url}/api/spaces/alice/app/commit/main"
    headers = {"authorization": f"Bearer {ALICE_TOKEN}"}
    for body, fragment in (
        (b"not json\n", "Invalid JSON on line 1"),
        (b'{"key":"file","value":{"path":"a","content":""}}\n', "must start with a header"),
        (
            b'{"key":"header","value":{"summary":"s"}}\n{"key":"file","value":{"path":"../x","content":""}}\n',
            "Invalid path",
        ),
    ):
        response = httpx.post(url, headers=headers, content=body)
        assert response.status_code == 400, body
        assert fragment in response.json()["error"]


def test_readme_with_bad_metadata_blocks_the_upload(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    (tmp_path / "README.md").write_text("---\nsdk: docker\ncolorFrom: orange\n---\n")
    with pytest.raises(ValueError, match='"colorFrom" must be one of'):
        alice_api.upload_folder(folder_path=tmp_path, repo_id="alice/app", repo_type="space")


def test_resolve_headers_and_ranges(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    sha = emulator.state.commit("alice/app", {"a.txt": b"0123456789", "w.bin": b"\0" * 64})
    url = f"{emulator.url}/spaces/alice/app/resolve/main"
    head = httpx.head(f"{url}/a.txt")
    assert head.headers["X-Repo-Commit"] == sha
    assert head.headers["Content-Length"] == "10" and "X-Xet-Hash" not in head.headers
    lfs = httpx.head(f"{url}/w.bin")
    assert lfs.headers["X-Linked-Size"] == "64" and lfs.headers["X-Linked-Etag"].startswith('"')
    part = httpx.get(f"{url}/a.txt", headers={"Range": "bytes=2-4"})
    assert part.status_code == 206 and part.content == b"234"
    missing = httpx.get(f"{url}/nope.txt")
    assert missing.status_code == 404 and missing.headers["X-Error-Code"] == "EntryNotFound"


def test_bad_request_errors_are_typed_for_the_client(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    with pytest.raises(BadRequestError):
        alice_api.create_commit(
            "alice/app",
            [CommitOperationAdd("a.txt", b"x")],
            commit_message="   ",
            repo_type="space",
        )


def test_a_large_folder_arrives_in_several_commits_on_the_default_path(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    """Over 256 files: several preupload batches; the client's pipeline may split the commit."""
    emulator.state.create_space("alice/many", sdk="static")
    for index in range(600):
        (tmp_path / f"f{index:03d}.txt").write_text(f"file {index}\n")
    alice_api.upload_folder(folder_path=tmp_path, repo_id="alice/many", repo_type="space")
    space = emulator.state.get_space("alice/many")
    assert space is not None
    tree = space.revisions[space.head]
    assert len(tree) == 601
    assert tree["f599.txt"].data == b"file 599\n"


def test_a_commit_through_the_client_starts_a_build(tmp_path: Path) -> None:
    with serve_emulator(users={"alice": ALICE_TOKEN}, clock=ManualClock()) as emu:
        api = HfApi(endpoint=emu.url, token=ALICE_TOKEN)
        api.create_repo("alice/app", repo_type="space", space_sdk="docker")
        (tmp_path / "README.md").write_text("---\nsdk: docker\napp_port: 7860\n---\n")
        (tmp_path / "Dockerfile").write_text("FROM python:3.12\nCMD python -m http.server 7860\n")
        api.upload_folder(folder_path=tmp_path, repo_id="alice/app", repo_type="space")
        assert api.get_space_runtime("alice/app").stage == "BUILDING"


def test_upload_folder_as_a_pull_request_on_the_default_path(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    """The pipelined client opens the PR through the discussions API, then commits to refs/pr/N."""
    emulator.state.create_space("alice/app", sdk="static")
    head = emulator.state.get_space("alice/app").head
    (tmp_path / "index.html").write_text("<p>proposed</p>")
    info = alice_api.upload_folder(
        folder_path=tmp_path, repo_id="alice/app", repo_type="space", create_pr=True
    )
    assert info.pr_url is not None and info.pr_url.endswith("/spaces/alice/app/discussions/1")
    space = emulator.state.get_space("alice/app")
    assert space.head == head
    assert space.files("refs/pr/1")["index.html"].data == b"<p>proposed</p>"
    details = alice_api.get_discussion_details("alice/app", 1, repo_type="space")
    assert details.is_pull_request and details.git_reference == "refs/pr/1"


def test_commit_history_lists_authors_and_messages(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    alice_api.create_commit(
        "alice/app",
        [CommitOperationAdd("a.txt", b"1")],
        commit_message="Add a",
        commit_description="Because.",
        repo_type="space",
    )
    emulator.state.page_size = 1
    history = alice_api.list_repo_commits("alice/app", repo_type="space")
    assert [(c.title, c.message, c.authors) for c in history] == [
        ("Add a", "Because.", ["alice"]),
        ("initial commit", "", ["alice"]),
    ]
    assert history[0].commit_id == emulator.state.get_space("alice/app").head
