"""What a RUN step of a simulated build does: pip, uv, apt, npm and venvs, with their real output.

The runner tracks the image as it goes (user, venvs, installed packages, whether uv exists)
because whether a step fails depends on it: uv must be installed first (python:* images have
none: `/bin/sh: 1: uv: not found`, exit code 127), `uv pip install` needs a venv or `--system`,
and `--system` as a non-root user is denied. Durations are Hub-realistic seconds.
"""

from __future__ import annotations

import hashlib
import random
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui.emulator.life_dockerfile import Instruction
from tui.emulator.life_packages import (
    UV_NO_VENV,
    Requirement,
    apt_lines,
    parse_requirements,
    parse_spec,
    pip_install_lines,
    resolve,
    uv_install_lines,
    uv_installer_lines,
    uv_permission_lines,
)

# Packages pip compiles from source on a Space, with Hub-realistic compile times (seconds).
SLOW_WHEELS: dict[str, float] = {"flash-attn": 540.0}
_ROOT_USERS = ("", "root", "0", "0:0", "root:root")


@dataclass
class ImageFacts:
    """What the built image knows at run time: env, user, workdir, command, installed packages."""

    env: dict[str, str] = field(default_factory=dict)
    user: str = "root"
    workdir: str = "/"
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    python: str = "3.11.11"
    installed: set[str] = field(default_factory=set)
    venvs: set[str] = field(default_factory=set)
    has_uv: bool = False

    @property
    def argv(self) -> list[str]:
        return self.entrypoint + self.cmd


class StepFailed(Exception):
    """A RUN step failed: its output so far, the exit code, and BuildKit's error line."""

    def __init__(self, lines: list[str], exit_code: int, error: str) -> None:
        super().__init__(error)
        self.lines, self.exit_code, self.error = lines, exit_code, error


