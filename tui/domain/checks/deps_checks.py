"""DEPS_CHECKS: requirements files parse (DEPS001), packages.txt is apt-ready (DEPS003), and a
Docker Space actually installs its dependency files (DEPS005).

Requirement lines are parsed with `packaging` (PEP 508, the library pip itself vendors); pip's
own options (`-r`, `-c`, `-e`, `--index-url`, `--hash`…) are handled here, as pip documents them.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_redact import redacted
from tui.domain.checks.findings import Finding, Severity

REQUIREMENTS = "requirements.txt"
PRE_REQUIREMENTS = "pre-requirements.txt"
PACKAGES = "packages.txt"

#: pip options valid on their own line in a requirements file (pip's `SUPPORTED_OPTIONS`).
_FILE_OPTIONS = frozenset(
    (
        "-i --index-url --extra-index-url --no-index -c --constraint -r --requirement -e "
        "--editable -f --find-links --no-binary --only-binary --prefer-binary --require-hashes "
        "--pre --trusted-host --use-feature"
    ).split()
)
#: Options that take no value.
_FLAG_OPTIONS = frozenset({"--no-index", "--prefer-binary", "--require-hashes", "--pre"})
#: Options allowed after a requirement on the same line.
_PER_REQUIREMENT = frozenset({"--hash", "--config-settings", "--global-option", "--install-option"})
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git\+|hg\+|svn\+|bzr\+)", re.IGNORECASE)
_ARCHIVE = re.compile(r"\.(?:whl|tar\.gz|tgz|tar\.bz2|zip)$", re.IGNORECASE)
_DEBIAN_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?(=\S+)?$")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, line) with `\\` continuations joined and comments removed, like pip."""
    buffer, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = number
        if raw.endswith("\\") and not raw.endswith("\\\\"):
            buffer += raw[:-1]
            continue
        line = buffer + raw
        buffer = ""
        line = re.sub(r"(^|\s+)#.*$", "", line).strip()
        if line:
            yield start, line
    if buffer.strip():
        yield start, buffer.strip()


def _local(base_dir: str, target: str) -> str:
    target = target.removeprefix("file://").removeprefix("file:")
    return (
        posixpath.normpath(posixpath.join(base_dir, target)).lstrip("./")
        if target not in (".", "./")
        else (base_dir or ".")
    )


def _exists(ctx: CheckContext, path: str) -> bool:
    path = posixpath.normpath(path)
    if path in (".", ""):
        return True
    return path in ctx.files or any(p.startswith(path + "/") for p in ctx.files)


def _is_project(ctx: CheckContext, path: str) -> bool:
    prefix = "" if posixpath.normpath(path) in (".", "") else posixpath.normpath(path) + "/"
    return any(prefix + name in ctx.files for name in ("pyproject.toml", "setup.py", "setup.cfg"))


def _check_local_target(
    ctx: CheckContext, file: str, line: int, target: str, editable: bool
) -> Finding | None:
    base = posixpath.dirname(file)
    target = target.split("#", 1)[0].split("[", 1)[0] if not _ARCHIVE.search(target) else target
    local = posixpath.normpath(
        posixpath.join(base, target.removeprefix("file://").removeprefix("file:"))
    )
    if local.startswith(".."):
        return Finding(
            "DEPS001",
            Severity.ERROR,
            f"{target} points outside the Space folder, which the build cannot see. "
            "Move the package into the Space or install it from an index or URL.",
            file,
            line,
        )
    if not _exists(ctx, local):
        why = f" ({ctx.excluded[local]})" if local in ctx.excluded else ""
        return Finding(
            "DEPS001",
            Severity.ERROR,
            f'{target} is not in the upload set{why}, so pip fails with "does not '
            'exist". Upload it, or install the package from PyPI instead.',
            file,
            line,
        )
    if not _ARCHIVE.search(local) and local not in ctx.files and not _is_project(ctx, local):
        what = "-e " if editable else ""
        return Finding(
            "DEPS001",
            Severity.ERROR,
            f"{what}{target} is a directory without pyproject.toml or setup.py, so pip "
            "cannot install it. Add the project file or drop the line.",
            file,
            line,
        )
    return None


