"""spacetui's deploy records: written under the data folder, read back, bad lines never trusted."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tui.domain.deploy_records import latest_by_sha, load_records, record_deploy, records_path

SHA_A, SHA_B = "a" * 40, "b" * 40


def test_records_live_under_the_data_folder_and_read_back_in_order() -> None:
    record_deploy("alice/app", sha=SHA_A, outcome="running", ok=True, stage="RUNNING", now=5.0)
    record_deploy(
        "alice/app",
        sha=SHA_A,
        outcome="probe_failed",
        ok=False,
        stage="RUNNING",
        now=6.0,
        extra={"probe": {"ok": False, "status": 500}},
    )
    path = records_path("alice/app")
    assert path.is_relative_to(Path(os.environ["XDG_DATA_HOME"]))
    first, second = load_records("alice/app")
    assert first.reached_running and not second.reached_running
    assert second.probe == "failed"
    assert latest_by_sha([second, first])[SHA_A] == second  # newest by time, not by file order


def test_nothing_is_recorded_without_a_revision() -> None:
    assert record_deploy("alice/app", sha=None, outcome="blocked", ok=False, stage=None) is None
    assert (
        record_deploy("alice/app", sha="HEAD", outcome="running", ok=True, stage="RUNNING") is None
    )
    assert load_records("alice/app") == []


def test_bad_foreign_and_future_lines_are_skipped() -> None:
    record_deploy("alice/app", sha=SHA_A, outcome="running", ok=True, stage="RUNNING", now=1.0)
    good = records_path("alice/app").read_text()
    line = json.loads(good)
    lines = [
        "{broken",
        json.dumps({**line, "space_id": "bob/other"}),  # a file copied from another Space
        json.dumps({**line, "v": 2}),  # a format this version does not know
        json.dumps({**line, "sha": "../../etc"}),
        json.dumps({**line, "ok": "yes"}),  # not the boolean true: not ok
        json.dumps({k: v for k, v in line.items() if k != "stage"}),
        json.dumps({**line, "sha": SHA_B}),
    ]
    records_path("alice/app").write_text(good + "\n".join(lines) + "\n")
    records = load_records("alice/app")
    assert [r.sha for r in records] == [SHA_A, SHA_A, SHA_B]
    assert [r.ok for r in records] == [True, False, True]


def test_a_space_id_cannot_walk_out_of_the_records_folder() -> None:
    path = records_path("../..")
    base = Path(os.environ["XDG_DATA_HOME"]) / "spacetui" / "deploys"
    assert path.resolve().is_relative_to(base.resolve())
