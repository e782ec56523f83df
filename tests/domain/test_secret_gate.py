"""The scan's RE2 gate skips only views the rules could find nothing in: the rules are the oracle."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.domain.secret_samples import HIDING_PLACES, KINDS, line_for, places_for
from tui.domain import secret_scan
from tui.domain.secret_scan import (
    _BINARY_GATE_CODE,
    _BINARY_GATE_TOKENS,
    _GATE_CODE,
    _GATE_TOKENS,
    _TOKEN_GATES,
    PASSWORD_RULE,
    TOKEN_RULES,
    SecretHit,
    scan_bytes,
)

REAL_SPACES = Path(__file__).parents[1] / "fixtures" / "real-spaces"

#: Pieces of credentials and their near misses: prefixes, context words in every case, the
#: separators and quotes the context rules read, Python's whitespace (with \v and \f, which
#: RE2's `\s` lacks), and bytes that are not ASCII.
_PIECES = [
    *(
        p.encode()
        for p in (
            "hf_ api_org_ AKIA ASIA ABIA ACCA ghp_ gho_ ghu_ ghs_ ghr_ github_pat_ glpat- "
            "sk_live_ rk_live_ r8_ sk- sk-proj- sk-ant- AIza xoxb- xoxp- -----BEGIN PRIVATE "
            "KEY RSA OPENSSH BLOCK ----- aws AWS Aws secret_access SECRET-ACCESS secretaccesskey "
            "SecretAccessKey wandb WANDB_API_KEY password PassWord passwd pwd PWD secret_key "
            "api-key apikey auth_token access-token client_secret = := => , : \" ' \\ . / + - _"
        ).split()
    ),
    b" ",
    b"\t",
    b"\x0b",
    b"\x0c",
    b"\n",
    b"\r",
    b"\x00",
    b"\xff",
    b"\xe9",
    b"\xc5\xbf",  # the long s, which Unicode folds to `s`
]
_ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "0123456789abcdefABCDEF",
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/+",
)


def _real_line(kind: str, seed: int) -> bytes:
    rng = random.Random(seed)
    return line_for(kind, KINDS[kind][0](rng), rng).encode()


_fragment = st.one_of(
    st.sampled_from(_PIECES),
    st.builds(_real_line, st.sampled_from(sorted(KINDS)), st.integers(0, 2**32)),
    st.builds(
        lambda alphabet, n, seed: "".join(random.Random(seed).choices(alphabet, k=n)).encode(),
        st.sampled_from(_ALPHABETS),
        st.integers(0, 100),
        st.integers(0, 2**32),
    ),
    st.binary(max_size=12),
)
_window = st.lists(_fragment, max_size=24).map(b"".join)


class _Open:
    """A gate that lets every view through to every rule: the scan as it was before the gates."""

    def search(self, view: bytes) -> bool:
        return True

    def Match(self, view: bytes) -> list[int]:  # noqa: N802 - re2.Set's name
        return list(range(len(TOKEN_RULES) + 1))


@contextmanager
def _ungated() -> Iterator[None]:
    with (
        mock.patch.object(secret_scan, "_GATE_CODE", _Open()),
        mock.patch.object(secret_scan, "_GATE_TOKENS", _Open()),
        mock.patch.object(secret_scan, "_BINARY_GATE_CODE", _Open()),
        mock.patch.object(secret_scan, "_BINARY_GATE_TOKENS", _Open()),
        mock.patch.object(secret_scan, "_GATE_SET", _Open()),
    ):
        yield


def _both(data: bytes, name: str) -> tuple[list[SecretHit], list[SecretHit]]:
    gated = list(scan_bytes(data, name=name))
    with _ungated():
        oracle = list(scan_bytes(data, name=name))
    return gated, oracle


def test_one_gate_per_token_rule() -> None:
    assert len(_TOKEN_GATES) == len(TOKEN_RULES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_window)
def test_a_rule_matches_only_where_the_set_names_its_gate(window: bytes) -> None:
    # The set's indices pick the rules a gated view runs: every rule that matches is named.
    named = set(secret_scan._GATE_SET.Match(window) or ())
    for index, rule in enumerate((*TOKEN_RULES, PASSWORD_RULE)):
        if rule.pattern.search(window):
            assert index in named, rule.kind


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_window)
# Edges the generator reaches rarely: Python's \v and \f as `\s`, the shortest assignment.
@example(b"aws_secret_access_key\x0b=\x0bAbCdEfGhIjKlMnOpQrStUvWxYz0123456789/+Ab")
@example(b'password\x0b=\x0c"Zq8#kLp2"')
@example(b"SECRET_KEY := 'Zq8#kLp2'")
@example(b"WANDB_API_KEY=\xff\x00" + b"0123456789abcdef" * 2 + b"01234567")
def test_every_match_of_a_rule_passes_its_gate(window: bytes) -> None:
    # Placeholders and `not_after` are judged after the gate: every raw match must pass it.
    for rule, gate in zip((*TOKEN_RULES, PASSWORD_RULE), (*_TOKEN_GATES, None), strict=True):
        for match in rule.pattern.finditer(window):
            assert _GATE_CODE.search(match.group(0)) is not None, (rule.kind, match.group(0))
            if gate is not None:
                assert _GATE_TOKENS.search(match.group(0)) is not None, (rule.kind, match)


def _binary(window: bytes, nuls: int) -> bytes:
    """`window` with NUL bytes among non-printable filler: a binary window, not UTF-16."""
    data = b"\x00".join([window, *([b"\x01\x02\x80" * 4] * max(1, nuls))])
    # Filler without NULs, so they stay under an eighth of the bytes whatever `window` holds.
    return data + b"\x01\x02\x80" * (3 * data.count(0))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_window, st.integers(1, 6))
@example(b"AWS_SECRET =\x00\x01 x\x02\n'" + b"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/+Ab", 1)
@example(b'password = \x00\x01\x02 "Zq8#kLp2"', 1)
def test_every_match_in_a_binary_window_passes_the_binary_gate(window: bytes, nuls: int) -> None:
    # The rules read the printable runs joined by newlines; the binary gates read the raw bytes.
    data = _binary(window, nuls)
    with _ungated():
        views = list(secret_scan._views(data, code=True))
    assert len(views) <= 1  # a binary window is seen as its runs only
    for view in views:
        for rule in (*TOKEN_RULES, PASSWORD_RULE):
            for match in rule.pattern.finditer(view):
                assert _BINARY_GATE_CODE.search(data) is not None, (rule.kind, match)
                if rule is not PASSWORD_RULE:
                    assert _BINARY_GATE_TOKENS.search(data) is not None, (rule.kind, match)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_window, st.sampled_from(["app.py", "notes.txt", ".env", "model.bin"]), st.booleans())
def test_the_gated_scan_finds_what_the_rules_find(window: bytes, name: str, binary: bool) -> None:
    gated, oracle = _both(_binary(window, 1) if binary else window, name)
    assert gated == oracle


@pytest.mark.parametrize("place", list(HIDING_PLACES))
def test_every_kind_in_every_hiding_place_as_the_rules_find_it(place: str) -> None:
    for kind in KINDS:
        if place not in places_for(kind, tuple(HIDING_PLACES)):
            continue
        rng = random.Random(f"gate/{kind}/{place}")
        value = KINDS[kind][0](rng)
        name, data = HIDING_PLACES[place](line_for(kind, value, rng), rng)
        gated, oracle = _both(data, name)
        assert gated == oracle
        assert value in {hit.secret for hit in gated}, (kind, place)


def test_the_real_space_corpus_as_the_rules_find_it() -> None:
    files = [p for p in sorted(REAL_SPACES.rglob("*")) if p.is_file()]
    assert len(files) > 1000  # the corpus is there: an empty glob would prove nothing
    found = 0
    for path in files:
        name = path.relative_to(REAL_SPACES).as_posix()
        gated, oracle = _both(path.read_bytes(), name)
        assert gated == oracle, name
        found += len(gated)
    assert found  # the corpus holds findings (docs/security.md), so the gate was exercised
