"""The environment names a Space's code reads, and which of them the Space does not provide.

Read by pattern, not by running anything: `os.environ["X"]`, `os.environ.get("X")`,
`os.getenv("X")`, `st.secrets["X"]` in Python; `process.env.X` / `process.env["X"]` in
JavaScript/TypeScript; `ARG X` and `RUN --mount=type=secret,id=X` in the Dockerfile. A read with
a default (`os.getenv("X", "fast")`, `ARG X=1`) is optional and never reported missing; a name
the Dockerfile sets itself with `ENV` (or the code with `os.environ["X"] = …`), or one the Hub
sets in every Space, is never missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

#: Set by the Hub in every Space (docs: "Spaces environment variables"), or by the container.
HUB_PROVIDED = frozenset(
    {
        "SPACE_ID",
        "SPACE_HOST",
        "SPACE_AUTHOR_NAME",
        "SPACE_REPO_NAME",
        "SPACE_TITLE",
        "SPACE_CREATOR_USER_ID",
        "SYSTEM",
        "CPU_CORES",
        "MEMORY",
        "ACCELERATOR",
        "PERSISTANT_STORAGE_ENABLED",
        "HF_HOME",
        "PORT",
        "HOME",
        "PATH",
        "USER",
        "HOSTNAME",
        "PWD",
        "LANG",
        "PYTHONPATH",
        "GRADIO_SERVER_NAME",
        "GRADIO_SERVER_PORT",
        # Set when the README asks for `hf_oauth: true`.
        "OAUTH_CLIENT_ID",
        "OAUTH_CLIENT_SECRET",
        "OAUTH_SCOPES",
        "OPENID_PROVIDER_URL",
    }
)
#: Bigger files are not read: code that reads a secret is not a megabyte of generated text.
MAX_SOURCE_BYTES = 1_000_000
_Patterns = tuple[re.Pattern[str], ...]
_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_Q = r"[\"']"
#: Not an assignment: `os.environ["X"] = …` sets X (`==` still reads it).
_NOT_SET = r"(?!\s*=(?!=))"
#: (pattern, whether group 2 holds a default) per language; group 1 is the name.
_PYTHON = (
    re.compile(rf"\bos\.environ\s*\[\s*{_Q}{_NAME}{_Q}\s*\]{_NOT_SET}"),
    re.compile(rf"\b(?:os\.)?environ\.get\(\s*{_Q}{_NAME}{_Q}\s*(,)?"),
    re.compile(rf"\b(?:os\.)?getenv\(\s*{_Q}{_NAME}{_Q}\s*(,)?"),
    re.compile(rf"\b(?:st\.)?secrets\s*\[\s*{_Q}{_NAME}{_Q}\s*\]{_NOT_SET}"),
    re.compile(rf"\bst\.secrets\.get\(\s*{_Q}{_NAME}{_Q}\s*(,)?"),
    # `st.secrets.KEY`, but not its methods.
    re.compile(
        rf"\bst\.secrets\.(?!(?:get|keys|items|values|to_dict|load_if_toml_exists)\b){_NAME}"
    ),
)
_PYTHON_SETS = (
    re.compile(rf"\bos\.environ\s*\[\s*{_Q}{_NAME}{_Q}\s*\]\s*=(?!=)"),
    re.compile(rf"\bos\.environ\.setdefault\(\s*{_Q}{_NAME}{_Q}"),
)
_JS = (
    re.compile(rf"\bprocess\.env\.{_NAME}\b{_NOT_SET}(\s*(?:\?\?|\|\|))?"),
    re.compile(rf"\bprocess\.env\s*\[\s*{_Q}{_NAME}{_Q}\s*\]{_NOT_SET}(\s*(?:\?\?|\|\|))?"),
)
_JS_SETS = (
    re.compile(rf"\bprocess\.env\.{_NAME}\s*=(?!=)"),
    re.compile(rf"\bprocess\.env\s*\[\s*{_Q}{_NAME}{_Q}\s*\]\s*=(?!=)"),
)
#: Every pattern above holds one of these words.
_HINTS = ("environ", "getenv", "secrets", "process.env")
#: A match holds its pattern's word at most this far from its start (`os.`, `st.`).
_HINT_BACK = 3


def _hint_of(pattern: re.Pattern[str]) -> str:
    for hint in ("process.env", *_HINTS[:3]):
        if re.escape(hint) in pattern.pattern:
            return hint
    raise AssertionError(pattern.pattern)  # every pattern names one; a new one must too


#: Each pattern's word. The patterns open with `\b` and an optional `os.`: `re` finds no literal
#: prefix to jump to and tries each at every character (real code ran at ~8 MB/s, 13 s for a
#: folder of 100 MB of source), so the matches are looked for only where the word is.
_HINT = {p: _hint_of(p) for p in (*_PYTHON, *_PYTHON_SETS, *_JS, *_JS_SETS)}


def _finditer(pattern: re.Pattern[str], text: str, where: list[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, trying only the starts from which its word is in reach.

    `where` lists the word's occurrences in `text`, in order. The same matches in the same
    order: a match starts at most `_HINT_BACK` characters before an occurrence of the word, each
    such start is tried from left to right at or after the end of the previous match, and
    `match(text, start)` sees the text before `start` (`\b`) as the search would.
    """
    end = 0
    for at in where:
        if at < end:
            continue
        for start in range(max(end, at - _HINT_BACK), at + 1):
            match = pattern.match(text, start)
            if match is not None:
                yield match
                end = max(match.end(), start + 1)
                break


