"""The log viewer's model without Textual: bounded store, filter, search, wrap math, export."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.domain.errors import UsageError
from tui.domain.log_model import LineQuery, LogModel, LogStore, WrapIndex
from tui.domain.models import LogEvent


def events(texts: list[str], start: int = 0, space_id: str = "demo/app") -> list[LogEvent]:
    return [
        LogEvent(
            index=start + i,
            timestamp=f"2026-11-28T10:00:{(start + i) % 60:02d}.000Z",
            data=text,
            space_id=space_id,
        )
        for i, text in enumerate(texts)
    ]


def numbered(n: int, start: int = 0) -> list[LogEvent]:
    return events([f"line {i}" for i in range(start, start + n)], start)


# ---- store -------------------------------------------------------------------------------------


def test_store_keeps_only_the_newest_capacity_lines_across_batches() -> None:
    store = LogStore(capacity=10_000)
    for start in range(0, 200_000, 5_000):
        store.append(numbered(5_000, start))
    assert len(store) == 10_000
    assert store.first_seq == 190_000
    assert store.plain(store.first_seq) == "line 190000"
    assert store.plain(store.next_seq - 1) == "line 199999"
    with pytest.raises(IndexError):
        store.plain(189_999)


def test_store_batch_bigger_than_capacity_keeps_its_tail() -> None:
    store = LogStore(capacity=3)
    store.append(numbered(2))
    evicted = store.append(numbered(5, 2))
    assert evicted == 4
    assert [store.plain(s) for s in range(store.first_seq, store.next_seq)] == [
        "line 4",
        "line 5",
        "line 6",
    ]


def test_store_plain_text_has_no_escapes_and_clean_lines_are_shared() -> None:
    store = LogStore()
    clean = "plain line"
    store.append(events([clean, "\x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07done"]))
    assert store.plain(0) is clean
    assert store.plain(1) == "red done"


# ---- queries -----------------------------------------------------------------------------------


def test_query_is_case_insensitive_regex_and_bang_inverts() -> None:
    query = LineQuery.parse("err(or)?:")
    assert query.matches("ERROR: boom") and not query.matches("all fine")
    inverted = LineQuery.parse("!debug")
    assert inverted.invert and inverted.matches("info") and not inverted.matches("DEBUG x")


@pytest.mark.parametrize("text", ["", "!", "(unclosed", "[a-"])
def test_bad_query_is_a_usage_error_with_a_sentence(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        LineQuery.parse(text)
    assert caught.value.message.endswith(".")


@pytest.mark.parametrize(
    "line",
    [
        "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/",
        "error: No virtual environment found; run `uv venv` to create an environment",
        "Traceback (most recent call last):",
        "ValueError: invalid literal for int()",
        "npm ERR! code ERESOLVE",
        '--> ERROR: process "/bin/sh -c npm install" did not complete successfully: exit code: 1',
        "Build failed",
        "Killed",
    ],
)
def test_errors_preset_matches_real_failure_lines(line: str) -> None:
    assert LineQuery.errors().matches(line)


@pytest.mark.parametrize(
    "line",
    [
        "INFO:     Uvicorn running on http://0.0.0.0:7860",
        "Successfully installed gradio-4.44.0",
        "exit code: 0",
        "0 errors found",
    ],
)
def test_errors_preset_leaves_ordinary_lines(line: str) -> None:
    assert not LineQuery.errors().matches(line)


# ---- filter and search -------------------------------------------------------------------------


def test_filter_shows_only_matches_and_follows_appends_and_eviction() -> None:
    model = LogModel(capacity=10)
    model.append(events(["a ok", "b ERROR", "c ok", "d error: x"]))
    model.set_filter(LineQuery.errors())
    assert model.row_count == 2
    assert [model.store.plain(model.seq_at(r)) for r in range(2)] == ["b ERROR", "d error: x"]
    result = model.append(events(["e ok", "f Traceback (most recent call last):"], 4))
    assert result.added_rows == 1 and model.row_count == 3
    # Push the first matches out of the store: the filtered rows follow the eviction.
    result = model.append(events([f"filler {i}" for i in range(8)], 6))
    assert model.store.first_seq == 4
    assert result.dropped_rows == 2
    assert [model.store.plain(s) for s in model.row_seqs()] == [
        "f Traceback (most recent call last):"
    ]


def test_inverted_filter_hides_matches() -> None:
    model = LogModel()
    model.append(events(["GET /health 200", "boot", "GET /health 200", "ready"]))
    model.set_filter(LineQuery.parse("!health"))
    assert [model.store.plain(s) for s in model.row_seqs()] == ["boot", "ready"]
    model.set_filter(None)
    assert model.row_count == 4


def test_search_moves_forward_and_back_wrapping_around() -> None:
    model = LogModel()
    model.append(events(["x", "needle 1", "y", "needle 2", "needle 3", "z"]))
    model.set_search(LineQuery.parse("needle"))
    assert model.match_count == 3
    first = model.next_match(None)
    assert first == 1
    assert model.next_match(first) == 3
    assert model.next_match(4) == 1  # wraps to the top
    assert model.next_match(1, forward=False) == 4  # wraps to the bottom
    assert model.match_number(3) == 2
    assert model.match_number(0) is None


def test_search_only_counts_rows_the_filter_shows_and_new_lines() -> None:
    model = LogModel()
    model.append(events(["needle a", "other", "needle b"]))
    model.set_filter(LineQuery.parse("a$|other"))
    model.set_search(LineQuery.parse("needle"))
    assert model.match_count == 1
    model.append(events(["needle other", "needle z"], 3))
    assert model.match_count == 2


def test_first_error_is_found_in_the_view() -> None:
    model = LogModel()
    model.append(events(["Step 1/4", "Step 2/4", "ERROR: failed to build", "error: again"]))
    assert model.first_error() == 2
    model.set_filter(LineQuery.parse("again"))
    assert model.first_error() == 3


def test_no_error_gives_none() -> None:
    model = LogModel()
    model.append(events(["all", "good"]))
    assert model.first_error() is None
    assert model.next_match(None) is None


# ---- wrap --------------------------------------------------------------------------------------


def test_wrap_index_maps_display_rows_to_rows() -> None:
    index = WrapIndex(10)
    index.extend([5, 25, 0, 10, 11])  # rows: 1, 3, 1, 1, 2
    assert index.total == 8
    assert [index.locate(y) for y in range(8)] == [
        (0, 0),
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 0),
        (3, 0),
        (4, 0),
        (4, 1),
    ]
    assert index.start_of(3) == 5
    assert index.drop_front(2) == 4
    assert index.total == 4
    assert index.locate(0) == (0, 0) and index.locate(3) == (2, 1)
    assert index.locate(99) == (2, 1)


@given(
    st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=60),
    st.integers(min_value=1, max_value=80),
    st.integers(min_value=0, max_value=59),
)
def test_wrap_index_agrees_with_a_naive_layout(cells: list[int], width: int, drop: int) -> None:
    drop = min(drop, len(cells) - 1)
    layout = [(row, sub) for row, c in enumerate(cells) for sub in range(max(1, -(-c // width)))]
    index = WrapIndex(width)
    index.extend(cells)
    assert index.total == len(layout)
    assert [index.locate(y) for y in range(len(layout))] == layout
    dropped = index.drop_front(drop)
    kept = [(row - drop, sub) for row, sub in layout if row >= drop]
    assert dropped == len(layout) - len(kept)
    assert [index.locate(y) for y in range(len(kept))] == kept


def test_model_wrap_follows_appends_filter_and_width() -> None:
    model = LogModel(capacity=4)
    model.set_wrap(10)
    model.append(events(["x" * 25, "short", "y" * 10]))
    assert model.display_rows == 5
    assert model.locate(3) == (1, 0)
    result = model.append(events(["z" * 11, "w"], 3))  # evicts the 25-cell line (3 rows)
    assert result.dropped_display_rows == 3
    assert model.display_rows == 1 + 1 + 2 + 1
    model.set_filter(LineQuery.parse("z|w"))
    assert model.display_rows == 3
    model.set_wrap(5)
    assert model.display_rows == 3 + 1
    model.set_wrap(None)
    assert model.display_rows == model.row_count == 2


def test_measure_includes_prefixes() -> None:
    model = LogModel(measure=lambda _seq, plain: len(plain) + 13)
    model.set_wrap(20)
    model.append(events(["1234567", "12345678"]))
    assert model.display_rows == 1 + 2


# ---- export ------------------------------------------------------------------------------------


def test_export_is_plain_text_with_optional_prefixes() -> None:
    model = LogModel()
    model.append(events(["\x1b[32mINFO\x1b[0m up", "[bold]literal[/bold]"], space_id="demo/api"))
    assert model.export_lines(model.row_seqs()) == ["INFO up", "[bold]literal[/bold]"]
    assert model.export_lines([0], timestamps=True, sources=True) == [
        "2026-11-28T10:00:00.000Z demo/api INFO up"
    ]


_PIECES = st.sampled_from(
    [
        "a",
        "ERROR",
        " ",
        "\t",
        "[bold]",
        "\x1b[31m",
        "\x1b[0m",
        "\x1b[1;38;5;208m",
        "\x1b]52;c;aGk=\x07",
        "\x1b]8;;http://x\x1b\\",
        "\x1b[2J",
        "\x9b31m",
        "\x1bP+q\x1b\\",
        "\x07",
        "\x00",
        "\r",
        "\x1b",
        "\u202e",
        "é",
        "漢",
    ]
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_fast_plain_text_agrees_with_the_sanitiser(text: str) -> None:
    from tui.domain.log_model import plain_text
    from tui.domain.sanitize import strip_ansi

    assert plain_text(text) == strip_ansi(text)


def test_line_batch_sorts_by_time_stably_and_drops_oldest() -> None:
    from tui.domain.log_model import LineBatch

    batch = LineBatch.of(
        [
            LogEvent(index=0, timestamp="2026-11-28T10:00:02.000Z", data="a0", space_id="x/a"),
            LogEvent(index=1, timestamp="2026-11-28T10:00:02.000Z", data="a1", space_id="x/a"),
            LogEvent(index=0, timestamp="2026-11-28T10:00:01.000Z", data="b0", space_id="x/b"),
            LogEvent(index=2, timestamp="2026-11-28T10:00:03.000Z", data="a2", space_id="x/a"),
        ]
    )
    batch.sort_by_time()
    assert batch.texts == ["b0", "a0", "a1", "a2"]
    assert batch.sources == ["x/b", "x/a", "x/a", "x/a"] and batch.indexes == [0, 0, 1, 2]
    batch.drop_oldest(3)
    assert batch.texts == ["a2"] and batch.stamps == ["2026-11-28T10:00:03.000Z"]
    store = LogStore(capacity=2)
    store.append_lines(batch)
    assert (store.text(0), store.source(0), store.index(0)) == ("a2", "x/a", 2)


def test_wrap_width_is_kept_while_the_log_is_empty() -> None:
    # An empty wrap index is falsy; the width must still read back (it was None: wrap was lost).
    model = LogModel()
    model.set_wrap(40)
    assert model.wrap_width == 40
    model.set_wrap(None)
    assert model.wrap_width is None
