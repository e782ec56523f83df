"""Secret scan recall per kind and hiding place, false blocks on real Spaces, vs detect-secrets.

    python benchmarks/bench_secrets.py [--count 105000] [--corpus tests/fixtures/real-spaces]

Generates `--count` random real-format credentials spread over every kind, hides each in a file
of a rotating kind (Python, config, escaped notebook, UTF-16 with and without BOM, early NUL,
binary name, pickle; plus a sample in >1 MB notebooks, SQLite and >2 MB files), and scans the
bytes with the code the upload set runs (`scan_chunks`). Then runs the full checks on every
folder of the real-Space corpus and counts the folders a deploy would block on a SECRET finding.
When detect-secrets is importable, its default plugins scan a sample of the same lines.
Speed is printed as MB/s with sha256 over the same bytes as the anchor.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.domain.secret_samples import (  # noqa: E402
    CHEAP_PLACES,
    HIDING_PLACES,
    KINDS,
    line_for,
    places_for,
)
from tui.domain.checks.engine import run_checks  # noqa: E402
from tui.domain.checks.findings import Severity  # noqa: E402
from tui.domain.secret_scan import scan_bytes  # noqa: E402

EXPENSIVE_PLACES = tuple(p for p in HIDING_PLACES if p not in CHEAP_PLACES)
PLACEHOLDERS = (
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
    "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
    "github_pat_" + "X" * 82,
)
PLACEHOLDER_LINES = tuple(f'TOKEN = "{p}"' for p in PLACEHOLDERS) + (
    'PASSWORD = "changeme"',
    'DB_PASSWORD = "your_password"',
    'api_key = "YOUR_API_KEY"',
    'password: "<password>"',
    'SECRET_KEY = "${SECRET_KEY}"',
    'pwd = "password123"',
    'OPENAI_API_KEY="sk-..."',
    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    'GEMINI_API_KEY: "replace-with-your-google-api-key"',
    'api_key: "USE_ENV_VARIABLE"',
    "WANDB_API_KEY=0000000000000000000000000000000000000000",
)


def recall(count: int, seed: int) -> tuple[dict[str, Counter], dict[str, Counter], list[str]]:
    """Hide `count` values in cheap places (and a sample in expensive ones); count the found."""
    rng = random.Random(seed)
    per_kind: dict[str, Counter] = defaultdict(Counter)
    per_place: dict[str, Counter] = defaultdict(Counter)
    missed: list[str] = []
    kinds = list(KINDS)
    for i in range(count):
        kind = kinds[i % len(kinds)]
        places = places_for(kind, CHEAP_PLACES)
        place = places[(i // len(kinds)) % len(places)]
        _one(kind, place, rng, per_kind, per_place, missed)
    for kind in kinds:
        for place in places_for(kind, EXPENSIVE_PLACES):
            for _ in range(5):
                _one(kind, place, rng, per_kind, per_place, missed)
    return per_kind, per_place, missed


def _one(kind, place, rng, per_kind, per_place, missed) -> None:  # noqa: ANN001
    value = KINDS[kind][0](rng)
    name, data = HIDING_PLACES[place](line_for(kind, value, rng), rng)
    found = any(hit.secret == value for hit in scan_bytes(data, name=name))
    per_kind[kind]["n"] += 1
    per_place[place]["n"] += 1
    if found:
        per_kind[kind]["found"] += 1
        per_place[place]["found"] += 1
    elif len(missed) < 10:
        missed.append(f"{kind} in {place}")


def false_blocks(corpus: Path) -> tuple[int, int, list[str]]:
    """(folders, folders a deploy would block on a SECRET finding, the findings)."""
    folders = sorted(p for p in corpus.iterdir() if p.is_dir()) if corpus.is_dir() else []
    blocked: list[str] = []
    n_blocked = 0
    for folder in folders:
        report = run_checks(folder)
        secrets = [
            f for f in report.findings if f.id.startswith("SECRET") and f.severity != Severity.INFO
        ]
        if secrets:
            n_blocked += 1
            blocked += [f"{folder.name}: {f.id} {f.file}:{f.line}" for f in secrets]
    return len(folders), n_blocked, blocked


def detect_secrets_recall(per_kind: int, seed: int) -> dict[str, float] | None:
    """The share of each kind's lines detect-secrets' default plugins flag at all (any plugin)."""
    try:
        from detect_secrets.core.scan import scan_line
        from detect_secrets.settings import default_settings
    except ImportError:
        return None
    rng = random.Random(seed)
    result = {}
    with default_settings():
        for kind in KINDS:
            hits = 0
            for _ in range(per_kind):
                value = KINDS[kind][0](rng)
                line = line_for(kind, value, rng)
                if any(
                    value in (s.secret_value or "") or (s.secret_value or "") in value
                    for s in scan_line(line)
                ):
                    hits += 1
            result[kind] = hits / per_kind
    return result


def detect_secrets_false_flags(corpus: Path, lines: tuple[str, ...]) -> tuple[int, int, int] | None:
    """(placeholder lines flagged, corpus files, corpus files with any flag) by detect-secrets."""
    try:
        from detect_secrets.core.scan import scan_line
        from detect_secrets.settings import default_settings
    except ImportError:
        return None
    flagged_files = total = 0
    with default_settings():
        placeholders = sum(1 for line in lines if list(scan_line(line)))
        for path in sorted(corpus.rglob("*")) if corpus.is_dir() else []:
            if not path.is_file() or path.stat().st_size > 200_000:
                continue
            total += 1
            text = path.read_bytes().decode("utf-8", "replace")
            if any(list(scan_line(line)) for line in text.splitlines()[:2000]):
                flagged_files += 1
    return placeholders, total, flagged_files


def speed(megabytes: int) -> tuple[float, float]:
    """(scan MB/s, sha256 MB/s) over the same random bytes."""
    data = os.urandom(megabytes << 20)
    start = time.perf_counter()
    list(scan_bytes(data, name="weights.bin"))
    scan_s = time.perf_counter() - start
    start = time.perf_counter()
    hashlib.sha256(data).hexdigest()
    sha_s = time.perf_counter() - start
    return megabytes / scan_s, megabytes / sha_s


def text_speed(corpus: Path, *, gated: bool = True) -> tuple[float, float]:
    """(MB scanned, MB/s) over the corpus's code files, each scanned under its own name.

    `gated=False` opens the RE2 gates, so every view goes through the rules themselves: the
    scan as it was before the gates, measured in the same run.
    """
    from unittest import mock

    from tui.domain import secret_scan

    suffixes = (".py", ".js", ".ts", ".json", ".yaml", ".yml", ".toml", ".md", ".txt", ".html")
    files = [
        (p.name, p.read_bytes())
        for p in sorted(corpus.rglob("*"))
        if p.is_file() and p.suffix in suffixes
    ]
    total = sum(len(data) for _, data in files) / 1e6

    class Open:
        def search(self, view: bytes) -> bool:
            return True

        def Match(self, view: bytes) -> list[int]:  # noqa: N802 - re2.Set's name
            return list(range(len(secret_scan._RULES)))

    gates = ("_GATE_CODE", "_GATE_TOKENS", "_BINARY_GATE_CODE", "_BINARY_GATE_TOKENS", "_GATE_SET")
    best = float("inf")
    for _ in range(3):
        with contextlib.ExitStack() as stack:
            if not gated:
                for gate in gates:
                    stack.enter_context(mock.patch.object(secret_scan, gate, Open()))
            start = time.perf_counter()
            for name, data in files:
                list(scan_bytes(data, name=name))
            best = min(best, time.perf_counter() - start)
    return total, total / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=105_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests/fixtures/real-spaces")
    parser.add_argument("--detect-secrets-sample", type=int, default=300)
    parser.add_argument("--speed-mb", type=int, default=32)
    args = parser.parse_args()

    start = time.perf_counter()
    per_kind, per_place, missed = recall(args.count, args.seed)
    took = time.perf_counter() - start
    total = sum(c["n"] for c in per_kind.values())
    found = sum(c["found"] for c in per_kind.values())
    print(f"recall: {found}/{total} = {100 * found / total:.3f} % in {took:.1f} s")
    ds = detect_secrets_recall(args.detect_secrets_sample, args.seed)
    print(f"{'kind':<12} {'n':>7} {'spacetui':>9} {'detect-secrets':>15}")
    for kind, c in per_kind.items():
        theirs = f"{100 * ds[kind]:.1f} %" if ds else "not installed"
        print(f"{kind:<12} {c['n']:>7} {100 * c['found'] / c['n']:>8.2f}% {theirs:>15}")
    print("by hiding place:")
    for place, c in per_place.items():
        print(f"  {place:<22} {c['n']:>7} {100 * c['found'] / c['n']:>8.2f}%")
    if missed:
        print("first misses:", "; ".join(missed))

    flagged = [line for line in PLACEHOLDER_LINES if list(scan_bytes(line.encode(), name="app.py"))]
    print(f"placeholder lines flagged: {len(flagged)}/{len(PLACEHOLDER_LINES)}", flagged or "")
    n, n_blocked, blocked = false_blocks(args.corpus)
    where = args.corpus if args.corpus.is_dir() else f"{args.corpus} (missing)"
    print(f"real-Space folders blocked by a SECRET finding: {n_blocked}/{n} ({where})")
    for line in blocked:
        print("  ", line)
    theirs = detect_secrets_false_flags(args.corpus, PLACEHOLDER_LINES)
    if theirs:
        p, files, ff = theirs
        print(
            f"detect-secrets defaults: placeholder lines flagged {p}/{len(PLACEHOLDER_LINES)}, "
            f"corpus files flagged {ff}/{files}"
        )
    scan_mbs, sha_mbs = speed(args.speed_mb)
    print(
        f"scan speed: {scan_mbs:.0f} MB/s on random bytes; sha256 anchor {sha_mbs:.0f} MB/s; "
        f"ratio {scan_mbs / sha_mbs:.2f}"
    )
    if args.corpus.is_dir():
        mb, text_mbs = text_speed(args.corpus)
        _, open_mbs = text_speed(args.corpus, gated=False)
        print(
            f"scan speed on the corpus's text files ({mb:.1f} MB, best of 3): {text_mbs:.0f} MB/s; "
            f"rules alone (RE2 gates open) {open_mbs:.0f} MB/s; sha256 anchor {sha_mbs:.0f} MB/s"
        )


if __name__ == "__main__":
    main()
