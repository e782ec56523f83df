"""The Dockerfile parser: BuildKit syntax in, stages and instructions out, errors as data."""

from __future__ import annotations

import pytest

from tui.domain.dockerfile import (
    Dockerfile,
    arg_pairs,
    env_pairs,
    parse_dockerfile,
    substitute,
)


def only_stage(df: Dockerfile):
    assert df.errors == ()
    assert len(df.stages) == 1
    return df.stages[0]


def test_line_continuations_are_joined_and_lines_span_them() -> None:
    df = parse_dockerfile(
        "FROM python:3.12\nRUN pip install \\\n    flask \\\n    gunicorn\nCMD x\n"
    )
    run = only_stage(df).instructions[1]
    assert run.keyword == "RUN"
    assert (run.line, run.end_line) == (2, 4)
    assert run.args.split() == ["pip", "install", "flask", "gunicorn"]
    assert only_stage(df).instructions[2].line == 5


def test_comments_inside_a_continuation_are_dropped() -> None:
    text = "FROM python:3.12\nRUN apt-get install -y \\\n  # the compiler\n  gcc \\\n  make\n"
    run = only_stage(parse_dockerfile(text)).instructions[1]
    assert "compiler" not in run.args
    assert run.args.split() == ["apt-get", "install", "-y", "gcc", "make"]


def test_escape_directive_changes_the_continuation_character() -> None:
    text = "# escape=`\nFROM mcr.microsoft.com/windows\nCOPY a.txt `\n  C:\\app\\\n"
    copy = only_stage(parse_dockerfile(text)).instructions[1]
    assert copy.words == ("a.txt", "C:\\app\\")
    assert (copy.line, copy.end_line) == (3, 4)


def test_heredoc_run_keeps_its_body_and_line_span() -> None:
    text = 'FROM python:3.12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nCMD ["x"]\n'
    stage = only_stage(parse_dockerfile(text))
    run = stage.instructions[1]
    assert [h.name for h in run.heredocs] == ["EOF"]
    assert run.heredocs[0].content == "apt-get update\napt-get install -y curl\n"
    assert (run.line, run.end_line) == (2, 5)
    assert "apt-get install -y curl" in run.shell_text
    assert stage.instructions[2].line == 6


def test_heredoc_copy_has_a_destination_and_no_context_source() -> None:
    text = "FROM python:3.12\nCOPY <<EOF /app/config.toml\n[server]\nport = 7860\nEOF\n"
    copy = only_stage(parse_dockerfile(text)).instructions[1]
    assert copy.words == ("<<EOF", "/app/config.toml")
    assert copy.heredocs[0].content == "[server]\nport = 7860\n"


def test_exec_and_shell_forms() -> None:
    text = (
        'FROM python:3.12\nCMD ["uvicorn", "app:app", "--port", "7860"]\nENTRYPOINT python app.py\n'
    )
    stage = only_stage(parse_dockerfile(text))
    cmd, entry = stage.instructions[1], stage.instructions[2]
    assert cmd.exec_form == ["uvicorn", "app:app", "--port", "7860"]
    assert entry.exec_form is None
    assert entry.args == "python app.py"


def test_stages_names_and_arg_before_from() -> None:
    text = (
        "ARG PY=3.12\n"
        "FROM python:${PY}-slim AS Build\n"
        "RUN echo build\n"
        "FROM build\n"
        "COPY --from=build --chown=user:user --chmod=755 /src /dst\n"
    )
    df = parse_dockerfile(text)
    assert df.errors == ()
    assert [a.line for a in df.global_args] == [1]
    assert [(s.index, s.name, s.line) for s in df.stages] == [(0, "Build", 2), (1, None, 4)]
    assert df.resolved_base(df.stages[0]) == "python:3.12-slim"
    assert df.stage_named("build") is df.stages[0]
    assert df.final_stage is df.stages[1]
    copy = df.stages[1].instructions[1]
    assert copy.flags == {"from": "build", "chown": "user:user", "chmod": "755"}


