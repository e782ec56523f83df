"""Find real credentials in any bytes, streaming: every encoding text comes in, any size.

The patterns run over raw bytes, so printable runs inside binary files (pickles, SQLite pages,
early NUL bytes) are searched as they are; each chunk is also searched with its NUL bytes
removed (UTF-16 text, with or without a BOM) and with JSON `\\u00XX` escapes decoded (notebooks).
Chunks overlap by more than the longest token, so a token split across two reads is found once.
Each view first goes through one RE2 automaton of every rule, loosened (the gate): a view it
finds nothing in, as almost every view of real code, skips the rules.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2

from tui.domain.secret_shapes import is_placeholder

#: Bytes read per step; the overlap keeps any token whole in at least one window.
CHUNK_BYTES = 1 << 20
OVERLAP_BYTES = 512

_WORD = rb"A-Za-z0-9_"


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of credential: its pattern and the literals one of which every match holds.

    The literals let a window skip the pattern at memchr speed (`folded` ones are looked for in
    the lowercased window); `not_after` lists the bytes that may not precede a match (a token
    glued to a longer word is not that token). A pattern's group 1, when present, is the secret.
    """

    kind: str
    pattern: re.Pattern[bytes]
    literals: tuple[bytes, ...] = ()
    folded: tuple[bytes, ...] = ()
    not_after: bytes = b""


