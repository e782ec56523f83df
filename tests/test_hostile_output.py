"""Every output path gets the same hostile remote text: nothing dangerous and no token comes out.

The paths: `spacetui logs` (plain and JSON), `status` (table and JSON), `check`'s text, the
deploy renderer (log lines and the result), toasts, failure explanations and the log view's line
renderer. Hostile means escape sequences of every family (CSI, OSC, DCS, 8-bit C1), bidi
overrides, Rich markup, lone surrogates, very long lines and `hf_` tokens, in any mix.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App

from tui.commands import check, status
from tui.commands import logs as logs_command
from tui.commands.deploy_render import HumanRenderer
from tui.domain.deploy.events import BuildLogLine, DeployResult
from tui.domain.failures import explain_failure
from tui.domain.models import LogEvent, SpaceStatus, Stage
from tui.domain.sanitize import register_secret
from tui.ui.app import SpacesApp
from tui.ui.widgets.log_render import body_text

TOKEN = "hf_" + "Q" * 14 + "7" * 20
KNOWN = "s3cr3t-known-value"  # a secret in use: redacted even glued to other text
register_secret(KNOWN)

HOSTILE = [
    "\x1b[31mred\x1b[0m",
    "\x1b[2J\x1b[H",
    "\x1b[?1049h",
    "\x1b]0;pwned title\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "\x1bP1$r0m\x1b\\",
    "\x1b_apc\x1b\\",
    "\x9b31m",
    "\x9d0;c1 title\x9c",
    "\x90dcs\x9c",
    "\x85\x8d",
    "\x1bc",
    "\x1b",
    "\x07\x08\x7f\x00",
    "\r",
    "abc\u202edcba\u202c",
    "\u2066iso\u2069",
    "\u200f\u061c",
    "[bold]loud[/bold]",
    "[link=https://evil.example]x[/link]",
    "[@click=app.quit]q[/]",
    "\ud800",
    "\udc80",
    "A" * 12_000,
    f" {TOKEN} ",
    f"Bearer {TOKEN}",
    KNOWN,
    "plain words",
    "\t",
    "\n",
]

hostile = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), min_size=1, max_size=8
).map("".join)

# Dangerous in any output: escape/control characters (tab and newline aside), bidi, surrogates.
# Written out here, not imported: the oracle must not change with the code under test.
_BAD = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def assert_clean(output: str) -> None:
    """Nothing that a terminal would interpret, and no secret."""
    bad = _BAD.search(output)
    assert bad is None, f"dangerous {bad.group()!r} in output"
    assert TOKEN not in output
    assert KNOWN not in output


def assert_no_markup_effects(text: Text) -> None:
    """A Rich Text built from remote text: no link, no action, so `[link=…]` stayed literal."""
    for span in text.spans:
        style = span.style
        if not isinstance(style, str):
            assert style.link is None and not style.meta


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(hostile)
def test_cli_logs_plain_and_json(raw: str) -> None:
    events = [
        LogEvent(data=line, timestamp="2026-01-01T00:00:00Z", index=i)
        for i, line in enumerate(raw.split("\n"))
    ]
    plain = logs_command._FORMATTERS["plain"](events)
    assert_clean(plain)
    as_json = logs_command._FORMATTERS["json"](events)
    assert as_json.isascii()
    assert_clean(as_json)
    assert [json.loads(line)["index"] for line in as_json.split("\n")] == list(range(len(events)))


@SETTINGS
@given(hostile, hostile)
def test_cli_status_table_and_json(text: str, stage: str) -> None:
    row = SpaceStatus(space_id=text, stage=Stage.UNKNOWN, raw_stage=stage, sdk=text, hardware=stage)
    table = status.format_table([row], now=0.0)
    assert_clean(table)
    assert len(table.splitlines()) == 2  # one header, one row: remote text cannot add lines
    line = status.status_json(row)
    assert line.isascii() and "\n" not in line


@SETTINGS
@given(hostile)
def test_cli_check_text(text: str) -> None:
    shown = check.safe(text)
    assert_clean(shown)  # escapes are shown as text (`\\x1b`), never sent


@SETTINGS
@given(hostile, hostile)
def test_cli_deploy_renderer(line: str, message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    render = HumanRenderer(out, err, tty=False, delete=False)
    render(BuildLogLine(log="build", text=line, timestamp="2026-01-01T00:00:00Z"))
    render(
        DeployResult(
            ok=False,
            outcome="build_failed",
            message=message,
            space_id="alice/app",
            error_lines=(line, message),
        )
    )
    assert_clean(out.getvalue())
    assert_clean(err.getvalue())


@SETTINGS
@given(hostile, hostile)
def test_failure_explanation(build: str, error: str) -> None:
    explanation = explain_failure("BUILD_ERROR", build.split("\n"), (), error)
    for piece in (explanation.summary, *explanation.lines):
        assert_clean(piece)
        assert "\n" not in piece


@SETTINGS
@given(hostile)
def test_log_view_line_renderer(raw: str) -> None:
    for line in raw.split("\n"):
        text = body_text(line)
        assert_clean(text.plain)
        assert "\t" not in text.plain  # tabs expanded: cell widths must not lie
        assert_no_markup_effects(text)


@pytest.fixture(scope="module")
def toast_sink() -> Any:
    """`SpacesApp.notify` with Textual's own notify replaced by a recorder (no app running)."""
    shown: list[tuple[str, str, bool]] = []

    def record(self: App, message: str, *, title: str = "", markup: bool = True, **_: Any) -> None:
        shown.append((message, title, markup))

    app = SpacesApp.__new__(SpacesApp)  # notify needs no state; running an app per example is slow
    original = App.notify
    App.notify = record  # type: ignore[method-assign]
    try:
        yield app, shown
    finally:
        App.notify = original  # type: ignore[method-assign]


@SETTINGS
@given(hostile, hostile)
def test_toast_text(toast_sink: Any, message: str, title: str) -> None:
    app, shown = toast_sink
    shown.clear()
    app.notify(message, title=title)
    ((text, heading, markup),) = shown
    assert markup is False  # `[bold]` and `[link=…]` are shown, not applied
    assert_clean(text)
    assert_clean(heading)
    assert "\n" not in heading
    assert len(text) <= 500
