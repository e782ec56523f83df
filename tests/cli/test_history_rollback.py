"""`spacetui history` and `spacetui rollback` against the emulator over real loopback HTTP."""

from __future__ import annotations

import argparse
import io
import json
import os
from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi

from tests.helpers.cli import fast_deploy_polls
from tui.cli import build_parser
from tui.commands.history import history_main
from tui.commands.rollback_run import rollback_main
from tui.domain.deploy_records import load_records, record_deploy, records_path

ALICE_TOKEN = "hf_alice_test_token"
SPACE = "alice/site"
README = b"---\ntitle: Site\nsdk: static\n---\n"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _hub() -> str:
    """The endpoint the commands run against (the `site` fixture points HF_ENDPOINT at it)."""
    return os.environ["HF_ENDPOINT"]


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def _commit(api: HfApi, files: dict[str, bytes | None], message: str) -> str:
    ops: list[CommitOperationAdd | CommitOperationDelete] = [
        CommitOperationDelete(path) if data is None else CommitOperationAdd(path, data)
        for path, data in files.items()
    ]
    return api.create_commit(SPACE, operations=ops, commit_message=message, repo_type="space").oid


def _tree_bytes(api: HfApi, revision: str, tmp: Path) -> dict[str, bytes]:
    """Every file of the Space at `revision`, downloaded through huggingface_hub."""
    out = {}
    for entry in api.list_repo_tree(SPACE, recursive=True, revision=revision, repo_type="space"):
        if hasattr(entry, "blob_id"):
            local = api.hf_hub_download(
                SPACE, entry.path, repo_type="space", revision=revision, cache_dir=tmp
            )
            out[entry.path] = Path(local).read_bytes()
    return out