def _check_requirement(ctx: CheckContext, file: str, line: int, text: str) -> Iterator[Finding]:
    words = text.split()
    # Options after a requirement (pip's break_args_options): per-requirement ones apply
    # (`pkg==1 --hash=sha256:…`); file-wide ones (`--extra-index-url …`) are parsed and ignored.
    for i, word in enumerate(words):
        option = word.split("=", 1)[0]
        if (
            i > 0
            and word.startswith("-")
            and (option in _PER_REQUIREMENT or option in _FILE_OPTIONS)
        ):
            text = " ".join(words[:i])
            ignored = sorted({w.split("=", 1)[0] for w in words[i:]} & _FILE_OPTIONS)
            if ignored:
                yield Finding(
                    "DEPS001",
                    Severity.INFO,
                    f"pip ignores {', '.join(ignored)} on a requirement line; put it on "
                    "a line of its own if it should apply.",
                    file,
                    line,
                )
            break
    if _URL.match(text):
        return
    target = text.split(";", 1)[0].strip()
    if text.startswith((".", "/", "file:")) or (_ARCHIVE.search(target) and "://" not in target):
        problem = _check_local_target(
            ctx, file, line, text.split(";", 1)[0].strip(), editable=False
        )
        if problem:
            yield problem
        return
    # Loaded here: a folder without requirements files never pays for packaging's parser.
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0]
        yield Finding(
            "DEPS001",
            Severity.ERROR,
            f"{text!r} is not a valid requirement ({reason}), so pip stops the build. "
            "Write one PEP 508 requirement per line, e.g. gradio==5.9.1 or "
            "torch>=2.3; comments start with #.",
            file,
            line,
        )


#: Byte-order marks pip's `auto_decode` honours, longest first (UTF-32 LE starts like UTF-16 LE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def pip_text(ctx: CheckContext, file: str) -> str | None:
    """A requirements file decoded the way pip reads it: a BOM picks the codec (so the UTF-16
    files PowerShell's `pip freeze > requirements.txt` writes are fine), else UTF-8."""
    text = ctx.read_text(file)
    if text is not None or file not in ctx.files:
        return text
    try:
        data = (ctx.root / file).read_bytes()[: ctx.max_text_bytes]
    except OSError:
        return None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def check_requirements_file(
    ctx: CheckContext, file: str, seen: set[str] | None = None
) -> Iterator[Finding]:
    """DEPS001 for one requirements file and the files it includes with -r/-c."""
    seen = seen if seen is not None else set()
    if file in seen:
        return
    seen.add(file)
    text = pip_text(ctx, file)
    if text is None:
        yield Finding(
            "DEPS001",
            Severity.ERROR,
            f"{file} is not text pip can decode (UTF-8, or UTF-16/32 with a byte-order "
            "mark); pip cannot read it. Save it as UTF-8.",
            file,
            None,
        )
        return
    base = posixpath.dirname(file)
    for number, line in _logical_lines(text):
        if not line.startswith("-"):
            yield from _check_requirement(ctx, file, number, line)
            continue
        option, _, value = (
            line.partition("=")
            if line.startswith("--") and "=" in line.split()[0]
            else line.partition(" ")
        )
        option, value = option.strip(), value.strip()
        if (
            len(option) > 2
            and not option.startswith("--")
            and option[:2] in ("-r", "-c", "-e", "-i", "-f")
        ):
            option, value = option[:2], option[2:] + (" " + value if value else "")
            value = value.strip()
        if option not in _FILE_OPTIONS:
            yield Finding(
                "DEPS001",
                Severity.ERROR,
                f"{option} is not an option pip accepts in a requirements file, so the "
                "install fails. Remove it (put install flags in the Dockerfile's pip "
                "install command instead).",
                file,
                number,
            )
            continue
        if option in _FLAG_OPTIONS:
            continue
        if not value:
            yield Finding("DEPS001", Severity.ERROR, f"{option} needs a value.", file, number)
            continue
        if option in ("-r", "--requirement", "-c", "--constraint"):
            if _URL.match(value):
                continue
            included = posixpath.normpath(posixpath.join(base, value))
            if included not in ctx.files:
                why = f" ({ctx.excluded[included]})" if included in ctx.excluded else ""
                yield Finding(
                    "DEPS001",
                    Severity.ERROR,
                    f"{option} {value}: {included} is not in the upload set{why}, so pip "
                    f'fails with "Could not open requirements file". Upload it or '
                    "remove the line.",
                    file,
                    number,
                )
            else:
                yield from check_requirements_file(ctx, included, seen)
        elif option in ("-e", "--editable"):
            if _URL.match(value):
                continue
            problem = _check_local_target(ctx, file, number, value, editable=True)
            if problem:
                yield problem


def _dockerfile_requirement_files(ctx: CheckContext) -> list[str]:
    """Requirements files the Dockerfile installs with `pip install -r X` (names as uploaded)."""
    text = ctx.read_text("Dockerfile") if "Dockerfile" in ctx.files else None
    if not text:
        return []
    names = re.findall(r"(?:-r|--requirement)[=\s]+\"?([^\s\"';&|]+)", text)
    out = []
    for name in names:
        candidates = [
            p
            for p in ctx.files
            if p == name.lstrip("./") or p.rsplit("/", 1)[-1] == name.rsplit("/", 1)[-1]
        ]
        out.extend(sorted(candidates, key=len)[:1])
    return out


