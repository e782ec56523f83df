"""A simulated Space build: the Hub's build log for the actual Dockerfile steps, and its outcome.

The log follows the Hub's format seen in tests/fixtures/logs/build-*.txt (`--> RUN …`, output,
`DONE 3.2s` or `CACHED`, a blank line; `--> ERROR: …` on failure). Offsets are Hub-realistic
seconds from the start of the build; the lifecycle divides them by the emulator speed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import random
import shlex
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui.emulator.life_config import SpaceConfig
from tui.emulator.life_dockerfile import (
    Dockerfile,
    Instruction,
    canonical_image,
    parse_dockerfile,
    parse_env_args,
    substitute,
)
from tui.emulator.life_packages import (
    UV_NO_VENV,
    Requirement,
    apt_lines,
    parse_requirements,
    parse_spec,
    pip_install_lines,
    resolve,
    uv_install_lines,
    uv_permission_lines,
)

# Packages pip compiles from source on a Space, with Hub-realistic compile times (seconds).
SLOW_WHEELS: dict[str, float] = {"flash-attn": 540.0}
_LAYER_STEPS = ("RUN", "COPY", "ADD", "WORKDIR")
_ROOT_USERS = ("", "root", "0", "0:0", "root:root")
_SDK_DEFAULT_VERSIONS = {"gradio": "5.9.1", "streamlit": "1.41.1"}
_SDK_BASE_DIGEST = "sha256:a20ae344b668753817b8bffb8628e068278d8ddbde1657f7b836fd74559beacd"


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

    @property
    def argv(self) -> list[str]:
        return self.entrypoint + self.cmd


@dataclass
class BuildPlan:
    """The whole build, computed at once: timed log lines, how long it takes and how it ends."""

    lines: list[tuple[float, str]]
    duration: float
    exit_code: int | None
    layer_keys: frozenset[str]
    image: ImageFacts

    @property
    def ok(self) -> bool:
        return self.exit_code is None

    @property
    def error_message(self) -> str | None:
        """The runtime `errorMessage` of a failed build (the Space page banner's reason line)."""
        return None if self.ok else f"Job failed with exit code: {self.exit_code}"


class _StepFailed(Exception):
    def __init__(self, lines: list[str], exit_code: int, error: str) -> None:
        super().__init__(error)
        self.lines, self.exit_code, self.error = lines, exit_code, error


def sdk_dockerfile(config: SpaceConfig, files: Mapping[str, bytes]) -> str:
    """The Dockerfile the Hub generates for gradio/streamlit Spaces (2026 form, tabs included)."""
    python = config.python_version or "3.10"
    version = config.sdk_version or _SDK_DEFAULT_VERSIONS.get(config.sdk, "1.0.0")
    package = "gradio[oauth,mcp]" if config.sdk == "gradio" else "streamlit"
    lines = [
        f"FROM docker.io/library/python:{python}@{_SDK_BASE_DIGEST}",
        'RUN pip install --no-cache-dir pip -U && \\\n    pip install --no-cache-dir \\\n    datasets \\\n    "huggingface-hub>=0.30" "hf-transfer>=0.1.4" "protobuf<4" "click<8.1"',
        "RUN apt-get update && apt-get install -y \\\n\tgit \\\n\tgit-lfs \\\n\tffmpeg \\\n\tlibsm6 \\\n\tlibxext6 \\\n\tcmake \\\n\trsync \\\n\tlibgl1 \\\n\t&& rm -rf /var/lib/apt/lists/* \\\n\t&& git lfs install",
        "COPY --from=root / /",
        "WORKDIR /app",
    ]
    if "packages.txt" in files:
        lines.append(
            "RUN --mount=target=/tmp/packages.txt,source=packages.txt \\\n\tapt-get update && \\\n"
            "\txargs -r -a /tmp/packages.txt apt-get install -y \\\n\t&& rm -rf /var/lib/apt/lists/*"
        )
    install = f'{package}=={version} \\\n    "uvicorn>=0.14.0" "websockets>=10.4" \\\n    spaces'
    if "requirements.txt" in files:
        lines.append(
            "RUN --mount=target=/tmp/requirements.txt,source=requirements.txt \\\n"
            f"    pip install --no-cache-dir -r /tmp/requirements.txt \\\n    {install}"
        )
    else:
        lines.append(f"RUN pip install --no-cache-dir \\\n    {install}")
    lines.append("COPY --link ./ /app")
    return "\n".join(lines) + "\n"


def plan_build(
    files: Mapping[str, bytes],
    *,
    config: SpaceConfig,
    sha: str,
    started_at: float,
    cache: frozenset[str],
    seed: str,
) -> BuildPlan:
    """Simulate building revision `sha` whose files are `files`; `cache` holds earlier layer keys."""
    if config.sdk == "docker":
        text = files.get("Dockerfile", b"").decode("utf-8", errors="replace")
        dockerfile, platform_steps = parse_dockerfile(text), 0
    else:
        dockerfile, platform_steps = parse_dockerfile(sdk_dockerfile(config, files)), 4
    return _Builder(files, cache, random.Random(seed), platform_steps).run(
        dockerfile, sha, started_at
    )


class _Builder:
    """Walks the stages, printing each layer step and tracking the image's state as it goes."""

    def __init__(
        self,
        files: Mapping[str, bytes],
        cache: frozenset[str],
        rng: random.Random,
        platform_steps: int,
    ) -> None:
        self.files = files
        self.cache = cache
        self.rng = rng
        # The first steps of an SDK image are the Hub's shared base: always cached.
        self.platform_steps = platform_steps
        self.lines: list[tuple[float, str]] = []
        self.t = 0.0
        self.keys: set[str] = set()
        self.stage_keys: dict[str, str] = {}
        self.restored = False
        self.colour = False

    def emit(self, text: str, after: float = 0.0) -> None:
        self.t += after
        self.lines.append((self.t, text))

    def emit_spread(self, texts: list[str], duration: float) -> None:
        """Output lines of a running step, spread over its duration (uneven, like real output)."""
        if not texts:
            self.t += duration
            return
        weights = [self.rng.uniform(0.3, 1.7) for _ in texts]
        total = sum(weights)
        for text, weight in zip(texts, weights, strict=True):
            self.emit(text, duration * weight / total)

    def run(self, dockerfile: Dockerfile, sha: str, started_at: float) -> BuildPlan:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(started_at))
        self.emit(f"===== Build Queued at {stamp} / Commit SHA: {sha[:7]} =====")
        self.emit("")
        image = ImageFacts()
        exit_code: int | None = None
        step_index = 0
        try:
            for stage in dockerfile.stages:
                image = ImageFacts(python=_python_of(stage.base))
                env = dict(dockerfile.global_args)
                chain = self._from(stage.base, env)
                for step in stage.steps:
                    step_index += 1
                    chain = self._step(
                        step, chain, image, always_cached=step_index <= self.platform_steps
                    )
                if stage.name:
                    self.stage_keys[stage.name] = chain
            self._finish()
        except _StepFailed as failure:
            self.emit_spread(failure.lines, self.rng.uniform(0.5, 3.0))
            self.emit("")
            self.emit(f"--> ERROR: {failure.error}", 0.1)
            exit_code = failure.exit_code
        if not dockerfile.stages:
            # Reached only with a Dockerfile that has no FROM: BuildKit refuses it at once.
            exit_code = 1
            self.emit(
                "--> ERROR: failed to solve: dockerfile parse error: no build stage in current context"
            )
        return BuildPlan(self.lines, self.t, exit_code, frozenset(self.keys), image)

    def _from(self, base: str, env: dict[str, str]) -> str:
        name = canonical_image(substitute(base, env))
        key = _key("FROM", name)
        self.emit(f"--> FROM {name}", self.rng.uniform(1.0, 3.0))
        pulled = key in self.cache or "@" in name
        self.emit(
            f"DONE {0.0 if pulled else self.rng.uniform(3.0, 9.0):.1f}s", 0.05 if pulled else 5.0
        )
        self.emit("")
        self.keys.add(key)
        return key

    def _step(
        self, step: Instruction, chain: str, image: ImageFacts, *, always_cached: bool
    ) -> str:
        keyword = step.keyword
        if keyword not in _LAYER_STEPS:
            self._metadata(step, image)
            return _key(chain, keyword, step.args)
        if keyword == "WORKDIR":
            image.workdir = _join(image.workdir, substitute(step.args, image.env))
        content = self._copy_sources(step) if keyword in ("COPY", "ADD") else ""
        key = _key(chain, keyword, step.args, content)
        self.keys.add(key)
        cached = always_cached or key in self.cache
        if not cached and self.cache and not self.restored:
            self.restored = True
            self.emit("--> Restoring cache", 0.1)
            self.emit(f"DONE {self.rng.uniform(1.5, 5.0):.1f}s", 2.5)
            self.emit("")
        self.emit(f"--> {keyword} {step.args}", 0.1)
        if keyword == "RUN":
            # The image's state changes whether or not the layer is cached.
            output, duration = self._execute(step, image)
        else:
            output, duration = [], self.rng.uniform(0.0, 0.4)
        if cached:
            self.emit("CACHED", 0.05)
        else:
            self.emit_spread(output, duration)
            self.emit(
                f"{'  ' if output and output[-1].startswith(' + ') else ''}DONE {duration:.1f}s"
            )
        self.emit("")
        # Only a step that succeeded leaves a layer in the cache.
        self.keys.add(key)
        return key

    def _metadata(self, step: Instruction, image: ImageFacts) -> None:
        keyword = step.keyword
        if keyword == "ENV":
            for name, value in parse_env_args(step.args).items():
                image.env[name] = substitute(value, image.env)
        elif keyword == "USER":
            image.user = step.args.strip()
        elif keyword in ("CMD", "ENTRYPOINT"):
            form = step.exec_form()
            argv = form if form is not None else ["/bin/sh", "-c", step.flags_and_rest()[1]]
            if keyword == "CMD":
                image.cmd = argv
            else:
                image.entrypoint, image.cmd = argv, []

    def _copy_sources(self, step: Instruction) -> str:
        """A content hash of what COPY reads; a missing source fails like BuildKit does."""
        flags, _ = step.flags_and_rest()
        if "from" in flags:
            return self.stage_keys.get(flags["from"], flags["from"])
        words = step.argv()
        sources = words[:-1] if len(words) > 1 else words
        digest = hashlib.sha256()
        for source in sources:
            if source.startswith(("http://", "https://")):
                continue
            matched = _match(source, self.files)
            if not matched:
                ref = "".join(
                    self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(25)
                )
                path = "/" + source.lstrip("./").lstrip("/")
                self.emit(f"--> {step.keyword} {step.args}", 0.1)
                self.emit("", 0.3)
                raise _StepFailed(
                    [],
                    1,
                    f"failed to compute cache key: failed to calculate checksum of ref {ref}: "
                    f'"{path}": not found',
                )
            for path in matched:
                digest.update(path.encode() + b"\0" + hashlib.sha256(self.files[path]).digest())
        return digest.hexdigest()

    def _execute(self, step: Instruction, image: ImageFacts) -> tuple[list[str], float]:
        """Run the command's simulated parts in order; a failing part fails the whole step."""
        mounts = _mounts(step)
        command = step.shell_command()
        self._current_command = command
        output: list[str] = []
        duration = self.rng.uniform(0.1, 0.8)
        for words in _commands(command):
            lines, seconds = self._one(words, image, mounts, command)
            output += lines
            duration += seconds
        return output, duration

    def _fail(self, lines: list[str], command: str, exit_code: int) -> _StepFailed:
        quoted = command.replace('"', '\\"')
        error = (
            f'process "/bin/sh -c {quoted}" did not complete successfully: exit code: {exit_code}'
        )
        return _StepFailed(lines, exit_code, error)

    def _one(
        self, words: list[str], image: ImageFacts, mounts: dict[str, str], command: str
    ) -> tuple[list[str], float]:
        if not words:
            return [], 0.0
        head = words[0].rsplit("/", 1)[-1]
        env = image.env
        colour = env.get("FORCE_COLOR", "") not in ("", "0")
        non_root = image.user.split(":")[0] not in _ROOT_USERS
        if head in ("pip", "pip3") and len(words) > 1 and words[1] == "install":
            return self._pip(words[2:], image, mounts, colour=colour, non_root=non_root)
        if head.startswith("python") and words[1:3] == ["-m", "pip"] and words[3:4] == ["install"]:
            return self._pip(words[4:], image, mounts, colour=colour, non_root=non_root)
        if head.startswith("python") and words[1:3] == ["-m", "venv"] and len(words) > 3:
            image.venvs.add(_join(image.workdir, words[3]))
            return [], self.rng.uniform(2.0, 4.0)
        if head == "uv" and words[1:2] == ["venv"]:
            target = _join(
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
            image.venvs.add(_join(image.workdir, ".venv"))
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

    def _finish(self) -> None:
        for title, low, high in (("Pushing image", 0.5, 6.5), ("Exporting cache", 0.1, 13.0)):
            seconds = self.rng.uniform(low, high)
            self.emit(f"--> {title}", 0.1)
            self.emit(f"DONE {seconds:.1f}s", seconds)
            self.emit("")

    _current_command = ""


def _python_of(base: str) -> str:
    """`python:3.12-slim` -> `3.12.8`; other bases report the 3.11 most Space images ship."""
    name = base.rsplit("/", 1)[-1]
    if name.startswith("python:"):
        tag = name.split(":", 1)[1].split("@")[0]
        parts = tag.split("-")[0].split(".")
        if len(parts) >= 2 and all(part.isdigit() for part in parts[:2]):
            patch = {"3.9": "21", "3.10": "16", "3.11": "11", "3.12": "8", "3.13": "1"}.get(
                ".".join(parts[:2]), "0"
            )
            return ".".join(parts[:3]) if len(parts) >= 3 else f"{parts[0]}.{parts[1]}.{patch}"
    return "3.11.11"


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def _join(cwd: str, path: str) -> str:
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


def _match(source: str, files: Mapping[str, bytes]) -> list[str]:
    """Repo paths a COPY source names: `.`, a file, a directory, or a glob."""
    clean = source.strip().removeprefix("./").lstrip("/").rstrip("/")
    if clean in ("", "."):
        return sorted(files)
    if clean in files:
        return [clean]
    under = sorted(path for path in files if path.startswith(clean + "/"))
    if under:
        return under
    if any(char in clean for char in "*?["):
        return sorted(path for path in files if fnmatch.fnmatch(path, clean))
    return []


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