def _occurrences(text: str, hint: str) -> list[int]:
    found: list[int] = []
    at = text.find(hint)
    while at != -1:
        found.append(at)
        at = text.find(hint, at + 1)
    return found


_JS_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
_SECRET_MOUNT = re.compile(r"(?:^|,)id=([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True, slots=True)
class NeededName:
    """One name the code reads: where first, and whether every read has a default."""

    name: str
    file: str
    line: int
    optional: bool


def needed_names(
    files: Iterable[tuple[str, Path | str]],
) -> tuple[tuple[NeededName, ...], frozenset[str]]:
    """(names the code reads, names it sets itself: Dockerfile ENV, `os.environ["X"] = …`)
    over (repo path, disk path)."""
    found: dict[str, NeededName] = {}
    set_by_env: set[str] = set()
    for repo_path, disk_path in files:
        language = _patterns_for(repo_path)
        if language is None and repo_path != "Dockerfile":
            continue
        text = _read(Path(disk_path))  # a Path only for the few files read
        if text is None:
            continue
        if language is None:
            reads, sets = _dockerfile_names(text)
        else:
            near: dict[str, list[int]] = {}  # each word's places, found once per file
            reads = _code_names(text, language[0], near)
            sets = {name for name, _, _ in _code_names(text, language[1], near)}
        set_by_env |= sets
        for name, line, optional in reads:
            _remember(found, NeededName(name, repo_path, line, optional))
    return tuple(sorted(found.values(), key=lambda n: n.name)), frozenset(set_by_env)


def missing_names(
    needed: Iterable[NeededName],
    *,
    provided: Iterable[str],
    set_by_folder: frozenset[str] = frozenset(),
) -> tuple[NeededName, ...]:
    """The required names no secret, variable, Dockerfile ENV or the Hub itself provides."""
    have = set(provided) | set_by_folder | HUB_PROVIDED
    return tuple(n for n in needed if not n.optional and n.name not in have)


def secrets_to_set(
    needed: Iterable[NeededName], values: Mapping[str, str], *, already: Iterable[str] = ()
) -> dict[str, str]:
    """Of `values` (a --secrets-from file), the ones the code reads and nothing else sets."""
    skip = set(already) | HUB_PROVIDED
    return {n.name: values[n.name] for n in needed if n.name in values and n.name not in skip}


def _remember(found: dict[str, NeededName], name: NeededName) -> None:
    # A name read once without a default is required, wherever else it has one.
    old = found.get(name.name)
    if old is None:
        found[name.name] = name
    elif old.optional and not name.optional:
        found[name.name] = name


def _patterns_for(path: str) -> tuple[_Patterns, _Patterns] | None:
    """(reads, assignments) of the file's language, or None when it is not code we read."""
    if path.endswith(".py"):
        return _PYTHON, _PYTHON_SETS
    if path.endswith(_JS_SUFFIXES):
        return _JS, _JS_SETS
    return None


def _read(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _code_names(
    text: str, patterns: Iterable[re.Pattern[str]], near: dict[str, list[int]] | None = None
) -> list[tuple[str, int, bool]]:
    out: list[tuple[str, int, bool]] = []
    near = {} if near is None else near
    for pattern in patterns:
        hint = _HINT[pattern]
        if hint not in near:
            near[hint] = _occurrences(text, hint)
        # Most files read no environment: no occurrence of the word, no regex at all.
        # Lines counted on from the previous match (they come in order): counting from the top
        # for each match read a large file once per match.
        line, counted = 1, 0
        for match in _finditer(pattern, text, near[hint]):
            has_default = pattern.groups >= 2 and match.group(2) is not None
            line += text.count("\n", counted, match.start())
            counted = match.start()
            out.append((match.group(1), line, has_default))
    return out


def _dockerfile_names(text: str) -> tuple[list[tuple[str, int, bool]], set[str]]:
    # BuildKit's parser loads only when a Dockerfile is there to read.
    from tui.domain.dockerfile import arg_has_default, arg_pairs, env_pairs, parse_dockerfile

    parsed = parse_dockerfile(text)
    reads: list[tuple[str, int, bool]] = []
    sets: set[str] = set()
    for instruction in (*parsed.global_args, *parsed.instructions):
        if instruction.keyword == "ARG":
            # The Hub passes a Space's secrets and variables as build arguments.
            for name in arg_pairs(instruction):
                reads.append((name, instruction.line, arg_has_default(instruction, name)))
        elif instruction.keyword == "ENV":
            sets |= set(env_pairs(instruction))
        elif instruction.keyword == "RUN":
            for mount in instruction.flag_values("mount"):
                if "type=secret" in mount:
                    match = _SECRET_MOUNT.search(mount)
                    required = "required=true" in mount
                    if match:
                        reads.append((match.group(1), instruction.line, not required))
    return reads, sets
