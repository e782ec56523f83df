"""DEPS001 (requirements parse), DEPS003 (packages.txt), DEPS005 (dependency files installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.checks.context import CheckContext
from tui.domain.checks.deps_checks import DEPS_CHECKS
from tui.domain.checks.findings import Finding, Severity


def make_ctx(
    root: Path,
    files: dict[str, str],
    sdk: str | None = "gradio",
    excluded: dict[str, str] | None = None,
) -> CheckContext:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return CheckContext(
        root=root, files={p: len(t) for p, t in files.items()}, sdk=sdk, excluded=excluded or {}
    )


def run(ctx: CheckContext, check_id: str) -> list[Finding]:
    return [f for check in DEPS_CHECKS for f in check(ctx) if f.id == check_id]


GOOD_REQUIREMENTS = """\
# web
fastapi==0.115.0
uvicorn[standard]>=0.30  # the server
numpy>=1.26,<3; python_version >= "3.10"
torch==2.5.1 \\
    --hash=sha256:abcdef
--extra-index-url https://download.pytorch.org/whl/cpu
--index-url=https://pypi.org/simple
-c constraints.txt
-r more.txt
git+https://github.com/huggingface/transformers.git@main
pkg @ https://example.com/pkg-1.0-py3-none-any.whl
./wheels/local-1.0-py3-none-any.whl
-e .
--prefer-binary
"""
GOOD_FILES = {
    "requirements.txt": GOOD_REQUIREMENTS,
    "constraints.txt": "numpy<2.3\n",
    "more.txt": "pillow\n-r requirements.txt\n",  # a cycle must not loop
    "wheels/local-1.0-py3-none-any.whl": "",
    "pyproject.toml": "[project]\nname='x'\n",
}


def test_good_requirements_are_clean(tmp_path: Path) -> None:
    assert run(make_ctx(tmp_path, GOOD_FILES), "DEPS001") == []


@pytest.mark.parametrize(
    ("requirements", "extra", "line", "words"),
    [
        ("flask\nnot a valid line\n", {}, 2, "not a valid requirement"),
        ("flask==\n", {}, 1, "not a valid requirement"),
        ("flask\n--no-such-option\n", {}, 2, "not an option"),
        ("-r base.txt\n", {}, 1, "base.txt is not in the upload set"),
        ("-e ./lib\n", {"lib/README": ""}, 1, "without pyproject.toml"),
        ("-e .\n", {}, 1, "without pyproject.toml"),
        ("./dist/pkg-1.0.whl\n", {}, 1, "not in the upload set"),
        ("../outside\n", {}, 1, "outside the Space folder"),
        ("ok\n-r nested.txt\n", {"nested.txt": "bad line here\n"}, 1, "not a valid requirement"),
    ],
)
def test_deps001_failures(
    tmp_path: Path, requirements: str, extra: dict[str, str], line: int, words: str
) -> None:
    found = run(make_ctx(tmp_path, {"requirements.txt": requirements, **extra}), "DEPS001")
    assert found, requirements
    assert found[0].severity is Severity.ERROR
    assert found[0].line == line
    assert words in found[0].message


def test_deps001_reports_the_included_file_by_name(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {"requirements.txt": "-r nested.txt\n", "nested.txt": "x\nbad line\n"})
    (finding,) = run(ctx, "DEPS001")
    assert (finding.file, finding.line) == ("nested.txt", 2)


def test_deps001_says_why_an_include_is_missing(tmp_path: Path) -> None:
    ctx = make_ctx(
        tmp_path,
        {"requirements.txt": "-r dev.txt\n"},
        excluded={"dev.txt": ".hfignore line 1: dev*"},
    )
    (finding,) = run(ctx, "DEPS001")
    assert ".hfignore line 1" in finding.message


def test_deps001_reads_files_the_dockerfile_installs(tmp_path: Path) -> None:
    files = {
        "Dockerfile": "FROM python:3.12\nRUN pip install -r requirements/prod.txt\n",
        "requirements/prod.txt": "fastapi\nnot valid here\n",
    }
    found = run(make_ctx(tmp_path, files, sdk="docker"), "DEPS001")
    assert [(f.file, f.line) for f in found] == [("requirements/prod.txt", 2)]


@pytest.mark.parametrize(
    ("packages", "line"),
    [
        ("ffmpeg\n# for opencv\nlibgl1\n", 2),
        ("ffmpeg FFmpeg\n", 1),
        ("ffmpeg libsm6 # for opencv\n", 1),
        ("apt-get install ffmpeg\n", 1),
        ("-y\n", 1),
        ("ffmpeg\r\nlibgl1\r\n", 1),
        ("FFmpeg\n", 1),
    ],
)
def test_deps003_failures(tmp_path: Path, packages: str, line: int) -> None:
    ctx = make_ctx(tmp_path, {"packages.txt": packages})
    found = run(ctx, "DEPS003")
    assert found and found[0].line == line and found[0].severity is Severity.ERROR


def test_deps003_passes_several_names_on_a_line(tmp_path: Path) -> None:
    # The Hub feeds the file to `xargs -r -a packages.txt apt-get install -y`: xargs splits on
    # blanks, so this line installs two packages (it was a false error before).
    ctx = make_ctx(tmp_path, {"packages.txt": "ffmpeg libsm6\tlibgl1\n"})
    assert run(ctx, "DEPS003") == []


def test_deps003_passes_names_versions_and_arch(tmp_path: Path) -> None:
    ctx = make_ctx(
        tmp_path,
        {
            "packages.txt": "ffmpeg\n\nlibgl1\nlibstdc++6\npython3.11-dev\nlibc6:amd64\ncurl=8.5.0-2\n"
        },
    )
    assert run(ctx, "DEPS003") == []


def test_deps005_pre_requirements_is_info(tmp_path: Path) -> None:
    found = run(make_ctx(tmp_path, {"pre-requirements.txt": "pip>=24\n"}), "DEPS005")
    assert [(f.severity, f.file) for f in found] == [(Severity.INFO, "pre-requirements.txt")]


def test_deps005_docker_space_that_never_installs_its_files(tmp_path: Path) -> None:
    files = {
        "Dockerfile": "FROM python:3.12\nCOPY . .\n",
        "requirements.txt": "flask\n",
        "packages.txt": "ffmpeg\n",
    }
    found = run(make_ctx(tmp_path, files, sdk="docker"), "DEPS005")
    assert sorted((f.file, f.severity) for f in found) == [
        ("packages.txt", Severity.WARNING),
        ("requirements.txt", Severity.WARNING),
    ]
    assert any("xargs" in f.message for f in found)


def test_deps005_docker_space_that_installs_them(tmp_path: Path) -> None:
    files = {
        "Dockerfile": "FROM python:3.12\nCOPY requirements.txt packages.txt .\n"
        "RUN xargs -a packages.txt apt-get install -y && pip install -r requirements.txt\n",
        "requirements.txt": "flask\n",
        "packages.txt": "ffmpeg\n",
    }
    assert run(make_ctx(tmp_path, files, sdk="docker"), "DEPS005") == []


def test_deps005_gradio_space_installs_them_itself(tmp_path: Path) -> None:
    files = {"requirements.txt": "flask\n", "packages.txt": "ffmpeg\n"}
    assert run(make_ctx(tmp_path, files, sdk="gradio"), "DEPS005") == []


def test_static_spaces_install_nothing(tmp_path: Path) -> None:
    files = {"requirements.txt": "not valid at all\n", "packages.txt": "# nope\n"}
    ctx = make_ctx(tmp_path, files, sdk="static")
    assert run(ctx, "DEPS001") == [] and run(ctx, "DEPS003") == []


def test_tokens_in_quoted_lines_are_redacted(tmp_path: Path) -> None:
    token = "hf_" + "a" * 34
    ctx = make_ctx(tmp_path, {"requirements.txt": f"broken line {token}\n"})
    (finding,) = run(ctx, "DEPS001")
    assert token not in finding.message and "***" in finding.message