def test_run_mount_flags_are_all_kept() -> None:
    text = "FROM python:3.12\nRUN --mount=type=secret,id=HF_TOKEN --mount=type=cache,target=/root/.cache pip install x\n"
    run = only_stage(parse_dockerfile(text)).instructions[1]
    assert run.flag_values("mount") == ["type=secret,id=HF_TOKEN", "type=cache,target=/root/.cache"]
    assert run.words == ("pip install x",)


def test_env_pairs_both_syntaxes_and_arg_defaults() -> None:
    text = 'FROM python:3.12\nENV A=1 B="two words"\nENV LEGACY some value\nARG X=5\nARG Y\n'
    stage = only_stage(parse_dockerfile(text))
    assert env_pairs(stage.instructions[1]) == {"A": "1", "B": "two words"}
    assert env_pairs(stage.instructions[2]) == {"LEGACY": "some value"}
    assert arg_pairs(stage.instructions[3]) == {"X": "5"}
    assert arg_pairs(stage.instructions[4]) == {"Y": ""}


def test_lowercase_keywords_are_normalised() -> None:
    stage = only_stage(parse_dockerfile("from python:3.12 as base\nrun echo hi\n"))
    assert [i.keyword for i in stage.instructions] == ["FROM", "RUN"]
    assert stage.name == "base"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${PORT}", "7860"),
        ("$PORT", "7860"),
        ("${MISSING:-8000}", "8000"),
        ("${PORT:-8000}", "7860"),
        ("${PORT:+set}", "set"),
        ("${MISSING}", "${MISSING}"),
    ],
)
def test_substitute(text: str, expected: str) -> None:
    assert substitute(text, {"PORT": "7860"}) == expected


def test_empty_input_is_an_error_not_an_exception() -> None:
    df = parse_dockerfile("")
    assert df.stages == ()
    assert df.errors and "no instructions" in df.errors[0].message


def test_only_comments_is_an_error() -> None:
    assert parse_dockerfile("# nothing here\n\n").errors


def test_unknown_instruction_is_reported_with_its_line() -> None:
    df = parse_dockerfile("FROM python:3.12\nINSTALL flask\n")
    assert [(e.line, e.message) for e in df.errors] == [(2, "unknown instruction: INSTALL")]
    assert len(df.stages) == 1


def test_unclosed_json_runs_as_shell_and_is_reported() -> None:
    df = parse_dockerfile('FROM python:3.12\nCMD ["python", "app.py"\n')
    cmd = df.stages[0].instructions[1]
    assert cmd.exec_form is None
    assert df.errors[0].line == 2
    assert "not valid JSON" in df.errors[0].message


def test_unterminated_heredoc_is_an_error() -> None:
    df = parse_dockerfile("FROM python:3.12\nRUN <<EOF\necho hi\n")
    assert df.stages == ()
    assert "unterminated heredoc" in df.errors[0].message


def test_no_from_is_an_error() -> None:
    df = parse_dockerfile("ARG X=1\n")
    assert df.stages == ()
    assert "no FROM" in df.errors[0].message


def test_instruction_before_from_is_an_error() -> None:
    df = parse_dockerfile("RUN echo hi\nFROM python:3.12\n")
    assert df.errors[0].line == 1


def test_nul_bytes_do_not_crash_the_native_parser() -> None:
    df = parse_dockerfile("FROM python:3.12\x00\nRUN echo\n")
    assert any("NUL" in e.message for e in df.errors)


def test_a_lone_line_continuation_is_an_error_not_an_exception() -> None:
    # BuildKit yields a command without a keyword for a file that is only `\`.
    for text in ("\\", "\\\n", "FROM python:3.12\n\\\n"):
        parse_dockerfile(text)  # must not raise
    assert "no FROM" in parse_dockerfile("\\\n").errors[0].message
