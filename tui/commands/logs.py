"""`spacetui logs SPACE`: a Space's build or run log, drained or followed, on the LogStream engine.

Output is one line per event with the trailing newline stripped. By default every line is passed
through `strip_ansi`: plain, safe text whatever the Space printed (colours included; pipe-friendly).
`--raw` prints the text exactly as received, escape sequences and all (the user asked for it);
`--json` prints one JSON object per event (`index`, `timestamp`, `data`, `space`, `kind`), ASCII-only
so no control character can reach the terminal. Stream state changes (reconnecting, failed) go to
stderr, one line each. Heavy modules are imported inside `run`, never at import time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO, Literal, Protocol, TextIO

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Awaitable

    from tui.domain.hub.client import HubClient
    from tui.domain.logstream import LogStream, Sleep, StreamState
    from tui.domain.models import LogEvent

    #: Waits for the next batch at most `seconds`; True when it came (tests pass virtual time).
    SettleWait = Callable[[asyncio.Future[list[LogEvent]], float], Awaitable[bool]]

Mode = Literal["plain", "raw", "json"]

#: With `--follow --tail N`, the replayed history counts as over after this long without data.
TAIL_SETTLE_SECONDS = 0.3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `logs` subcommand."""
    parser = subparsers.add_parser(
        "logs",
        help="build or run logs of a Space, drained or followed",
        description=(
            "Print a Space's run logs (or build logs with --build). Without -f, prints what is "
            "there and exits; with -f, keeps streaming, reconnecting on drops, until the Space's "
            "log ends or Ctrl+C. Output is sanitised plain text unless --raw or --json."
        ),
    )
    parser.add_argument("space", metavar="SPACE", help="the Space id, e.g. alice/my-space")
    parser.add_argument("--build", action="store_true", help="the container build logs")
    parser.add_argument(
        "-f", "--follow", action="store_true", help="keep streaming new lines until the log ends"
    )
    parser.add_argument(
        "-n",
        "--tail",
        type=_line_count,
        metavar="N",
        help="only the last N lines (with -f: the last N of the history, then new lines)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per line: index, timestamp, data, space, kind",
    )
    mode.add_argument(
        "--raw",
        action="store_true",
        help="print lines as received, escape codes included (tokens are still hidden)",
    )
    # SUPPRESS: an absent flag must not overwrite a global `spacetui --endpoint URL logs …`.
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="Hub endpoint (default: $HF_ENDPOINT, then https://huggingface.co)",
    )


def run(args: argparse.Namespace) -> int:
    """Stream the logs; 0 when the log ended, 1 on a Hub error, 2 on bad input, 130 on Ctrl+C."""
    from tui.domain.auth import resolve_target
    from tui.domain.errors import HubError, UsageError
    from tui.domain.models import is_valid_space_id
    from tui.domain.sanitize import for_terminal

    space_id: str = args.space
    if not is_valid_space_id(space_id):
        _error(f"{for_terminal(space_id)!r} is not a Space id; expected namespace/name.")
        return 2
    try:
        target = resolve_target(getattr(args, "endpoint", None))
    except UsageError as exc:
        _error(exc.message)
        return 2
    except HubError as exc:
        _error(exc.message)
        return 1
    mode: Mode = "json" if args.json else "raw" if args.raw else "plain"
    import asyncio  # here, not at the top: every command line loads this module's parser

    try:
        return asyncio.run(
            _main(
                target.endpoint,
                target.token,
                space_id,
                kind="build" if args.build else "run",
                follow=args.follow,
                tail=args.tail,
                mode=mode,
            )
        )
    except KeyboardInterrupt:
        return 130


async def _main(
    endpoint: str,
    token: str | None,
    space_id: str,
    *,
    kind: Literal["build", "run"],
    follow: bool,
    tail: int | None,
    mode: Mode,
) -> int:
    from tui.domain.auth import HubTarget
    from tui.domain.hub.client import HubClient

    # The command's one Hub connection (headers, user agent, proxies set in one place).
    async with HubClient(HubTarget(endpoint, token)) as hub:
        out = _binary_stdout()
        return await stream_logs(
            hub, space_id, kind=kind, follow=follow, tail=tail, mode=mode, out=out
        )


