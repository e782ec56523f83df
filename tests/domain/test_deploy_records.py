"""spacetui's deploy records: written under the data folder, read back, bad lines never trusted."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tui.domain.deploy_records import (
    endpoint_key,
    latest_by_sha,
    load_records,
    record_deploy,
    records_path,
)

SHA_A, SHA_B = "a" * 40, "b" * 40
HUB = "https://huggingface.co"


def test_records_live_under_the_data_folder_and_read_back_in_order() -> None:
    record_deploy(
        "alice/app", endpoint=HUB, sha=SHA_A, outcome="running", ok=True, stage="RUNNING", now=5.0
    )
    record_deploy(
        "alice/app",
        endpoint=HUB,
        sha=SHA_A,
        outcome="probe_failed",
        ok=False,
        stage="RUNNING",
        now=6.0,
        extra={"probe": {"ok": False, "status": 500}},
    )
    path = records_path("alice/app", endpoint=HUB)
    assert path.is_relative_to(Path(os.environ["XDG_DATA_HOME"]))
    first, second = load_records("alice/app", endpoint=HUB)
    assert first.reached_running and not second.reached_running
    assert second.probe == "failed"
    assert latest_by_sha([second, first])[SHA_A] == second  # newest by time, not by file order


def test_nothing_is_recorded_without_a_revision() -> None:
    assert (
        record_deploy("alice/app", endpoint=HUB, sha=None, outcome="blocked", ok=False, stage=None)
        is None
    )
    assert (
        record_deploy(
            "alice/app", endpoint=HUB, sha="HEAD", outcome="running", ok=True, stage="RUNNING"
        )
        is None
    )
    assert load_records("alice/app", endpoint=HUB) == []


def test_bad_foreign_and_future_lines_are_skipped() -> None:
    record_deploy(
        "alice/app", endpoint=HUB, sha=SHA_A, outcome="running", ok=True, stage="RUNNING", now=1.0
    )
    good = records_path("alice/app", endpoint=HUB).read_text()
    line = json.loads(good)
    lines = [
        "{broken",
        json.dumps({**line, "space_id": "bob/other"}),  # a file copied from another Space
        json.dumps({**line, "v": 3}),  # a format this version does not know
        json.dumps({**line, "endpoint": "http://127.0.0.1:9"}),  # another Hub's, copied here
        json.dumps({**line, "sha": "../../etc"}),
        json.dumps({**line, "ok": "yes"}),  # not the boolean true: not ok
        json.dumps({k: v for k, v in line.items() if k != "stage"}),
        json.dumps({**line, "sha": SHA_B}),
    ]
    records_path("alice/app", endpoint=HUB).write_text(good + "\n".join(lines) + "\n")
    records = load_records("alice/app", endpoint=HUB)
    assert [r.sha for r in records] == [SHA_A, SHA_A, SHA_B]
    assert [r.ok for r in records] == [True, False, True]


def test_a_space_id_cannot_walk_out_of_the_records_folder() -> None:
    path = records_path("../..", endpoint="http://../..:1/../..")
    base = Path(os.environ["XDG_DATA_HOME"]) / "spacetui" / "deploys"
    assert path.resolve().is_relative_to(base.resolve())


def test_records_are_keyed_by_endpoint_as_well_as_space_id() -> None:
    emulator, other = "http://127.0.0.1:8123", "http://127.0.0.1:8124/"
    record_deploy(
        "alice/app",
        endpoint=emulator,
        sha=SHA_A,
        outcome="running",
        ok=True,
        stage="RUNNING",
        now=1.0,
    )
    # The same Space id on another Hub (or another emulator) is another Space: no outcome there.
    assert load_records("alice/app", endpoint=HUB) == []
    assert load_records("alice/app", endpoint=other) == []
    (record,) = load_records("alice/app", endpoint="HTTP://127.0.0.1:8123/")  # the same Hub
    assert record.endpoint == "http://127.0.0.1:8123" and record.reached_running
    assert records_path("alice/app", endpoint=emulator) != records_path("alice/app", endpoint=HUB)
    assert endpoint_key("https://huggingface.co:443/") == HUB
    assert endpoint_key("http://[::1]:8000") == "http://[::1]:8000"


def test_records_of_format_1_are_ignored_where_they_lie() -> None:
    """Before endpoints, records lived at deploys/<namespace>/<name>.jsonl without one: which
    Hub they were made against is unknown, so they are never read, nor removed."""
    legacy = Path(os.environ["XDG_DATA_HOME"]) / "spacetui" / "deploys" / "alice" / "app.jsonl"
    legacy.parent.mkdir(parents=True)
    line = {
        "v": 1,
        "space_id": "alice/app",
        "sha": SHA_A,
        "outcome": "running",
        "ok": True,
        "stage": "RUNNING",
        "probe": None,
        "kind": "deploy",
        "time": 1.0,
    }
    legacy.write_text(json.dumps(line) + "\n")
    assert load_records("alice/app", endpoint=HUB) == []
    # Even copied into the new place, a line without an endpoint is not this Hub's.
    records_path("alice/app", endpoint=HUB).parent.mkdir(parents=True)
    records_path("alice/app", endpoint=HUB).write_text(json.dumps({**line, "v": 2}) + "\n")
    assert load_records("alice/app", endpoint=HUB) == []
    assert legacy.exists()