class StepRunner:
    """Runs the simple commands of a RUN step in order; the first failing one fails the step."""

    def __init__(self, files: Mapping[str, bytes], rng: random.Random) -> None:
        self.files = files
        self.rng = rng
        self._current_command = ""
        self._installed_uv = False  # a command of the current step installed uv for good

    def execute(self, step: Instruction, image: ImageFacts) -> tuple[list[str], float]:
        """Run the command's simulated parts in order; a failing part fails the whole step."""
        mounts = _mounts(step)
        command = step.shell_command()
        self._current_command = command
        output: list[str] = []
        duration = self.rng.uniform(0.1, 0.8)
        # `RUN --mount=from=ghcr.io/astral-sh/uv,…,target=/bin/uv`: uv exists for this step only.
        had_uv = image.has_uv
        image.has_uv = had_uv or _mounts_uv(step)
        self._installed_uv = False
        try:
            for words in _commands(command):
                lines, seconds = self._one(words, image, mounts, command)
                output += lines
                duration += seconds
        finally:
            image.has_uv = had_uv or self._installed_uv
        return output, duration

    def _fail(self, lines: list[str], command: str, exit_code: int) -> StepFailed:
        quoted = command.replace('"', '\\"')
        error = (
            f'process "/bin/sh -c {quoted}" did not complete successfully: exit code: {exit_code}'
        )
        return StepFailed(lines, exit_code, error)

    def _one(
        self, words: list[str], image: ImageFacts, mounts: dict[str, str], command: str
    ) -> tuple[list[str], float]:
        if not words:
            return [], 0.0
        head = words[0].rsplit("/", 1)[-1]
        env = image.env
        colour = env.get("FORCE_COLOR", "") not in ("", "0")
        non_root = image.user.split(":")[0] not in _ROOT_USERS
        if any("astral.sh/uv" in word for word in words):
            # curl/wget of uv's installer script; the `sh` it is piped into prints the rest.
            self._installed_uv = image.has_uv = True
            return uv_installer_lines(image.user), self.rng.uniform(1.5, 4.0)
        if head in ("uv", "uvx") and not image.has_uv:
            # dash (python:*-slim's /bin/sh) names the line of the -c script: always 1 here.
            raise self._fail([f"/bin/sh: 1: {words[0]}: not found"], command, 127)
        if head in ("pip", "pip3") and len(words) > 1 and words[1] == "install":
            return self._pip(words[2:], image, mounts, colour=colour, non_root=non_root)
        if head.startswith("python") and words[1:3] == ["-m", "pip"] and words[3:4] == ["install"]:
            return self._pip(words[4:], image, mounts, colour=colour, non_root=non_root)
        if head.startswith("python") and words[1:3] == ["-m", "venv"] and len(words) > 3:
            image.venvs.add(join_path(image.workdir, words[3]))
            return [], self.rng.uniform(2.0, 4.0)
        if head == "uv" and words[1:2] == ["venv"]:
            target = join_path(
                image.workdir,
                words[2] if len(words) > 2 and not words[2].startswith("-") else ".venv",
            )
            image.venvs.add(target)
            return [
                f"Using CPython {image.python} interpreter at: /usr/local/bin/python3",
                f"Creating virtual environment at: {words[2] if len(words) > 2 else '.venv'}",
                f"Activate with: source {words[2] if len(words) > 2 else '.venv'}/bin/activate",
            ], self.rng.uniform(0.2, 0.6)
        if head == "uv" and words[1:3] == ["pip", "install"]:
            return self._uv_pip(words[3:], image, mounts, command, non_root=non_root)
        if head == "uv" and words[1:2] == ["sync"]:
            image.venvs.add(join_path(image.workdir, ".venv"))
            requested = _pyproject_requirements(self.files)
            image.installed |= {req.name for req, _ in resolve(requested)}
            return [
                f"Using CPython {image.python} interpreter at: /usr/local/bin/python3",
                "Creating virtual environment at: .venv",
                *uv_install_lines(requested, environment=".venv", python=image.python)[1:],
            ], 2.0 + 0.2 * len(requested)
        if head in ("apt-get", "apt") and len(words) > 1:
            return self._apt(words, command)
        if (
            head in ("npm", "yarn", "pnpm")
            and len(words) > 1
            and words[1] in ("install", "ci", "i")
        ):
            count = 120 + self.rng.randrange(300)
            return [
                f"added {count} packages, and audited {count + 1} packages in {self.rng.randrange(4, 30)}s",
                "",
                f"{count // 10} packages are looking for funding",
                "  run `npm fund` for details",
                "",
                "found 0 vulnerabilities",
            ], self.rng.uniform(5.0, 25.0)
        return [], self.rng.uniform(0.1, 1.5)

    def _requested(self, args: list[str], mounts: dict[str, str]) -> list[Requirement]:
        requested: list[Requirement] = []
        skip_next = False
        for index, word in enumerate(args):
            if skip_next:
                skip_next = False
                continue
            if word in ("-r", "--requirement") and index + 1 < len(args):
                requested += self._requirements_file(args[index + 1], mounts)
                skip_next = True
            elif word.startswith("-r") and len(word) > 2:
                requested += self._requirements_file(word[2:], mounts)
            elif word in (
                "-c",
                "--constraint",
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--python",
                "-p",
                "--target",
                "--prefix",
            ):
                skip_next = True
            elif not word.startswith("-") and word not in (".", "-e"):
                req = parse_spec(word)
                if req is not None:
                    requested.append(req)
        return requested

    def _requirements_file(self, path: str, mounts: dict[str, str]) -> list[Requirement]:
        source = mounts.get(path, path)
        name = source.lstrip("./")
        raw = self.files.get(name) or self.files.get(name.rsplit("/", 1)[-1])
        if raw is None:
            message = f"ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{path}'"
            raise self._fail([message], self._current_command, 1)
        return parse_requirements(raw.decode("utf-8", errors="replace"), path)

    def _pip(
        self,
        args: list[str],
        image: ImageFacts,
        mounts: dict[str, str],
        *,
        colour: bool,
        non_root: bool,
    ) -> tuple[list[str], float]:
        requested = self._requested(args, mounts)
        if not requested:
            return [
                f"Requirement already satisfied: pip in /usr/local/lib/python{image.python[:4]}/site-packages (24.0)"
            ], 1.0
        conflict = _pin_conflict(requested)
        if conflict:
            raise self._fail(conflict, self._current_command, 1)
        has_venv = "VIRTUAL_ENV" in image.env
        if any(req.name == "uv" for req in requested):
            self._installed_uv = image.has_uv = True
        lines = pip_install_lines(
            requested, colour=colour, user_install=non_root and not has_venv, python=image.python
        )
        resolved = resolve(requested)
        image.installed |= {req.name for req, _ in resolved}
        duration = 3.0 + 0.6 * len(resolved)
        for req, version in resolved:
            if req.name in SLOW_WHEELS:
                compile_lines, seconds = _slow_wheel(req.name, version, SLOW_WHEELS[req.name])
                at = lines.index(
                    next(line for line in lines if line.startswith("Installing collected"))
                )
                lines[at:at] = compile_lines
                duration += seconds
        return lines, duration

    def _uv_pip(
        self,
        args: list[str],
        image: ImageFacts,
        mounts: dict[str, str],
        command: str,
        *,
        non_root: bool,
    ) -> tuple[list[str], float]:
        requested = self._requested(args, mounts)
        system = "--system" in args or image.env.get("UV_SYSTEM_PYTHON", "").lower() in (
            "1",
            "true",
        )
        explicit = any(flag in args for flag in ("--python", "-p", "--target", "--prefix"))
        venv = image.env.get("VIRTUAL_ENV") or _venv_for(image.workdir, image.venvs)
        if explicit or (venv and not system):
            image.installed |= {req.name for req, _ in resolve(requested)}
            return uv_install_lines(
                requested, environment=venv or "/usr/local", python=image.python
            ), 1.0 + 0.1 * len(requested)
        if not system:
            raise self._fail([UV_NO_VENV], command, 2)
        if non_root:
            raise self._fail(uv_permission_lines(requested, python=image.python), command, 2)
        image.installed |= {req.name for req, _ in resolve(requested)}
        return uv_install_lines(
            requested, environment="/usr/local", python=image.python
        ), 1.0 + 0.1 * len(requested)

    def _apt(self, words: list[str], command: str) -> tuple[list[str], float]:
        verb = next((word for word in words[1:] if not word.startswith("-")), "")
        if verb == "update":
            return apt_lines([])[:5], self.rng.uniform(2.0, 5.0)
        if verb != "install":
            return [], 0.5
        packages = [word for word in words[2:] if not word.startswith("-") and word != "install"]
        yes = any(flag in words for flag in ("-y", "--yes", "-qq", "--assume-yes", "-yq", "-qy"))
        lines = apt_lines(packages)[5:]
        if not yes:
            cut = next(i for i, line in enumerate(lines) if line.startswith("After this operation"))
            raise self._fail(
                [*lines[: cut + 1], "Do you want to continue? [Y/n] Abort."], command, 1
            )
        return lines, 4.0 + 1.5 * len(packages)