async def wait_settle(pending: asyncio.Future[list[LogEvent]], seconds: float) -> bool:
    """Wait for `pending` at most `seconds` of real time; True when it is done."""
    import asyncio

    done, _ = await asyncio.wait({pending}, timeout=seconds)
    return bool(done)


async def stream_logs(
    hub: HubClient,
    space_id: str,
    *,
    kind: Literal["build", "run"] = "run",
    follow: bool = False,
    tail: int | None = None,
    mode: Mode = "plain",
    out: BinaryOut,
    err: TextIO | None = None,
    sleep: Sleep | None = None,
    settle: SettleWait = wait_settle,
) -> int:
    """Write the log of `space_id` to `out` as `spacetui logs` does; returns the exit code.

    This is the whole command minus argument parsing, so the benchmark measures exactly it.
    `sleep` (the stream's reconnect waits) and `settle` (the `--follow --tail` history's end)
    are real time unless a test passes its own.
    """
    import asyncio

    from tui.domain.logstream import LogStream

    err = err or sys.stderr
    reporter = _StateReporter(err)
    stream = LogStream(
        hub, space_id, kind, follow=follow, on_state=reporter, sleep=sleep or asyncio.sleep
    )
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    formatter = _FORMATTERS[mode]
    delivered = 0

    def write(events: Sequence[LogEvent]) -> None:
        if events:
            out.write((formatter(events) + "\n").encode(encoding, "replace"))
            out.flush()

    try:
        if tail is None and mode != "json":
            # Print and forget: texts only (the fast path of a flood).
            clean = _clean_texts if mode == "plain" else _raw_texts
            async for texts in stream.texts():
                delivered += len(texts)
                out.write((clean(texts) + "\n").encode(encoding, "replace"))
                out.flush()
        elif tail is None:
            async for batch in stream.batches():
                delivered += len(batch)
                write(batch)
        elif not follow:
            last: deque[LogEvent] = deque(maxlen=tail)
            async for batch in stream.batches():
                last.extend(batch)
            delivered = len(last)
            write(list(last))
        else:
            delivered = await _tail_then_follow(stream, tail, write, settle)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, like other Unix tools, and point the
        # descriptor at /dev/null so the interpreter's final flush does not complain either.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return 0
    finally:
        await stream.aclose()
    if stream.state.phase == "failed":
        return 1
    if not delivered and not follow and kind == "run" and tail != 0:
        print(
            f"spacetui logs: no run logs for {space_id}; try --build for the build logs.",
            file=err,
        )
    return 0


async def _tail_then_follow(
    stream: LogStream,
    tail: int,
    write: Callable[[Sequence[LogEvent]], None],
    settle: SettleWait,
) -> int:
    """Hold back the replayed history, print its last `tail` lines, then print live lines.

    The history is over at the first event stamped after the connection's `Date` + 1 s, or when
    the live, caught-up stream pauses for `TAIL_SETTLE_SECONDS` (the Hub sends the replay in one
    burst); pauses while reconnecting or skipping a replay after a drop do not count.
    """
    import asyncio

    from tui.domain.logwire import is_later

    held: deque[LogEvent] | None = deque(maxlen=tail)
    delivered = 0
    batches = stream.batches().__aiter__()
    pending: asyncio.Future[list[LogEvent]] | None = None
    try:
        while True:
            pending = asyncio.ensure_future(anext(batches))
            if held is not None:
                done = await settle(pending, TAIL_SETTLE_SECONDS)
                # A pause while reconnecting or skipping a replay is not the end of the history
                # (taking it for one printed the whole rest of the history after a drop).
                while not done and stream.catching_up:
                    done = await settle(pending, TAIL_SETTLE_SECONDS)
                if not done:
                    write(list(held))
                    delivered += len(held)
                    held = None
            try:
                batch = await pending
            except StopAsyncIteration:
                break
            finally:
                pending = None
            if held is None:
                write(batch)
                delivered += len(batch)
                continue
            live_after = stream.live_after
            split = len(batch)
            if live_after is not None:
                split = next(
                    (i for i, e in enumerate(batch) if is_later(e.timestamp, live_after)),
                    len(batch),
                )
            held.extend(batch[:split])
            if split < len(batch):
                write([*held, *batch[split:]])
                delivered += len(held) + len(batch) - split
                held = None
    finally:
        if pending is not None:
            pending.cancel()
    if held:
        write(list(held))
        delivered += len(held)
    return delivered