_LETTERS_DIGITS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_W = _LETTERS_DIGITS + b"_"
TOKEN_RULES: tuple[Rule, ...] = (
    Rule("Hugging Face token", re.compile(rb"hf_[A-Za-z]{34}(?![A-Za-z0-9])"), (b"hf_",), (), _W),
    Rule(
        "Hugging Face org token",
        re.compile(rb"api_org_[A-Za-z]{34}(?![A-Za-z0-9])"),
        (b"api_org_",),
        (),
        _W,
    ),
    Rule(
        "private key",
        re.compile(rb"-----BEGIN [A-Z ]{0,20}PRIVATE KEY(?: BLOCK)?-----"),
        (b"PRIVATE KEY",),
    ),
    Rule(
        "AWS access key id",
        re.compile(rb"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"),
        (b"AKIA", b"ASIA", b"ABIA", b"ACCA"),
        (),
        _LETTERS_DIGITS[:26] + _LETTERS_DIGITS[52:],
    ),
    Rule(
        "AWS secret access key",
        re.compile(
            rb"(?i)(?:aws|secret[_ -]?access|secretaccesskey)[\w.\-\"']{0,30}?"
            rb"[\\\"']{0,2}\s*(?:[:=]|=>|,)\s*[\\\"']{0,2}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
        ),
        (),
        (b"aws", b"secret"),
    ),
    Rule(
        "GitHub token",
        re.compile(rb"github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])"),
        (b"github_pat_",),
        (),
        _W,
    ),
    Rule(
        "GitHub token",
        re.compile(rb"gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9])"),
        (b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_"),
        (),
        _W,
    ),
    Rule("GitLab token", re.compile(rb"glpat-[A-Za-z0-9_\-]{20,}"), (b"glpat-",), (), _W),
    Rule(
        "Stripe secret key", re.compile(rb"[sr]k_live_[A-Za-z0-9]{24,247}"), (b"k_live_",), (), _W
    ),
    Rule("Replicate token", re.compile(rb"r8_[A-Za-z0-9]{37}(?![A-Za-z0-9])"), (b"r8_",), (), _W),
    Rule(
        "Weights & Biases key",
        re.compile(rb"(?i)wandb[^\n]{0,40}?(?<![0-9a-f])([0-9a-f]{40})(?![0-9a-f])"),
        (),
        (b"wandb",),
    ),
    Rule(
        "OpenAI-style API key",
        re.compile(rb"sk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_\-]{20,}"),
        (b"sk-",),
        (),
        _W + b"-",
    ),
    Rule("Google API key", re.compile(rb"AIza[0-9A-Za-z_\-]{35}"), (b"AIza",), (), _W),
    Rule("Slack token", re.compile(rb"xox[baprs]-[A-Za-z0-9\-]{10,}"), (b"xox",), (), _W),
)
#: (kind, pattern) of every token rule, for callers that only list them.
TOKEN_PATTERNS: tuple[tuple[str, re.Pattern[bytes]], ...] = tuple(
    (r.kind, r.pattern) for r in TOKEN_RULES
)
#: `password = "…"` and its kin, searched only in code and configuration (see `CODE_SUFFIXES`).
PASSWORD_ASSIGNMENT = re.compile(
    rb"(?i)(?:passw(?:or)?d|pwd|secret[_-]?key|api[_-]?key|auth[_-]?token|access[_-]?token|"
    rb"client[_-]?secret)[\w-]{0,40}[\"']?\s*(?::=|=>|[:=])\s*[\"']([^\"'\s]{8,200})[\"']"
)
PASSWORD_KIND = "password or key assignment"
PASSWORD_RULE = Rule(
    PASSWORD_KIND,
    PASSWORD_ASSIGNMENT,
    (),
    (b"pass", b"pwd", b"secret", b"api", b"auth", b"access", b"client"),
)
#: Files where an assignment is code a server runs (documentation and web pages are other checks').
CODE_SUFFIXES = tuple(
    (
        ".py .js .mjs .cjs .ts .rb .go .java .php .sh .rs .yaml .yml .toml .ini .cfg .conf "
        ".env .json .properties"
    ).split()
)
#: How far before and after a context word (`aws`, `password`…) its match may start and end.
_CONTEXT_BEFORE = 120
_CONTEXT_AFTER = 400
_JSON_ESCAPE = re.compile(rb"\\u00([0-7][0-9a-fA-F])")
_NUL = b"\x00"
#: Printable text inside binary data (tab, newlines, ASCII 0x20-0x7e) marked 1, the rest 0; runs
#: shorter than `_MIN_RUN` cannot hold a credential of any kind here.
_PRINTABLE = bytes(1 if b in (9, 10, 13) or 0x20 <= b <= 0x7E else 0 for b in range(256))
_MIN_RUN = 8
_RUN_START = b"\x01" * _MIN_RUN


def _printable_runs(window: bytes) -> list[bytes]:
    """The printable runs of a binary window, found with C-speed `translate` and `find`.

    A regex (`[ -~]{8,}`) reads random bytes at ~70 MB/s; marking every byte with `translate`
    and jumping from run to run with `find` reads them at several hundred MB/s.
    """
    marks = window.translate(_PRINTABLE)
    runs: list[bytes] = []
    at = marks.find(_RUN_START)
    while at != -1:
        end = marks.find(b"\x00", at + _MIN_RUN)
        if end == -1:
            end = len(marks)
        runs.append(window[at:end])
        at = marks.find(_RUN_START, end)
    return runs


@dataclass(frozen=True, slots=True)
class SecretHit:
    """One real-looking credential: its kind, 1-based line (in the raw bytes) and value."""

    kind: str
    line: int
    secret: str


def _views(window: bytes, *, code: bool) -> Iterator[bytes]:
    """The window as it is, without NUL bytes (UTF-16 text), and with JSON escapes decoded.

    A binary window (a few NUL bytes, not UTF-16) is seen as its printable runs only: a token in
    a pickle, a SQLite page or a model file is such a run, and testing every rule's literals
    against 1 MiB of random bytes cost ~15 ms a window (a 200 MB weight file took 4 s to scan).
    Finding the runs is itself most of a binary window's scan (~2 ms a MiB): the binary gate
    says first, over the raw bytes, whether any rule could match in them.
    """
    nuls = window.count(_NUL) if _NUL in window else 0  # `in` is memchr: text has no NUL
    if nuls and nuls * 8 < len(window):
        if (_BINARY_GATE_CODE if code else _BINARY_GATE_TOKENS).search(window) is None:
            return
        runs = _printable_runs(window)
        if runs:
            yield b"\n".join(runs)
        return
    yield window
    # UTF-16 text is half NUL bytes; random binary has one in 256 (not worth a second pass).
    if nuls * 8 >= len(window):
        yield window.replace(_NUL, b"")
    if b"\\u00" in window:
        yield _JSON_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), window)


def is_code_name(name: str) -> bool:
    """True for files whose assignments a server runs: code, config, `.env*`, `Dockerfile`."""
    base = name.rsplit("/", 1)[-1].lower()
    return base.endswith(CODE_SUFFIXES) or base.startswith(".env") or base == "dockerfile"


