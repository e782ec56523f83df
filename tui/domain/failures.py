"""Explain a failed Space build or start: one sentence, the lines that matter, and the check ids.

The rules are the exact failure texts collected from real Space logs (tests/fixtures/logs and its
error-texts.md): uv not installed or without a venv, pip's ResolutionImpossible, apt's "no installation candidate",
COPY checksum errors, OOM kills, the 30-minute start-up timeout, npm ERESOLVE, wheels that do not
build on a new Python, registry push 401s, permission denied on scripts, loopback listeners and
Python tracebacks. A log nothing matches still gets its first error-looking lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tui.domain.error_line import is_error_line
from tui.domain.sanitize import for_terminal, strip_ansi
from tui.domain.wording import counted

MAX_LINES = 8
MAX_LINE_CHARS = 300


@dataclass(frozen=True)
class FailureExplanation:
    """Why a Space failed, for people: a sentence, log lines, catalogue ids and a fix hint."""

    summary: str
    lines: tuple[str, ...]
    check_ids: tuple[str, ...]
    hint: str | None


@dataclass(frozen=True)
class _Log:
    """The lines of one failure: build log, run log and the runtime's error message together."""

    stage: str
    lines: tuple[str, ...]
    app_port: int = 7860

    def find(self, pattern: re.Pattern[str]) -> tuple[int, re.Match[str]] | None:
        for index, line in enumerate(self.lines):
            match = pattern.search(line)
            if match:
                return index, match
        return None

    def find_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        return [m for line in self.lines if (m := pattern.search(line))]

    def around(self, index: int, before: int = 0, after: int = 3) -> tuple[str, ...]:
        chunk = self.lines[max(0, index - before) : index + after + 1]
        return tuple(line for line in chunk if line.strip())


Rule = Callable[[_Log], FailureExplanation | None]