def join_path(cwd: str, path: str) -> str:
    """`path` resolved against the working directory `cwd`, like WORKDIR and `venv` do."""
    path = path.strip().strip('"')
    if path.startswith("/"):
        return path.rstrip("/") or "/"
    return (cwd.rstrip("/") + "/" + path.removeprefix("./")).rstrip("/") or "/"


def _venv_for(workdir: str, venvs: set[str]) -> str | None:
    """uv finds a `.venv` in the working directory or one of its parents."""
    path = workdir.rstrip("/")
    while True:
        candidate = f"{path}/.venv" if path else "/.venv"
        if candidate in venvs:
            return ".venv"
        if not path:
            return None
        path = path.rsplit("/", 1)[0]


def _mounts_uv(step: Instruction) -> bool:
    """A bind mount of uv's binary from the uv image (or a stage) for this RUN only."""
    for word in step.args.split():
        if not word.startswith("--mount="):
            continue
        fields = dict(part.partition("=")[::2] for part in word[len("--mount=") :].split(","))
        origin = fields.get("from", "")
        target = fields.get("target", fields.get("dst", ""))
        if "astral-sh/uv" in origin or (origin and target.rsplit("/", 1)[-1] in ("uv", "uvx")):
            return True
    return False


def _mounts(step: Instruction) -> dict[str, str]:
    """`RUN --mount=target=/tmp/r.txt,source=r.txt`: target path -> repo source path."""
    result: dict[str, str] = {}
    for match in step.args.split():
        if not match.startswith("--mount="):
            continue
        fields = dict(part.partition("=")[::2] for part in match[len("--mount=") :].split(","))
        if "target" in fields and "source" in fields:
            result[fields["target"]] = fields["source"]
    return result


