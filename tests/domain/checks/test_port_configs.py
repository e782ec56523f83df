"""DOCKER018 reads gunicorn's config file and Node's fallback port (no corpus folder has a
gunicorn.conf.py without -b, so this one is built by hand)."""

from __future__ import annotations

from pathlib import Path

from tui.domain.checks.engine import run_checks

CARD = "---\ntitle: T\nemoji: 🚀\ncolorFrom: blue\ncolorTo: red\nsdk: docker\n---\n"
DOCKERFILE = (
    "FROM python:3.12-slim\nRUN useradd -m -u 1000 user\nUSER user\nWORKDIR $HOME/app\n"
    "COPY --chown=user . .\nCMD {cmd}\n"
)


def _port_findings(root: Path, cmd: str, files: dict[str, str]) -> list[tuple[str, str]]:
    (root / "README.md").write_text(CARD)
    (root / "Dockerfile").write_text(DOCKERFILE.format(cmd=cmd))
    for name, text in files.items():
        (root / name).write_text(text)
    report = run_checks(root)
    return [(f.severity.value, f.message) for f in report.findings if f.id == "DOCKER018"]


def test_gunicorn_reads_gunicorn_conf_py_by_default(tmp_path: Path) -> None:
    conf = {"gunicorn.conf.py": 'bind = "0.0.0.0:7860"\nworkers = 2\n', "app.py": ""}
    assert _port_findings(tmp_path, '["gunicorn", "app:app"]', conf) == []


def test_gunicorn_config_on_another_port_is_an_error(tmp_path: Path) -> None:
    conf = {"gunicorn.conf.py": 'bind = ["0.0.0.0:5000"]\n', "app.py": ""}
    found = _port_findings(tmp_path, '["gunicorn", "app:app"]', conf)
    assert [sev for sev, _ in found] == ["error"] and "5000" in found[0][1]


def test_gunicorn_config_we_cannot_read_is_not_a_guess(tmp_path: Path) -> None:
    conf = {"gunicorn.conf.py": "import os\nbind = os.environ['BIND']\n", "app.py": ""}
    found = _port_findings(tmp_path, '["gunicorn", "app:app"]', conf)
    assert [sev for sev, _ in found] == ["info"]


def test_node_fallback_port_without_env_port_is_only_a_warning(tmp_path: Path) -> None:
    server = "const app = require('express')();\napp.listen(process.env.PORT || 3000);\n"
    found = _port_findings(tmp_path, '["node", "server.js"]', {"server.js": server})
    assert [sev for sev, _ in found] == ["warning"] and "3000" in found[0][1]
