"""Parse a Dockerfile into stages and instructions with BuildKit's own parser, never raising.

The `dockerfile` package wraps the official Go parser (moby/buildkit), so line continuations, the
`# escape=` directive, comments inside continuations, heredocs, flags and the JSON (exec) form
behave exactly as in a real `docker build`. This module adds what the checks need on top: stages,
ARGs before the first FROM, ENV pairs, and parse problems reported as data instead of exceptions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import dockerfile as _buildkit

#: Every instruction BuildKit knows; anything else fails the build with "unknown instruction".
KNOWN_KEYWORDS = frozenset(
    (
        "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN "
        "SHELL STOPSIGNAL USER VOLUME WORKDIR"
    ).split()
)

_VAR = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<mod>:?[-+][^}]*)?\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


@dataclass(frozen=True)
class Heredoc:
    """One here-document attached to an instruction (`RUN <<EOF` … `EOF`)."""

    name: str
    content: str


@dataclass(frozen=True)
class ParseError:
    """A problem that makes the Dockerfile fail to build; `line` is 1-based when known."""

    message: str
    line: int | None = None


@dataclass(frozen=True)
class Instruction:
    """One instruction: `args` is the raw text after the keyword with continuations joined.

    `flags` maps `--name` to its value (the last one wins; `raw_flags` keeps every one, which
    matters for repeated `--mount`). `exec_form` is the JSON array form, or None for shell form.
    `words` is BuildKit's split of the arguments (for ENV: key, value, key, value…).
    """

    keyword: str
    args: str
    line: int
    end_line: int
    flags: dict[str, str]
    exec_form: list[str] | None
    heredocs: tuple[Heredoc, ...] = ()
    words: tuple[str, ...] = ()
    raw_flags: tuple[str, ...] = ()
    sub_keyword: str | None = None

    def flag_values(self, name: str) -> list[str]:
        """Every value given for `--name` (e.g. all `--mount=` specs of a RUN)."""
        prefix = f"--{name}"
        out = []
        for raw in self.raw_flags:
            key, _, value = raw.partition("=")
            if key == prefix:
                out.append(value)
        return out

    @property
    def shell_text(self) -> str:
        """The command a shell would run: the args without flags, plus any heredoc bodies."""
        if self.exec_form is not None:
            return " ".join(self.exec_form)
        text = " ".join(self.words) if self.keyword in ("RUN", "CMD", "ENTRYPOINT") else self.args
        bodies = [h.content for h in self.heredocs]
        return "\n".join([text, *bodies]) if bodies else text


@dataclass(frozen=True)
class Stage:
    """A build stage: its FROM (always `instructions[0]`) and everything up to the next FROM."""

    index: int
    name: str | None
    base: str
    instructions: tuple[Instruction, ...]
    line: int

    @property
    def from_instruction(self) -> Instruction:
        """The FROM that starts this stage."""
        return self.instructions[0]


@dataclass(frozen=True)
class Dockerfile:
    """A parsed Dockerfile. Never raised about: problems are in `errors`."""

    stages: tuple[Stage, ...]
    global_args: tuple[Instruction, ...]
    errors: tuple[ParseError, ...]
    instructions: tuple[Instruction, ...] = field(default=(), repr=False)

    @property
    def final_stage(self) -> Stage | None:
        """The stage a Space runs: the last one (Spaces build no `--target`)."""
        return self.stages[-1] if self.stages else None

    def stage_named(self, name: str) -> Stage | None:
        """The earlier stage `FROM x AS name` refers to (case-insensitive, like BuildKit)."""
        return self._stages_by_name.get(name.lower())

    def global_arg_defaults(self) -> dict[str, str]:
        """ARG name -> default value for the ARGs declared before the first FROM."""
        return dict(self._global_defaults)

    def resolved_base(self, stage: Stage) -> str:
        """The stage's base image with `${ARG}` references replaced by global ARG defaults."""
        return substitute(stage.base, self._global_defaults)

    # Computed once per parse: looked up for every stage, a scan each time was quadratic
    # (a 3,000-stage Dockerfile took half a minute of checks).
    @cached_property
    def _stages_by_name(self) -> dict[str, Stage]:
        index: dict[str, Stage] = {}
        for stage in self.stages:
            if stage.name:
                index.setdefault(stage.name.lower(), stage)  # the first one, as before
        return index

    @cached_property
    def _global_defaults(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for arg in self.global_args:
            out.update(arg_pairs(arg))
        return out


#: Longest expansion of one word: `ENV B=$A$A` doubles per line (25 lines made 1 GB); no real
#: value comes near this, and a check reading a cut value loses nothing it could judge.
MAX_EXPANSION = 64 * 1024


def substitute(text: str, env: Mapping[str, str], *, limit: int = MAX_EXPANSION) -> str:
    """Expand `$X`, `${X}`, `${X:-default}` and `${X:+alt}` the way Dockerfile words do.

    Expansion stops once the result reaches `limit` characters (or the text's own length, if
    longer), and the result is cut there: bounded memory and time whatever the ENV chain.
    """
    limit = max(limit, len(text))

    def repl(match: re.Match[str]) -> str:
        name = match.group("braced") or match.group("bare")
        mod = match.group("mod") or ""
        value = env.get(name)
        if mod.lstrip(":").startswith("-"):
            fallback = mod.split("-", 1)[1]
            return value if value else fallback
        if mod.lstrip(":").startswith("+"):
            alt = mod.split("+", 1)[1]
            return alt if value else ""
        return value if value is not None else match.group(0)

    pieces: list[str] = []
    size = 0
    end = 0
    for match in _VAR.finditer(text):
        for piece in (text[end : match.start()], repl(match)):
            pieces.append(piece)
            size += len(piece)
        end = match.end()
        if size >= limit:
            return "".join(pieces)[:limit]
    pieces.append(text[end:])
    return "".join(pieces)[:limit]


def unquote(value: str) -> str:
    """Remove one level of matching shell quotes around a Dockerfile word."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def env_pairs(instruction: Instruction) -> dict[str, str]:
    """ENV key -> value, for both `ENV k=v k2="v 2"` and the legacy `ENV k v`."""
    words = instruction.words
    return {words[i]: unquote(words[i + 1]) for i in range(0, len(words) - 1, 2)}


def arg_pairs(instruction: Instruction) -> dict[str, str]:
    """ARG name -> default ("" when the ARG has no default)."""
    out: dict[str, str] = {}
    for word in instruction.words:
        name, _, default = word.partition("=")
        out[name] = unquote(default)
    return out


def arg_has_default(instruction: Instruction, name: str) -> bool:
    """Whether `ARG name=…` gives a default (an `ARG name` alone does not)."""
    return any(word.partition("=")[0] == name and "=" in word for word in instruction.words)


def _instruction(command: _buildkit.Command) -> Instruction:
    keyword = command.cmd.upper()
    first_line = command.original.split("\n", 1)[0]
    args = first_line[len(command.cmd) :].strip()
    flags: dict[str, str] = {}
    for raw in command.flags:
        key, _, value = raw.partition("=")
        flags[key.lstrip("-").lower()] = value
    return Instruction(
        keyword=keyword,
        args=args,
        line=command.start_line,
        end_line=command.end_line,
        flags=flags,
        exec_form=list(command.value) if command.json else None,
        heredocs=tuple(Heredoc(h.name, h.content) for h in command.heredocs),
        words=tuple(command.value),
        raw_flags=tuple(command.flags),
        sub_keyword=command.sub_cmd.upper() if command.sub_cmd else None,
    )


def _looks_like_broken_json(instruction: Instruction) -> bool:
    if instruction.keyword not in ("CMD", "ENTRYPOINT", "RUN", "SHELL") or instruction.exec_form:
        return False
    text = " ".join(instruction.words).strip()
    if not text.startswith("["):
        return False
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


def _stage_from(index: int, instructions: list[Instruction]) -> Stage:
    head = instructions[0]
    words = list(head.words)
    base = words[0] if words else ""
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    return Stage(
        index=index, name=name, base=base, instructions=tuple(instructions), line=head.line
    )


def parse_dockerfile(text: str) -> Dockerfile:
    """Parse `text`; never raises. Unparsable input gives no stages and at least one error."""
    return _parse_cached(text)


@lru_cache(maxsize=32)
def _parse_cached(text: str) -> Dockerfile:
    errors: list[ParseError] = []
    if "\x00" in text:
        errors.append(ParseError("the file contains NUL bytes; it is not a text Dockerfile"))
        text = text.replace("\x00", "")
    try:
        commands = _buildkit.parse_string(text)
    except _buildkit.GoParseError as exc:
        # BuildKit's message has no line number; say where the input stops being parsable.
        errors.append(ParseError(f"BuildKit cannot parse this Dockerfile: {exc}"))
        return Dockerfile(stages=(), global_args=(), errors=tuple(errors))
    except Exception as exc:  # the native parser must never take the checks down with it
        errors.append(ParseError(f"the Dockerfile could not be read: {type(exc).__name__}"))
        return Dockerfile(stages=(), global_args=(), errors=tuple(errors))

    # BuildKit yields a command without a keyword for a line that is only a continuation (`\`).
    instructions = [_instruction(c) for c in commands if c.cmd]
    global_args: list[Instruction] = []
    stages: list[Stage] = []
    current: list[Instruction] | None = None
    for ins in instructions:
        if ins.keyword not in KNOWN_KEYWORDS:
            errors.append(ParseError(f"unknown instruction: {ins.keyword}", ins.line))
        elif _looks_like_broken_json(ins):
            errors.append(
                ParseError(
                    f"{ins.keyword} starts like a JSON array but is not valid JSON, so Docker "
                    'runs it as a shell command; write it as ["prog", "arg"] with double quotes',
                    ins.line,
                )
            )
        if ins.keyword == "FROM":
            if current is not None:
                stages.append(_stage_from(len(stages), current))
            current = [ins]
            if not ins.words:
                errors.append(ParseError("FROM needs an image name", ins.line))
        elif current is None:
            if ins.keyword == "ARG":
                global_args.append(ins)
            elif ins.keyword in KNOWN_KEYWORDS:
                errors.append(
                    ParseError(
                        f"{ins.keyword} before the first FROM (only ARG may come first)", ins.line
                    )
                )
        else:
            current.append(ins)
    if current is not None:
        stages.append(_stage_from(len(stages), current))
    if not stages and not errors:
        errors.append(ParseError("no FROM instruction: there is no base image to build on"))
    return Dockerfile(
        stages=tuple(stages),
        global_args=tuple(global_args),
        errors=tuple(errors),
        instructions=tuple(instructions),
    )
