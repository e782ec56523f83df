"""STATIC003: a static Space reading window.huggingface.variables publishes its secrets (real folders)."""

from __future__ import annotations

import pytest

from tests.helpers.checks import Runner

STATIC = "---\ntitle: T\nemoji: 🚀\nsdk: static\n---\n"
READS = "const vars = window.huggingface.variables;\nfetch(vars.API_URL);\n"


def static003(report) -> list[tuple[str, str | None, int | None]]:
    return [(f.severity.value, f.file, f.line) for f in report.findings if f.id == "STATIC003"]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # Config only (API_URL): the secrets leak only if the Space has some, so info.
        (
            {"index.html": "<script src='main.js'></script>", "main.js": "\n" + READS},
            [("info", "main.js", 2)],
        ),
        # A secret-like name in the reading code: a secret is in play, a warning.
        (
            {"index.html": "<p/>", "main.js": READS + "headers.Authorization = vars.HF_TOKEN;\n"},
            [("warning", "main.js", 1)],
        ),
        (
            {
                "index.html": "<script>\nconst k = window.huggingface.variables['OPENAI_API_KEY']</script>"
            },
            [("warning", "index.html", 2)],
        ),
        (
            {"index.html": "<script>\nconst {TOKEN} = window.huggingface?.variables;\n</script>"},
            [("warning", "index.html", 2)],
        ),
        (
            {"index.html": "<script>const v = window.huggingface['variables']</script>"},
            [("info", "index.html", 1)],
        ),
        ({"index.html": "<p>hosted on huggingface</p>", "main.js": "console.log(1)\n"}, []),
        ({"index.html": "<p/>", "node_modules/lib/a.js": READS}, []),
    ],
)
def test_static_variables(check_tree: Runner, files: dict, expected: list) -> None:
    assert static003(check_tree({"README.md": STATIC, **files})) == expected


def test_one_finding_names_the_other_files(check_tree: Runner) -> None:
    files = {"README.md": STATIC, "index.html": "<p/>", "a.js": READS, "b.ts": READS}
    report = check_tree(files)
    assert static003(report) == [("info", "a.js", 1)]
    message = next(f.message for f in report.findings if f.id == "STATIC003")
    assert "also in 1 other file)" in message and "secrets" in message


def test_only_static_spaces(check_tree: Runner) -> None:
    gradio = '---\ntitle: T\nemoji: 🚀\nsdk: gradio\nsdk_version: "5.49.1"\n---\n'
    files = {"README.md": gradio, "app.py": "import gradio\n", "static/x.js": READS}
    assert static003(check_tree(files)) == []


def test_excluded_files_are_not_served(check_tree: Runner) -> None:
    files = {"README.md": STATIC, "index.html": "<p/>", "dev/x.js": READS, ".hfignore": "dev/\n"}
    assert static003(check_tree(files)) == []
