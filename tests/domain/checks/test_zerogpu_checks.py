"""GRADIO005: ZeroGPU apps need sdk gradio, Python 3.10.13/3.12.12 and torch >= 2.8 (real folders)."""

from __future__ import annotations

import pytest

from tests.helpers.checks import Runner


def card(sdk: str, extra: str = "") -> str:
    return f'---\ntitle: T\nemoji: 🚀\nsdk: {sdk}\nsdk_version: "5.49.1"\n{extra}---\n'


ZERO_APP = (
    "import gradio as gr\nimport spaces\n\n\n@spaces.GPU\ndef run(x):\n    return x\n\n\n"
    "gr.Interface(run, 'text', 'text').launch()\n"
)
PLAIN_APP = "import gradio as gr\n\ngr.Interface(lambda x: x, 'text', 'text').launch()\n"


def found(report) -> list[tuple[str | None, int | None]]:
    assert all(f.severity.value == "warning" for f in report.findings if f.id == "GRADIO005")
    return [(f.file, f.line) for f in report.findings if f.id == "GRADIO005"]


def test_clean_zerogpu_space(check_tree: Runner) -> None:
    files = {
        "README.md": card("gradio", 'python_version: "3.12.12"\n'),
        "app.py": ZERO_APP,
        "requirements.txt": "torch==2.8.0\nnumpy\n",
    }
    assert found(check_tree(files)) == []


def test_docker_sdk_cannot_use_zerogpu(check_tree: Runner) -> None:
    files = {
        "README.md": "---\ntitle: T\nemoji: 🚀\nsdk: docker\n---\n",
        "Dockerfile": 'FROM python:3.12\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
        "requirements.txt": "gradio\nspaces==0.40.0\n",
        "app.py": ZERO_APP,
    }
    report = check_tree(files)
    assert found(report) == [("app.py", 2)]
    assert "sdk: gradio" in next(f.message for f in report.findings if f.id == "GRADIO005")


@pytest.mark.parametrize(
    ("python", "expected"),
    [
        ('"3.10.13"', []),
        ('"3.12.12"', []),
        ('"3.11"', [("README.md", 6)]),
        ('"3.10"', [("README.md", 6)]),
        ("3.10", []),
    ],  # unquoted 3.10 is README011's error
)
def test_python_version(check_tree: Runner, python: str, expected: list) -> None:
    files = {"README.md": card("gradio", f"python_version: {python}\n"), "app.py": ZERO_APP}
    assert found(check_tree(files)) == expected


@pytest.mark.parametrize(
    ("pin", "old"),
    [
        ("torch==2.4.0", True),
        ("torch<2.6", True),
        ("torch~=2.5.0", True),
        ("torch==2.7.*", True),
        ("torch==2.8.0", False),
        ("torch>=2.1", False),
        ("torch~=2.5", False),
        ("torch==2.9.1+cu128", False),
        ("torch", False),
        ("torchvision==0.15", False),
    ],
)
def test_torch_pin(check_tree: Runner, pin: str, old: bool) -> None:
    files = {
        "README.md": card("gradio"),
        "app.py": ZERO_APP,
        "requirements.txt": f"gradio\n{pin}  # gpu\n",
    }
    assert found(check_tree(files)) == ([("requirements.txt", 2)] if old else [])


def test_decorator_alone_counts(check_tree: Runner) -> None:
    app = "import gradio as gr\nfrom spaces import GPU\n\n@GPU\ndef f(): ...\n"
    files = {"README.md": card("gradio"), "app.py": app, "requirements.txt": "torch==2.1.0\n"}
    assert found(check_tree(files)) == [("requirements.txt", 1)]


def test_no_zerogpu_no_finding(check_tree: Runner) -> None:
    files = {
        "README.md": card("gradio", 'python_version: "3.11"\n'),
        "app.py": PLAIN_APP,
        "requirements.txt": "torch==2.0.0\n",
    }
    assert found(check_tree(files)) == []


def test_a_local_spaces_module_is_not_zerogpu(check_tree: Runner) -> None:
    files = {
        "README.md": card("gradio", 'python_version: "3.11"\n'),
        "app.py": ZERO_APP,
        "spaces/__init__.py": "def GPU(f):\n    return f\n",
    }
    assert found(check_tree(files)) == []


def test_vendored_packages_are_not_the_app(check_tree: Runner) -> None:
    files = {
        "README.md": card("gradio", 'python_version: "3.11"\n'),
        "app.py": PLAIN_APP,
        ".venv/lib/python3.11/site-packages/x/y.py": "import spaces\n",
    }
    assert found(check_tree(files)) == []