def _regions(lowered: bytes, literals: tuple[bytes, ...]) -> list[tuple[int, int]]:
    """Merged windows around each occurrence of `literals`: where a context-bound match can be."""
    spans: list[tuple[int, int]] = []
    for lit in literals:
        at = lowered.find(lit)
        while at != -1:
            spans.append((max(0, at - _CONTEXT_BEFORE), at + _CONTEXT_AFTER))
            at = lowered.find(lit, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


#: Python's `\s` in a bytes pattern, spelled for RE2 (whose `\s` leaves out the vertical tab).
_S = rb"[\t\n\x0b\x0c\r ]"
#: Each rule loosened for RE2: no lookaround, no laziness, every repeat cut to its minimum, the
#: closing quote of an assignment dropped. Whatever a rule's pattern matches holds a match of
#: its gate (a test pins this on generated windows), so a view none of them matches can hold no
#: finding. Order and count follow TOKEN_RULES.
_TOKEN_GATES: tuple[bytes, ...] = (
    rb"hf_[A-Za-z]{34}",
    rb"api_org_[A-Za-z]{34}",
    rb"-----BEGIN [A-Z ]{0,20}PRIVATE KEY",
    rb"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}",
    rb"(?i:(?:aws|secret[_ -]?access|secretaccesskey)[\w.\-\"']{0,30}[\\\"']{0,2}"
    + _S
    + rb"*(?:[:=]|=>|,)"
    + _S
    + rb"*[\\\"']{0,2}[A-Za-z0-9/+]{40})",
    rb"github_pat_[A-Za-z0-9_]{82}",
    rb"gh[pousr]_[A-Za-z0-9]{36}",
    rb"glpat-[A-Za-z0-9_\-]{20}",
    rb"[sr]k_live_[A-Za-z0-9]{24}",
    rb"r8_[A-Za-z0-9]{37}",
    rb"(?i:wandb[^\n]{0,40}[0-9a-f]{40})",
    rb"sk-[A-Za-z0-9_\-]{20}",
    rb"AIza[0-9A-Za-z_\-]{35}",
    rb"xox[baprs]-[A-Za-z0-9\-]{10}",
)
_PASSWORD_GATE = (
    rb"(?i:(?:passw(?:or)?d|pwd|secret[_-]?key|api[_-]?key|auth[_-]?token|access[_-]?token|"
    rb"client[_-]?secret)[\w-]{0,40}[\"']?"
    + _S
    + rb"*(?::=|=>|[:=])"
    + _S
    + rb"*[\"'][^\"'\t\n\x0b\x0c\r ]{8})"
)


def _gate(patterns: tuple[bytes, ...]) -> Any:
    """One RE2 automaton for all `patterns`, over bytes (Latin-1: any byte is one character)."""
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.never_capture = True
    options.log_errors = False
    return re2.compile(b"|".join(b"(?:" + p + b")" for p in patterns), options)


#: Plain text ran at 30-55 MB/s through the rules below (a substring test per literal, then the
#: context rules around every `api`, `pass`, `secret`…); one RE2 pass over a window, linear time
#: at ~700 MB/s, shows that no rule can match, as in almost every window of real code.
_GATE_TOKENS = _gate(_TOKEN_GATES)
_GATE_CODE = _gate((*_TOKEN_GATES, _PASSWORD_GATE))
#: The gates for a binary window's raw bytes, before its printable runs are cut out and joined
#: with newlines. A match in that join lies in the raw bytes as they are, except where a `\s*`
#: of a context rule spans a join: there the raw bytes may be anything, so the binary gates
#: read any bytes in its place. No other gate can match a newline.
_ANY = rb"[\x00-\xff]*"
_BINARY_GATE_TOKENS = _gate(tuple(g.replace(_S + b"*", _ANY) for g in _TOKEN_GATES))
_BINARY_GATE_CODE = _gate(
    tuple(g.replace(_S + b"*", _ANY) for g in (*_TOKEN_GATES, _PASSWORD_GATE))
)


#: Every rule, in the order of `_TOKEN_GATES` then the password gate (`_GATE_SET`'s indices).
_RULES = (*TOKEN_RULES, PASSWORD_RULE)


def _gate_set(patterns: tuple[bytes, ...]) -> Any:
    """An RE2 set of `patterns`: which of them match somewhere in a view, in one pass."""
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.never_capture = True
    options.log_errors = False
    gates = re2.Set.SearchSet(options)
    for pattern in patterns:
        gates.Add(pattern)
    gates.Compile()
    return gates


#: Asked only of a view the gate let through (about one text window in ten): the rules whose
#: gates match there are the only ones that can, so the others' literal tests are skipped too.
_GATE_SET = _gate_set((*_TOKEN_GATES, _PASSWORD_GATE))


def _matches(view: bytes, *, code: bool) -> Iterator[tuple[str, int, str]]:
    if (_GATE_CODE if code else _GATE_TOKENS).search(view) is None:
        return
    open_gates = sorted(_GATE_SET.Match(view) or ())
    rules = tuple(_RULES[i] for i in open_gates if code or _RULES[i] is not PASSWORD_RULE)
    yield from _rule_matches(view, rules)


def _rule_matches(view: bytes, rules: tuple[Rule, ...]) -> Iterator[tuple[str, int, str]]:
    """Every finding of `rules` in `view`: what `_matches` yields once its gates let it through."""
    # One substring test per literal says which rules can match at all.
    exact = {lit for rule in rules for lit in rule.literals if lit in view}
    words = {word for rule in rules for word in rule.folded}
    lowered = view.lower() if words else view
    folded = {word for word in words if word in lowered}
    if not exact and not folded:
        return
    for rule in rules:
        if rule.folded:
            if not folded.intersection(rule.folded):
                continue
            # Case-insensitive rules run only around their words: `aws`, `wandb`, `password`…
            spans = _regions(lowered, rule.folded)
        elif exact.intersection(rule.literals):
            spans = [(0, len(view))]
        else:
            continue
        group = 1 if rule.pattern.groups else 0
        seen_starts: set[int] = set()
        for span_start, span_end in spans:
            for match in rule.pattern.finditer(view, span_start, span_end):
                start = match.start()
                if start in seen_starts:
                    continue
                seen_starts.add(start)
                if rule.not_after and start and view[start - 1] in rule.not_after:
                    continue
                secret = match.group(group).decode("ascii", "replace")
                if rule.kind == "private key" or not is_placeholder(secret):
                    yield rule.kind, match.start(group), secret


def scan_chunks(chunks: Iterable[bytes], *, name: str = "") -> Iterator[SecretHit]:
    """Every real-looking credential in the stream of `chunks`, each reported once.

    `name` is the file's path: in code and configuration files (`is_code_name`) secret-named
    assignments of literal values count too.
    """
    code = is_code_name(name)
    seen: set[str] = set()
    carry = b""
    lines_before = 0  # newlines in the stream before `carry`
    # The previous window's newlines before `carry`, counted only once a next window comes: a
    # file of one chunk (most files) never needs them, and counting is a pass over its bytes.
    uncounted, uncounted_end = b"", 0
    for chunk in chunks:
        if not chunk:
            continue
        lines_before += uncounted.count(b"\n", 0, uncounted_end)
        window = carry + chunk
        for view in _views(window, code=code):
            for kind, offset, secret in _matches(view, code=code):
                if secret in seen:
                    continue
                seen.add(secret)
                line = lines_before + 1
                if view is window:
                    line += window.count(b"\n", 0, offset)
                yield SecretHit(kind, line, secret)
        keep = min(len(window), OVERLAP_BYTES)
        uncounted, uncounted_end = window, len(window) - keep
        carry = window[len(window) - keep :]


#: Raised by hand when the scan's logic changes in a way its source files do not show.
SCAN_VERSION = 1


@functools.cache
def rules_fingerprint() -> str:
    """An id of the rule set and the code applying it: a verdict kept under another id is stale.

    Stored with the stat cache's verdicts (`tui.domain.stat_cache`): any edit of the rules, of
    the placeholder logic or of this module changes it, so a cached "clean" never outlives them.
    """
    from tui.domain import secret_shapes  # already imported; named here for its source

    digest = hashlib.sha256(f"{SCAN_VERSION}|{CHUNK_BYTES}|{OVERLAP_BYTES}|".encode())
    for rule in (*TOKEN_RULES, PASSWORD_RULE):
        digest.update(repr((rule.kind, rule.pattern.pattern, rule.pattern.flags)).encode())
        digest.update(repr((rule.literals, rule.folded, rule.not_after)).encode())
    digest.update(repr(CODE_SUFFIXES).encode())
    for module in (__file__, secret_shapes.__file__):
        try:
            digest.update(Path(module or "").read_bytes())
        except OSError:
            digest.update(b"source unavailable")  # the rules and SCAN_VERSION still count
    return digest.hexdigest()


#: Every kind a hit may have: what a cached verdict may name.
KINDS = frozenset({*(r.kind for r in TOKEN_RULES), PASSWORD_KIND})


def scan_bytes(data: bytes, *, name: str = "") -> Iterator[SecretHit]:
    """`scan_chunks` over one bytes object."""
    return scan_chunks(
        (data[i : i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)), name=name
    )


def read_chunks(path: str, *, limit: int | None = None) -> Iterator[bytes]:
    """The file at `path` in chunks (at most `limit` bytes); nothing when it cannot be read."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, a generator holds it
    except OSError:
        return
    with handle:
        total = 0
        while chunk := handle.read(CHUNK_BYTES):
            total += len(chunk)
            yield chunk
            if limit is not None and total >= limit:
                return
