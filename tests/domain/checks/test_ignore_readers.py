"""IGNORE001 (which ignore files apply, in order) and IGNORE007 (ignore files others do not read)."""

from __future__ import annotations

import pytest

from tests.helpers.checks import Runner

DOCKER_README = "---\ntitle: T\nemoji: 🚀\nsdk: docker\n---\n"
DOCKER = 'FROM python:3.12\nCMD ["python", "-m", "http.server", "7860"]\n'
BASE = {"README.md": DOCKER_README, "Dockerfile": DOCKER}
TOKEN = "hf_" + "RqTzWmKpVbNcXsLdJfHgYtUeIoPaMnBvQw"  # shaped like a token, not a real one


def of(report, rule: str) -> list:
    return [f for f in report.findings if f.id == rule]


@pytest.mark.parametrize("name", [".hfignore", ".dockerignore", ".gitignore"])
def test_one_ignore_file_is_not_worth_a_finding(check_tree: Runner, name: str) -> None:
    assert of(check_tree({**BASE, name: "*.log\n", "a.log": ""}), "IGNORE001") == []


def test_layers_in_the_order_they_apply(check_tree: Runner) -> None:
    files = {
        **BASE,
        ".hfignore": "*.log\n",
        ".gitignore": "data/\n",
        ".dockerignore": "*.md\n",
        "a.log": "",
        "b.log": "",
        "data/x.csv": "1",
    }
    (finding,) = of(check_tree(files), "IGNORE001")
    message = finding.message
    assert finding.severity.value == "info" and finding.file is None
    positions = [message.index(s) for s in ("built-in", ".hfignore", ".gitignore", ".dockerignore")]
    assert positions == sorted(positions)
    assert "(spacetui's upload only; 2 excluded)" in message
    assert "applied by the Hub on every upload; 1 excluded" in message


def test_remote_gitignore_counts_as_a_layer(check_tree: Runner) -> None:
    files = {**BASE, ".hfignore": "*.log\n", "models/w.bin": "1"}
    (finding,) = of(check_tree(files, remote_gitignore="models/\n"), "IGNORE001")
    assert "the Space's .gitignore on the Hub (1 excluded)" in finding.message


def test_dockerignore_only_matters_for_docker(check_tree: Runner) -> None:
    static = "---\ntitle: T\nemoji: 🚀\nsdk: static\n---\n"
    files = {
        "README.md": static,
        "index.html": "<p/>",
        ".hfignore": "*.log\n",
        ".dockerignore": "*.md\n",
    }
    assert of(check_tree(files), "IGNORE001") == []


def test_huggingfaceignore_is_read_by_nothing(check_tree: Runner) -> None:
    report = check_tree({**BASE, ".huggingfaceignore": "secret.txt\n", "secret.txt": "x"})
    (finding,) = of(report, "IGNORE007")
    assert (finding.severity.value, finding.file) == ("warning", ".huggingfaceignore")
    assert "rename it to .hfignore" in finding.message
    assert "secret.txt" in report.upload_set  # it really is uploaded


def test_huggingfaceignore_next_to_hfignore(check_tree: Runner) -> None:
    report = check_tree({**BASE, ".huggingfaceignore": "a\n", ".hfignore": "b\n"})
    assert "move its lines into .hfignore" in of(report, "IGNORE007")[0].message


def test_hfignore_alone_keeps_a_token_out(check_tree: Runner) -> None:
    files = {**BASE, ".hfignore": "*.log\n.env\n", ".env": f"HF_TOKEN={TOKEN}\n", "a.log": ""}
    report = check_tree(files)
    (finding,) = of(report, "IGNORE007")
    assert (finding.severity.value, finding.file, finding.line) == ("info", ".hfignore", 2)
    assert "hf_Rq…" in finding.message and TOKEN not in finding.message
    assert ".env" not in report.upload_set and not of(report, "SECRET002")


def test_no_finding_when_gitignore_also_keeps_it_out(check_tree: Runner) -> None:
    files = {**BASE, ".hfignore": ".env\n", ".gitignore": ".env\n", ".env": f"T={TOKEN}\n"}
    assert of(check_tree(files), "IGNORE007") == []


def test_no_finding_without_a_real_token(check_tree: Runner) -> None:
    files = {**BASE, ".hfignore": ".env*\n", ".env": "DEBUG=1\n", ".env.local": "T=hf_xxxxxxxxxx\n"}
    assert of(check_tree(files), "IGNORE007") == []
