"""Whether a token-shaped value is a placeholder, judged by structure and entropy, not by words.

A real token is random: its characters are many and spread out. A placeholder is written by a
person: one character repeated (`hf_xxxx…`), a short unit repeated, an alphabet run
(`abcdefgh…`), or nothing but filler words (`sk-your-openai-key-here`). A filler word *inside*
a random value (about 1 in 560 random `hf_` tokens holds `here`) does not make it a placeholder:
the words must cover almost the whole value.
"""

from __future__ import annotations

import math
import re
from collections import Counter

#: Words people write in place of a secret; they count only when they make up the whole value.
_FILLER = re.compile(
    r"(?i)x{2,}|\*+|\.{2,}|your|my|the|token|secret|api|key|access|auth|here|example|placeholder|"
    r"dummy|fake|changeme|change|redacted|insert|sample|test|replace|put|paste|goes|value|"
    r"openai|hugging|face|huggingface|github|gitlab|stripe|aws|wandb|replicate|id|live|proj|pat|"
    r"password|passwd|pass|pwd|admin|user|name|demo|none|null|todo|abc|def|xyz|foo|bar|baz|"
    r"hf|sk|gh[pousr]|glpat|r8|akia|asia|org"
)
#: A long filler word opening or closing the value (`AKIAIOSFODNN7EXAMPLE`): by chance about 1 in
#: 10^10 random values.
_LONG_FILLER_AT_EDGE = re.compile(
    r"(?i)^(?:example|placeholder|changeme|redacted|your_?token)|"
    r"(?:example|examplekey|placeholder|changeme|redacted)$"
)
_KNOWN_PREFIX = re.compile(
    r"^(?:hf_|api_org_|sk-(?:proj-|svcacct-|admin-|ant-)?|sk_live_|rk_live_|github_pat_|"
    r"gh[pousr]_|glpat-|r8_|AKIA|ASIA|AIza|xox[baprs]-)"
)


def body_of(value: str) -> str:
    """`value` without its well-known token prefix (`hf_`, `sk-proj-`, `AKIA`…)."""
    return _KNOWN_PREFIX.sub("", value, count=1)


def entropy_bits(text: str) -> float:
    """Shannon entropy of `text` in bits per character."""
    if not text:
        return 0.0
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _longest_run(text: str) -> int:
    """Longest run of consecutive ascending or descending characters (`abcd`, `4321`)."""
    best = run_up = run_down = 1
    lowered = text.lower()
    for a, b in zip(lowered, lowered[1:], strict=False):
        run_up = run_up + 1 if ord(b) - ord(a) == 1 else 1
        run_down = run_down + 1 if ord(a) - ord(b) == 1 else 1
        best = max(best, run_up, run_down)
    return best


def _repeats_a_unit(text: str) -> bool:
    """True when `text` is one unit of at most 8 characters written again and again."""
    for period in range(1, min(8, len(text) // 2) + 1):
        unit = text[:period]
        if (unit * (len(text) // period + 1))[: len(text)] == text:
            return True
    return False


def _is_phrase(body: str) -> bool:
    """Three or more words in one case joined by `-`, `_`, `.` or spaces: `USE_ENV_VARIABLE`."""
    words = [w for w in re.split(r"[-_. ]+", body) if w]
    if len(words) < 3:
        return False
    return all(w.isalpha() and (w.islower() or w.isupper() or w.istitle()) for w in words)


def is_placeholder(value: str) -> bool:
    """True when a token-shaped `value` was written by a person, not generated."""
    if any(c in value for c in "<>{}$") or "..." in value:
        return True  # template syntax: `<your token>`, `${HF_TOKEN}`, `hf_...`
    if value.startswith("django-insecure-"):
        return True  # Django's generated development default, marked insecure by Django itself
    body = body_of(value)
    if _is_phrase(body):
        return True
    if len(body) < 8:
        return True
    if len(set(body.lower())) <= max(3, len(body) // 8) or _repeats_a_unit(body):
        return True
    if _longest_run(body) >= 6 or _LONG_FILLER_AT_EDGE.search(body):
        return True
    leftover = _FILLER.sub("", body)
    leftover = re.sub(r"[^A-Za-z0-9]", "", leftover)
    # The filler words cover the value: what is left is too short to be random.
    if len(leftover) <= max(3, len(body) // 5) or (leftover.isdigit() and len(leftover) <= 6):
        return True  # `test_key_12345`, `password123`: words and a counter
    return entropy_bits(body) < 2.5


def looks_like_token(value: str) -> bool:
    """True when `value` has a known token shape and is no placeholder (variables refuse these)."""
    from tui.domain.secret_scan import scan_bytes

    return any(True for _ in scan_bytes(value.encode("utf-8", "replace"), name="value"))


#: Variable names that say the value is a credential (`HF_TOKEN`, `DB_PASSWORD`, `API_KEY`…),
#: as whole words of the name: `TOKENIZER` and `MAX_TOKENS` are not.
_SECRET_NAME = re.compile(
    r"(?i)(?:^|[_-])(?:token|secret|password|passwd|pwd|api_?key|access_?key|private_?key)(?:$|[_-])"
)


def variable_refusal(key: str, value: str) -> str | None:
    """Why the Space variable `key=value` must not be published, or None when it may be.

    Variables are public: anyone who can see the Space reads them. A token-shaped value, or any
    value but a template (`<…>`, `${…}`) under a credential's name, belongs in a secret.
    """
    named = _SECRET_NAME.search(key) and value.strip() and not any(c in value for c in "<>{}$")
    if named or looks_like_token(value):
        return (
            f"Variable {key} holds a token-shaped value, and variables are public: set it as a "
            f"secret instead (--secret {key}, or the secrets list in the app)."
        )
    return None
