"""Property: whatever the README front matter, the engine only reports; no check ever raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.domain.checks.engine import run_checks
from tui.domain.checks.frontmatter import parse_front_matter
from tui.domain.checks.space_config import KNOWN_KEYS

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=80),
    st.sampled_from(["docker", "gradio", "static", "streamlit", "7860", "3.10", "🚀", "red"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=8,
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=20))
cards = st.dictionaries(keys, values, max_size=12)

YAML_ALPHABET = st.sampled_from(list("-:#'\"[]{},&*!|>%@` \t\n\r\\abc123.") + ["\ufeff", "🚀"])
raw_yaml = st.text(alphabet=YAML_ALPHABET, max_size=200)


def _check(readme: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if isinstance(readme, bytes):
            (root / "README.md").write_bytes(readme)
        else:
            (root / "README.md").write_text(readme, encoding="utf-8", errors="surrogatepass")
        (root / "Dockerfile").write_text("FROM python:3.12\n")
        (root / "app.py").write_text("print(1)\n")
        report = run_checks(root)
    internal = [f for f in report.findings if f.id == "INTERNAL"]
    assert internal == [], internal
    for finding in report.findings:
        assert finding.message and finding.id


@SETTINGS
@given(cards)
def test_structured_cards_never_crash_a_check(card: dict) -> None:
    try:
        text = yaml.safe_dump(card, allow_unicode=True)
    except yaml.YAMLError:
        return
    _check(f"---\n{text}---\n# body\n")


@SETTINGS
@given(raw_yaml)
def test_raw_front_matter_never_crashes_a_check(body: str) -> None:
    _check(f"---\n{body}\n---\n")
    _check(body)


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_a_check(data: bytes) -> None:
    _check(b"---\nsdk: docker\n" + data + b"\n---\n")


@SETTINGS
@given(st.text(max_size=300))
def test_parser_always_returns_a_result(text: str) -> None:
    front = parse_front_matter(text)
    assert (front.data is None) == bool(front.problems)
    for problem in front.problems:
        assert problem.id in ("README002", "README003")
