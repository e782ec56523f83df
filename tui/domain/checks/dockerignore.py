"""`.dockerignore` with Docker's own matching rules, and IGNORE004 (it hides a COPY source or the app).

Docker's rules differ from gitignore (so pathspec does not fit): patterns are anchored at the
context root (`*.pyc` matches only at the root; `**/*.pyc` everywhere), `*` and `?` never cross
`/`, `**` spans directories, a path is excluded when it *or one of its parent directories*
matches, `!` re-includes, and the last matching pattern wins. This is a port of
moby/patternmatcher (`compile`, `MatchesOrParentMatches`) and moby's `dockerignore.ReadAll`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import load, walk_stage
from tui.domain.checks.docker_copy import app_files, copy_sources, matches_source
from tui.domain.checks.findings import Finding, Severity

DOCKERIGNORE = ".dockerignore"


@dataclass(frozen=True)
class DockerIgnorePattern:
    """One cleaned pattern with its line in `.dockerignore`."""

    pattern: str
    exclusion: bool
    line: int
    regex: re.Pattern[str]


def _compile(pattern: str) -> re.Pattern[str]:
    """Go filepath.Match syntax plus `**`, as moby/patternmatcher compiles it."""
    out = ["^"]
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 2
                if i < n and pattern[i] == "/":
                    i += 1  # treat `**/` as `**`
                out.append(".*" if i >= n else "(.*/)?")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 1
        elif ch == "[":
            # Character classes pass through to the regex as moby does: Go negates with `^`
            # (not gitignore's `!`), ranges stay ranges.
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\").replace("[", "\\[")
                out.append("[" + body + "]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    out.append("$")
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error:
        return re.compile(re.escape(pattern) + "$")


class DockerIgnore:
    """The patterns of a `.dockerignore` and Docker's verdict on a path."""

    def __init__(
        self, patterns: list[DockerIgnorePattern], problems: list[tuple[int, str]] | None = None
    ) -> None:
        self.patterns = patterns
        #: (line, message) of lines that make `docker build` refuse the whole file.
        self.problems = problems or []

    @classmethod
    def from_text(cls, text: str) -> DockerIgnore:
        """Read `.dockerignore` text the way `docker build` does."""
        patterns = []
        problems: list[tuple[int, str]] = []
        for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
            if raw.startswith("#"):
                continue
            pattern = raw.strip()
            if not pattern:
                continue
            exclusion = pattern.startswith("!")
            if exclusion:
                pattern = pattern[1:].strip()
                if not pattern:
                    problems.append((number, 'illegal exclusion pattern: "!"'))
                    continue
            if pattern:
                pattern = posixpath.normpath(pattern)
                if len(pattern) > 1 and pattern.startswith("/"):
                    pattern = pattern.lstrip("/") or "/"
            patterns.append(DockerIgnorePattern(pattern, exclusion, number, _compile(pattern)))
        return cls(patterns, problems)

    def match(self, path: str) -> DockerIgnorePattern | None:
        """The last pattern that decides `path`, when the path ends up excluded; else None."""
        path = posixpath.normpath(path).lstrip("/")
        parents = path.split("/")[:-1]
        decided: DockerIgnorePattern | None = None
        for pattern in self.patterns:
            hit = bool(pattern.regex.match(path))
            if not hit and parents:
                hit = any(
                    pattern.regex.match("/".join(parents[: i + 1])) for i in range(len(parents))
                )
            if hit:
                decided = None if pattern.exclusion else pattern
        return decided

    def excludes(self, path: str) -> bool:
        """Whether `docker build` leaves `path` out of the build context."""
        return self.match(path) is not None


def load_dockerignore(ctx: CheckContext) -> DockerIgnore | None:
    """The uploaded `.dockerignore`, or None (only an uploaded one affects the Space's build)."""
    if DOCKERIGNORE not in ctx.files:
        return None
    text = ctx.read_text(DOCKERIGNORE)
    return DockerIgnore.from_text(text) if text is not None else None


def check_dockerignore(ctx: CheckContext) -> Iterable[Finding]:
    """IGNORE004: .dockerignore does not exclude a COPY/ADD source or the app file CMD runs."""
    df = load(ctx)
    ignore = load_dockerignore(ctx)
    if df is None or ignore is None:
        return
    for line, problem in ignore.problems:
        yield Finding(
            "IGNORE004",
            Severity.ERROR,
            f".dockerignore line {line}: {problem}, so docker build refuses the file and the build "
            "fails before any step. Remove the line or complete the pattern (e.g. !keep.txt).",
            DOCKERIGNORE,
            line,
        )
    for stage in df.stages:
        for ins, state in walk_stage(df, stage):
            for source in copy_sources(ins, state.env):
                files = [p for p in ctx.files if matches_source(source, p)]
                if not files:
                    continue  # DOCKER021 reports sources missing from the upload altogether
                kept = [p for p in files if not ignore.excludes(p)]
                if kept:
                    continue
                rule = ignore.match(files[0])
                where = f"line {rule.line} ({rule.pattern})" if rule else "its patterns"
                yield Finding(
                    "IGNORE004",
                    Severity.ERROR,
                    f"{ins.keyword} {source} (Dockerfile line {ins.line}) copies nothing: "
                    f".dockerignore {where} leaves it out of the build context, so the build "
                    f'fails with "not found". Add !{files[0]} to .dockerignore after that '
                    "line, or remove the pattern.",
                    DOCKERIGNORE,
                    rule.line if rule else None,
                )
    yield from _app_file_excluded(ctx, ignore)


def _app_file_excluded(ctx: CheckContext, ignore: DockerIgnore) -> Iterable[Finding]:
    for path, line in app_files(ctx):
        rule = ignore.match(path)
        if rule is not None:
            yield Finding(
                "IGNORE004",
                Severity.ERROR,
                f"The start command (Dockerfile line {line}) runs {path}, but .dockerignore line "
                f"{rule.line} ({rule.pattern}) leaves it out of the image: the app cannot start. "
                f"Add !{path} after that line.",
                DOCKERIGNORE,
                rule.line,
            )


DOCKERIGNORE_CHECKS = [check_dockerignore]
