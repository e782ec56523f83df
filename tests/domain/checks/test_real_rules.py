"""Each rule change of issue 10, pinned on the real Space folder that showed it was needed.

Every case runs the full checks in-process on one folder of tests/fixtures/real-spaces and
asserts the finding (id, severity, a phrase of its message) or its absence.
"""

from __future__ import annotations

import pytest

from tests.domain.checks.real_spaces import CORPUS, check_folder
from tui.domain.checks.findings import Finding

# (folder, check id, severity expected or None for "not at warning/error", phrase)
CASES = [
    # A root image whose app writes nothing runs fine as uid 1000: hygiene, not a blocker.
    ("Dev-091__supply-chain-openenv", "DOCKER004", "info", "Spaces run the container as uid 1000"),
    ("AyushCoder9__BugHunt-env", "DOCKER005", "info", "no USER"),
    # `id -u 1000 &>/dev/null || useradd …` cannot fail on node images.
    ("chenhunghan__scim-mcp", "DOCKER004", None, ""),
    # COPY without --chown followed by chown -R, and the chown -R itself: hygiene.
    ("Rubenpombo__birds_app", "DOCKER007", "info", "without --chown"),
    ("Rubenpombo__birds_app", "DOCKER008", "info", "chown -R"),
    ("MuhammadHammadIrfan__ChildhoodAutismRiskPrediction", "DOCKER010", "info", "owned by root"),
    # useradd -m user + USER user: Docker derives HOME from the passwd entry.
    ("NAME-ASHWANIYADAV__kavach-backend", "DOCKER009", None, ""),
    # The app writes at start where uid 1000 cannot: the error, once, at the right cause.
    ("PrithirajP__DocBuddy", "DOCKER010", "error", "creates the folder /app/backend/uploads"),
    ("RayBen445__New-AI__backend", "DOCKER010", "error", "downloads a model into /.cache"),
    ("LVVignesh__gemini-rag-fastapi", "DOCKER010", "error", "rag_store.py:24"),
    # The SQLite URL is an f-string of a module constant: still a certain path.
    ("Jesusmanuel1020__Splitter-Local", "DOCKER010", "error", "/app/moises_db.sqlite"),
    # Playwright browsers installed as root are unreadable for uid 1000.
    ("Larryisreal0208__vertex", "DOCKER028", "error", "/root/.cache/ms-playwright"),
    # Background helpers in start scripts, exported variables, voila.json, mamba run.
    ("JoseBCN91__electric-demand-forecasting", "DOCKER018", None, ""),
    ("4F71__instacart-next-product-recommendation", "DOCKER018", None, ""),
    ("RushikeshSonwane03__SpacePedia-AI", "DOCKER018", "info", "Could not tell"),
    (
        "opengeos__voila-geospatial",
        "DOCKER018",
        "error",
        "voila (in voila.json) listens on port 7860",
    ),
    # A start script or make target may use the venv: not a sure DOCKER012.
    ("ivangabriele__trump-0.0-minus42B", "DOCKER012", None, ""),
    ("ivangabriele__trump-0.0-minus42B", "DOCKER015", "info", "without apt-get update"),
    ("harpomaxx__hf-space-dga-detector", "DOCKER015", "info", "apt has no stable"),
    # A COPY wildcard that matches nothing is fine beside a source that matches.
    ("failfa-st__nextjs-hf-spaces", "DOCKER021", None, ""),
    # pip reads UTF-16 requirements files with a BOM.
    ("AlhusseinAliAlhaidari__Ahjezli-Agent-Backend", "DEPS001", None, ""),
    ("chaitany851P__cesd-attendance-system", "DEPS001", None, ""),
    ("NidheeshaT__ko2cube", "DEPS005", "info", "requirements.txt"),
    # README: an unquoted 3.12 loses nothing; several emoji; no title; a misspelt Dockerfile.
    ("arnabd64__spacy-ner-hf-space", "README011", "info", "quote it"),
    ("failfa-st__nextjs-hf-spaces", "README006", "info", "several emoji"),
    ("shantanuuchak__metabase-hf-space", "README005", "info", "no title"),
    ("adamhinton__chess-recommender-hf-space", "README026", None, ""),
    ("Vasa2312__Dream-Deigner-CaseStudy", "README026", "info", "did you mean sdk: gradio"),
    ("Vasa2312__Dream-Deigner-CaseStudy", "DOCKER001", "error", "no file named exactly"),
    # pip parses and ignores file-wide options after a requirement (hold-out folder).
    ("Shashibekka__fin-student-ai-kgp", "DEPS001", "info", "--extra-index-url"),
    ("ThaminduNethmina__fyp-backend", "DOCKER021", "error", ".gitignore line 2"),
    ("adamhinton__chess-recommender-hf-space", "DOCKER001", "error", "dockerfile"),
    ("KhoaHoang2__Blackjack-Probability-Engine", "GRADIO002", "info", "sdk_version"),
    ("24sahil46__CardScout-AI", "STREAMLIT001", "info", "deprecated"),
    ("Omarhussien2__kharbasha-platform", "FILES009", "info", "*.log"),
    # Known-broken table: an old pin meeting today's release of an unpinned dependency; a rename.
    ("OpenPecha__tibetan-aligner-hf-space", "DEPS002", "error", "cached_download"),
    ("Chonwai__Multi_AOP_FastAPI", "DEPS002", "info", "renamed to rdkit"),
    # A file the app loads at import that the root .gitignore drops.
    ("Saurabh07703__nl-sql-streamlit-pgvector", "IGNORE003", "error", "db/vectorizer.pkl"),
    # Hold-out batch SDK (session 5). The Hub feeds packages.txt to xargs, which splits on blanks.
    ("Pendrokar__xVA-Synth-HFSpace", "DEPS003", None, ""),
    # A static Space whose build runs in frontend/ (`cd frontend && npm ci && npm run build`)
    # and serves frontend/dist/index.html: not a Docker Space, and its package.json is found.
    ("Sriyansh-28__docuask", "README026", None, ""),
    ("Sriyansh-28__docuask", "STATIC002", None, ""),
    # It reads window.huggingface.variables for an API URL only: info, not a leak warning.
    ("Sriyansh-28__docuask", "STATIC003", "info", "window.huggingface.variables"),
    # Hold-out batch Docker (session 5): a placeholder ENV the app reads at run time, where the
    # Space secret replaces it, is not a secret in the image: info.
    ("Whitisnotme__space-monitor", "DOCKER016", "info", "holds a placeholder"),
    # `uvicorn app.main:app` beside app.py (a module, not a package), which does not parse.
    ("leo-huovi__Papukaija-translator", "DOCKER029", "error", "app.py is a module, not a package"),
    ("leo-huovi__Papukaija-translator", "DOCKER029", "error", "app.py:2 does not parse"),
]


def _of(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.id == check]


@pytest.mark.parametrize(
    ("folder", "check", "severity", "phrase"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_rule_on_real_folder(folder: str, check: str, severity: str | None, phrase: str) -> None:
    found = _of(check_folder(CORPUS / folder), check)
    if severity is None:
        assert [f for f in found if f.severity.value != "info"] == []
        return
    assert any(f.severity.value == severity and phrase in f.message for f in found), [
        (f.severity.value, f.message) for f in found
    ]


def test_node_port_read_from_server_js_and_env_port() -> None:
    # ARG PORT=7860 / ENV PORT=${PORT} and `process.env.PORT || 3000` in server.js: 7860, sure.
    found = _of(check_folder(CORPUS / "Ihorog__cimeika-real-time-data-app"), "DOCKER018")
    assert found == []
