"""Deploy records belong to one Hub: a record made against another endpoint (a mirror serving the
same commits, another emulator, the real Hub) is never the outcome of a revision here. Over real
loopback with the emulator, through `spacetui history` and `spacetui rollback`."""

from __future__ import annotations

import io
import json

import pytest
from huggingface_hub import CommitOperationAdd, HfApi

from tests.conftest import ALICE_TOKEN
from tui.cli import build_parser
from tui.commands.history import history_main
from tui.commands.rollback_run import rollback_main
from tui.domain.deploy_records import record_deploy
from tui.emulator.server import RunningEmulator

SPACE = "alice/site"
#: A mirror of the Hub serves the same repositories, so the same commit shas, at another endpoint.
MIRROR = "https://hf-mirror.example"


@pytest.fixture
def revisions(
    emulator: RunningEmulator, alice_api: HfApi, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Two revisions of a static Space on the emulator, oldest first."""
    monkeypatch.setenv("HF_ENDPOINT", emulator.url)
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    monkeypatch.delenv("CI", raising=False)
    alice_api.create_repo(SPACE, repo_type="space", space_sdk="static")
    shas = []
    for n in (1, 2):
        files = {"README.md": b"---\nsdk: static\n---\n", "index.html": f"<h1>v{n}</h1>".encode()}
        ops = [CommitOperationAdd(path, data) for path, data in files.items()]
        shas.append(
            alice_api.create_commit(
                SPACE, operations=ops, commit_message=f"v{n}", repo_type="space"
            ).oid
        )
    return shas


def history_rows() -> dict[str, dict[str, object]]:
    out, err = io.StringIO(), io.StringIO()
    args = build_parser().parse_args(["history", SPACE, "--json"])
    assert history_main(args, stdout=out, stderr=err) == 0, err.getvalue()
    return {row["sha"]: row for row in map(json.loads, out.getvalue().splitlines())}


def test_a_record_made_against_another_endpoint_is_not_this_hub_s(
    emulator: RunningEmulator, revisions: list[str]
) -> None:
    first, _ = revisions
    record_deploy(SPACE, endpoint=MIRROR, sha=first, outcome="running", ok=True, stage="RUNNING")
    assert history_rows()[first]["recorded"] is False
    err = io.StringIO()
    args = build_parser().parse_args(["rollback", SPACE, "--yes", "--no-follow"])
    assert rollback_main(args, stdout=io.StringIO(), stderr=err, stdin=io.StringIO()) == 1
    assert "pass --to SHA" in err.getvalue()  # the mirror's record chose nothing here

    # The same record made against this Hub is its outcome, and the rollback's default target.
    record_deploy(
        SPACE, endpoint=emulator.url, sha=first, outcome="running", ok=True, stage="RUNNING"
    )
    row = history_rows()[first]
    assert row["recorded"] is True and row["outcome"] == "running"
    out = io.StringIO()
    assert rollback_main(args, stdout=out, stderr=err, stdin=io.StringIO()) == 0, err.getvalue()
    assert f"to {first[:7]}" in out.getvalue()