# -- formatting -----------------------------------------------------------------------------


def _clean_texts(texts: Sequence[str]) -> str:
    from tui.domain.sanitize import for_terminal

    # One pass over the whole batch: no sanitiser or redaction rule crosses a newline.
    # Redacted in every mode: an app that logs a token (the user's own among them) must not
    # have it printed here, as it is not in the app's log view.
    return for_terminal("\n".join(texts))


def _raw_texts(texts: Sequence[str]) -> str:
    from tui.domain.sanitize import redact

    return redact("\n".join(texts))


def _plain(events: Sequence[LogEvent]) -> str:
    from tui.domain.models import line_texts

    return _clean_texts(line_texts(events))


def _raw(events: Sequence[LogEvent]) -> str:
    from tui.domain.models import line_texts

    return _raw_texts(line_texts(events))


def _json(events: Sequence[LogEvent]) -> str:
    import json

    from tui.domain.sanitize import redact

    # ensure_ascii escapes every control and non-ASCII character except DEL, which is done here.
    return "\n".join(
        json.dumps(
            {
                "index": event.index,
                "timestamp": event.timestamp,
                "data": redact(event.text),
                "space": event.space_id,
                "kind": event.kind,
            }
        ).replace("\x7f", "\\u007f")
        for event in events
    )


_FORMATTERS: dict[str, Callable[[Sequence[LogEvent]], str]] = {
    "plain": _plain,
    "raw": _raw,
    "json": _json,
}


class _StateReporter:
    """Stream state changes as one stderr line each (quiet while all goes well)."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.troubled = False

    def __call__(self, state: StreamState) -> None:
        if state.phase == "reconnecting":
            self.troubled = True
            wait = f"{state.wait:.1f} s" if state.wait is not None else "a moment"
            self._say(f"{state.reason} Reconnecting in {wait} (attempt {state.attempt}).")
        elif state.phase == "live" and self.troubled:
            self.troubled = False
            self._say("reconnected.")
        elif state.phase == "failed":
            self._say(state.reason or "the log stream failed.")

    def _say(self, message: str) -> None:
        from tui.domain.sanitize import for_terminal

        print(f"spacetui logs: {for_terminal(message)}", file=self.err, flush=True)


class BinaryOut(Protocol):
    """Where `stream_logs` writes: a binary stream (stdout's buffer, a file) or `_TextAsBinary`."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...

    def fileno(self) -> int: ...


def _binary_stdout() -> BinaryOut:
    stdout = sys.stdout
    buffer: BinaryIO | None = getattr(stdout, "buffer", None)
    return buffer or _TextAsBinary(stdout)


class _TextAsBinary:
    """Adapts a text stream without `.buffer` (some test captures) to the binary writes above."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        encoding = getattr(self.stream, "encoding", None) or "utf-8"
        return self.stream.write(data.decode(encoding, "replace"))

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        # No descriptor of its own to point at /dev/null after a broken pipe.
        raise io.UnsupportedOperation("fileno")


def _error(message: str) -> None:
    print(f"spacetui logs: {message}", file=sys.stderr)


def _line_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of lines, got {value!r}") from None
    if count < 0:
        raise argparse.ArgumentTypeError("the number of lines cannot be negative")
    return count
