"""DOCKER001-003 and DOCKER020: a root Dockerfile that parses, a sound base image, a start command."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import (
    DOCKERFILE,
    applies,
    effective_command,
    finding,
    image_name_and_tag,
    is_stage_reference,
    load,
    stage_chain,
)
from tui.domain.checks.findings import Finding, Severity

#: Bases whose default CMD is a shell or a REPL: without our own CMD the container just exits.
_REPL_BASES = tuple(
    (
        "python node ubuntu debian alpine busybox buildpack-deps nvidia/cuda pytorch/pytorch "
        "continuumio/miniconda3 ghcr.io/astral-sh/uv fedora centos rockylinux amazonlinux "
        "golang rust openjdk eclipse-temurin ruby php"
    ).split()
)


def check_dockerfile_present(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER001: a file named exactly `Dockerfile` is at the root of the upload set."""
    if ctx.sdk != "docker" or DOCKERFILE in ctx.files:
        return
    if DOCKERFILE in ctx.excluded:
        yield finding(
            "DOCKER001",
            Severity.ERROR,
            f"Dockerfile is not uploaded ({ctx.excluded[DOCKERFILE]}): remove that exclude so "
            "the Space has something to build.",
            None,
        )
        return
    near = sorted(
        path
        for path in ctx.files
        if path.rsplit("/", 1)[-1].lower().startswith("dockerfile")
        or path.lower().endswith(".dockerfile")
    )
    hint = f" Rename or move {near[0]} to ./Dockerfile (exact spelling)." if near else ""
    yield finding(
        "DOCKER001",
        Severity.ERROR,
        "sdk is docker but there is no file named exactly Dockerfile at the root of the Space, so "
        f"the Hub has nothing to build.{hint or ' Add a Dockerfile at the root.'}",
        None,
    )


def check_dockerfile_parses(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER002: the Dockerfile parses and has at least one FROM."""
    if not applies(ctx) or DOCKERFILE not in ctx.files:
        return
    if ctx.read_text(DOCKERFILE) is None:
        yield finding(
            "DOCKER002",
            Severity.ERROR,
            "Dockerfile is not readable UTF-8 text (binary, too large or badly encoded): save it "
            "as plain UTF-8.",
            None,
        )
        return
    df = load(ctx)
    assert df is not None
    for error in df.errors:
        yield finding(
            "DOCKER002", Severity.ERROR, f"Dockerfile does not build: {error.message}.", error.line
        )


def check_base_image(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER003: the base image is pinned, not an EOL Python, and built for linux/amd64."""
    df = load(ctx)
    if df is None:
        return
    for stage in df.stages:
        if is_stage_reference(df, stage):
            continue
        line = stage.line
        platform = stage.from_instruction.flags.get("platform")
        if platform and "$" not in platform and platform.lower() not in ("linux/amd64", "amd64"):
            yield finding(
                "DOCKER003",
                Severity.ERROR,
                f"FROM --platform={platform}: Spaces run on linux/amd64, so this image cannot "
                f"start there. Write FROM --platform=linux/amd64 {stage.base} or drop --platform.",
                line,
            )
        image = df.resolved_base(stage)
        if "$" in image or image.lower() == "scratch":
            continue
        name, tag = image_name_and_tag(image)
        if "@" not in image and (tag is None or tag == "latest"):
            yield finding(
                "DOCKER003",
                Severity.INFO,
                f"FROM {image} has no version tag, so every rebuild may get a different image: "
                f"pin one, e.g. FROM {_suggest(name)}.",
                line,
            )
        if name == "python" and tag:
            match = re.match(r"(\d+)\.(\d+)", tag)
            if match and (int(match.group(1)), int(match.group(2))) < (3, 9):
                yield finding(
                    "DOCKER003",
                    Severity.WARNING,
                    f"FROM {image}: Python {match.group(0)} is end-of-life and many wheels no "
                    "longer exist for it. Use FROM python:3.12-slim.",
                    line,
                )


def _suggest(name: str) -> str:
    if name == "python":
        return "python:3.12-slim"
    if name == "node":
        return "node:22-slim"
    return f"{name}:<version>"


def check_start_command(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER020: the final stage has a CMD or ENTRYPOINT that starts the app."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    stage = df.final_stage
    commands, ins = effective_command(df, stage)
    if ins is not None:
        if ins.exec_form == [] and not commands:
            yield finding(
                "DOCKER020",
                Severity.ERROR,
                f"{ins.keyword} [] starts nothing, so the container exits at once. Write a "
                'command, e.g. CMD ["python", "app.py"].',
                ins.line,
            )
        return
    root_base = df.resolved_base(stage_chain(df, stage)[0])
    base_name, _ = image_name_and_tag(root_base)
    fix = 'Add the start command, e.g. CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"].'
    if any(
        base_name == b or base_name.startswith(b + ":") or base_name.endswith("/" + b)
        for b in _REPL_BASES
    ):
        yield finding(
            "DOCKER020",
            Severity.ERROR,
            f"The final stage has no CMD or ENTRYPOINT, so it inherits the {base_name} image's "
            f"shell/REPL default, which exits at once (RUNTIME_ERROR). {fix}",
            stage.line,
        )
    else:
        yield finding(
            "DOCKER020",
            Severity.INFO,
            f"The final stage has no CMD or ENTRYPOINT and relies on the one from {root_base}; "
            f"make sure it starts the app on app_port. {fix}",
            stage.line,
        )


BASE_CHECKS = [
    check_dockerfile_present,
    check_dockerfile_parses,
    check_base_image,
    check_start_command,
]
