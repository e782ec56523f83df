"""A simulated Space build: the Hub's build log for the actual Dockerfile steps, and its outcome.

The log follows the Hub's format seen in tests/fixtures/logs/build-*.txt (`--> RUN …`, output,
`DONE 3.2s` or `CACHED`, a blank line; `--> ERROR: …` on failure). Offsets are Hub-realistic
seconds from the start of the build; the lifecycle divides them by the emulator speed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass

from tui.emulator.life_config import SpaceConfig
from tui.emulator.life_dockerfile import (
    Dockerfile,
    Instruction,
    canonical_image,
    parse_dockerfile,
    parse_env_args,
    substitute,
)
from tui.emulator.life_steps import ImageFacts, StepFailed, StepRunner, join_path

_LAYER_STEPS = ("RUN", "COPY", "ADD", "WORKDIR")
_SDK_DEFAULT_VERSIONS = {"gradio": "5.9.1", "streamlit": "1.41.1"}
_SDK_BASE_DIGEST = "sha256:a20ae344b668753817b8bffb8628e068278d8ddbde1657f7b836fd74559beacd"


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
        self.runner = StepRunner(files, rng)
        # The first steps of an SDK image are the Hub's shared base: always cached.
        self.platform_steps = platform_steps
        self.lines: list[tuple[float, str]] = []
        self.t = 0.0
        self.keys: set[str] = set()
        self.stage_keys: dict[str, str] = {}
        self.stage_uv: dict[str, bool] = {}
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
                image = ImageFacts(
                    python=_python_of(stage.base),
                    # The uv images ship uv; a stage built FROM an earlier one inherits its uv.
                    has_uv="astral-sh/uv" in stage.base or self.stage_uv.get(stage.base, False),
                )
                env = dict(dockerfile.global_args)
                chain = self._from(stage.base, env)
                for step in stage.steps:
                    step_index += 1
                    chain = self._step(
                        step, chain, image, always_cached=step_index <= self.platform_steps
                    )
                if stage.name:
                    self.stage_keys[stage.name] = chain
                    self.stage_uv[stage.name] = image.has_uv
            self._finish()
        except StepFailed as failure:
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
            image.workdir = join_path(image.workdir, substitute(step.args, image.env))
        content = self._copy_sources(step) if keyword in ("COPY", "ADD") else ""
        if keyword in ("COPY", "ADD") and self._copies_uv(step):
            image.has_uv = True
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
            output, duration = self.runner.execute(step, image)
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
                raise StepFailed(
                    [],
                    1,
                    f"failed to compute cache key: failed to calculate checksum of ref {ref}: "
                    f'"{path}": not found',
                )
            for path in matched:
                digest.update(path.encode() + b"\0" + hashlib.sha256(self.files[path]).digest())
        return digest.hexdigest()

    def _copies_uv(self, step: Instruction) -> bool:
        """`COPY --from=ghcr.io/astral-sh/uv… /uv /bin/`, or uv's binary out of a stage that has it."""
        flags, _ = step.flags_and_rest()
        origin = flags.get("from")
        if not origin:
            return False
        if "astral-sh/uv" in origin:
            return True
        sources = step.argv()[:-1]
        named_uv = any(s.rstrip("/").rsplit("/", 1)[-1] in ("uv", "uvx") for s in sources)
        return named_uv and self.stage_uv.get(origin, True)

    def _finish(self) -> None:
        for title, low, high in (("Pushing image", 0.5, 6.5), ("Exporting cache", 0.1, 13.0)):
            seconds = self.rng.uniform(low, high)
            self.emit(f"--> {title}", 0.1)
            self.emit(f"DONE {seconds:.1f}s", seconds)
            self.emit("")


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
