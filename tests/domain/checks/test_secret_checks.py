"""SECRET001–SECRET003: leaked credentials are named by file:line and never printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.domain.checks.engine import run_checks
from tui.domain.checks.secret_checks import is_placeholder, mask

README = "---\ntitle: T\nemoji: 🚀\nsdk: docker\n---\n"
DOCKER = 'FROM python:3.12\nCMD ["python", "-m", "http.server", "7860"]\n'
BASE = {"README.md": README, "Dockerfile": DOCKER}
# Built at run time so this file itself holds no token-shaped string.
HF_TOKEN = "hf_" + "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi"
GH_TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
AWS_KEY = "AKIA" + "4QZ7RWX2LMT9PNVB"
PRIVATE_KEY = "-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n"

# (rule, expected severity or None, files)
ROWS = [
    ("SECRET001", "error", {**BASE, ".env": "A=1\n"}),
    ("SECRET001", "error", {**BASE, "config/.env.production": "A=1\n"}),
    ("SECRET001", "error", {**BASE, "certs/server.pem": "x"}),
    ("SECRET001", "error", {**BASE, "id_rsa": "x"}),
    ("SECRET001", "error", {**BASE, "kaggle.json": "{}"}),
    ("SECRET001", "error", {**BASE, "gcp.json": json.dumps({"type": "service_account"})}),
    ("SECRET001", "error", {**BASE, ".npmrc": "//registry/:_authToken=abc\n"}),
    (
        "SECRET001",
        None,
        {
            **BASE,
            ".env.example": "HF_TOKEN=\n",
            ".npmrc": "save-exact=true\n",
            "id_rsa.pub": "ssh-ed25519 AAAA",
        },
    ),
    ("SECRET002", "error", {**BASE, "app.py": f"TOKEN = '{HF_TOKEN}'\n"}),
    ("SECRET002", "error", {**BASE, "notes.md": f"use {GH_TOKEN}\n"}),
    ("SECRET002", "error", {**BASE, "deploy.sh": f"export AWS={AWS_KEY}\n"}),
    ("SECRET002", "error", {**BASE, "keys/deploy": PRIVATE_KEY}),
    (
        "SECRET002",
        None,
        {
            **BASE,
            "app.py": "TOKEN = 'hf_" + "x" * 34 + "'\n",
            "doc.md": "set HF_TOKEN=<your token>\n",
        },
    ),
    # Every uploaded byte is scanned: a token inside a binary-named file is found too.
    ("SECRET002", "error", {**BASE, "img.png": f"\x89PNG\x00\x00{HF_TOKEN}"}),
    (
        "SECRET003",
        "warning",
        {**BASE, "index.html": "<script>const apiKey = 'k3y9Xq81Lm2Zt7';</script>"},
    ),
    ("SECRET003", "warning", {**BASE, "demo.ipynb": '{"password": "s3cr3tV4lue!"}'}),
    (
        "SECRET003",
        "warning",
        {
            "README.md": README.replace("sdk:", "api_token: abcd1234efgh\nsdk:"),
            "Dockerfile": DOCKER,
        },
    ),
    ("SECRET003", None, {**BASE, "index.html": "<script>const apiKey = 'YOUR_API_KEY';</script>"}),
]


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("rule", "severity", "files"), ROWS, ids=[f"{r}-{s}-{i}" for i, (r, s, _) in enumerate(ROWS)]
)
def test_secret_rule(tmp_path: Path, rule: str, severity: str | None, files: dict) -> None:
    _write(tmp_path, files)
    report = run_checks(tmp_path)
    found = [f for f in report.findings if f.id == rule]
    if severity is None:
        assert found == [], found
    else:
        assert found and severity in {f.severity.value for f in found}, found
    dumped = json.dumps(report.to_json())
    for secret in (HF_TOKEN, GH_TOKEN, AWS_KEY, "k3y9Xq81Lm2Zt7", "s3cr3tV4lue!", "abcd1234efgh"):
        assert secret not in dumped


def test_secret002_names_file_line_and_masked_prefix(tmp_path: Path) -> None:
    _write(tmp_path, {**BASE, "src/settings.py": f"# config\n\nTOKEN = '{HF_TOKEN}'\n"})
    (finding,) = [f for f in run_checks(tmp_path).findings if f.id == "SECRET002"]
    assert (finding.file, finding.line) == ("src/settings.py", 3)
    assert "Hugging Face token (hf_Qw…)" in finding.message
    assert HF_TOKEN not in finding.message


@pytest.mark.parametrize(
    "value",
    [
        "hf_" + "x" * 34,
        "hf_" + "X" * 34,
        "<your token>",
        "YOUR_HF_TOKEN",
        "sk-..." + "a" * 20,
        "${HF_TOKEN}",
        "changeme123",
    ],
)
def test_placeholders_are_not_secrets(value: str) -> None:
    assert is_placeholder(value)


def test_real_looking_tokens_are_not_placeholders() -> None:
    assert not is_placeholder(HF_TOKEN)
    assert not is_placeholder(GH_TOKEN)
    assert mask(HF_TOKEN) == "hf_Qw…"
