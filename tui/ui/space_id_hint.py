"""Says what is wrong with a typed Space id, by the rule of `tui.domain.models.is_valid_space_id`."""

from __future__ import annotations

import re

from tui.domain.models import is_valid_space_id

#: What `models._REPO_PART` lets through between its first and last character.
_ALLOWED = re.compile(r"[\w.-]")
_MAX_PART = 96
_RULE = "only letters, digits, `-`, `_` and `.` are allowed"
_EDGE = re.compile(r"[A-Za-z0-9]")


def space_id_problem(text: str) -> str | None:
    """None when `text` is a Space id the Hub accepts, else one sentence naming what is wrong."""
    if is_valid_space_id(text):
        return None
    if not text:
        return "Type a Space id: namespace/name."
    if text.count("/") != 1:
        return f"A Space id has exactly one / (namespace/name); {text!r} has {text.count('/')}."
    namespace, name = text.split("/")
    for label, part in (("namespace", namespace), ("name", name)):
        problem = _part_problem(label, part)
        if problem:
            return problem
    return "A Space id looks like namespace/name."  # the rule refused it for a reason not named


def _part_problem(label: str, part: str) -> str | None:
    if not part:
        return f"The {label} is missing: a Space id is namespace/name."
    bad = list(dict.fromkeys(char for char in part if not _ALLOWED.fullmatch(char)))
    if bad:
        shown = ", ".join("space" if char == " " else repr(char) for char in bad)
        return f"The {label} {part!r} has characters a Space id cannot hold ({shown}); {_RULE}."
    if not (_EDGE.fullmatch(part[0]) and _EDGE.fullmatch(part[-1])):
        return f"The {label} {part!r} must start and end with a letter (a-z, A-Z) or a digit."
    if len(part) > _MAX_PART:
        return f"The {label} is {len(part)} characters long; at most {_MAX_PART} are allowed."
    return None