@pytest.fixture
def site(emulator, alice_api: HfApi, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Three revisions: good (recorded RUNNING), a second good one, then a bad one at the head."""
    monkeypatch.setenv("HF_ENDPOINT", emulator.url)
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    fast_deploy_polls(monkeypatch)  # a static Space settles after five polls: 8 s at 2 s each
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    alice_api.create_repo(SPACE, repo_type="space", space_sdk="static")
    good = _commit(
        alice_api,
        {
            "README.md": README,
            "index.html": b"<h1>v1</h1>\n",
            "assets/logo.bin": bytes(range(256)) * 64,  # LFS by .gitattributes
            "assets/old.txt": b"only in v1\n",
        },
        "v1",
    )
    second = _commit(alice_api, {"index.html": b"<h1>v2</h1>\n"}, "v2")
    bad = _commit(
        alice_api,
        {
            "index.html": b"<h1>broken\n",
            "assets/logo.bin": b"\x00" * 9000,
            "assets/old.txt": None,
            "new/extra.js": b"console.log(1)\n",
        },
        "v3 broken",
    )
    record_deploy(
        SPACE, endpoint=emulator.url, sha=good, outcome="running", ok=True, stage="RUNNING", now=1.0
    )
    record_deploy(
        SPACE,
        endpoint=emulator.url,
        sha=second,
        outcome="running",
        ok=True,
        stage="RUNNING",
        now=2.0,
        extra={"probe": {"ok": False}},  # RUNNING, but its health probe failed: not "good"
    )
    record_deploy(
        SPACE,
        endpoint=emulator.url,
        sha=bad,
        outcome="build_failed",
        ok=False,
        stage="BUILD_ERROR",
        now=3.0,
    )
    return {"good": good, "second": second, "bad": bad}


def test_history_lists_revisions_newest_first_with_changes_and_outcomes(site) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = history_main(_args("history", SPACE, "--json"), stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["sha"] for r in rows[:3]] == [site["bad"], site["second"], site["good"]]
    assert rows[-1]["title"] == "initial commit" and rows[-1]["files_changed"]["added"] == [
        ".gitattributes"
    ]
    bad, second, good = rows[:3]
    assert bad["files_changed"] == {
        "added": ["new/extra.js"],
        "modified": ["assets/logo.bin", "index.html"],
        "deleted": ["assets/old.txt"],
    }
    assert second["files_changed"]["modified"] == ["index.html"]
    assert good["outcome"] == "running" and good["stage"] == "RUNNING" and good["recorded"]
    assert second["probe"] == "failed"
    assert bad["current"] is True and bad["recorded"] is True
    assert all(r["authors"] == ["alice"] for r in rows)


def test_history_limit_and_text_output(site) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert history_main(_args("history", SPACE, "--limit", "2"), stdout=out, stderr=err) == 0
    text = out.getvalue()
    assert text.index(site["bad"][:7]) < text.index(site["second"][:7])
    assert site["good"][:7] not in text
    assert "~ index.html" in text and "- assets/old.txt" in text and "+ new/extra.js" in text
    assert "probe failed" in text


def test_history_of_a_missing_space_is_one_sentence(site) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert history_main(_args("history", "alice/nope"), stdout=out, stderr=err) == 1
    assert "Traceback" not in err.getvalue() and err.getvalue().count("\n") == 1
    assert history_main(_args("history", "not-an-id"), stdout=out, stderr=err) == 2


def test_default_rollback_restores_the_last_good_tree_byte_for_byte(
    site, alice_api: HfApi, tmp_path: Path
) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = rollback_main(
        _args("rollback", SPACE, "--yes", "--timeout", "60"),
        stdout=out,
        stderr=err,
        stdin=io.StringIO(),
    )
    assert code == 0, err.getvalue() + out.getvalue()
    commits = alice_api.list_repo_commits(SPACE, repo_type="space")
    # One new commit on top; history kept.
    assert [c.commit_id for c in commits[1:4]] == [site["bad"], site["second"], site["good"]]
    assert commits[0].title == f"Roll back to {site['good'][:7]}"
    head = _tree_bytes(alice_api, commits[0].commit_id, tmp_path / "a")
    assert head == _tree_bytes(alice_api, site["good"], tmp_path / "b")
    assert head["assets/logo.bin"] == bytes(range(256)) * 64 and "new/extra.js" not in head
    assert "RUNNING" in out.getvalue()
    last = load_records(SPACE, endpoint=_hub())[-1]
    assert last.kind == "rollback" and last.sha == commits[0].commit_id and last.reached_running


def test_rollback_to_a_given_sha_and_again_is_a_no_op(
    site, alice_api: HfApi, tmp_path: Path
) -> None:
    args = _args("rollback", SPACE, "--to", site["second"][:8], "--yes", "--no-follow")
    out, err = io.StringIO(), io.StringIO()
    assert rollback_main(args, stdout=out, stderr=err, stdin=io.StringIO()) == 0, err.getvalue()
    head = alice_api.list_repo_commits(SPACE, repo_type="space")[0].commit_id
    assert _tree_bytes(alice_api, head, tmp_path / "a") == _tree_bytes(
        alice_api, site["second"], tmp_path / "b"
    )
    again = io.StringIO()
    assert rollback_main(args, stdout=again, stderr=err, stdin=io.StringIO()) == 0
    assert "no commit made" in again.getvalue()
    assert alice_api.list_repo_commits(SPACE, repo_type="space")[0].commit_id == head


def test_rollback_asks_and_a_no_changes_nothing(site, alice_api: HfApi) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = rollback_main(_args("rollback", SPACE), stdout=out, stderr=err, stdin=_Tty("n\n"))
    assert code == 130
    assert "- new/extra.js" in out.getvalue() and "+ assets/old.txt" in out.getvalue()
    assert alice_api.list_repo_commits(SPACE, repo_type="space")[0].commit_id == site["bad"]


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (("--to", "zzzz", "--yes"), 2, "not a commit sha"),
        (("--to", "0000000", "--yes"), 2, "not a revision"),
        ((), 2, "pass --yes"),  # not a terminal
        (("--ci",), 2, "CI mode"),
    ],
)
def test_rollback_bad_input_is_one_sentence(site, argv, code, words) -> None:
    err = io.StringIO()
    assert (
        rollback_main(
            _args("rollback", SPACE, *argv), stdout=io.StringIO(), stderr=err, stdin=io.StringIO()
        )
        == code
    )
    assert words in err.getvalue() and "Traceback" not in err.getvalue()


def test_rollback_without_a_recorded_good_revision_says_how(site, tmp_path: Path) -> None:
    # Corrupt lines (and a format-1 line) are skipped.
    records_path(SPACE, endpoint=_hub()).write_text('not json\n{"v": 1}\n')
    err = io.StringIO()
    code = rollback_main(
        _args("rollback", SPACE, "--yes"), stdout=io.StringIO(), stderr=err, stdin=io.StringIO()
    )
    assert code == 1 and "pass --to SHA" in err.getvalue()


def test_rollback_in_ci_mode_prints_one_summary_line(
    site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    step = tmp_path / "summary.md"
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    out, err = io.StringIO(), io.StringIO()
    args = _args("rollback", SPACE, "--yes", "--json", "--no-follow")
    assert rollback_main(args, stdout=out, stderr=err, stdin=io.StringIO()) == 0, err.getvalue()
    (line,) = out.getvalue().splitlines()
    data = json.loads(line)
    assert data["command"] == "rollback" and data["rollback_to"] == site["good"]
    assert data["outcome"] == "uploaded" and data["ok"] is True
    assert "- new/extra.js" in err.getvalue()  # the review went to stderr
    assert f"| Rolled back to | `{site['good'][:7]}` |" in step.read_text()
