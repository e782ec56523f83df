"""Split the shell text of RUN/CMD/ENTRYPOINT into simple commands the Docker checks can read.

Uses the standard library's `shlex` (POSIX quoting, punctuation-aware) rather than a home-made
tokenizer. It is not a shell: it only has to find commands like `pip install …` or `uvicorn …`
and their options, including inside `sh -c "…"` and after `VAR=x`, `exec`, `sudo` or `env`.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache

_SEPARATORS = frozenset({"&&", "||", ";", "|", "&", "(", ")", "{", "}", ";;", "|&", "!"})
_PUNCTUATION = frozenset(";&|()")
_PREFIXES = frozenset({"exec", "sudo", "nohup", "time", "command", "then", "do", "else", "if"})
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_SHELLS = frozenset({"sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/bash", "/usr/bin/env bash"})


@dataclass(frozen=True)
class ShellCommand:
    """One simple command: its argv and the `VAR=value` assignments written before it."""

    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    background: bool = False  # ended by a lone `&`: it runs beside what follows

    @property
    def program(self) -> str:
        """The program name without its directory (`/usr/local/bin/pip` -> `pip`)."""
        return self.argv[0].rsplit("/", 1)[-1] if self.argv else ""

    def has_option(self, *names: str) -> bool:
        """Whether any of `names` (`-y`, `--yes`, `--system`) is given, also as `--x=value`."""
        for arg in self.argv[1:]:
            if arg in names or arg.split("=", 1)[0] in names:
                return True
        return False

    def option_value(self, *names: str) -> str | None:
        """The value of the last `--name value`, `--name=value` or `-n value` option."""
        found = None
        args = self.argv[1:]
        for i, arg in enumerate(args):
            key, eq, value = arg.partition("=")
            if key in names:
                if eq:
                    found = value
                elif i + 1 < len(args):
                    found = args[i + 1]
            elif any(
                len(n) == 2
                and n.startswith("-")
                and arg.startswith(n)
                and len(arg) > 2
                and not arg.startswith("--")
                for n in names
            ):
                found = arg[2:]  # `-p8000` short form
        return found


def _tokens(script: str) -> list[str]:
    """Tokens of each logical line (so `#` comments end at the line), with `;` between lines."""
    tokens: list[str] = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()")
        lexer.whitespace_split = True
        try:
            tokens.extend(list(lexer))  # all or nothing: a ValueError drops the partial list
        except ValueError:
            # Unbalanced quotes: fall back to a whitespace split so the checks still see the words.
            tokens.extend(re.findall(r"&&|\|\||[;&|()]|[^\s;&|()]+", line.split(" #", 1)[0]))
        tokens.append(";")
    return tokens


def split_commands(script: str) -> list[ShellCommand]:
    """The simple commands of a shell script, in order; `sh -c "…"` bodies are expanded."""
    return list(_split_cached(script, 0))


@lru_cache(maxsize=512)
def _split_cached(script: str, _depth: int) -> tuple[ShellCommand, ...]:
    # Every check re-reads the same RUN lines; tokenizing once per distinct text is enough.
    commands: list[ShellCommand] = []
    current: list[str] = []

    def flush(background: bool = False) -> None:
        env: dict[str, str] = {}
        argv = list(current)
        current.clear()
        while argv and (argv[0] in _PREFIXES or _ASSIGNMENT.match(argv[0])):
            head = argv.pop(0)
            if _ASSIGNMENT.match(head):
                key, _, value = head.partition("=")
                env[key] = value
        if argv and argv[0].rsplit("/", 1)[-1] == "env":
            argv.pop(0)
            while argv and (argv[0].startswith("-") or _ASSIGNMENT.match(argv[0])):
                head = argv.pop(0)
                if _ASSIGNMENT.match(head):
                    key, _, value = head.partition("=")
                    env[key] = value
        if not argv:
            return
        if _depth < 3 and argv[0] in _SHELLS and "-c" in argv[1:]:
            index = argv.index("-c")
            if index + 1 < len(argv):
                inner = _split_cached(argv[index + 1], _depth + 1)
                commands.extend(
                    ShellCommand(c.argv, {**env, **c.env}, c.background or background)
                    for c in inner
                )
                return
        commands.append(ShellCommand(tuple(argv), env, background))

    for token in _tokens(script):
        if token in _SEPARATORS or set(token) <= _PUNCTUATION:
            flush(background=token == "&")
        else:
            current.append(token)
    flush()
    return tuple(commands)


def argv_commands(argv: list[str]) -> list[ShellCommand]:
    """Commands of an exec-form array: `["sh", "-c", "…"]` is expanded, else it is one command."""
    if not argv:
        return []
    if argv[0] in _SHELLS and "-c" in argv[1:]:
        index = argv.index("-c")
        if index + 1 < len(argv):
            return split_commands(argv[index + 1])
    return split_commands(shlex.join(argv))
