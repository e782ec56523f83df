"""Guards of the start-time scans (DOCKER010, DOCKER028, IGNORE003) that keep them sure.

Built by hand: each case is a variant of a corpus folder that must NOT be an error, so the
errors measured on the corpus cannot hide a false alarm on a close neighbour.
"""

from __future__ import annotations

from pathlib import Path

from tui.domain.checks.engine import run_checks

CARD = "---\ntitle: T\nemoji: 🚀\ncolorFrom: blue\ncolorTo: red\nsdk: {sdk}\n---\n"


def _errors(root: Path, files: dict[str, str], sdk: str = "docker") -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "README.md").write_text(CARD.format(sdk=sdk))
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return [f"{f.id} {f.message}" for f in run_checks(root).errors]


ROOT_IMAGE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n{extra}CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "7860"]\n'


def test_makedirs_in_a_root_owned_workdir_is_an_error(tmp_path: Path) -> None:
    files = {
        "Dockerfile": ROOT_IMAGE.format(extra=""),
        "main.py": 'import os\nos.makedirs("uploads", exist_ok=True)\n',
    }
    assert [e.split()[0] for e in _errors(tmp_path, files)] == ["DOCKER010"]


def test_first_useradd_without_uid_is_uid_1000(tmp_path: Path) -> None:
    extra = "RUN useradd -m appuser && chown -R appuser /app\nUSER appuser\n"
    files = {
        "Dockerfile": ROOT_IMAGE.format(extra=extra),
        "main.py": 'import os\nos.makedirs("uploads", exist_ok=True)\n',
    }
    assert _errors(tmp_path, files) == []


def test_app_that_moves_its_cache_itself_is_not_judged(tmp_path: Path) -> None:
    main = (
        'import os\nos.environ["HF_HOME"] = "/tmp/hf"\n'
        "from transformers import pipeline\nclf = pipeline('sentiment-analysis')\n"
    )
    files = {"Dockerfile": ROOT_IMAGE.format(extra=""), "main.py": main}
    assert _errors(tmp_path, files) == []


def test_model_download_into_home_cache_of_a_root_image_is_an_error(tmp_path: Path) -> None:
    main = "from transformers import pipeline\nclf = pipeline('sentiment-analysis')\n"
    files = {"Dockerfile": ROOT_IMAGE.format(extra=""), "main.py": main}
    assert any("/.cache/huggingface" in e for e in _errors(tmp_path, files))


def test_playwright_images_bring_their_own_browser_path(tmp_path: Path) -> None:
    dockerfile = (
        "FROM mcr.microsoft.com/playwright/python:v1.47.0-jammy\nWORKDIR /app\nCOPY . .\n"
        'RUN playwright install chromium\nCMD ["python", "main.py"]\n'
    )
    assert _errors(tmp_path, {"Dockerfile": dockerfile, "main.py": "print(1)\n"}) == []


def test_a_gitignored_file_the_build_makes_is_not_missing(tmp_path: Path) -> None:
    dockerfile = ROOT_IMAGE.format(extra="RUN python train.py\n")
    files = {
        "Dockerfile": dockerfile,
        ".gitignore": "model.pkl\n",
        "train.py": "print('writes model.pkl')\n",
        "main.py": 'import pickle\nMODEL = pickle.load(open("model.pkl", "rb"))\n',
    }
    assert _errors(tmp_path, files) == []
    streamlit = {
        ".gitignore": "model.pkl\n",
        "app.py": 'import pickle\nMODEL = pickle.load(open("model.pkl", "rb"))\n',
    }
    assert [e.split()[0] for e in _errors(tmp_path / "s", streamlit, "streamlit")] == ["IGNORE003"]


def test_copy_chown_into_a_root_made_workdir_leaves_the_folder_itself_to_root(
    tmp_path: Path,
) -> None:
    dockerfile = (
        "FROM python:3.12-slim\nRUN useradd -m -u 1000 user\nWORKDIR /app\n"
        'COPY --chown=user . .\nUSER user\nCMD ["python", "main.py"]\n'
    )
    main = 'import os\nos.makedirs("uploads", exist_ok=True)\n'
    errors = _errors(tmp_path, {"Dockerfile": dockerfile, "main.py": main})
    assert [e.split()[0] for e in errors] == ["DOCKER010"] and "/app/uploads" in errors[0]
    # ...while a folder that came in with the COPY belongs to the user.
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / ".keep").write_text("")
    assert _errors(tmp_path, {"Dockerfile": dockerfile, "main.py": main}) == []
