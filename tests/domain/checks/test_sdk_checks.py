"""GRADIO001–004, STATIC001/002/004, STREAMLIT001 on real folders; the app is never executed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.checks.engine import run_checks


def card(sdk: str, extra: str = "") -> str:
    return f"---\ntitle: T\nemoji: 🚀\nsdk: {sdk}\n{extra}---\n"


GRADIO = card("gradio", 'sdk_version: "5.49.1"\n')
GOOD_APP = (
    "import gradio as gr\n\ndemo = gr.Interface(lambda x: x, 'text', 'text')\ndemo.launch()\n"
)

# (rule, expected severity or None, files)
ROWS = [
    ("GRADIO001", "error", {"README.md": GRADIO}),
    ("GRADIO001", "error", {"README.md": GRADIO, "app.py": "def broken(:\n    pass\n"}),
    ("GRADIO001", "error", {"README.md": GRADIO, "app.py": "return 1\n"}),
    ("GRADIO001", None, {"README.md": GRADIO, "app.py": GOOD_APP}),
    ("GRADIO002", "info", {"README.md": card("gradio"), "app.py": GOOD_APP}),
    ("GRADIO002", None, {"README.md": GRADIO, "app.py": GOOD_APP}),
    ("GRADIO004", "warning", {"README.md": GRADIO, "app.py": "import gradio as gr\ndemo = 1\n"}),
    (
        "GRADIO004",
        "warning",
        {
            "README.md": GRADIO,
            "app.py": GOOD_APP.replace("launch()", "launch(server_name='127.0.0.1')"),
        },
    ),
    (
        "GRADIO004",
        "warning",
        {"README.md": GRADIO, "app.py": GOOD_APP.replace("launch()", "launch(server_port=8080)")},
    ),
    (
        "GRADIO004",
        "info",
        {"README.md": GRADIO, "app.py": GOOD_APP.replace("launch()", "launch(share=True)")},
    ),
    (
        "GRADIO004",
        None,
        {
            "README.md": GRADIO,
            "app.py": GOOD_APP.replace("launch()", "queue().launch(server_name='0.0.0.0')"),
        },
    ),
    (
        "GRADIO003",
        "warning",
        {
            "README.md": GRADIO,
            "app.py": GOOD_APP,
            "requirements.txt": "numpy\ngradio==3.50.2  # old\n",
        },
    ),
    (
        "GRADIO003",
        "warning",
        {"README.md": GRADIO, "app.py": GOOD_APP, "requirements.txt": "gradio<5\n"},
    ),
    (
        "GRADIO003",
        None,
        {
            "README.md": GRADIO,
            "app.py": GOOD_APP,
            "requirements.txt": "gradio>=5.0\ngradio_client\nnumpy==2.0\n",
        },
    ),
    (
        "STATIC002",
        "warning",
        {
            "README.md": card(
                "static", "app_build_command: npm run build\napp_file: dist/index.html\n"
            )
        },
    ),
    (
        "STATIC002",
        "warning",
        {
            "README.md": card(
                "static", "app_build_command: npm run build\napp_file: dist/index.html\n"
            ),
            "package.json": '{"scripts": {"dev": "vite"}}',
        },
    ),
    (
        "STATIC002",
        None,
        {
            "README.md": card(
                "static", "app_build_command: npm run build\napp_file: dist/index.html\n"
            ),
            "package.json": '{"scripts": {"build": "vite build"}}',
        },
    ),
    # `cd frontend && …` runs the build in frontend/: its package.json is the one that counts.
    (
        "STATIC002",
        None,
        {
            "README.md": card(
                "static",
                "app_build_command: cd frontend && npm ci && npm run build\n"
                "app_file: frontend/dist/index.html\n",
            ),
            "frontend/package.json": '{"scripts": {"build": "vite build"}}',
        },
    ),
    (
        "STATIC002",
        "warning",
        {
            "README.md": card(
                "static",
                "app_build_command: cd frontend && npm run build\n"
                "app_file: frontend/dist/index.html\n",
            ),
            "package.json": '{"scripts": {"build": "vite build"}}',
        },
    ),
    (
        "STATIC002",
        "warning",
        {
            "README.md": card(
                "static",
                "app_build_command: cd frontend && npm run build\n"
                "app_file: frontend/dist/index.html\n",
            ),
            "frontend/package.json": '{"scripts": {"dev": "vite"}}',
        },
    ),
    ("STATIC004", "info", {"README.md": card("static"), "index.html": "<p/>", "server.py": ""}),
    ("STATIC004", None, {"README.md": card("static"), "index.html": "<p/>", "main.js": ""}),
    ("STATIC001", "error", {"README.md": card("static")}),
    ("STATIC001", None, {"README.md": card("static"), "index.html": "<p>hi</p>"}),
    (
        "STATIC001",
        None,
        {
            "README.md": card(
                "static", "app_build_command: npm run build\napp_file: dist/index.html\n"
            )
        },
    ),
    ("STREAMLIT001", "info", {"README.md": card("streamlit"), "app.py": "import streamlit\n"}),
    ("STREAMLIT001", None, {"README.md": GRADIO, "app.py": GOOD_APP}),
]


@pytest.mark.parametrize(
    ("rule", "severity", "files"), ROWS, ids=[f"{r}-{s}-{i}" for i, (r, s, _) in enumerate(ROWS)]
)
def test_sdk_rule(tmp_path: Path, rule: str, severity: str | None, files: dict) -> None:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    found = [f for f in run_checks(tmp_path).findings if f.id == rule]
    if severity is None:
        assert found == [], found
    else:
        assert found and severity in {f.severity.value for f in found}, found


def test_syntax_error_has_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(GRADIO, encoding="utf-8")
    (tmp_path / "app.py").write_text("import gradio\n\nif True\n    pass\n")
    (finding,) = [f for f in run_checks(tmp_path).findings if f.id == "GRADIO001"]
    assert (finding.file, finding.line) == ("app.py", 3)
    assert not list(tmp_path.rglob("*.pyc")), "checking must not write bytecode"
