"""Issue 13: `spacetui status` has an ERROR column, the runtime's errorMessage on one line."""

from __future__ import annotations

import pytest

from tests.cli.test_status import emulator, run_status  # noqa: F401 - the fixture
from tests.helpers.app import BROKEN_FILES, FILES, SETTLE
from tests.helpers.hub import ALICE_TOKEN
from tui.commands.status import ERROR_WIDTH, error_label
from tui.domain.models import SpaceStatus, Stage
from tui.emulator.server import RunningEmulator


def test_a_failed_space_shows_its_error_on_its_own_line(
    emulator: RunningEmulator,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    for space_id, files in (("alice/broken", BROKEN_FILES), ("alice/fine", FILES)):
        emulator.state.create_space(space_id, sdk="docker")
        emulator.state.commit(space_id, files)
    emulator.clock.advance(SETTLE)
    error = emulator.state.get_space("alice/broken").life.runtime().get("errorMessage")
    assert error
    code, out, _ = run_status(capsys, "--endpoint", emulator.url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[-1] == "ERROR" and len(lines) == 3
    broken = next(line for line in lines if line.startswith("alice/broken"))
    fine = next(line for line in lines if line.startswith("alice/fine"))
    assert broken[lines[0].index("ERROR") :].startswith(" ".join(str(error).split())[:40])
    assert fine.rstrip().endswith("ago") or fine.rstrip().endswith("-")  # nothing after


def test_the_error_is_one_line_cut_and_token_free() -> None:
    status = SpaceStatus("a/b", Stage.RUNTIME_ERROR,
                         error_message="line one\nline two " + "x" * 200 + " hf_" + "Q" * 34)  # fmt: skip
    label = error_label(status)
    assert "\n" not in label and label.startswith("line one line two")
    assert len(label) == ERROR_WIDTH and label.endswith("…")
