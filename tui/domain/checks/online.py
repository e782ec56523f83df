"""The optional online step of `spacetui check`: the Hub's own README validation (README027)
and the target Space's current root `.gitignore` (fed to the upload set, reported as IGNORE003).

Failures never raise: a network or Hub problem becomes a warning finding and the offline
checks still run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from tui.domain.checks.findings import Finding, Severity
from tui.domain.errors import HubError, SpaceNotFound
from tui.domain.redact import redact

if TYPE_CHECKING:
    from tui.domain.hub.client import HubClient

README = "README.md"
MAX_GITIGNORE_BYTES = 1_000_000
#: Joi messages name the field first: `"colorTo" must be one of [...]`.
_JOI_KEY = re.compile(r'^"([^"]+)"')
HUB_AGREES = " The Hub's validate-yaml rejects it too."


@dataclass
class OnlineResult:
    """What the Hub said: findings to merge, and the remote `.gitignore` (None when absent)."""

    findings: list[Finding] = field(default_factory=list)
    remote_gitignore: str | None = None


def _messages(items: Any) -> list[str]:
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        message = item.get("message") if isinstance(item, dict) else item
        if isinstance(message, str) and message.strip():
            out.append(" ".join(message.split()))
    return out


def _failure(rule: str, what: str, exc: BaseException) -> Finding:
    detail = exc.message if isinstance(exc, HubError) else f"{type(exc).__name__}: {exc}"
    return Finding(
        rule,
        Severity.WARNING,
        redact(f"online check skipped: {what} failed ({detail}); the offline checks still ran."),
    )


async def validate_readme(client: httpx.AsyncClient, readme_text: str) -> list[Finding]:
    """POST the README to `/api/validate-yaml`; the Hub's errors and warnings as README027."""
    from tui.domain.http import raise_for_hub_status

    try:
        response = await client.post(
            "/api/validate-yaml", json={"content": readme_text, "repoType": "space"}
        )
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        errors = _messages(body.get("errors"))
        if response.status_code != 400 or not errors:
            raise_for_hub_status(response)
    except (HubError, httpx.HTTPError, OSError) as exc:
        return [_failure("README027", "the Hub's README validation", exc)]
    lines = _key_lines(readme_text)
    findings = [
        Finding(
            "README027",
            Severity.ERROR,
            f"the Hub rejects the README front matter: {m}. Fix it before uploading.",
            README,
            _line_of(m, lines),
        )
        for m in errors
    ]
    findings += [
        Finding(
            "README027",
            Severity.WARNING,
            f"the Hub warns about the README: {m}.",
            README,
            _line_of(m, lines),
        )
        for m in _messages(body.get("warnings"))
    ]
    return findings


def _key_lines(readme_text: str) -> Mapping[str, int]:
    from tui.domain.checks.frontmatter import parse_front_matter

    return parse_front_matter(readme_text).key_lines


def _line_of(message: str, key_lines: Mapping[str, int]) -> int | None:
    """The README line of the field a Hub message names, when it names a top-level one."""
    match = _JOI_KEY.match(message)
    return key_lines.get(match.group(1)) if match else None


def merge_hub_findings(local: Sequence[Finding], online: Sequence[Finding]) -> list[Finding]:
    """Local and online findings without saying the same thing twice.

    A README027 about a field (its line in README.md) that a local README check already
    reports at that line, at least as severely, is dropped; the local finding then says that
    the Hub agrees. A Hub error about a field the local checks only warn about stays.
    """
    merged = list(local)
    extra: list[Finding] = []
    for hub in online:
        index = None
        if hub.id == "README027" and hub.file == README and hub.line is not None:
            index = next(
                (
                    i
                    for i, f in enumerate(merged)
                    if f.id.startswith("README")
                    and f.id != "README027"
                    and f.file == README
                    and f.line == hub.line
                    and f.severity.rank <= hub.severity.rank
                ),
                None,
            )
        if index is None:
            extra.append(hub)
        elif hub.severity is Severity.ERROR and not merged[index].message.endswith(HUB_AGREES):
            merged[index] = replace(merged[index], message=merged[index].message + HUB_AGREES)
    return merged + extra


async def fetch_remote_gitignore(
    client: httpx.AsyncClient, space_id: str
) -> tuple[str | None, list[Finding]]:
    """The Space's root `.gitignore` on `main` (None when it has none or does not exist yet)."""
    from tui.domain.http import raise_for_hub_status

    url = f"/spaces/{quote(space_id, safe='/')}/resolve/main/.gitignore"
    try:
        response = await client.get(url)
        if response.status_code == 404:
            return None, []
        raise_for_hub_status(response, space_id=space_id)
    except SpaceNotFound:
        return None, []
    except (HubError, httpx.HTTPError, OSError) as exc:
        return None, [_failure("IGNORE003", f"fetching the .gitignore of {space_id}", exc)]
    data = response.content[:MAX_GITIGNORE_BYTES]
    return data.decode("utf-8", errors="replace"), []


async def run_online(root: Path, *, hub: HubClient, space_id: str | None) -> OnlineResult:
    """Both online steps over `hub`'s connection; the .gitignore one only when `space_id` is given."""
    result = OnlineResult()
    readme = Path(root) / README
    if readme.is_file():
        try:
            text = readme.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None  # FILES011 reports an undecodable README offline
        if text is not None:
            result.findings += await validate_readme(hub.http, text)
    if space_id:
        result.remote_gitignore, problems = await fetch_remote_gitignore(hub.http, space_id)
        result.findings += problems
    return result
