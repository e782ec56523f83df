"""DOCKER016: secrets passed through ARG/ENV, where they are either empty or baked into the image."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import finding, load
from tui.domain.checks.findings import Finding, Severity
from tui.domain.dockerfile import Instruction, arg_has_default, arg_pairs, env_pairs

_SECRET_PARTS = frozenset({"TOKEN", "SECRET", "PASSWORD", "PASSWD", "APIKEY", "KEY", "CREDENTIALS"})
_PLACEHOLDER = re.compile(
    r"^(?:|changeme|change_me|dummy|none|null|placeholder|example|test|todo|x+|\*+|\.\.\.|"
    r"<[^>]*>|your[-_ ].*|.*[-_]here|hf_x+|hf_\.\.\.|\$.*)$",
    re.IGNORECASE,
)


def is_secret_name(name: str) -> bool:
    """`HF_TOKEN`, `OPENAI_API_KEY`, `DB_PASSWORD`… (split on `_`; `KEYBOARD` is not one)."""
    parts = {p for p in re.split(r"[^A-Za-z0-9]+", name.upper()) if p}
    return bool(parts & _SECRET_PARTS) or any(
        p.endswith(("TOKEN", "SECRET", "APIKEY")) for p in parts
    )


def _pairs(ins: Instruction) -> list[tuple[str, str, bool]]:
    """(name, value, has literal value) of an ARG or ENV instruction."""
    if ins.keyword == "ARG":
        return [(k, v, arg_has_default(ins, k)) for k, v in arg_pairs(ins).items()]
    return [(k, v, True) for k, v in env_pairs(ins).items()]


def check_build_secrets(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER016: no ARG/ENV with a secret-like name; never a literal secret value.

    An ENV whose value is a placeholder is info: the app reads the Space secret at run time.
    """
    df = load(ctx)
    if df is None:
        return
    instructions = [*df.global_args, *(i for s in df.stages for i in s.instructions)]
    for ins in instructions:
        if ins.keyword not in ("ARG", "ENV"):
            continue
        for name, value, has_value in _pairs(ins):
            if not is_secret_name(name):
                continue
            mount = (
                f"RUN --mount=type=secret,id={name},mode=0444,required=true "
                f"sh -c '{name}=$(cat /run/secrets/{name}) …'"
            )
            if has_value and not _PLACEHOLDER.match(value.strip()):
                # Never echo the value: it is presumably a real secret.
                yield finding(
                    "DOCKER016",
                    Severity.ERROR,
                    f"{ins.keyword} {name} has a literal value in the Dockerfile, which is public "
                    "in the Space and stored in the image history. Remove the value, rotate the "
                    f"secret, add it under Space settings → Secrets, and read it with {mount}, or "
                    "at run time from the environment.",
                    ins.line,
                )
            elif ins.keyword == "ENV" and has_value:
                # A placeholder default (`your_api_key_here`, empty) read at run time is what the
                # advice asks for: the Space secret, an env var of the container, replaces it.
                yield finding(
                    "DOCKER016",
                    Severity.INFO,
                    f"ENV {name} holds a placeholder, not a secret; add the real value under "
                    "Space settings → Secrets, which replaces this default in the running "
                    "container (it is not there at build time).",
                    ins.line,
                )
            else:
                yield finding(
                    "DOCKER016",
                    Severity.WARNING,
                    f"{ins.keyword} {name} looks like a secret: Space secrets do not arrive as "
                    "build args (it will be empty) and ARG/ENV values stay in the image history. "
                    f"Read it at build time with {mount}, or at run time from the environment "
                    "(secrets are set as env vars of the running container).",
                    ins.line,
                )


SECRET_CHECKS = [check_build_secrets]
