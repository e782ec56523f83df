"""Whether a command runs in CI mode (`--ci`, or `$CI` set by the runner): one light definition."""

from __future__ import annotations

import os
from collections.abc import Mapping

#: Values of $CI that turn CI mode on (runners set "true"; some set "1").
_CI_VALUES = frozenset({"true", "1", "yes"})


def ci_requested(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    """True on `--ci`, or when `$CI` says a CI runner is running us."""
    env = os.environ if environ is None else environ
    return flag or env.get("CI", "").strip().lower() in _CI_VALUES