def _clip(lines: Sequence[str]) -> tuple[str, ...]:
    """At most MAX_LINES distinct lines (crash logs repeat the same traceback), each shortened."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip("\r\n")
        line = line if len(line) <= MAX_LINE_CHARS else line[: MAX_LINE_CHARS - 1] + "…"
        if line not in out:
            out.append(line)
    return tuple(out[:MAX_LINES])


def _explanation(
    summary: str, lines: Sequence[str], ids: Sequence[str], hint: str | None
) -> FailureExplanation:
    # Build logs echo commands and URLs, which may carry a token: never pass one on (redacted
    # before lines are cut, so no cut leaves half a token).
    return FailureExplanation(
        for_terminal(summary), _clip([for_terminal(line) for line in lines]), tuple(ids), hint
    )


def _rule(
    pattern: str,
    summary: str,
    ids: Sequence[str],
    hint: str | None,
    *,
    before: int = 0,
    after: int = 2,
    flags: int = 0,
) -> Rule:
    compiled = re.compile(pattern, flags)

    def rule(log: _Log) -> FailureExplanation | None:
        found = log.find(compiled)
        if found is None:
            return None
        index, match = found
        return _explanation(
            summary.format(*match.groups()), log.around(index, before, after), ids, hint
        )

    return rule


_LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
_FAILED_STEP = re.compile(
    r'ERROR: process "(?:/bin/sh -c )?(.*)" did not complete successfully: exit code: (\d+)'
)
_PY_VERSION = re.compile(r"(?:python|cp)3\.?(1[3-9])")


def _uv_no_venv(log: _Log) -> FailureExplanation | None:
    found = log.find(re.compile(r"No virtual environment found"))
    if not found:
        return None
    return _explanation(
        "uv pip install ran without --system and without a virtual environment, so it had "
        "nowhere to install.",
        [*log.around(found[0], 0, 1), *_failed_step_line(log)],
        ("DOCKER012",),
        "Write RUN uv pip install --system --no-cache -r requirements.txt (as root, before USER), "
        "or create a venv with uv venv and put its bin on PATH.",
    )


def _uv_not_installed(log: _Log) -> FailureExplanation | None:
    # dash (Debian, python:*-slim) says `/bin/sh: 1: uv: not found`, busybox `/bin/sh: uv: not found`.
    found = log.find(
        re.compile(r"(?:/bin/)?(?:ba)?sh: (?:(?:line )?\d+: )?(\S*\buvx?): (?:command )?not found")
    )
    if not found:
        return None
    return _explanation(
        f"The build ran {found[1].group(1)}, but uv is not installed in the image, so the shell "
        "could not find it (exit code 127).",
        [*log.around(found[0], 0, 0), *_failed_step_line(log)],
        ("DOCKER012",),
        "Install uv before using it: COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/ (or "
        "RUN pip install uv), or install with pip instead.",
    )


def _site_packages_denied(log: _Log) -> FailureExplanation | None:
    found = log.find(
        re.compile(
            r"failed to create directory `?/usr/.*site-packages.*|Permission denied \(os error 13\)"
        )
    )
    if not found:
        return None
    return _explanation(
        "The package install ran as the non-root user and could not write to the system "
        "site-packages (Permission denied).",
        [*log.around(found[0], 1, 1), *_failed_step_line(log)],
        ("DOCKER012", "DOCKER009"),
        "Install packages before USER (as root), or into a venv owned by the user.",
    )


def _resolution_impossible(log: _Log) -> FailureExplanation | None:
    found = log.find(
        re.compile(
            r"ResolutionImpossible|Cannot install .* because these package versions have conflicting"
        )
    )
    if not found:
        return None
    clash = log.find(
        re.compile(
            r"Cannot install (\S+) and (\S+) because these package versions have conflicting"
        )
    )
    if clash:
        a, b = clash[1].groups()
        if a.split("==")[0].lower().startswith("gradio") or b.split("==")[0].lower().startswith(
            "gradio"
        ):
            return _explanation(
                f"pip cannot install both {a} and {b}: requirements.txt pins a Gradio version "
                "that disagrees with sdk_version in README.md.",
                log.around(clash[0], 0, 4),
                ("GRADIO003", "DEPS001"),
                "Remove the gradio pin from requirements.txt, or set sdk_version to the version you need.",
            )
        return _explanation(
            f"pip cannot install both {a} and {b}: the pinned versions conflict.",
            log.around(clash[0], 0, 4),
            ("DEPS001",),
            "Loosen one of the pins in requirements.txt.",
        )
    requested = log.find_all(re.compile(r"The user requested (\S+)"))
    depends = log.find_all(re.compile(r"^\s*(\S+) [\d.]+\S* depends on (\S+)"))
    detail = ""
    if requested and depends:
        detail = (
            f": requirements.txt pins {requested[-1].group(1)}, but {depends[-1].group(1)} "
            f"needs {depends[-1].group(2)}"
        )
    lines = [line for line in log.lines if "The user requested" in line or "depends on" in line][
        -2:
    ]
    return _explanation(
        f"pip could not resolve the requirements{detail}.",
        [*lines, log.lines[found[0]]],
        ("DEPS001",),
        "Loosen or update the conflicting pin in requirements.txt so one version satisfies everyone.",
    )


def _apt_missing_package(log: _Log) -> FailureExplanation | None:
    found = log.find(
        re.compile(
            r"E: (?:Package '([^']+)' has no installation candidate|Unable to locate package (\S+))"
        )
    )
    if not found:
        return None
    index, match = found
    package = match.group(1) or match.group(2)
    hint = f"Remove {package} or replace it with its current name in the Dockerfile / packages.txt."
    if package == "libgl1-mesa-glx":
        hint = "libgl1-mesa-glx is gone from Debian trixie: install libgl1 instead (or pin a bookworm base)."
    return _explanation(
        f"apt-get could not install {package}: the package does not exist in the base image's "
        "distribution release.",
        [log.lines[index], *_failed_step_line(log)],
        ("DOCKER015", "DEPS003"),
        hint,
    )


def _failed_step_line(log: _Log) -> list[str]:
    found = log.find(_FAILED_STEP)
    return [log.lines[found[0]]] if found else []


def _copy_missing(log: _Log) -> FailureExplanation | None:
    found = log.find(
        re.compile(
            r"failed to calculate checksum of ref|failed to compute cache key|\"(/[^\"]+)\": not found"
        )
    )
    if not found:
        return None
    index = found[0]
    copy_line = next(
        (
            log.lines[i]
            for i in range(index, -1, -1)
            if re.match(r"\s*--> (COPY|ADD) ", log.lines[i])
        ),
        None,
    )
    source = ""
    if copy_line:
        words = copy_line.split("#", 1)[0].split()
        sources = [w for w in words[2:-1] if not w.startswith("--")]
        source = f" ({' '.join(sources)})" if sources else ""
    return _explanation(
        f"A COPY/ADD source{source} is not in the uploaded files, so the build context has nothing to copy.",
        [line for line in (copy_line, log.lines[index]) if line],
        ("DOCKER021", "IGNORE002", "IGNORE003", "IGNORE004"),
        "Upload the file (check .hfignore, a root .gitignore and .dockerignore) or fix the COPY path.",
    )


def _oom(log: _Log) -> FailureExplanation | None:
    found = log.find(
        re.compile(
            r"(?:exit code:? 137\b)|Memory limit exceeded|\bOOMKilled\b|Killed$", re.IGNORECASE
        )
    )
    if not found:
        return None
    if log.stage.upper() == "BUILD_ERROR" or "Job failed" in log.lines[found[0]]:
        summary = "The build was killed with exit code 137, most likely out of memory."
        hint = "Build lighter (fewer parallel jobs, prebuilt wheels) or move heavy steps out of the build."
    else:
        summary = "The app ran out of memory and was killed."
        hint = "Load smaller models, or choose more hardware (cpu-basic has 16 GB)."
    return _explanation(summary, log.around(found[0], 0, 0), ("FLOW004",), hint)


_LISTENER = re.compile(
    r"(?:running on|listening at:?|URL:?)\s+(?:local URL:\s+)?https?://([\w.\-\[\]:]+?):(\d+)",
    re.IGNORECASE,
)


def _startup_timeout(log: _Log) -> FailureExplanation | None:
    found = log.find(re.compile(r"not healthy after (\d+) ?min", re.IGNORECASE))
    if not found:
        return None
    minutes = counted(int(found[1].group(1)), "minute")  # "1 minute", not "1 minutes"
    ids = ("DOCKER018", "DOCKER019", "README009", "README018")
    listener = log.find(_LISTENER)
    if listener is not None:
        host, port = listener[1].group(1), int(listener[1].group(2))
        if host in _LOOPBACK or port != log.app_port:
            return _explanation(
                f"The app listens on {host}:{port}, but the Hub checks 0.0.0.0:{log.app_port} "
                f"(app_port), so it was never seen healthy within {minutes}.",
                [log.lines[listener[0]], log.lines[found[0]]],
                ids,
                f"Listen on 0.0.0.0:{log.app_port} (e.g. --host 0.0.0.0 --port {log.app_port}), "
                f"or set app_port: {port} in README.md if that port is intended.",
            )
    return _explanation(
        f"The app never answered on app_port within {minutes}: it listens on "
        "another port or on 127.0.0.1, or its start-up (model downloads) is too slow.",
        log.around(found[0], 0, 0),
        ids,
        "Listen on 0.0.0.0 at app_port, and raise startup_duration_timeout if loading really takes long.",
    )


def _loopback_listener(log: _Log) -> FailureExplanation | None:
    for line in log.lines:
        match = _LISTENER.search(line)
        if match and match.group(1) in _LOOPBACK:
            return _explanation(
                f"The app listens on {match.group(1)}, which only the container itself can reach, "
                "so the Hub's health check never gets an answer.",
                [line],
                ("DOCKER018",),
                f"Bind to 0.0.0.0 at app_port, e.g. --host 0.0.0.0 --port {log.app_port}.",
            )
    return None


def _wheel_build(log: _Log) -> FailureExplanation | None:
    found = log.find(re.compile(r"Failed to build (?:installable wheels|([\w.-]+))"))
    if not found:
        return None
    named = log.find(re.compile(r"Failed to build ([\w.-]+)$")) or log.find(
        re.compile(r"╰─> ([\w.-]+)")
    )
    package = named[1].group(1) if named and named[1].group(1) != "installable" else "a package"
    versions = log.find_all(_PY_VERSION)
    newer = f" on Python 3.{versions[-1].group(1)}" if versions else ""
    index = named[0] if named else found[0]
    return _explanation(
        f"pip had to compile {package} from source{newer} and failed: the pinned version has no "
        "wheel for this Python.",
        [*log.around(index, 1, 2), *_failed_step_line(log)],
        ("README011", "DOCKER003"),
        'Use Python 3.12 (python_version: "3.12" or FROM python:3.12-slim) or upgrade the pin.',
    )


def _removed_stdlib(log: _Log) -> FailureExplanation | None:
    found = log.find(
        re.compile(
            r"No module named '(audioop|imghdr|cgi|cgitb|crypt|pipes|telnetlib|distutils|asynchat|asyncore|smtpd|imp)'"
        )
    )
    if not found:
        return None
    module = found[1].group(1)
    return _explanation(
        f"The code imports {module}, which newer Python versions removed from the standard "
        "library: the Space runs a newer Python than the code supports.",
        log.around(found[0], 2, 0),
        ("README011", "DOCKER003"),
        'Pin Python 3.12 (python_version: "3.12" or FROM python:3.12-slim), or install the backport.',
    )


def _module_not_found(log: _Log) -> FailureExplanation | None:
    found = log.find(re.compile(r"ModuleNotFoundError: No module named '([^']+)'"))
    if not found:
        return None
    module = found[1].group(1).split(".")[0]
    ids = ["DEPS001"]
    if any("Defaulting to user installation" in line for line in log.lines):
        ids += ["DOCKER011", "DOCKER009"]
    return _explanation(
        f"The app imports {module}, but it is not installed in the image.",
        _traceback_lines(log, found[0]),
        ids,
        f"Add the package that provides {module} to requirements.txt (and make sure the Dockerfile installs it).",
    )


def _traceback_lines(log: _Log, index: int) -> list[str]:
    start = next((i for i in range(index, -1, -1) if "Traceback" in log.lines[i]), index)
    frames = [line for line in log.lines[start:index] if line.strip().startswith("File ")]
    return [log.lines[start], *frames[-2:], log.lines[index]]


def _generic_build_step(log: _Log) -> FailureExplanation | None:
    found = log.find(_FAILED_STEP)
    if not found:
        return None
    index, match = found
    command = re.sub(r"\s+", " ", match.group(1).replace('\\"', '"')).strip()
    short = command if len(command) <= 80 else command[:79] + "…"
    errors = _error_lines(log.lines[:index])
    return _explanation(
        f"The build step `{short}` failed with exit code {match.group(2)}.",
        [*errors[-(MAX_LINES - 1) :], log.lines[index]],
        (),
        None,
    )


def _python_traceback(log: _Log) -> FailureExplanation | None:
    pattern = re.compile(r"^(?:\w+\.)*(\w+(?:Error|Exception|Exit|Interrupt)): (.*)$")
    matches = [(i, m) for i, line in enumerate(log.lines) if (m := pattern.match(line.strip()))]
    if not matches or not any(line.startswith("Traceback") for line in log.lines):
        return None
    index, match = matches[-1]
    ids: tuple[str, ...] = ()
    hint = None
    message = match.group(2)
    if match.group(1) == "PermissionError":
        ids = ("DOCKER004", "DOCKER009", "DOCKER010")
        hint = "Run as a uid 1000 user with HOME=/home/user, and keep caches and data under $HOME."
    elif re.search(r"\b40[134]\b.*(?:huggingface\.co|hf\.co)", message + " ".join(log.lines)):
        ids = ("README020",)
        hint = "Check the model/dataset id, and add HF_TOKEN as a Space secret if the repo is gated or private."
    return _explanation(
        f"The app crashed at start with {match.group(1)}: {message[:160]}",
        _traceback_lines(log, index),
        ids,
        hint,
    )


def _error_lines(lines: Sequence[str]) -> list[str]:
    return [line for line in lines if is_error_line(line)]


_RULES: tuple[Rule, ...] = (
    _uv_not_installed,
    _uv_no_venv,
    _rule(
        r"UID (\d+) is not unique",
        "useradd failed: uid {0} already belongs to a user of the base image.",
        ("DOCKER004",),
        "Reuse the base image's uid 1000 user (node, ubuntu) or userdel it before useradd.",
    ),
    _rule(
        r"unable to find user ([\w.-]+)",
        "The build switched to user {0}, which was never created.",
        ("DOCKER006",),
        "Add RUN useradd -m -u 1000 user before USER / --chown.",
    ),
    _rule(
        r"Do you want to continue\? \[Y/n\] Abort",
        "apt-get install waited for a yes/no answer and aborted.",
        ("DOCKER014",),
        "Add -y: RUN apt-get update && apt-get install -y <packages>.",
        before=1,
    ),
    _apt_missing_package,
    _copy_missing,
    _rule(
        r"Could not open requirements file: .*No such file or directory: '([^']+)'",
        "pip could not open {0}: it was not copied into the image before the install step.",
        ("DOCKER021", "DEPS001"),
        "COPY the requirements file before RUN pip install -r, with the same path.",
    ),
    _rule(
        r"dockerfile parse error|unknown instruction|no build stage in current context",
        "BuildKit could not parse the Dockerfile.",
        ("DOCKER002",),
        "Fix the Dockerfile syntax; spacetui check names the line.",
    ),
    _rule(
        r"can't open file '([^']+)': \[Errno 2\]",
        "The start command runs {0}, which is not in the image.",
        ("DOCKER021", "IGNORE002", "IGNORE004"),
        "Check that the app file is uploaded and COPYed to the path CMD uses (and not in .dockerignore).",
    ),
    _site_packages_denied,
    _resolution_impossible,
    _rule(
        r"\bERESOLVE\b|Conflicting peer dependency",
        "npm could not resolve the peer dependencies of package.json (ERESOLVE).",
        (),
        "Fix the conflicting versions in package.json, or use npm install --legacy-peer-deps.",
        after=4,
    ),
    _rule(
        r"gyp ERR! (?:build error|stack|not ok)|node-gyp",
        "A native npm module failed to compile (node-gyp) during the build.",
        (),
        "Install the build tools first (python3, make, g++; build-base on Alpine) or use a non-Alpine Node image.",
        after=1,
    ),
    _wheel_build,
    _rule(
        r"failed to push .*?(\d{3} \w+)",
        "The image was built, but the Hub's registry refused the push ({0}): a platform problem, not your code.",
        (),
        "Try again later with a factory rebuild of the Space.",
    ),
    _rule(
        r"bad interpreter|/bin/(?:ba)?sh\^M|\$'\\r': command not found",
        "A shell script has Windows (CRLF) line endings.",
        ("DOCKER026",),
        "Convert the script to LF line endings (dos2unix) before uploading.",
    ),
    _rule(
        # `(?<!\S)`: the match is the same (it starts where the word does), but a long word is
        # not rescanned from each of its letters (0.2 s on one 12,000-letter line).
        r"(?:exec:? \"?([^\"\s]+)\"?: permission denied|(?<!\S)(\S+\.sh): Permission denied)",
        "A script could not be executed: it lost its executable bit in the upload.",
        ("DOCKER025",),
        "Add RUN chmod +x <script> or start it with bash <script>.",
    ),
    _rule(
        r"exec: \"?([^\"\s]+)\"?: executable file not found in \$PATH",
        "The start command {0} was not found on PATH: it was installed somewhere the runtime user's PATH does not include.",
        ("DOCKER009", "DOCKER012"),
        "Add ENV PATH=/home/user/.local/bin:$PATH (or the venv's bin), or start it with python -m.",
    ),
    _rule(
        r"Address already in use|error while attempting to bind on address",
        "The app could not bind its port: another process already listens on it.",
        ("DOCKER018", "DOCKER027"),
        "Start one server on app_port; put other services on other ports behind it.",
    ),
    _oom,
    _startup_timeout,
    _rule(
        r"Scheduling failure: (.*)",
        "The Hub could not schedule the Space ({0}): no hardware was available.",
        ("FLOW004",),
        "Retry later, or pick another hardware flavor.",
    ),
    _rule(
        r"Workload evicted, storage limit exceeded \(([^)]*)\)",
        "The Space wrote more than its {0} of ephemeral disk and was evicted.",
        ("FLOW004",),
        "Keep downloads and caches small, or store data in a bucket or repo instead.",
    ),
    _rule(
        r"Missing configuration in README",
        "The Hub found no usable front matter in README.md.",
        ("README001", "README002", "README003"),
        "Start README.md with a --- YAML block that sets sdk (run spacetui check).",
    ),
    _rule(
        r"missing an app file|No application file",
        "The Space has no app file to run.",
        ("README012", "GRADIO001", "DOCKER001"),
        "Add app.py (Gradio), index.html (static) or a Dockerfile (Docker), or set app_file.",
    ),
    _rule(
        r"application does not seem to be initialized",
        "The app exited without starting a server (no launch()).",
        ("GRADIO004",),
        "Call demo.launch() at the end of app.py.",
    ),
    _rule(
        r"spaces/zero/|startup[_-]report",
        "ZeroGPU could not register the app at start (a platform time-out).",
        ("GRADIO005",),
        "Restart the Space; if it repeats, check the ZeroGPU Python/torch requirements.",
    ),
    _removed_stdlib,
    _module_not_found,
    _loopback_listener,
    _python_traceback,
    _generic_build_step,
)


def explain_failure(
    stage: str,
    build_log: Sequence[str],
    run_log: Sequence[str] = (),
    error_message: str | None = None,
    *,
    app_port: int = 7860,
) -> FailureExplanation:
    """Why a Space ended in `stage` (BUILD_ERROR, RUNTIME_ERROR…), from its logs and error message.

    Lines come back as plain text (escape sequences removed) but are otherwise the log's own
    words; `app_port` (the card's) lets a listener on another port be named as the cause.
    """
    texts = [*(error_message.splitlines() if error_message else []), *build_log, *run_log]
    lines = tuple(strip_ansi(line) for chunk in texts for line in str(chunk).splitlines() or [""])
    log = _Log(stage=stage or "", lines=lines, app_port=app_port)
    for rule in _RULES:
        explanation = rule(log)
        if explanation is not None:
            return explanation
    return _unknown(log)


def _unknown(log: _Log) -> FailureExplanation:
    errors = _error_lines(log.lines)
    what = {
        "BUILD_ERROR": "The build failed",
        "RUNTIME_ERROR": "The app failed at run time",
        "CONFIG_ERROR": "The Space configuration was rejected",
        "NO_APP_FILE": "The Space has no app file",
    }.get(log.stage.upper(), f"The Space ended in {log.stage or 'an error'}")
    if errors:
        return _explanation(
            f"{what}; these are the first error lines of the log.", errors, (), None
        )
    tail = [line for line in log.lines if line.strip()][-3:]
    return _explanation(
        f"{what}, and the log shows no error line (it may be cut short).",
        tail,
        (),
        "Open the full build or run log for the last lines before it stopped.",
    )
