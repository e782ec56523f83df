"""explain_failure on the real Space logs in tests/fixtures/logs and the texts of error-texts.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.failures import MAX_LINES, explain_failure

LOGS = Path(__file__).resolve().parent.parent / "fixtures" / "logs"


def explain_fixture(name: str):
    lines = (LOGS / name).read_text(encoding="utf-8").splitlines()
    if name.startswith("build"):
        return explain_failure("BUILD_ERROR", lines)
    return explain_failure("RUNTIME_ERROR", [], lines)


# fixture -> (words the summary must contain, expected check ids, a line that must be shown)
FIXTURES = {
    "build-fail-apt-no-installation-candidate.txt": (
        "libgl1-mesa-glx",
        ("DOCKER015", "DEPS003"),
        "E: Package 'libgl1-mesa-glx' has no installation candidate",
    ),
    "build-fail-copy-missing-file-checksum.txt": (
        "librechat.yaml",
        ("DOCKER021", "IGNORE002", "IGNORE003", "IGNORE004"),
        "--> ERROR: failed to calculate checksum of ref vye9uumgsopb70nw096g",
    ),
    "build-fail-gradio-sdk-version-conflict.txt": (
        "gradio==3.50.2",
        ("GRADIO003", "DEPS001"),
        "ERROR: Cannot install gradio==3.50.2 and gradio==6.19.0 because these package versions have conflicting dependencies.",
    ),
    "build-fail-npm-eresolve.txt": (
        "ERESOLVE",
        (),
        "npm error Conflicting peer dependency: react@17.0.2",
    ),
    "build-fail-npm-native-addon.txt": ("node-gyp", (), None),
    "build-fail-oom-exit-137.txt": (
        "out of memory",
        ("FLOW004",),
        "Job failed with exit code: 137",
    ),
    "build-fail-pip-resolution-impossible.txt": ("httpx==0.25.2", ("DEPS001",), None),
    "build-fail-pydantic-core-wheel-py313.txt": (
        "pydantic-core",
        ("README011", "DOCKER003"),
        "Failed to build pydantic-core",
    ),
    "build-fail-registry-push-401.txt": ("401 Unauthorized", (), None),
    "build-fail-sdk-fakeroot-header-truncated.txt": ("no error line", (), None),
    "build-fail-sdk-requirements-truncated.txt": ("no error line", (), None),
    "run-gradio-crash-1.txt": (
        "torch",
        ("DEPS001",),
        "ModuleNotFoundError: No module named 'torch'",
    ),
    "run-gradio-crash-2.txt": (
        "audioop",
        ("README011", "DOCKER003"),
        "ModuleNotFoundError: No module named 'audioop'",
    ),
    "run-gradio-crash-3-zerogpu.txt": ("ZeroGPU", ("GRADIO005",), None),
    "run-streamlit-crash-1.txt": (
        "PermissionError",
        ("DOCKER004", "DOCKER009", "DOCKER010"),
        "PermissionError: [Errno 13] Permission denied: '/home/user/.cache/doctr'",
    ),
    "run-transformers-crash-1.txt": ("404", ("README020",), None),
    "run-memory-limit-1.txt": ("out of memory", ("FLOW004",), "Memory limit exceeded (16Gi)"),
}


def test_every_failure_fixture_is_covered() -> None:
    names = {p.name for p in LOGS.glob("build-fail-*.txt")} | {
        p.name for p in LOGS.glob("run-*crash*.txt")
    }
    assert names, "the vendored log fixtures are missing"
    assert names <= set(FIXTURES)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_explained(name: str) -> None:
    words, ids, shown = FIXTURES[name]
    explanation = explain_fixture(name)
    assert words in explanation.summary
    assert explanation.check_ids == ids
    assert explanation.summary.count(". ") == 0 or explanation.summary.endswith(".")
    assert 0 < len(explanation.lines) <= MAX_LINES
    if shown is not None:
        assert shown in explanation.lines


@pytest.mark.parametrize(
    ("stage", "text", "words", "ids"),
    [
        # error-texts.md §5: uv without --system
        (
            "BUILD_ERROR",
            "error: No virtual environment found; run `uv venv` to create an environment, or pass `--system` to install into a non-virtual environment",
            "--system",
            ("DOCKER012",),
        ),
        # uv used in an image that has none (dash and busybox shells, and bash)
        (
            "BUILD_ERROR",
            '/bin/sh: 1: uv: not found\n--> ERROR: process "/bin/sh -c uv pip install -r requirements.txt" did not complete successfully: exit code: 127',
            "not installed",
            ("DOCKER012",),
        ),
        ("BUILD_ERROR", "/bin/sh: uvx: not found", "uvx", ("DOCKER012",)),
        (
            "BUILD_ERROR",
            "/bin/bash: line 1: uv: command not found",
            "exit code 127",
            ("DOCKER012",),
        ),
        # §6: uv after USER
        (
            "BUILD_ERROR",
            "  Caused by: failed to create directory `/usr/local/lib/python3.11/site-packages/thrift_sasl-0.4.3.dist-info`: Permission denied (os error 13)",
            "non-root",
            ("DOCKER012", "DOCKER009"),
        ),
        # §7: executable not found
        (
            "RUNTIME_ERROR",
            'CannotStartContainerError: exec: "uvicorn": executable file not found in $PATH',
            "uvicorn",
            ("DOCKER009", "DOCKER012"),
        ),
        # §8: uid collision
        ("BUILD_ERROR", "useradd: UID 1000 is not unique", "uid 1000", ("DOCKER004",)),
        # §10: apt prompt
        (
            "BUILD_ERROR",
            "After this operation, 33.2 MB of additional disk space will be used.\nDo you want to continue? [Y/n] Abort.",
            "yes/no",
            ("DOCKER014",),
        ),
        # §12: local BuildKit form of a missing COPY source
        (
            "BUILD_ERROR",
            'ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref g3v37::jw5: "/requirements.txt": not found',
            "COPY",
            ("DOCKER021", "IGNORE002", "IGNORE003", "IGNORE004"),
        ),
        # §13: CRLF
        (
            "RUNTIME_ERROR",
            "bash: ./OpenFTA.bin: /bin/sh^M: bad interpreter: No such file or directory",
            "CRLF",
            ("DOCKER026",),
        ),
        # §14: start-up timeout, also as the runtime API's lower-case message
        (
            "RUNTIME_ERROR",
            "Launch timed out, workload was not healthy after 30 min",
            "30 minutes",
            ("DOCKER018", "DOCKER019", "README009", "README018"),
        ),
        # §16: configuration
        (
            "CONFIG_ERROR",
            "Configuration error\nMissing configuration in README",
            "front matter",
            ("README001", "README002", "README003"),
        ),
        (
            "NO_APP_FILE",
            "This Space is missing an app file. An app file is required for the Space to build and run properly.",
            "no app file",
            ("README012", "GRADIO001", "DOCKER001"),
        ),
        # §17, §18: platform limits
        (
            "RUNTIME_ERROR",
            "Scheduling failure: not enough hardware capacity",
            "not enough hardware capacity",
            ("FLOW004",),
        ),
        ("RUNTIME_ERROR", "Workload evicted, storage limit exceeded (50G)", "50G", ("FLOW004",)),
        # §19: no launch()
        (
            "RUNTIME_ERROR",
            "Exit code: 0. Reason: application does not seem to be initialized",
            "launch()",
            ("GRADIO004",),
        ),
        # permission denied on a start script (DOCKER025)
        (
            "RUNTIME_ERROR",
            "/bin/sh: 1: ./start.sh: Permission denied",
            "executable bit",
            ("DOCKER025",),
        ),
        # port problems
        (
            "RUNTIME_ERROR",
            "INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)",
            "127.0.0.1",
            ("DOCKER018",),
        ),
        (
            "RUNTIME_ERROR",
            "ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 7860): address already in use",
            "port",
            ("DOCKER018", "DOCKER027"),
        ),
        (
            "BUILD_ERROR",
            "unable to find user appuser: no matching entries in passwd file",
            "appuser",
            ("DOCKER006",),
        ),
    ],
)
def test_error_texts(stage: str, text: str, words: str, ids: tuple[str, ...]) -> None:
    explanation = explain_failure(stage, text.splitlines())
    assert words in explanation.summary
    assert explanation.check_ids == ids
    assert explanation.hint


def test_error_message_from_the_runtime_api_is_read() -> None:
    explanation = explain_failure(
        "RUNTIME_ERROR",
        [],
        [],
        error_message="launch timed out, space was not healthy after 30 min",
    )
    assert "DOCKER018" in explanation.check_ids


def test_unknown_failure_shows_the_first_error_looking_lines() -> None:
    log = [
        "--> RUN make all",
        "compiling foo.c",
        "foo.c:3: error: expected ';'",
        "make: *** [all] Error 2",
        "more output",
        '--> ERROR: process "/bin/sh -c make all" did not complete successfully: exit code: 2',
    ]
    explanation = explain_failure("BUILD_ERROR", log)
    assert explanation.summary == "The build step `make all` failed with exit code 2."
    assert explanation.lines == (log[2], log[3], log[5])
    assert explanation.check_ids == ()


def test_unknown_run_failure_with_a_traceback() -> None:
    log = [
        "Traceback (most recent call last):",
        '  File "/app/app.py", line 3, in <module>',
        "ValueError: bad config",
    ]
    explanation = explain_failure("RUNTIME_ERROR", [], log)
    assert "ValueError: bad config" in explanation.summary
    assert explanation.lines[-1] == "ValueError: bad config"


def test_nothing_at_all() -> None:
    explanation = explain_failure("BUILD_ERROR", [])
    assert explanation.summary.startswith("The build failed")
    assert explanation.lines == ()


def test_lines_are_capped_and_shortened() -> None:
    log = [f"ERROR: failure number {i} " + "x" * 1000 for i in range(50)]
    explanation = explain_failure("BUILD_ERROR", log)
    assert len(explanation.lines) == MAX_LINES
    assert all(len(line) <= 300 for line in explanation.lines)


def test_successful_logs_do_not_look_like_failures() -> None:
    for path in sorted(LOGS.glob("build-ok-*.txt")):
        explanation = explain_failure("BUILD_ERROR", path.read_text(encoding="utf-8").splitlines())
        assert explanation.check_ids == (), path.name


def test_timeout_names_the_listener_on_the_wrong_port() -> None:
    run = [
        "===== Application Startup at 2026-11-28 10:00:00 =====",
        "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)",
    ]
    explanation = explain_failure(
        "RUNTIME_ERROR",
        [],
        run,
        "launch timed out, space was not healthy after 30 min",
        app_port=7860,
    )
    assert "0.0.0.0:8000" in explanation.summary and "7860" in explanation.summary
    assert explanation.lines == (run[1], "launch timed out, space was not healthy after 30 min")
    assert "app_port: 8000" in (explanation.hint or "")


def test_timeout_with_the_right_listener_blames_slowness() -> None:
    run = ["INFO:     Uvicorn running on http://0.0.0.0:7860 (Press CTRL+C to quit)"]
    explanation = explain_failure(
        "RUNTIME_ERROR", [], run, "Launch timed out, space was not healthy after 30 min"
    )
    assert "too slow" in explanation.summary


def test_escape_sequences_are_removed_before_matching_and_from_the_lines() -> None:
    run = [
        "\x1b[32mINFO\x1b[0m:     Uvicorn running on \x1b[1mhttp://127.0.0.1:8000\x1b[0m (Press CTRL+C to quit)\x07"
    ]
    explanation = explain_failure("RUNTIME_ERROR", [], run)
    assert "127.0.0.1" in explanation.summary
    assert explanation.lines == (
        "INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)",
    )
    assert not any("\x1b" in line or "\x07" in line for line in explanation.lines)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        (
            "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt'",
            ("DOCKER021", "DEPS001"),
        ),
        (
            "--> ERROR: failed to solve: dockerfile parse error: no build stage in current context",
            ("DOCKER002",),
        ),
        (
            "python: can't open file '/app/app.py': [Errno 2] No such file or directory",
            ("DOCKER021", "IGNORE002", "IGNORE004"),
        ),
    ],
)
def test_emulator_style_failures(text: str, ids: tuple[str, ...]) -> None:
    assert explain_failure("BUILD_ERROR", [text]).check_ids == ids


def test_tokens_in_log_lines_are_redacted() -> None:
    token = "hf_" + "b" * 34
    log = [f"fatal: could not read from https://user:{token}@huggingface.co/x", "ERROR: boom"]
    explanation = explain_failure("BUILD_ERROR", log)
    assert all(token not in line for line in explanation.lines)
    assert token not in explanation.summary


def test_the_emulated_build_of_uv_without_uv_is_explained() -> None:
    """`spacetui init`'s python:3.12-slim image with `RUN uv pip install`: the emulator's build
    log ends in the shell's `uv: not found`, and the explanation names uv, not a venv."""
    from tui.emulator.buildlogs import plan_build
    from tui.emulator.life_config import SpaceConfig

    dockerfile = (
        b"FROM python:3.12-slim\nRUN useradd -m -u 1000 user\nUSER user\nWORKDIR /home/user/app\n"
        b"COPY --chown=user requirements.txt requirements.txt\n"
        b"RUN uv pip install -r requirements.txt\n"
        b'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n'
    )
    files = {"Dockerfile": dockerfile, "requirements.txt": b"fastapi\n"}
    plan = plan_build(
        files,
        config=SpaceConfig(sdk="docker"),
        sha="c" * 40,
        started_at=0.0,
        cache=frozenset(),
        seed="qa",
    )
    assert plan.exit_code == 127
    explanation = explain_failure(
        "BUILD_ERROR", [text for _, text in plan.lines], error_message=plan.error_message
    )
    assert "uv is not installed" in explanation.summary
    assert explanation.check_ids == ("DOCKER012",)
    assert "/bin/sh: 1: uv: not found" in explanation.lines
