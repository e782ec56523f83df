"""STREAMLIT002 (the Streamlit SDK's port) and STREAMLIT003 (file uploads in the iframe), real folders."""

from __future__ import annotations

import pytest

from tests.helpers.checks import Runner


def card(sdk: str, extra: str = "") -> str:
    return f"---\ntitle: T\nemoji: 🚀\nsdk: {sdk}\n{extra}---\n"


STREAMLIT = {"README.md": card("streamlit"), "app.py": "import streamlit as st\nst.write('hi')\n"}
UPLOAD_APP = "import streamlit as st\n\nfile = st.file_uploader('CSV')\n"
DOCKER_README = card("docker", "app_port: 8501\n")
DOCKERFILE = (
    "FROM python:3.12\nRUN useradd -m -u 1000 user\nUSER user\nWORKDIR /home/user/app\n"
    "COPY --chown=user . .\nCMD {cmd}\n"
)
STREAMLIT_CMD = (
    '["streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0"'
)


def ids(report, rule: str) -> list[tuple[str, str | None, int | None]]:
    return [(f.severity.value, f.file, f.line) for f in report.findings if f.id == rule]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("[server]\nheadless = true\nport = 7860\n", [("error", ".streamlit/config.toml", 3)]),
        ('[server]\naddress = "127.0.0.1"\n', [("error", ".streamlit/config.toml", 2)]),
        ("[server]\nport = 8501\naddress = '0.0.0.0'\n", []),
        ('[server]\nport = "8501"\n', []),
        ('[server]\nport = "80"\n', [("error", ".streamlit/config.toml", 2)]),
        ("[theme]\nbase = 'dark'\n", []),
        ("[server\nport = 1\n", []),  # broken TOML: Streamlit's own error, not a port claim
    ],
)
def test_streamlit_sdk_port(check_tree: Runner, config: str, expected: list) -> None:
    report = check_tree({**STREAMLIT, ".streamlit/config.toml": config})
    assert ids(report, "STREAMLIT002") == expected


def test_port_is_only_judged_for_the_streamlit_sdk(check_tree: Runner) -> None:
    # With sdk: docker the CMD decides; DOCKER018 reads config.toml there, so no STREAMLIT002.
    files = {
        "README.md": DOCKER_README,
        "Dockerfile": DOCKERFILE.format(cmd='["streamlit", "run", "app.py"]'),
        "app.py": "import streamlit\n",
        ".streamlit/config.toml": "[server]\nport = 7860\n",
    }
    report = check_tree(files)
    assert ids(report, "STREAMLIT002") == []
    assert [f.severity.value for f in report.findings if f.id == "DOCKER018"] == ["error"]


def test_an_excluded_config_moves_nothing(check_tree: Runner) -> None:
    files = {
        **STREAMLIT,
        ".streamlit/config.toml": "[server]\nport = 9000\n",
        ".hfignore": ".streamlit/\n",
    }
    assert ids(check_tree(files), "STREAMLIT002") == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, [("info", "app.py", 3)]),
        ({".streamlit/config.toml": "[server]\nenableXsrfProtection = false\n"}, []),
        (
            {".streamlit/config.toml": "[server]\nenableXsrfProtection = true\n"},
            [("info", "app.py", 3)],
        ),
    ],
)
def test_file_uploader_on_the_streamlit_sdk(
    check_tree: Runner, extra: dict, expected: list
) -> None:
    report = check_tree({**STREAMLIT, "app.py": UPLOAD_APP, **extra})
    assert ids(report, "STREAMLIT003") == expected
    if expected:
        message = next(f.message for f in report.findings if f.id == "STREAMLIT003")
        assert "iframe" in message and "enableXsrfProtection = false" in message


def test_uploader_found_in_a_page_module(check_tree: Runner) -> None:
    files = {
        **STREAMLIT,
        "pages/upload.py": "import streamlit\n\nx = streamlit.file_uploader('a')\n",
    }
    assert ids(check_tree(files), "STREAMLIT003") == [("info", "pages/upload.py", 3)]


def test_no_uploader_no_finding(check_tree: Runner) -> None:
    files = {**STREAMLIT, "app.py": "import streamlit as st\n# st.file_upload is not used\n"}
    assert ids(check_tree(files), "STREAMLIT003") == []


@pytest.mark.parametrize(
    ("cmd", "env", "expected"),
    [
        (STREAMLIT_CMD + "]", "", 1),
        (STREAMLIT_CMD + ', "--server.enableXsrfProtection", "false"]', "", 0),
        (STREAMLIT_CMD + ', "--server.enableXsrfProtection=false"]', "", 0),
        (STREAMLIT_CMD + ', "--server.enableXsrfProtection=true"]', "", 1),
        (STREAMLIT_CMD + "]", "ENV STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION=false\n", 0),
        ('["bash", "start.sh"]', "", 0),  # the start script passes the flag
    ],
)
def test_file_uploader_in_a_docker_space(
    check_tree: Runner, cmd: str, env: str, expected: int
) -> None:
    dockerfile = DOCKERFILE.format(cmd=cmd).replace("CMD", env + "CMD")
    files = {
        "README.md": DOCKER_README,
        "Dockerfile": dockerfile,
        "app.py": UPLOAD_APP,
        "start.sh": "#!/bin/sh\nexec streamlit run app.py --server.port 8501 "
        "--server.address 0.0.0.0 --server.enableXsrfProtection false\n",
    }
    report = check_tree(files)
    assert len(ids(report, "STREAMLIT003")) == expected
    assert not [f for f in report.findings if f.id == "INTERNAL"]


def test_gradio_space_is_not_judged(check_tree: Runner) -> None:
    files = {"README.md": card("gradio", 'sdk_version: "5.49.1"\n'), "app.py": UPLOAD_APP}
    assert ids(check_tree(files), "STREAMLIT003") == []