def check_requirements(ctx: CheckContext) -> Iterable[Finding]:
    """DEPS001: requirements.txt (and files it or the Dockerfile includes) parse for pip."""
    if ctx.sdk == "static":
        return  # static Spaces install nothing (STATIC004 says so)
    seen: set[str] = set()
    files = [f for f in (PRE_REQUIREMENTS, REQUIREMENTS) if f in ctx.files]
    files += [f for f in _dockerfile_requirement_files(ctx) if f not in files]
    for file in files:
        yield from check_requirements_file(ctx, file, seen)


def check_packages_txt(ctx: CheckContext) -> Iterable[Finding]:
    """DEPS003: packages.txt holds Debian package names and nothing else.

    The Hub runs `xargs -r -a packages.txt apt-get install -y` (the Dockerfile it generates for
    an SDK Space says so), and xargs splits on blanks as well as newlines: several names on one
    line install fine. Each word is judged on its own.
    """
    if PACKAGES not in ctx.files or ctx.sdk == "static":
        return
    text = ctx.read_text(PACKAGES)
    if text is None:
        yield Finding(
            "DEPS003",
            Severity.ERROR,
            "packages.txt is not UTF-8 text; write one Debian package name per line.",
            PACKAGES,
            None,
        )
        return
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(" \t")
        if not line.strip():
            continue
        if line.endswith("\r"):
            problem = "has a Windows line ending (\\r), which apt reads as part of the name"
        elif line.startswith("#") or " #" in line:
            problem = "has a comment, whose words are passed to apt-get install as package names"
        elif "apt-get" in line or "apt " in line or line.startswith("apt"):
            problem = "contains a command; the file is only a list of names"
        elif line.startswith("-") or " -" in line:
            problem = "contains an option; apt-get install -y is added for you"
        elif not all(_DEBIAN_NAME.match(word) for word in line.split()):
            problem = "is not a Debian package name (lowercase letters, digits, + - .)"
        else:
            continue
        yield Finding(
            "DEPS003",
            Severity.ERROR,
            f'Line {number} of packages.txt {problem}, so the build fails with "Unable '
            'to locate package". List package names only, e.g. ffmpeg.',
            PACKAGES,
            number,
        )


def check_docker_dependency_files(ctx: CheckContext) -> Iterable[Finding]:
    """DEPS005: pre-requirements.txt is noted; a Docker Space installs its dependency files itself."""
    if PRE_REQUIREMENTS in ctx.files:
        yield Finding(
            "DEPS005",
            Severity.INFO,
            "pre-requirements.txt is installed before requirements.txt and is meant "
            "for bootstrap upgrades (pip, setuptools); keep real dependencies in "
            "requirements.txt.",
            PRE_REQUIREMENTS,
            None,
        )
    if ctx.sdk != "docker":
        return
    dockerfile = ctx.read_text("Dockerfile") if "Dockerfile" in ctx.files else None
    if dockerfile is None:
        return
    for name in (PRE_REQUIREMENTS, REQUIREMENTS, PACKAGES):
        if name not in ctx.files or name in dockerfile or _copied_wholesale(dockerfile, name):
            continue
        fix = (
            "RUN xargs -r -a packages.txt apt-get install -y --no-install-recommends"
            if name == PACKAGES
            else f"COPY {name} . and RUN pip install --no-cache-dir -r {name}"
        )
        other_way = name != PACKAGES and re.search(
            r"uv sync|poetry install|pip install[^\n]* \.(\s|$)|pyproject\.toml|environment\.ya?ml|"
            r"conda env|pipenv install",
            dockerfile,
        )
        yield Finding(
            "DEPS005",
            Severity.INFO if other_way else Severity.WARNING,
            f"{name} is not installed in a Docker Space unless the Dockerfile does it, "
            f"and this Dockerfile never mentions it. Add {fix}.",
            name,
            None,
        )


def _copied_wholesale(dockerfile: str, name: str) -> bool:
    """A `pip install -r` over a variable/glob could still cover it; only exact mentions count."""
    del dockerfile, name
    return False


Check = Callable[[CheckContext], Iterable[Finding]]

# Imported last: deps_known reads this module's pip_text and REQUIREMENTS.
from tui.domain.checks.deps_known import check_known_broken  # noqa: E402

DEPS_CHECKS: list[Check] = [
    redacted(check)
    for check in (
        check_requirements,
        check_packages_txt,
        check_docker_dependency_files,
        check_known_broken,
    )
]
