"""Read README.md front matter the way the Hub does, keeping line numbers for every top-level key.

The block is found with huggingface_hub's own regex (`repocard.REGEX_YAML_BLOCK`, copied and
pinned by a test) so a UTF-8 BOM or a missing closing `---` behave as on the Hub. The YAML is
loaded by a PyYAML SafeLoader subclass that reports duplicate keys (PyYAML silently keeps the last
one) and records where each key and value is, including how a scalar was written (`3.10` plain
is a float, `"3.10"` a string). A duplicate key is a problem, not the end of the parse: the
mapping is still built, last value winning as in huggingface_hub's own reader (PyYAML), so every
other rule is still checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypedDict

import yaml

#: huggingface_hub 2.4 `repocard.REGEX_YAML_BLOCK`.
REGEX_YAML_BLOCK = re.compile(
    r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))"
)
BOM = "\ufeff"


@dataclass(frozen=True)
class Scalar:
    """How a top-level value was written: its source text, quoting style and line."""

    text: str
    plain: bool
    line: int


@dataclass(frozen=True)
class Problem:
    """Something wrong with the front matter itself: README002 (block) or README003 (YAML)."""

    id: str
    message: str
    line: int | None = None


@dataclass(frozen=True)
class FrontMatter:
    """The parsed front matter of one README.md.

    `data` is the mapping (None when missing or broken); `key_lines` maps each top-level key to
    its 1-based README line; `scalars` keeps the raw spelling of top-level scalar values;
    `problems` lists what prevented a clean parse; `first_line`/`last_line` bound the YAML.
    """

    data: dict[str, Any] | None
    key_lines: dict[str, int] = field(default_factory=dict)
    scalars: dict[str, Scalar] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    has_bom: bool = False
    first_line: int = 1
    last_line: int = 1
    yaml_text: str = ""


class _Bounds(TypedDict):
    """The fields every `FrontMatter` of a README with a front matter block shares."""

    first_line: int
    last_line: int
    yaml_text: str


@dataclass(frozen=True)
class _Duplicate:
    """A key written twice in one mapping: its 0-based line, and that of its first spelling."""

    key: str
    line: int
    first: int


class _TrackingLoader(yaml.SafeLoader):
    """SafeLoader that notes duplicate keys and remembers the position of top-level keys.

    Duplicates are recorded, not raised: PyYAML then keeps the last value, as huggingface_hub's
    `metadata_load` (a plain `yaml.safe_load`) does.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.key_lines: dict[str, int] = {}
        self.scalars: dict[str, Scalar] = {}
        self.duplicates: list[_Duplicate] = []
        self.top: yaml.Node | None = None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            line = key_node.start_mark.line
            if key in seen and key != "<<":
                duplicate = _Duplicate(str(key), line, seen[key])
                # An alias makes PyYAML construct a mapping more than once: report it once.
                if duplicate not in self.duplicates:
                    self.duplicates.append(duplicate)
                continue
            seen[key] = line
        if node is self.top:
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    self.key_lines[str(key_node.value)] = key_node.start_mark.line
                    if isinstance(value_node, yaml.ScalarNode):
                        self.scalars[str(key_node.value)] = Scalar(
                            value_node.value,
                            value_node.style is None,
                            value_node.start_mark.line,
                        )
        return super().construct_mapping(node, deep=deep)

    def load(self) -> Any:
        try:
            self.top = self.get_single_node()
            if self.top is None:
                return None
            return self.construct_document(self.top)
        finally:
            self.dispose()


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _error_line(exc: yaml.MarkedYAMLError) -> int:
    """0-based line of a YAML error; an error found at the end of the text points where the
    unfinished construct began (an unclosed `[` is reported at the stream's end otherwise)."""
    problem, context = exc.problem_mark, exc.context_mark
    at_end = any(words in (exc.problem or "") for words in ("<stream end>", "end of the stream"))
    mark = context if (at_end and context is not None) else (problem or context)
    return mark.line if mark is not None else 0


