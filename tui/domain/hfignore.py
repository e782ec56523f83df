"""Gitignore-style ignore files (`.hfignore`, the Hub's server-side `.gitignore`) with line reasons.

Each line is compiled by pathspec's gitignore pattern class (`GitIgnoreSpecPattern`, the
translation behind `GitIgnoreSpec`); this module adds what a report needs on top of it: which
line matched last, and git's rule that nothing below an excluded directory can be re-included by a
later `!pattern` (git never descends into an ignored directory).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

#: The regex group pathspec uses for "matched as a directory" (the slash after the name).
_DIR_MARK = "ps_d"


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """One non-blank, non-comment line of an ignore file."""

    source: str
    line: int
    pattern: str
    negated: bool

    def describe(self) -> str:
        """The human reason, e.g. `.hfignore line 3: *.log`."""
        return f"{self.source} line {self.line}: {self.pattern}"


def _spec_text(pattern: str) -> str:
    """The text pathspec compiles for `pattern`.

    pathspec lets `dir/**` match the directory `dir/` itself; git does not (only what is
    inside), which matters once directories are pruned. `dir/*` has git's meaning for
    directories and, with parent pruning, the same meaning for everything deeper.
    """
    if pattern.endswith("/**") and not pattern.endswith("\\/**") and len(pattern.lstrip("!/")) > 3:
        return pattern[:-1]
    return pattern


_FLOATING_PREFIX = "^(?:.+/)?"


def _is_floating(line: str) -> bool:
    """True for a pattern with no slash except a trailing one: git matches it against names."""
    body = line.strip().removeprefix("!").rstrip("/")
    return "/" not in body and "\\" not in body


def _anchored(text: str) -> str:
    """`text` made to work with `re.match` the way pathspec uses it with `re.search`.

    pathspec leaves a few special patterns unanchored (`*` is `.`, `*/` is `(?P<ps_d>/)`);
    a lazy prefix finds the same leftmost match.
    """
    return text if text.startswith("^") else f"^[\\s\\S]*?(?:{text})"


def _alternation(indexed: list[tuple[int, str]]) -> re.Pattern[str]:
    """One regex trying the given rules last-first; `lastgroup` names the rule that matched."""
    if not indexed:
        return re.compile("(?!)")
    return re.compile(
        "|".join(
            f"(?P<r{i}>{text.replace(f'(?P<{_DIR_MARK}>', f'(?P<d{i}>')})"
            for i, text in reversed(indexed)
        )
    )


class IgnoreFile:
    """A parsed ignore file; ask it whether a path is excluded and by which line."""

    def __init__(self, lines: Iterable[str], *, source: str) -> None:
        # `[[` in a user's pattern makes `re` warn about future nested sets: that is noise on
        # the user's terminal, not a problem of theirs.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            self._compile(lines, source)

    def _compile(self, lines: Iterable[str], source: str) -> None:
        self.source = source
        rules: list[IgnoreRule] = []
        regexes: list[re.Pattern[str]] = []
        by_name: list[tuple[int, str]] = []
        by_path: list[tuple[int, str]] = []
        for number, raw in enumerate(lines, start=1):
            line = raw.rstrip("\r\n")
            if number == 1:
                line = line.removeprefix("\ufeff")
            try:
                pattern = GitIgnoreSpecPattern(_spec_text(line))
            except (ValueError, TypeError, IndexError, re.error):
                # pathspec rejects a few degenerate lines (a lone "\\", a reversed range such
                # as "[z-a]"): git never matches them either.
                continue
            if pattern.include is None or pattern.regex is None:
                continue
            index = len(rules)
            rules.append(IgnoreRule(source, number, line.strip(), not pattern.include))
            text = _anchored(pattern.regex.pattern)
            regexes.append(re.compile(text))
            if _is_floating(line) and text.startswith(_FLOATING_PREFIX):
                by_name.append((index, "^" + text.removeprefix(_FLOATING_PREFIX)))
            else:
                by_path.append((index, text))
        self.rules: tuple[IgnoreRule, ...] = tuple(rules)
        self._regexes = regexes
        self._path_rules = [index for index, _ in by_path]
        # Two alternations (last rule first) find the last matching rule in one C-level call
        # each: slash-less patterns against the name only (cheap), the rest against the path.
        self._name_any = _alternation(by_name)
        self._path_any = _alternation(by_path)
        self._dir_cache: dict[str, IgnoreRule | None] = {}

    @classmethod
    def from_text(cls, text: str, *, source: str) -> IgnoreFile:
        """Parse the text of an ignore file."""
        return cls(text.splitlines(), source=source)

    def __bool__(self) -> bool:
        return bool(self.rules)

    @staticmethod
    def _is_self(found: re.Match[str], group: str, end: int) -> bool:
        """Whether `found` matched the candidate itself rather than one of its parent dirs."""
        return group not in found.re.groupindex or found.end(group) in (-1, end)

    def match(self, path: str, *, is_dir: bool = False) -> IgnoreRule | None:
        """The last rule matching `path` itself (possibly a `!` rule), ignoring its parents.

        A pattern that only matches through a parent directory (`build/` against
        `build/a.txt`) does not count here: parents are judged on their own, by the walk or
        by `excludes_dir`, exactly as git judges a directory before looking inside it.
        """
        if not self.rules:
            return None
        candidate = path + "/" if is_dir else path
        end = len(candidate)
        name = candidate[path.rfind("/") + 1 :]
        by_name = self._name_any.match(name)
        name_top = int(str(by_name.lastgroup)[1:]) if by_name else -1
        by_path = self._path_any.match(candidate)
        if by_path is None:
            return self.rules[name_top] if name_top >= 0 else None
        path_top = int(str(by_path.lastgroup)[1:])
        if path_top < name_top:
            return self.rules[name_top]
        if self._is_self(by_path, f"d{path_top}", end):
            return self.rules[path_top]
        # The best path rule matched only through a parent: look for an earlier one that
        # matches the candidate itself, down to the best name rule.
        for index in reversed(self._path_rules):
            if index >= path_top:
                continue
            if index < name_top:
                break
            found = self._regexes[index].match(candidate)
            if found is not None and self._is_self(found, _DIR_MARK, end):
                return self.rules[index]
        return self.rules[name_top] if name_top >= 0 else None

    def excludes(self, path: str, *, is_dir: bool = False) -> IgnoreRule | None:
        """The rule excluding `path` itself, or None when it is kept (parents not considered)."""
        rule = self.match(path, is_dir=is_dir)
        return rule if rule is not None and not rule.negated else None

    def excludes_dir(self, path: str) -> IgnoreRule | None:
        """The rule excluding directory `path` or one of its parents (cached), or None."""
        if path in self._dir_cache:
            return self._dir_cache[path]
        parent, _, _ = path.rpartition("/")
        rule = self.excludes_dir(parent) if parent else None
        if rule is None:
            rule = self.excludes(path, is_dir=True)
        self._dir_cache[path] = rule
        return rule

    def excludes_path(self, path: str) -> IgnoreRule | None:
        """The rule excluding file `path`, with git's parent-directory rule; None when kept."""
        if not self.rules:
            return None
        parent, _, _ = path.rpartition("/")
        if parent:
            rule = self.excludes_dir(parent)
            if rule is not None:
                return rule
        return self.excludes(path)
