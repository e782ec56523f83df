"""Real-format credentials of every kind the scan knows, and the files people hide them in.

Shared by the secret tests and `benchmarks/bench_secrets.py`. Every value is random in the real
alphabet and length of its kind, so it is shaped like a real credential and is none.
"""

from __future__ import annotations

import json
import random
import sqlite3
import string
import tempfile
from collections.abc import Callable
from pathlib import Path

LETTERS = string.ascii_letters
ALNUM = string.ascii_letters + string.digits
UPPER_DIGITS = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
BASE64ISH = ALNUM + "/+"


def _r(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


#: kind -> (generator of the bare value, how it is written in a file: a template with {v}).
#: Context-bound kinds (AWS secret, W&B, passwords) are undetectable bare; they come with the
#: name people give them, as in real code.
KINDS: dict[str, tuple[Callable[[random.Random], str], tuple[str, ...]]] = {
    "hf_": (lambda r: "hf_" + _r(r, LETTERS, 34), ("{v}",)),
    "api_org_": (lambda r: "api_org_" + _r(r, LETTERS, 34), ("{v}",)),
    "AKIA": (lambda r: "AKIA" + _r(r, UPPER_DIGITS, 16), ("{v}",)),
    "ASIA": (lambda r: "ASIA" + _r(r, UPPER_DIGITS, 16), ("{v}",)),
    "aws_secret": (
        lambda r: _r(r, BASE64ISH, 40),
        (
            "AWS_SECRET_ACCESS_KEY={v}",
            'aws_secret_access_key = "{v}"',
            '"SecretAccessKey": "{v}"',
            "aws_secret_access_key={v}",
        ),
    ),
    "github_pat_": (lambda r: "github_pat_" + _r(r, ALNUM, 22) + "_" + _r(r, ALNUM, 59), ("{v}",)),
    "ghp_": (lambda r: "ghp_" + _r(r, ALNUM, 36), ("{v}",)),
    "gho_": (lambda r: "gho_" + _r(r, ALNUM, 36), ("{v}",)),
    "glpat-": (lambda r: "glpat-" + _r(r, ALNUM + "_-", 20), ("{v}",)),
    "sk_live_": (lambda r: "sk_live_" + _r(r, ALNUM, r.choice((24, 99))), ("{v}",)),
    "r8_": (lambda r: "r8_" + _r(r, ALNUM, 37), ("{v}",)),
    "wandb": (
        lambda r: _r(r, HEX, 40),
        ("WANDB_API_KEY={v}", 'wandb.login(key="{v}")', "wandb login {v}"),
    ),
    "sk-proj-": (
        lambda r: "sk-proj-" + _r(r, ALNUM + "_-", 74) + "T3BlbkFJ" + _r(r, ALNUM + "_-", 74),
        ("{v}",),
    ),
    "sk-": (lambda r: "sk-" + _r(r, ALNUM, 20) + "T3BlbkFJ" + _r(r, ALNUM, 20), ("{v}",)),
    "password": (
        lambda r: _r(r, ALNUM + "!#%&*@^", r.randint(10, 24)),
        ('DB_PASSWORD = "{v}"', "password: '{v}'", 'SECRET_KEY = "{v}"', 'api_key="{v}"'),
    ),
}


def places_for(kind: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The hiding places of `names` where `kind` is a secret (passwords count only in code)."""
    return tuple(p for p in names if kind != "password" or p in CODE_PLACES)


def line_for(kind: str, value: str, rng: random.Random) -> str:
    """`value` written as code would hold it."""
    template = rng.choice(KINDS[kind][1])
    written = template.format(v=value)
    if template == "{v}":
        written = rng.choice(
            ('TOKEN = "{w}"', "login('{w}')", "export KEY={w}", "key: {w}")
        ).format(w=value)
    return written


# -- hiding places: file name and bytes holding one secret line ---------------------------------


def _py(line: str, rng: random.Random) -> tuple[str, bytes]:
    return "app.py", f"import os\n\n{line}\nprint('ok')\n".encode()


def _env(line: str, rng: random.Random) -> tuple[str, bytes]:
    return rng.choice(("config.yaml", "settings.toml", "deploy.sh")), f"# conf\n{line}\n".encode()


def _notebook(line: str, rng: random.Random) -> tuple[str, bytes]:
    # Over 1 MB: a base64 image output first, then the cell with the secret.
    image = _r(rng, ALNUM + "+/", 1_200_000)
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": ["plot()\n"],
                "outputs": [{"data": {"image/png": image}, "output_type": "display_data"}],
            },
            {"cell_type": "code", "source": [line + "\n", "run()\n"], "outputs": []},
        ],
        "nbformat": 4,
    }
    return "analysis.ipynb", json.dumps(nb).encode()


def _notebook_escaped(line: str, rng: random.Random) -> tuple[str, bytes]:
    nb = {"cells": [{"cell_type": "code", "source": [line + "\n"]}]}
    return "demo.ipynb", json.dumps(nb, ensure_ascii=True).replace("_", "\\u005f").encode()


def _utf16(line: str, rng: random.Random) -> tuple[str, bytes]:
    return "notes.txt", f"notes\r\n{line}\r\n".encode("utf-16")  # with a BOM


def _utf16_no_bom(line: str, rng: random.Random) -> tuple[str, bytes]:
    return "notes16.txt", f"notes\n{line}\n".encode("utf-16-le")


def _early_nul(line: str, rng: random.Random) -> tuple[str, bytes]:
    return "config.cfg", b"\x00\x01hdr\n" + line.encode() + b"\n"


def _binary_name(line: str, rng: random.Random) -> tuple[str, bytes]:
    return rng.choice(("weights.bin", "logo.png", "data.parquet")), line.encode() + b"\n"


def _pickle(line: str, rng: random.Random) -> tuple[str, bytes]:
    import pickle

    return "state.pkl", pickle.dumps({"config": {"line": line}, "blob": bytes(range(256))})


def _sqlite(line: str, rng: random.Random) -> tuple[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "db.sqlite"
        con = sqlite3.connect(path)
        con.execute("create table settings (k text, v text)")
        con.execute("insert into settings values ('noise', ?)", (_r(rng, ALNUM, 200),))
        con.execute("insert into settings values ('cfg', ?)", (line,))
        con.commit()
        con.close()
        return "app.db", path.read_bytes()


def _large(line: str, rng: random.Random) -> tuple[str, bytes]:
    filler = ("x = 1\n" * 400_000).encode()  # 2.4 MB before the secret
    return "big_module.py", filler + line.encode() + b"\n"


HIDING_PLACES: dict[str, Callable[[str, random.Random], tuple[str, bytes]]] = {
    "python": _py,
    "config": _env,
    "notebook >1 MB": _notebook,
    "notebook \\u escapes": _notebook_escaped,
    "UTF-16 BOM": _utf16,
    "UTF-16 no BOM": _utf16_no_bom,
    "early NUL": _early_nul,
    "binary name": _binary_name,
    "pickle": _pickle,
    "SQLite": _sqlite,
    ">2 MB text": _large,
}
#: Where a secret-named assignment counts: code and configuration (see `is_code_name`).
CODE_PLACES = ("python", "config", "early NUL", ">2 MB text")
#: Hiding places cheap enough to use for every sample of a big run.
CHEAP_PLACES = (
    "python",
    "config",
    "notebook \\u escapes",
    "UTF-16 BOM",
    "UTF-16 no BOM",
    "early NUL",
    "binary name",
    "pickle",
)
