"""Issue 14 point 2: every kind of real secret is found in every file it hides in; placeholders pass."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.domain.secret_samples import CHEAP_PLACES, HIDING_PLACES, KINDS, line_for, places_for
from tui.domain.checks.engine import run_checks
from tui.domain.checks.secret_checks import risky_reason
from tui.domain.secret_scan import CHUNK_BYTES, scan_bytes, scan_chunks
from tui.domain.secret_shapes import is_placeholder
from tui.domain.upload_set import collect_upload_set


@pytest.mark.parametrize("place", list(HIDING_PLACES))
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_found_in_every_hiding_place(tmp_path: Path, kind: str, place: str) -> None:
    if place not in places_for(kind, tuple(HIDING_PLACES)):
        pytest.skip("a password assignment counts only in code")
    rng = random.Random(f"{kind}/{place}")
    value = KINDS[kind][0](rng)
    name, data = HIDING_PLACES[place](line_for(kind, value, rng), rng)
    (tmp_path / name).write_bytes(data)
    upload = collect_upload_set(tmp_path).get(name)
    assert upload is not None and upload.size == len(data)
    assert value in {hit.secret for hit in upload.secrets}, (kind, place)


def test_random_tokens_holding_filler_words_are_not_placeholders() -> None:
    # The old filter waved through any value holding `here`, `xxx`, `your`… (1 in 560 hf_ tokens).
    rng = random.Random(7)
    for word in ("here", "xxx", "your", "token", "Example", "fake", "dummy"):
        for _ in range(50):
            n = 34 - len(word)
            body = "".join(rng.choice("ABCDEFGHJKLMNPQRSTVWZabcdfgjkmnpqrstvwz") for _ in range(n))
            at = rng.randrange(1, len(body))  # a long filler word opening the value is structure
            value = "hf_" + body[:at] + word + body[at:]
            assert not is_placeholder(value), value
            assert [h.secret for h in scan_bytes(f"T='{value}'".encode())] == [value]


@pytest.mark.parametrize(
    "value",
    [
        "hf_" + "x" * 34,
        "hf_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "hf_YourTokenHereYourTokenHereYourToke",
        "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
        "sk-your-openai-api-key-here-please",
        "sk-proj-REPLACE_WITH_YOUR_KEY_xxxxxxxxxxxx",
        "AKIAIOSFODNN7EXAMPLE",
        "AKIAXXXXXXXXXXXXXXXX",
        "ghp_000000000000000000000000000000000000",
        "glpat-xxxxxxxxxxxxxxxxxxxx",
        "r8_1234567890123456789012345678901234567",
    ],
)
def test_placeholders_by_structure(value: str) -> None:
    assert is_placeholder(value)
    assert list(scan_bytes(f'TOKEN = "{value}"\n'.encode(), name="app.py")) == []


def test_placeholder_password_assignments_do_not_block() -> None:
    text = (
        'PASSWORD = "changeme"\nDB_PASSWORD = "your_password"\napi_key = "YOUR_API_KEY"\n'
        'password: "<password>"\nSECRET_KEY = "${SECRET_KEY}"\nsecret_key = os.environ["K"]\n'
        'password = ""\npwd = "password123"\n"api_key": "test_key_12345",\n'
    )
    assert list(scan_bytes(text.encode(), name="server.py")) == []
    real = 'DB_PASSWORD = "Vq7#mZ2pLx9!tR"\n'
    assert [h.kind for h in scan_bytes(real.encode(), name="server.py")] == [
        "password or key assignment"
    ]
    assert list(scan_bytes(real.encode(), name="README.md")) == []  # prose is not server code


def test_a_token_across_a_chunk_boundary_is_found_once() -> None:
    token = "hf_" + "QvTzWmKpRbNcXsLdJfHgYtUeIoPaMnBvQw"
    data = b"a" * (CHUNK_BYTES - 10) + b" " + token.encode() + b"\n" + b"b" * 100
    chunks = [data[i : i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)]
    hits = list(scan_chunks(chunks))
    assert [h.secret for h in hits] == [token] and hits[0].line == 1


@pytest.mark.parametrize(
    ("name", "risky"),
    [
        ("production.env", True),
        (".env.production", True),
        ("config/.env.local", True),
        (".env.example", False),
        ("prod.env.sample", False),
        ("environment.py", False),
    ],
)
def test_env_file_variants(name: str, risky: bool) -> None:
    assert (risky_reason(name) is not None) is risky


def test_a_secret_in_a_big_notebook_blocks_the_checks(tmp_path: Path) -> None:
    rng = random.Random(3)
    value = KINDS["hf_"][0](rng)
    name, data = HIDING_PLACES["notebook >1 MB"](f'login("{value}")', rng)
    assert len(data) > 1_000_000
    (tmp_path / name).write_bytes(data)
    report = run_checks(tmp_path)
    assert any(f.id == "SECRET002" and f.file == name for f in report.findings)
    assert all(value not in f.message for f in report.findings)


def test_cheap_places_cover_every_encoding() -> None:
    assert {"UTF-16 BOM", "UTF-16 no BOM", "early NUL", "pickle"} <= set(CHEAP_PLACES)


def test_a_public_certificate_is_not_a_key(tmp_path: Path) -> None:
    # Gradio writes .gradio/certificate.pem, a public CA bundle: real Spaces ship it.
    cert = "-----BEGIN CERTIFICATE-----\nMIIFazCCA1OgAwIBAgIRAIIQz7DSQONZRGPgu2OCiwAwDQYJ\n-----END CERTIFICATE-----\n"
    (tmp_path / ".gradio").mkdir()
    (tmp_path / ".gradio/certificate.pem").write_text(cert)
    (tmp_path / "server.pem").write_text(cert + "-----BEGIN PRIVATE KEY-----\nMIIE\n")
    found = {(f.id, f.file) for f in run_checks(tmp_path).findings if f.id.startswith("SECRET")}
    assert ("SECRET001", ".gradio/certificate.pem") not in found
    assert ("SECRET001", "server.pem") in found and ("SECRET002", "server.pem") in found


def test_a_link_is_judged_by_its_target_name(tmp_path: Path) -> None:
    hidden = tmp_path / "private"
    hidden.mkdir()
    (hidden / ".env").write_text("DB=1\n")
    (tmp_path / ".hfignore").write_text("private/\n")
    (tmp_path / "config.txt").symlink_to(hidden / ".env")
    found = [f for f in run_checks(tmp_path).findings if f.id == "SECRET001"]
    assert [(f.file, "private/.env" in f.message) for f in found] == [("config.txt", True)]


def test_links_never_followed_are_said_not_silent(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("x\n")
    (tmp_path / "netrc").symlink_to(outside)
    (tmp_path / "build-info.txt").symlink_to("/proc/self/environ")
    found = {f.file: f for f in run_checks(tmp_path).findings if f.id == "SECRET005"}
    assert set(found) == {"netrc", "build-info.txt"}
    assert all(f.severity.value == "info" for f in found.values())  # advice: never blocks
    assert "outside the folder" in found["netrc"].message
