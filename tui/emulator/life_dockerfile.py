"""The emulator's own small Dockerfile reader: instructions, continuations, flags and exec forms.

It is a fake builder's parser, not a linter: it reads what the simulated build needs to print
BuildKit-like steps and decide which realistic failure a Space meets.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$")
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


@dataclass(frozen=True, slots=True)
class Instruction:
    """One Dockerfile instruction: upper-case keyword, its argument text as written, its line."""

    keyword: str
    args: str
    line: int

    def flags_and_rest(self) -> tuple[dict[str, str], str]:
        """Leading `--flag[=value]` options (COPY --from, RUN --mount …) and the text after them."""
        flags: dict[str, str] = {}
        rest = self.args
        while True:
            match = re.match(r"--([A-Za-z-]+)(?:=(\S*))?\s*", rest)
            if not match:
                return flags, rest
            flags[match.group(1)] = match.group(2) or ""
            rest = rest[match.end() :]

    def exec_form(self) -> list[str] | None:
        """The JSON array form (`["python", "app.py"]`) as a list, or None for the shell form."""
        _, rest = self.flags_and_rest()
        text = rest.strip()
        if not text.startswith("["):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        return None

    def argv(self) -> list[str]:
        """The words of the command: exec form as is, shell form split like a shell would."""
        form = self.exec_form()
        if form is not None:
            return form
        _, rest = self.flags_and_rest()
        try:
            return shlex.split(rest, comments=False)
        except ValueError:
            # An unbalanced quote still deserves a best-effort word list, not a crash.
            return rest.split()

    def shell_command(self) -> str:
        """The process BuildKit reports for a RUN: `/bin/sh -c <command>` without the flags."""
        form = self.exec_form()
        if form is not None:
            return " ".join(form)
        return self.flags_and_rest()[1]


@dataclass
class Stage:
    """One build stage: its base image, optional name and instructions after FROM."""

    base: str
    name: str | None
    from_instruction: Instruction
    steps: list[Instruction] = field(default_factory=list)


@dataclass
class Dockerfile:
    """A parsed Dockerfile: stages in order (the last one is the image that runs)."""

    stages: list[Stage]
    global_args: dict[str, str]

    @property
    def final(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def last(self, keyword: str) -> Instruction | None:
        """The last instruction of this kind in the final stage (CMD, ENTRYPOINT, USER …)."""
        stage = self.final
        if stage is None:
            return None
        found = [step for step in stage.steps if step.keyword == keyword]
        return found[-1] if found else None


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Join continuation lines the way Docker does: the escape and newline go, indentation stays."""
    escape = "\\"
    raw = text.replace("\r\n", "\n").split("\n")
    for line in raw:
        match = _DIRECTIVE.match(line)
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            escape = match.group(2)
    result: list[tuple[int, str]] = []
    buffer: str | None = None
    start = 0
    for number, line in enumerate(raw, start=1):
        stripped = line.strip()
        if stripped.startswith("#") or not stripped:
            # Comments and blank lines go, also inside a continued instruction (as in Docker).
            continue
        if buffer is None:
            buffer, start = "", number
            line = line.lstrip()
        if line.rstrip().endswith(escape):
            buffer += line.rstrip()[: -len(escape)]
            continue
        buffer += line
        result.append((start, buffer.rstrip()))
        buffer = None
    if buffer:
        result.append((start, buffer.rstrip()))
    return result


#: Longest expansion of one word: `ENV B=$A$A` doubles per line (25 lines made 1 GB of memory).
MAX_EXPANSION = 64 * 1024


def substitute(text: str, env: dict[str, str]) -> str:
    """Expand `$VAR`, `${VAR}` and `${VAR:-default}` from build args / ENV (unknown: default or '').

    Expansion stops at `MAX_EXPANSION` characters (or the text's own length): bounded memory.
    """
    limit = max(MAX_EXPANSION, len(text))

    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if name in env:
            return env[name]
        return match.group(2) or ""

    pieces: list[str] = []
    size = end = 0
    for match in _VAR.finditer(text):
        for piece in (text[end : match.start()], repl(match)):
            pieces.append(piece)
            size += len(piece)
        end = match.end()
        if size >= limit:
            return "".join(pieces)[:limit]
    pieces.append(text[end:])
    return "".join(pieces)[:limit]


def parse_dockerfile(text: str) -> Dockerfile:
    """Parse Dockerfile text into stages. Unknown instructions are kept; nothing raises."""
    stages: list[Stage] = []
    global_args: dict[str, str] = {}
    for number, line in logical_lines(text):
        keyword, _, args = line.partition(" ")
        if "\t" in keyword:
            keyword, _, more = keyword.partition("\t")
            args = more + " " + args
        instruction = Instruction(keyword.upper(), args.strip(), number)
        if instruction.keyword == "FROM":
            words = substitute(instruction.flags_and_rest()[1], global_args).split()
            base = words[0] if words else "scratch"
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(Stage(base=base, name=name, from_instruction=instruction))
        elif not stages:
            if instruction.keyword == "ARG":
                key, _, value = instruction.args.partition("=")
                global_args[key.strip()] = value.strip().strip('"')
        else:
            stages[-1].steps.append(instruction)
    return Dockerfile(stages=stages, global_args=global_args)


def parse_env_args(args: str) -> dict[str, str]:
    """`ENV A=1 B="two"` or the legacy `ENV A 1` form, as a mapping."""
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    if not words:
        return {}
    if "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    pairs = (word.partition("=") for word in words)
    return {key: value for key, _, value in pairs if key}


def canonical_image(base: str) -> str:
    """The name BuildKit echoes: `python:3.11-slim` -> `docker.io/library/python:3.11-slim`."""
    name, at, digest = base.partition("@")
    first = name.split("/")[0]
    has_registry = "/" in name and ("." in first or ":" in first or first == "localhost")
    if not has_registry:
        name = f"docker.io/{name}" if "/" in name else f"docker.io/library/{name}"
    last = name.rsplit("/", 1)[-1]
    if ":" not in last and not at:
        name += ":latest"
    return f"{name}@{digest}" if at else name