def _syntax_hint(exc: yaml.MarkedYAMLError) -> str:
    """How to fix the usual YAML mistakes, chosen by what the parser says."""
    text = f"{exc.context or ''} {exc.problem or ''}"
    if "\\t" in text or "\t" in text:
        return "indent with spaces, not tabs."
    if "flow" in text:
        return "close the [ or { that opens on this line, or quote the value."
    return "fix the YAML syntax (quote values containing ': ' or '#')."


def parse_front_matter(readme: str) -> FrontMatter:
    """Parse README text; never raises, problems are reported in `.problems`."""
    has_bom = readme.startswith(BOM)
    if has_bom:
        return FrontMatter(
            None,
            problems=(
                Problem(
                    "README002",
                    "README.md starts with a UTF-8 byte order mark, so the Hub does not see its "
                    "front matter: save the file as UTF-8 without BOM.",
                    1,
                ),
            ),
            has_bom=True,
        )
    match = REGEX_YAML_BLOCK.search(readme)
    if match is None:
        stripped = readme.lstrip()
        if stripped.startswith("---"):
            message = (
                "README.md opens a front matter block with --- but never closes it: add a line "
                "with only --- after the YAML."
            )
        else:
            message = (
                "README.md has no front matter, so the Space gets 'Missing configuration in "
                "README': start the file with a --- line, the YAML config (title, sdk, ...), "
                "then another --- line."
            )
        return FrontMatter(None, problems=(Problem("README002", message, 1),))
    yaml_text = match.group(2)
    first_line = _line_of(readme, match.start(2))
    last_line = _line_of(readme, match.end(2))
    base = _Bounds(first_line=first_line, last_line=last_line, yaml_text=yaml_text)
    for number, line in enumerate(yaml_text.splitlines()):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            return FrontMatter(
                None,
                problems=(
                    Problem(
                        "README003",
                        "the front matter is indented with a tab, which YAML forbids: indent "
                        "with spaces only.",
                        first_line + number,
                    ),
                ),
                **base,
            )
    try:
        # The reader rejects control characters already in the constructor.
        loader = _TrackingLoader(yaml_text)
        data = loader.load()
    except yaml.MarkedYAMLError as exc:
        line = first_line + _error_line(exc)
        what = (exc.problem or exc.context or "invalid YAML").strip()
        return FrontMatter(
            None,
            problems=(
                Problem(
                    "README003",
                    f"the front matter is not valid YAML ({what}): {_syntax_hint(exc)}",
                    line,
                ),
            ),
            **base,
        )
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return FrontMatter(
            None,
            problems=(
                Problem(
                    "README003",
                    f"the front matter is not valid YAML ({type(exc).__name__}): fix the YAML "
                    "syntax.",
                    first_line,
                ),
            ),
            **base,
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter(
            None,
            problems=(
                Problem(
                    "README003",
                    "the front matter must be a mapping of keys to values (key: value lines), "
                    f"not a {type(data).__name__}.",
                    first_line,
                ),
            ),
            **base,
        )
    key_lines = {k: first_line + v for k, v in loader.key_lines.items()}
    scalars = {k: Scalar(s.text, s.plain, first_line + s.line) for k, s in loader.scalars.items()}
    return FrontMatter(
        {str(k): v for k, v in data.items()},
        key_lines=key_lines,
        scalars=scalars,
        problems=tuple(_duplicate_problem(dup, first_line) for dup in loader.duplicates),
        **base,
    )


def _duplicate_problem(dup: _Duplicate, first_line: int) -> Problem:
    """README003 for a key written twice; the parse goes on with the last value (see module doc)."""
    return Problem(
        "README003",
        f"key '{dup.key}' appears twice in the front matter (first on line "
        f"{first_line + dup.first}): huggingface_hub's reader (PyYAML) keeps only the last "
        "value, which is the one checked here, and a strict YAML reader refuses the file: "
        "remove one of them.",
        first_line + dup.line,
    )
