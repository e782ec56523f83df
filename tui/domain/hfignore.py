"""Gitignore-style ignore files (`.hfignore`, the Hub's server-side `.gitignore`) with line reasons.

Each line is compiled by pathspec's gitignore pattern class (`GitIgnoreSpecPattern`, the
translation behind `GitIgnoreSpec`), and pathspec's own `PathSpec.check_file` names the last line
matching a path. This module adds what a report needs on top of it: the last line matching the
path *itself* (pathspec also matches `build/a.txt` through its parent `build/`), and git's rule
that nothing below an excluded directory can be re-included by a later `!pattern` (git never
descends into an ignored directory). Matching runs on RE2 (linear time), so no line can make a
path take exponential time (`*a*a*a…*b`); the rare line RE2 refuses runs on `re`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import re2
from pathspec import PathSpec
from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

from tui._compat.pathspec import LINEAR_BACKEND, dir_mark_end


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


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # a refused pattern falls back to `re`; nothing for stderr


def _linear(pattern: GitIgnoreSpecPattern) -> Any | None:
    """The pattern's own regex compiled by RE2, or None for the rare text RE2 reads otherwise.

    pathspec writes `re` syntax; the one construct RE2 reads differently is `[:`…`:]` inside a
    set (a POSIX class for RE2, plain characters for `re`), so such a line stays on `re`.
    """
    assert pattern.regex is not None
    text = pattern.regex.pattern
    if "[:" in text or "[=" in text or "[." in text:
        return None
    try:
        return re2.compile(text, _RE2_OPTIONS)
    except re2.error:
        return None


def _is_floating(line: str) -> bool:
    """True for a pattern with no slash except a trailing one: git matches it against names."""
    body = line.strip().removeprefix("!").rstrip("/")
    return "/" not in body and "\\" not in body


#: Lone surrogates (`os.fsdecode` of a name that is not UTF-8) cannot be handed to RE2.
_SURROGATES = re.compile("[\ud800-\udfff]")
#: Their stand-in: a noncharacter, one character like them, that no `.hfignore` line names.
_STAND_IN = "\ufdd0"


def _for_re2(text: str) -> str:
    """`text` with each lone surrogate replaced by a stand-in of the same length."""
    return _SURROGATES.sub(_STAND_IN, text) if _SURROGATES.search(text) else text


class _Matcher:
    """Rules asked about one kind of text (a name, or a whole path), last matching rule first."""

    def __init__(self) -> None:
        self.linear: list[GitIgnoreSpecPattern] = []
        self.linear_rules: list[int] = []
        #: Rules RE2 reads otherwise, last first, with their `re` regex.
        self.fallback: list[tuple[int, re.Pattern[str]]] = []
        self.spec: PathSpec[GitIgnoreSpecPattern] | None = None

    def freeze(self) -> None:
        self.fallback.reverse()
        # A plain PathSpec (not GitIgnoreSpec): the last matching line wins; git's directory
        # rules are applied by IgnoreFile.
        if self.linear:
            self.spec = PathSpec(self.linear, backend=LINEAR_BACKEND)

    def last(self, text: str) -> int:
        """The index of the last rule matching `text` itself or through a parent, or -1."""
        last = -1
        if self.spec is not None:
            found = self.spec.check_file(text)
            if found.index is not None:
                last = self.linear_rules[found.index]
        for index, regex in self.fallback:
            if index <= last:
                break
            if regex.search(text) is not None:
                return index
        return last


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
        #: Per rule, the regex that tells whether it matches a text itself (RE2, else `re`).
        self._regexes: list[Any] = []
        #: Per rule, whether it is asked about the name (slash-less pattern) or the path.
        self._by_name: list[bool] = []
        self._names = _Matcher()
        self._paths = _Matcher()
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
            # git matches a slash-less pattern against the name alone, so pathspec is asked
            # about the name: `[!a]` then cannot match the slash of a parent.
            by_name = _is_floating(line)
            self._by_name.append(by_name)
            matcher = self._names if by_name else self._paths
            compiled = _linear(pattern)
            if compiled is None:
                self._regexes.append(pattern.regex)
                matcher.fallback.append((index, pattern.regex))
            else:
                self._regexes.append(compiled)
                matcher.linear.append(pattern)
                matcher.linear_rules.append(index)
        self.rules: tuple[IgnoreRule, ...] = tuple(rules)
        self._names.freeze()
        self._paths.freeze()
        self._dir_cache: dict[str, IgnoreRule | None] = {}

    @classmethod
    def from_text(cls, text: str, *, source: str) -> IgnoreFile:
        """Parse the text of an ignore file."""
        return cls(text.splitlines(), source=source)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def _matches_itself(self, index: int, text: str) -> bool:
        """Whether rule `index` matches `text` itself rather than one of its parent dirs."""
        regex = self._regexes[index]
        found = regex.search(text)
        return found is not None and dir_mark_end(found, regex.groupindex) in (-1, len(text))

    def match(self, path: str, *, is_dir: bool = False) -> IgnoreRule | None:
        """The last rule matching `path` itself (possibly a `!` rule), ignoring its parents.

        A pattern that only matches through a parent directory (`build/` against
        `build/a.txt`) does not count here: parents are judged on their own, by the walk or
        by `excludes_dir`, exactly as git judges a directory before looking inside it.
        """
        if not self.rules:
            return None
        whole = _for_re2(path + "/" if is_dir else path)
        name = whole[path.rfind("/") + 1 :]
        last = max(self._names.last(name), self._paths.last(whole))
        # Usually the last matching rule matches the path itself; otherwise search below it.
        for index in range(last, -1, -1):
            if self._matches_itself(index, name if self._by_name[index] else whole):
                return self.rules[index]
        return None

    def excludes(self, path: str, *, is_dir: bool = False) -> IgnoreRule | None:
        """The rule excluding `path` itself, or None when it is kept (parents not considered)."""
        rule = self.match(path, is_dir=is_dir)
        return rule if rule is not None and not rule.negated else None

    def excludes_dir(self, path: str) -> IgnoreRule | None:
        """The rule excluding directory `path` or one of its parents (cached), or None.

        A loop, not recursion: a tree thousands of folders deep must not overflow the stack.
        """
        unknown: list[str] = []
        known = path
        while known and known not in self._dir_cache:
            unknown.append(known)
            known = known.rpartition("/")[0]
        rule = self._dir_cache[known] if known else None
        for directory in reversed(unknown):
            if rule is None:
                rule = self.excludes(directory, is_dir=True)
            self._dir_cache[directory] = rule
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
