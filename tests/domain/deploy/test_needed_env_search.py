"""The needed-names search tries a pattern only near its word, and finds what `finditer` finds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui.domain.deploy import needed_env
from tui.domain.deploy.needed_env import _HINT, _finditer

_PIECES = [
    "os.",
    "st.",
    "xos.",
    "_",
    "environ",
    "environ.get(",
    ".setdefault(",
    "getenv(",
    "secrets",
    "secrets.",
    "process.env",
    "process.env.",
    ".get(",
    "keys",
    "[",
    "]",
    '"',
    "'",
    "=",
    "==",
    "??",
    "||",
    ",",
    " ",
    "\n",
    "\t",
    "HF_TOKEN",
    "API_KEY",
    "a",
    "1",
    ".",
    "(",
]
_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _spans(found: object) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in found]  # type: ignore[attr-defined]


def test_every_pattern_has_its_word() -> None:
    patterns = (
        *needed_env._PYTHON,
        *needed_env._PYTHON_SETS,
        *needed_env._JS,
        *needed_env._JS_SETS,
    )
    assert set(_HINT) == set(patterns)


@settings(max_examples=500, deadline=None)
@given(_text)
@example('x = os.environ["A"] + os.environ["B"]\nos.environ["C"] = 1')
@example('st.secrets["A"]; secrets["B"]; st.secrets.get("C", 1); st.secrets.KEY; st.secrets.keys()')
@example("process.env.A ?? process.env['B'] || 1; process.env.C = 2; getenv('D', 'x')")
@example("myos.environ.get('A') os.environ.get('B',")
def test_the_same_matches_as_finditer(text: str) -> None:
    for pattern in _HINT:
        where = needed_env._occurrences(text, _HINT[pattern])
        assert _spans(_finditer(pattern, text, where)) == _spans(pattern.finditer(text))


@settings(max_examples=300, deadline=None)
@given(_text)
@example('\nos.environ["A"]\n\nos.environ["B"]\nos.environ["C"] = 1\nos.environ["D"]')
def test_names_lines_and_defaults_as_a_plain_search_finds_them(text: str) -> None:
    for patterns in (needed_env._PYTHON, needed_env._PYTHON_SETS, needed_env._JS):
        expected = [
            (
                m.group(1),
                text.count("\n", 0, m.start()) + 1,
                p.groups >= 2 and m.group(2) is not None,
            )
            for p in patterns
            for m in p.finditer(text)
        ]
        assert needed_env._code_names(text, patterns) == expected