def _commands(command: str) -> list[list[str]]:
    """A shell command line split into simple commands on `&&`, `;` and `||` (enough for builds)."""
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError:
        tokens = command.split()
    result: list[list[str]] = [[]]
    for token in tokens:
        if token in ("&&", ";", "||", "|", "&"):
            result.append([])
        else:
            result[-1].append(token)
    return [words for words in result if words]


def _pin_conflict(requested: list[Requirement]) -> list[str]:
    """pip's ResolutionImpossible text when one package is pinned to two versions."""
    pins: dict[str, list[str]] = {}
    for req in requested:
        if req.spec.startswith("=="):
            pins.setdefault(req.name, []).append(req.spec[2:])
    for name, versions in pins.items():
        distinct = list(dict.fromkeys(versions))
        if len(distinct) > 1:
            # pip names them in request order, then lists the causes in reverse (fixture order).
            first, second = distinct[0], distinct[-1]
            return [
                f"ERROR: Cannot install {name}=={first} and {name}=={second} because these package "
                "versions have conflicting dependencies.",
                "",
                "The conflict is caused by:",
                f"    The user requested {name}=={second}",
                f"    The user requested {name}=={first}",
                "",
                "To fix this you could try to:",
                "1. loosen the range of package versions you've specified",
                "2. remove package versions to allow pip to attempt to solve the dependency conflict",
                "",
                "ERROR: ResolutionImpossible: for help visit "
                "https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts",
            ]
    return []


def _slow_wheel(name: str, version: str, seconds: float) -> tuple[list[str], float]:
    """pip building a wheel from source: `still running...` every 30 s, like flash-attn does."""
    lines = [
        f"Building wheels for collected packages: {name}",
        f"  Building wheel for {name} (setup.py): started",
    ]
    lines += [f"  Building wheel for {name} (setup.py): still running..."] * int(seconds // 30)
    lines += [
        f"  Building wheel for {name} (setup.py): finished with status 'done'",
        f"  Created wheel for {name}: filename={name.replace('-', '_')}-{version}-cp311-cp311-linux_x86_64.whl "
        "size=187219571 sha256=1c6d41b0a3fb7ab1b2e0a6f9cf3e33c7a1ae4b9c0a1f0c6c2f7dd2e5b3b7e4a91",
        f"  Stored in directory: /root/.cache/pip/wheels/{hashlib.sha256(name.encode()).hexdigest()[:2]}/"
        f"{hashlib.sha256(name.encode()).hexdigest()[2:4]}/{hashlib.sha256(name.encode()).hexdigest()[4:60]}",
        f"Successfully built {name}",
    ]
    return lines, seconds


def _pyproject_requirements(files: Mapping[str, bytes]) -> list[Requirement]:
    """`[project] dependencies` of pyproject.toml, for `uv sync`."""
    import tomllib

    raw = files.get("pyproject.toml")
    if raw is None:
        return []
    try:
        data = tomllib.loads(raw.decode("utf-8", errors="replace"))
    except (tomllib.TOMLDecodeError, ValueError):
        return []
    deps = data.get("project", {}).get("dependencies", [])
    parsed = (parse_spec(dep) for dep in deps if isinstance(dep, str))
    return [req for req in parsed if req is not None]
