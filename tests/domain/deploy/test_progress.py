"""Byte-level progress: per-file and overall counts, throughput and ETA from an injected clock."""

from __future__ import annotations

import json
from types import SimpleNamespace

from tui.domain.deploy.cancel import CancelToken
from tui.domain.deploy.events import UploadProgress
from tui.domain.deploy.progress import ProgressTracker
from tui.domain.deploy.upload_watch import UploadWatch, _CommitBody, _XetReporter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_tracker_counts_files_bytes_throughput_and_eta() -> None:
    clock = FakeClock()
    events: list[UploadProgress] = []
    tracker = ProgressTracker(
        [("a", 1000), ("b", 3000)], events.append, clock=clock, min_interval=0.0
    )
    tracker.advance("a", 500)
    clock.now = 1.0
    tracker.advance("a", 600)  # clamped at the file's size
    clock.now = 2.0
    tracker.advance("b", 1000)

    last = events[-1]
    assert (last.bytes_done, last.bytes_total) == (2000, 4000)
    assert (last.files_done, last.files_total) == (1, 2)
    assert last.throughput == (2000 - 500) / 2.0
    assert last.eta == 2000 / last.throughput
    assert [e.file_bytes for e in events if e.path == "a"] == [500, 1000]


def test_tracker_throttles_but_always_reports_a_finished_file() -> None:
    clock = FakeClock()
    events: list[UploadProgress] = []
    tracker = ProgressTracker([("a", 100)], events.append, clock=clock, min_interval=10.0)
    for _ in range(9):
        tracker.advance("a", 10)
    tracker.advance("a", 10)
    assert len(events) == 2  # the first slice, then the completion
    assert events[-1].files_done == 1


def _commit_body(files: dict[str, bytes]) -> bytes:
    import base64

    lines = [{"key": "header", "value": {"summary": "s", "description": ""}}]
    lines += [
        {
            "key": "file",
            "value": {"content": base64.b64encode(d).decode(), "path": p, "encoding": "base64"},
        }
        for p, d in files.items()
    ]
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def test_commit_body_slices_are_credited_to_the_file_they_carry() -> None:
    files = {"small.txt": b"x" * 10, "big.bin": b"y" * 600_000}
    tracker = ProgressTracker(
        [(p, len(d)) for p, d in files.items()], lambda e: None, min_interval=0.0
    )
    watch = UploadWatch(tracker, {}, CancelToken())
    body = _commit_body(files)
    sent = b""
    seen = []
    for piece in _CommitBody(body, watch):
        sent += piece
        seen.append(tracker.bytes_done)
    assert sent == body
    assert seen == sorted(seen) and len(seen) > 2  # grew slice by slice
    assert tracker.bytes_done == tracker.bytes_total


def test_commit_body_stops_when_cancelled() -> None:
    tracker = ProgressTracker([("big.bin", 2_000_000)], lambda e: None)
    cancel = CancelToken()
    watch = UploadWatch(tracker, {}, cancel)
    stream = iter(_CommitBody(_commit_body({"big.bin": b"z" * 2_000_000}), watch))
    next(stream)
    cancel.cancel()
    try:
        next(stream)
    except Exception as exc:  # DeployCancelled
        assert type(exc).__name__ == "DeployCancelled"
    else:
        raise AssertionError("the upload went on after cancel")


def test_xet_reports_by_absolute_path_reach_the_tracker(tmp_path) -> None:
    # hf_xet's CAS cannot run offline, so its reports are fed in the shape it sends them.
    local = tmp_path / "weights.bin"
    local.write_bytes(b"w" * 100)
    tracker = ProgressTracker([("weights.bin", 100)], lambda e: None, min_interval=0.0)
    reporter = _XetReporter(UploadWatch(tracker, {"weights.bin": local}, CancelToken()))
    item = SimpleNamespace(item_name=str(local), bytes_completed=40, total_bytes=100)
    reporter.update_progress(SimpleNamespace(), {"1": item})
    assert tracker.bytes_done == 40
    item.bytes_completed = 100
    reporter.update_progress(SimpleNamespace(), {"1": item})
    assert tracker.bytes_done == 100


def test_lfs_batch_answer_maps_hrefs_to_oids() -> None:
    tracker = ProgressTracker([], lambda e: None)
    watch = UploadWatch(tracker, {}, CancelToken())
    watch.learn_lfs_batch(
        {
            "objects": [
                {"oid": "aa", "size": 1, "actions": {"upload": {"href": "http://h/lfs/aa?x=1"}}},
                {
                    "oid": "bb",
                    "size": 9,
                    "actions": {
                        "upload": {
                            "href": "http://h/done",
                            "header": {"chunk_size": "5", "1": "http://h/p1", "2": "http://h/p2"},
                        }
                    },
                },
                {"oid": "cc", "size": 3},  # already stored: no actions
            ]
        }
    )
    import httpx2

    assert watch.oid_for(httpx2.URL("http://other-host/lfs/aa?x=1")) == "aa"
    assert watch.oid_for(httpx2.URL("http://h/p2")) == "bb"
    assert watch.oid_for(httpx2.URL("http://h/done")) is None


def test_a_batch_moves_every_count_and_emits_once() -> None:
    # One commit-body slice can carry hundreds of small files: one event, with all of them done.
    events: list[UploadProgress] = []
    tracker = ProgressTracker([(f"f{i}", 10) for i in range(300)], events.append, min_interval=0.0)
    with tracker.batch():
        for i in range(300):
            tracker.set_done(f"f{i}", 10)
    assert len(events) == 1
    assert (events[0].files_done, events[0].bytes_done) == (300, 3000)
    assert events[0].path == "f299"
    with tracker.batch():
        pass  # nothing moved: nothing to report
    assert len(events) == 1


def test_commit_body_sends_one_event_per_slice_not_per_file() -> None:
    files = {f"data/f{i:04}.txt": b"r" * 1000 for i in range(600)}
    events: list[UploadProgress] = []
    tracker = ProgressTracker(
        [(p, len(d)) for p, d in files.items()], events.append, min_interval=0.0
    )
    body = _commit_body(files)
    slices = list(_CommitBody(body, UploadWatch(tracker, {}, CancelToken())))
    assert len(events) <= len(slices) < 600
    assert events[-1].files_done == 600 and events[-1].bytes_done == tracker.bytes_total


def test_file_lines_are_attributed_by_path_whatever_the_name_holds() -> None:
    from tui.domain.deploy.upload_watch import _file_spans

    names = ['we"ird\\name.txt', 'has "path": inside.txt', "ünïcode/ファイル.txt", "plain.txt"]
    body = _commit_body({name: name.encode() * 3 for name in names})
    assert [span[2] for span in _file_spans(body, lambda p: True)] == names
    # A path the tracker does not know is not credited.
    assert [span[2] for span in _file_spans(body, lambda p: p == "plain.txt")] == ["plain.txt"]
    # Keys in another order still name the right file.
    line = json.dumps({"key": "file", "value": {"path": "first.txt", "content": "QUJD"}})
    assert [span[2] for span in _file_spans(line.encode() + b"\n", lambda p: True)] == ["first.txt"]
