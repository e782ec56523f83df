"""The deploy's build log travels in batches; the CLI still prints (and JSON-encodes) each line."""

from __future__ import annotations

import io
import json

from tui.commands.deploy_render import HumanRenderer, JsonRenderer
from tui.domain.deploy.events import BuildLogLine, BuildLogLines

BATCH = BuildLogLines(
    (
        BuildLogLine("build", "Step 1/2 : FROM python", "2026-11-28T10:00:00Z"),
        BuildLogLine("build", "\x1b[31mStep 2/2\x1b[0m : RUN pip install", "2026-11-28T10:00:01Z"),
    )
)


def test_json_output_stays_one_object_per_log_line() -> None:
    out = io.StringIO()
    JsonRenderer(out)(BATCH)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["event"], r["text"]) for r in records] == [
        ("log", "Step 1/2 : FROM python"),
        ("log", "\x1b[31mStep 2/2\x1b[0m : RUN pip install"),
    ]


def test_human_output_prints_every_line_of_a_batch_sanitised() -> None:
    out, err = io.StringIO(), io.StringIO()
    HumanRenderer(out, err, tty=False, delete=False)(BATCH)
    assert out.getvalue() == (
        "  build | Step 1/2 : FROM python\n  build | Step 2/2 : RUN pip install\n"
    )
