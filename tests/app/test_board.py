"""The Space list's model without Textual: time in stage, stuck, stale, filter and sort."""

from __future__ import annotations

import pytest

from tui.domain.config import DEFAULT_STUCK_AFTER
from tui.domain.models import SpaceStatus, Stage
from tui.ui.board import SpaceBoard, parse_timestamp
from tui.ui.widgets.space_cells import (
    format_duration,
    hardware_cell,
    safe,
    sleep_time_text,
    stage_badge,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def status(space_id: str, stage: Stage, **fields: object) -> SpaceStatus:
    return SpaceStatus(space_id=space_id, stage=stage, raw_stage=stage.value, **fields)


def test_time_in_stage_restarts_on_a_change_and_is_a_lower_bound_at_first() -> None:
    clock = Clock()
    board = SpaceBoard(clock)
    board.put(status("a/x", Stage.BUILDING))
    row = board.get("a/x")
    assert row is not None and not row.entered_known
    clock.now += 90
    board.put(status("a/x", Stage.BUILDING, hardware="cpu-basic"))
    assert board.get("a/x").time_in_stage(clock.now) == 90
    assert board.get("a/x").status.hardware == "cpu-basic"
    board.put(status("a/x", Stage.RUNNING))
    assert board.get("a/x").entered_known and board.get("a/x").time_in_stage(clock.now) == 0


@pytest.mark.parametrize(
    ("stage", "seconds", "stuck"),
    [
        (Stage.BUILDING, 20 * 60, False),
        (Stage.BUILDING, 20 * 60 + 1, True),
        (Stage.APP_STARTING, 10 * 60 + 1, True),
        (Stage.RUNNING, 10**6, False),
        (Stage.PAUSED, 10**6, False),
    ],
)
def test_looks_stuck_past_the_stage_threshold(stage: Stage, seconds: int, stuck: bool) -> None:
    clock = Clock()
    board = SpaceBoard(clock)
    board.put(status("a/x", stage))
    assert board.get("a/x").looks_stuck(clock.now + seconds, DEFAULT_STUCK_AFTER) is stuck


def test_apply_drops_unwatched_spaces_and_marks_stale_ones() -> None:
    board = SpaceBoard(Clock())
    board.apply({"a/x": status("a/x", Stage.RUNNING), "a/y": status("a/y", Stage.RUNNING)}, {})
    board.apply({"a/x": status("a/x", Stage.RUNNING)}, {"a/x": "HTTP 503"})
    assert [row.space_id for row in board.rows] == ["a/x"]
    assert board.get("a/x").stale_reason == "HTTP 503"


def test_filter_words_match_any_field_in_any_order() -> None:
    board = SpaceBoard(Clock())
    board.put(status("a/chat", Stage.RUNNING, sdk="gradio", hardware="t4-small"))
    board.put(status("a/api", Stage.BUILD_ERROR, sdk="docker", hardware="cpu-basic"))
    assert [r.space_id for r in board.view("t4 GRADIO")] == ["a/chat"]
    assert [r.space_id for r in board.view("error")] == ["a/api"]
    assert board.view("nothing") == []


def test_sort_keys() -> None:
    clock = Clock()
    board = SpaceBoard(clock)
    board.put(status("a/c", Stage.RUNNING, sdk="docker", last_modified="2026-01-03T00:00:00.000Z"))
    clock.now += 10
    board.put(status("a/a", Stage.PAUSED, sdk="static", last_modified="2026-01-01T00:00:00.000Z"))
    board.put(
        status("a/b", Stage.BUILD_ERROR, sdk="gradio", last_modified="2026-01-02T00:00:00.000Z")
    )
    ids = lambda key, reverse=False: [r.space_id for r in board.view(sort_key=key, reverse=reverse)]  # noqa: E731
    assert ids("space") == ["a/a", "a/b", "a/c"]
    assert ids("stage") == ["a/b", "a/c", "a/a"]
    assert ids("sdk") == ["a/c", "a/b", "a/a"]
    assert ids("age", reverse=True) == ["a/c", "a/a", "a/b"]
    assert ids("changed") == ["a/a", "a/b", "a/c"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (59, "59s"), (61, "1m 01s"), (3600, "1h 00m"), (86400 + 7200, "1d 2h")],
)
def test_durations(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_remote_text_is_made_safe() -> None:
    hostile = "\x1b]52;c;ZXZpbA==\x07boom\x1b[2J [bold]x[/bold] hf_abcdefghijkl\nnext"
    cleaned = safe(hostile)
    assert "\x1b" not in cleaned and "\n" not in cleaned
    assert "[bold]x[/bold]" in cleaned and "hf_abcdefghijkl" not in cleaned
    assert safe("x" * 300, 10) == "x" * 9 + "…"


def test_unknown_stages_show_their_own_safe_name() -> None:
    assert stage_badge(Stage.UNKNOWN, "WARMING\x1b[31m_UP").plain == "· WARMING_UP"
    assert stage_badge(Stage.BUILD_ERROR).plain == "✕ BUILD_ERROR"


def test_parse_timestamp() -> None:
    assert parse_timestamp("1970-01-01T00:01:00.000Z") == 60.0
    assert parse_timestamp("yesterday") is None and parse_timestamp(None) is None


@pytest.mark.parametrize(
    ("current", "requested", "shown"),
    [
        ("cpu-basic", "cpu-basic", "cpu-basic"),
        ("cpu-basic", "t4-small", "cpu-basic → t4-small"),
        (None, "cpu-basic", "cpu-basic"),
        (None, None, "-"),
    ],
)
def test_hardware_cell(current: str | None, requested: str | None, shown: str) -> None:
    board = SpaceBoard(Clock())
    board.put(status("a/x", Stage.RUNNING, hardware=current, requested_hardware=requested))
    assert hardware_cell(board.get("a/x")).plain == shown


def test_an_action_answer_keeps_what_a_runtime_does_not_carry() -> None:
    board = SpaceBoard(Clock())
    board.put(
        status(
            "a/x", Stage.RUNNING, sdk="docker", private=True, last_modified="2026-01-01T00:00:00Z"
        )
    )
    board.put(status("a/x", Stage.APP_STARTING, hardware="cpu-basic"), partial=True)
    kept = board.get("a/x").status
    assert (kept.stage, kept.sdk, kept.private, kept.hardware) == (
        Stage.APP_STARTING,
        "docker",
        True,
        "cpu-basic",
    )
    assert kept.last_modified == "2026-01-01T00:00:00Z"


def test_a_space_changed_after_start_up_has_a_known_time_in_stage() -> None:
    from datetime import UTC, datetime

    def iso(seconds: float) -> str:
        return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")

    clock = Clock()
    board = SpaceBoard(clock)
    board.apply({"a/old": status("a/old", Stage.RUNNING, last_modified=iso(10))}, {})
    assert not board.get("a/old").entered_known  # already running at start-up
    clock.now += 100
    created = status("a/new", Stage.BUILDING, last_modified=iso(clock.now - 40))
    watched = status("b/older", Stage.RUNNING, last_modified=iso(500))  # changed before start-up
    board.apply({"a/old": board.get("a/old").status, "a/new": created, "b/older": watched}, {})
    assert board.get("a/new").entered_known
    assert board.get("a/new").time_in_stage(clock.now) == 40
    assert not board.get("b/older").entered_known


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "-"), (-1, "never"), (3600, "1 h"), (900, "15 min"), (172800, "2 d"), (90, "90 s")],
)
def test_sleep_time_text(seconds: int | None, text: str) -> None:
    assert sleep_time_text(seconds) == text
