"""Whether uv exists in the image when a RUN calls it: a uv base image, a COPY of its binary, a
`--mount` of the uv image, `pip install uv`, or astral's install script.

python:* and Debian/Ubuntu images have no uv, and a RUN that calls it there fails with
`/bin/sh: 1: uv: not found` (exit code 127) before any uv rule matters (DOCKER012).
"""

from __future__ import annotations

import re

from tui.domain.checks.docker_shell import ShellCommand
from tui.domain.dockerfile import Instruction

UV_PROGRAMS = frozenset({"uv", "uvx"})
#: What uv's docs suggest: copy the static binaries out of the distroless uv image.
INSTALL_HINT = "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/"
_NAME = re.compile(r"^[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)")
_INSTALLERS = {
    "pip": ("install",),
    "pip3": ("install",),
    "pipx": ("install",),
    "apk": ("add",),
    "conda": ("install",),
    "mamba": ("install",),
    "micromamba": ("install",),
}


def is_uv_image(image: str) -> bool:
    """`ghcr.io/astral-sh/uv:python3.12-bookworm-slim` and friends ship uv on PATH."""
    return "astral-sh/uv" in image.lower()


def _names(args: tuple[str, ...]) -> set[str]:
    found = set()
    for arg in args:
        if arg.startswith("-"):
            continue
        match = _NAME.match(arg)
        if match:
            found.add(match.group(1).lower())
    return found


def installs_uv(cmd: ShellCommand) -> bool:
    """`pip install uv`, `python -m pip install uv==0.5`, `pipx install uv`, `apk add uv`, conda,
    or astral's installer (`curl -LsSf https://astral.sh/uv/install.sh | sh`)."""
    argv = cmd.argv
    if any("astral.sh/uv" in arg for arg in argv):
        return True
    program = cmd.program
    if program.startswith("python") and argv[1:3] == ("-m", "pip"):
        program, argv = "pip", argv[2:]
    verbs = _INSTALLERS.get(program)
    if verbs is None or len(argv) < 2 or argv[1] not in verbs:
        return False
    return "uv" in _names(argv[2:])


def mounts_uv(ins: Instruction) -> bool:
    """`RUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv …` (uv's docs)."""
    for spec in ins.flag_values("mount"):
        fields = dict(part.partition("=")[::2] for part in spec.split(","))
        origin = fields.get("from", "")
        # A cache mount at ~/.cache/uv is not uv: only a mount taken from an image or stage.
        target = fields.get("target", fields.get("dst", fields.get("destination", "")))
        if is_uv_image(origin) or (origin and target.rsplit("/", 1)[-1] in UV_PROGRAMS):
            return True
    return False


def copies_uv(ins: Instruction) -> bool:
    """`COPY --from=ghcr.io/astral-sh/uv…` or a COPY of a file named uv from another stage."""
    if ins.keyword not in ("COPY", "ADD"):
        return False
    origins = ins.flag_values("from")
    if not origins:
        return False
    if any(is_uv_image(origin) for origin in origins):
        return True
    sources = ins.exec_form[:-1] if ins.exec_form else list(ins.words[:-1])
    return any(source.rstrip("/").rsplit("/", 1)[-1] in UV_PROGRAMS for source in sources)
