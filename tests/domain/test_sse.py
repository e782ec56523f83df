"""The SSE decoder gives the same events however the bytes are split, and survives bad input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.sse import SseDecoder, SseEvent

# Everything a hostile or merely unusual stream can carry, in one sample.
SAMPLE = (
    b": keep-alive\r\n"
    b"\r\n"
    b'data: {"data": "line one\\n", "timestamp": "2026-01-01T00:00:00.123Z"}\r\n'
    b"\r\n"
    b"data: \n\n"  # an empty keep-alive event
    b"event: metric\n"
    b"id: 7\n"
    b"retry: 1500\n"
    b"data: first\n"
    b"data: second\n"
    b"data:third\n"
    b"\n"
    b"data: caf\xc3\xa9 \xff\xfe broken utf-8\r"
    b"\r"
    b"bogus: field\n"
    b"retry: soon\n"
    b"data: " + b"x" * 200 + b"\n"  # oversized for the cap used below
    b"\n"
    b"data:no space\n"
    b"\n"
    b"data: unterminated at the end"
)
CAP = 100


def _expected() -> list[SseEvent]:
    return [
        SseEvent('{"data": "line one\\n", "timestamp": "2026-01-01T00:00:00.123Z"}'),
        SseEvent(""),
        SseEvent("first\nsecond\nthird", event="metric", id="7"),
        SseEvent("caf\u00e9 \ufffd\ufffd broken utf-8", id="7"),
        SseEvent("x" * (CAP - len("data: ")), id="7", oversized=True),
        SseEvent("no space", id="7"),
    ]


def _decode(chunks: list[bytes]) -> tuple[list[SseEvent], SseDecoder]:
    decoder = SseDecoder(max_line_bytes=CAP)
    events: list[SseEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    events.extend(decoder.close())
    return events, decoder


def test_whole_sample_decodes_to_the_expected_events() -> None:
    events, decoder = _decode([SAMPLE])
    assert events == _expected()
    assert decoder.retry == 1500
    assert decoder.malformed == 2  # `bogus:` and `retry: soon`
    assert decoder.oversized == 1


def test_every_single_split_point_gives_identical_events() -> None:
    for offset in range(len(SAMPLE) + 1):
        events, decoder = _decode([SAMPLE[:offset], SAMPLE[offset:]])
        assert events == _expected(), f"split at byte {offset}"
        assert (decoder.malformed, decoder.oversized) == (2, 1), f"split at byte {offset}"


def test_byte_by_byte_feeding_gives_identical_events() -> None:
    events, _ = _decode([SAMPLE[i : i + 1] for i in range(len(SAMPLE))])
    assert events == _expected()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(SAMPLE)), max_size=12))
def test_any_set_of_split_points_gives_identical_events(cuts: list[int]) -> None:
    points = [0, *sorted(cuts), len(SAMPLE)]
    chunks = [SAMPLE[a:b] for a, b in zip(points, points[1:], strict=False)]
    events, _ = _decode(chunks)
    assert events == _expected()


def test_crlf_split_between_cr_and_lf_is_one_line_end() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\n\r") == [SseEvent("a")]
    assert decoder.feed(b"\ndata: b\r\n\r\n") == [SseEvent("b")]


def test_fast_path_returns_plain_events_as_strings_and_extras_as_events() -> None:
    decoder = SseDecoder()
    items = decoder.feed_fast(b"data: a\n\ndata: b\n\nevent: x\ndata: c\n\ndata: d\n\n")
    assert items == ["a", "b", SseEvent("c", event="x"), "d"]
    assert decoder.special == 1


def test_an_id_applies_to_later_events_even_on_the_fast_path() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"data: a\n\nid: 1\ndata: b\n\ndata: c\n\n") == [
        SseEvent("a"),
        SseEvent("b", id="1"),
        SseEvent("c", id="1"),
    ]


def test_an_endless_line_is_capped_while_it_streams() -> None:
    decoder = SseDecoder(max_line_bytes=1000)
    for _ in range(1000):  # 1 MB of one line, no newline yet
        assert decoder.feed(b"data: " + b"y" * 1000) == []
    assert len(decoder._pending) <= 1000  # memory stays bounded mid-line
    (event,) = decoder.feed(b"\n\n")
    assert event.oversized and len(event.data) == 1000 - len("data: ")
    assert decoder.oversized == 1
    assert decoder.feed(b"data: after\n\n") == [SseEvent("after")]


def test_a_cut_never_splits_a_multibyte_character() -> None:
    decoder = SseDecoder(max_line_bytes=10)
    (event,) = decoder.feed("data: ééé\n\n".encode())  # 6 + 6 bytes: the cap falls mid-character
    assert event.data == "éé" and event.oversized


def test_close_discards_an_unterminated_event() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"data: half") == []
    assert decoder.close() == []
    assert decoder.feed(b"data: next\n\n") == [SseEvent("next")]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.integers(min_value=1, max_value=64))
def test_arbitrary_bytes_never_raise(blob: bytes, size: int) -> None:
    decoder = SseDecoder(max_line_bytes=40)
    for start in range(0, len(blob), size):
        for event in decoder.feed(blob[start : start + size]):
            assert isinstance(event.data, str)
    decoder.close()
