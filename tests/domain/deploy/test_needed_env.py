"""The environment names code reads, by language, and which the Space lacks."""

from __future__ import annotations

from pathlib import Path

from tui.domain.deploy.needed_env import missing_names, needed_names, secrets_to_set


def _scan(tmp_path: Path, files: dict[str, str]):  # noqa: ANN202 - the needed_names pair
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return needed_names((name, tmp_path / name) for name in files)


def test_each_language_form_is_found(tmp_path: Path) -> None:
    needed, _ = _scan(
        tmp_path,
        {
            "app.py": 'import os\nimport streamlit as st\nst.secrets["DB_PASS"]\n'
            'os.environ.get("A_KEY")\nos.environ.get("OPT", None)\n',
            "web/server.js": "const k = process.env.STRIPE_KEY;\n"
            'const p = process.env["PORT_X"] ?? 3000;\n',
            "notes.txt": 'os.environ["NOT_CODE"]\n',
        },
    )
    found = {n.name: (n.file, n.line, n.optional) for n in needed}
    assert found == {
        "DB_PASS": ("app.py", 3, False),
        "A_KEY": ("app.py", 4, False),
        "OPT": ("app.py", 5, True),
        "STRIPE_KEY": ("web/server.js", 1, False),
        "PORT_X": ("web/server.js", 2, True),
    }


def test_dockerfile_args_mounts_and_env(tmp_path: Path) -> None:
    needed, set_by_env = _scan(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12\nARG BUILD_TOKEN\nARG LEVEL=3\nENV GREETING=hi\n"
            "RUN --mount=type=secret,id=HF_TOKEN,required=true cat /run/secrets/HF_TOKEN\n"
            "RUN --mount=type=secret,id=OPTIONAL_ONE echo\n",
            "main.py": "import os\nos.environ['GREETING']\nos.environ['SPACE_HOST']\n",
        },
    )
    assert set_by_env == {"GREETING"}
    missing = missing_names(needed, provided=["BUILD_TOKEN"], set_by_folder=set_by_env)
    assert [n.name for n in missing] == ["HF_TOKEN"]  # SPACE_HOST: the Hub sets it


def test_a_required_read_wins_over_an_optional_one(tmp_path: Path) -> None:
    needed, _ = _scan(tmp_path, {"a.py": "os.getenv('X', 1)\nos.environ['X']\n"})
    assert [(n.name, n.line, n.optional) for n in needed] == [("X", 2, False)]


def test_secrets_from_a_file_are_only_the_names_the_code_reads(tmp_path: Path) -> None:
    needed, _ = _scan(
        tmp_path, {"a.py": "os.environ['A']\nos.environ['B']\nos.environ['SPACE_ID']"}
    )
    values = {"A": "1", "B": "2", "C": "3", "SPACE_ID": "x"}
    assert secrets_to_set(needed, values, already=["B"]) == {"A": "1"}


def test_assignments_set_a_name_instead_of_reading_it(tmp_path: Path) -> None:
    needed, set_by_code = _scan(
        tmp_path,
        {
            "a.py": "import os\nos.environ['A'] = '1'\nos.environ.setdefault('B', '2')\n"
            "if os.environ['A'] == '1':\n    st.secrets.C\nst.secrets.keys()\n",
            "b.ts": "process.env.D = 'x';\nif (process.env.E === 'y') {}\n",
        },
    )
    assert {n.name for n in needed} == {"A", "C", "E"}  # `==`/`===` read; `=` sets
    assert set_by_code == {"A", "B", "D"}
    missing = missing_names(needed, provided=(), set_by_folder=set_by_code)
    assert [n.name for n in missing] == ["C", "E"]
