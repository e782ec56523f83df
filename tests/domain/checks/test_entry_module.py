"""DOCKER029 on hand-built neighbours of the real folder that called for it.

The real case (leo-huovi__Papukaija-translator, pinned in test_real_rules.py) runs
`uvicorn app.main:app` beside `app.py`, which does not parse. These folders, written by hand,
keep the error sure: it must stay silent when the module may come from somewhere else (a package
folder, an installed package, `--app-dir`), and a parse failure is an error only when the
image's Python is known and not newer than ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.domain.checks.test_docker_checks import make_ctx
from tui.domain.checks.docker_entry import check_entry_module
from tui.domain.checks.findings import Finding

README = {"README.md": "---\nsdk: docker\n---\n"}


def _dockerfile(base: str, cmd: str) -> str:
    return f"FROM {base}\nWORKDIR /code\nCOPY . .\nCMD {cmd}\n"


def _run(tmp_path: Path, files: dict[str, str]) -> list[Finding]:
    return list(check_entry_module(make_ctx(tmp_path, {**README, **files})))


UVICORN_MAIN = '["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "7860"]'


def test_a_dotted_module_under_a_plain_module_is_an_error(tmp_path: Path) -> None:
    found = _run(
        tmp_path,
        {"Dockerfile": _dockerfile("python:3.11", UVICORN_MAIN), "app.py": "app = 1\n"},
    )
    assert [(f.severity.value, f.line) for f in found] == [("error", 4)]
    assert "app.py is a module, not a package" in found[0].message


@pytest.mark.parametrize(
    "files",
    [
        # the package exists
        {"app/__init__.py": "", "app/main.py": "app = 1\n"},
        # app.py beside an app/ folder: not sure which one Python picks up here, so silent
        {"app.py": "x = 1\n", "app/main.py": "app = 1\n"},
        # nothing local: an installed package may provide it
        {"main.py": "app = 1\n"},
    ],
    ids=["package", "module-and-folder", "installed"],
)
def test_a_module_that_may_exist_is_not_reported(tmp_path: Path, files: dict[str, str]) -> None:
    assert _run(tmp_path, {"Dockerfile": _dockerfile("python:3.11", UVICORN_MAIN), **files}) == []


def test_an_app_dir_moves_the_import_root(tmp_path: Path) -> None:
    cmd = '["uvicorn", "app.main:app", "--app-dir", "src", "--port", "7860"]'
    files = {"Dockerfile": _dockerfile("python:3.11", cmd), "app.py": "app = 1\n"}
    assert _run(tmp_path, files) == []


def test_an_entry_that_does_not_parse_is_an_error_on_a_known_python(tmp_path: Path) -> None:
    cmd = '["gunicorn", "-b", "0.0.0.0:7860", "main:app"]'
    files = {"Dockerfile": _dockerfile("python:3.10-slim", cmd), "main.py": "import os os.x = 1\n"}
    found = _run(tmp_path, files)
    assert [(f.severity.value, f.message.split(" ")[0]) for f in found] == [("error", "main.py:1")]


def test_syntax_newer_than_the_image_python_is_an_error(tmp_path: Path) -> None:
    # `match` needs Python 3.10: on a python:3.9 image the module does not import.
    source = "match 1:\n    case 1:\n        app = 1\n"
    cmd = '["python", "main.py"]'
    old = _run(tmp_path / "old", {"Dockerfile": _dockerfile("python:3.9", cmd), "main.py": source})
    new = _run(tmp_path / "new", {"Dockerfile": _dockerfile("python:3.11", cmd), "main.py": source})
    assert [f.severity.value for f in old] == ["error"]
    assert new == []


def test_an_unknown_or_newer_python_makes_a_parse_failure_info(tmp_path: Path) -> None:
    cmd = '["python", "main.py"]'
    for base in ("python:3.99-slim", "nvidia/cuda:12.4.1-runtime-ubuntu22.04"):
        files = {"Dockerfile": _dockerfile(base, cmd), "main.py": "def f(:\n"}
        found = _run(tmp_path / base.replace("/", "_").replace(":", "_"), files)
        assert [f.severity.value for f in found] == ["info"], base


def test_a_cd_in_the_start_command_is_not_followed(tmp_path: Path) -> None:
    cmd = "cd src && uvicorn app.main:app --host 0.0.0.0 --port 7860"
    files = {"Dockerfile": _dockerfile("python:3.11", cmd), "app.py": "app = 1\n"}
    assert _run(tmp_path, files) == []
