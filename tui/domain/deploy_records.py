"""spacetui's own record of its deploys: one JSON line per finished deploy, per Hub and Space.

The Hub remembers commits but not whether a revision ever reached RUNNING; this store does, so
`spacetui history` can show outcomes and `spacetui rollback` can find the last good revision.
A Space id names a Space on one Hub only: `alice/app` on the emulator and on huggingface.co are
two Spaces. So records are keyed by (endpoint, Space id) and live in
`$XDG_DATA_HOME/spacetui/deploys/<endpoint>/<namespace>/<name>.jsonl`, each line naming its
endpoint too. A line that does not parse (a crash mid-write, a hand edit), names another
endpoint or Space, or has another format version is skipped, never trusted.

Records of format 1 (before the endpoint was part of the key, `deploys/<namespace>/<name>.jsonl`)
are ignored: they do not say which Hub they were made against, so they cannot be told apart from
a same-named Space's on another Hub. They are left where they are, never read or rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui.domain.paths import data_dir

if TYPE_CHECKING:
    from tui.domain.deploy.events import DeployResult

#: Bumped when a record's meaning changes; other versions are skipped when reading
#: (2: keyed by endpoint as well as Space id).
RECORD_VERSION = 2
_SHA_CHARS = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class DeployRecord:
    """How one deploy (or rollback) of a revision ended, as spacetui saw it."""

    endpoint: str  # the Hub it was made against, as `endpoint_key` spells it
    space_id: str
    sha: str
    outcome: str  # the DeployResult outcome: running, build_failed, timeout, ...
    ok: bool
    stage: str | None
    probe: str | None  # "passed" | "failed" | None when no probe ran (or none was recorded)
    kind: str  # "deploy" | "rollback"
    time: float  # seconds since the epoch, when the deploy ended

    @property
    def reached_running(self) -> bool:
        """RUNNING, and the health probe did not fail where one ran."""
        return self.stage == "RUNNING" and self.ok and self.probe != "failed"


def endpoint_key(endpoint: str) -> str:
    """One Hub's name in the records: its scheme, host and port (`https://huggingface.co`,
    `http://127.0.0.1:8123`), lower-cased, without a trailing slash."""
    parts = urlsplit(endpoint.strip())
    scheme = (parts.scheme or "https").lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    try:
        port = parts.port
    except ValueError:
        port = None
    default_port = {"https": 443, "http": 80}.get(scheme)
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    path = parts.path.rstrip("/")  # a Hub served under a path is another Hub
    return f"{scheme}://{netloc}{path}"


def records_path(space_id: str, *, endpoint: str) -> Path:
    """The record file of `space_id` on the Hub at `endpoint`, under the user's data folder."""
    namespace, _, name = space_id.partition("/")
    key = endpoint_key(endpoint)
    # Readable, and unique: two endpoints that clean to the same folder name differ by the hash.
    folder = f"{_safe_part(key.split('://', 1)[-1])}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
    return data_dir() / "deploys" / folder / _safe_part(namespace) / f"{_safe_part(name)}.jsonl"


def record_deploy(
    space_id: str,
    *,
    endpoint: str,
    sha: str | None,
    outcome: str,
    ok: bool,
    stage: str | None,
    extra: Mapping[str, Any] | None = None,
    kind: str = "deploy",
    now: float | None = None,
) -> DeployRecord | None:
    """Append the end of one deploy; None (nothing written) when no revision is known.

    Never raises for a file-system problem: losing a record must not fail a deploy that worked.
    """
    if not sha or not _is_sha(sha):
        return None
    record = DeployRecord(
        endpoint=endpoint_key(endpoint),
        space_id=space_id,
        sha=sha,
        outcome=outcome,
        ok=ok,
        stage=stage,
        probe=_probe_verdict(extra or {}),
        kind=kind,
        time=time.time() if now is None else now,
    )
    line = json.dumps({"v": RECORD_VERSION, **asdict(record)}, separators=(",", ":")) + "\n"
    path = records_path(space_id, endpoint=endpoint)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # One write of one short line with O_APPEND: concurrent deploys never interleave lines.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
    except OSError:
        return None
    return record


def record_result(result: DeployResult, *, kind: str, endpoint: str) -> DeployRecord | None:
    """Record how a deploy or rollback ended (`result` is its `DeployResult`).

    Called once, at the end of `Deployer.run` and `Rollback.run`, so the CLI and the app record
    alike and nothing is recorded twice. An unchanged deploy is recorded only when it saw a stage
    (it found the Space RUNNING: that confirms the head).
    """
    if result.outcome == "unchanged" and result.stage is None:
        return None
    return record_deploy(
        result.space_id,
        endpoint=endpoint,
        sha=result.sha,
        outcome=result.outcome,
        ok=result.ok,
        stage=result.stage,
        extra=result.extra,
        kind=kind,
    )


def load_records(space_id: str, *, endpoint: str) -> list[DeployRecord]:
    """Every readable record of `space_id` on the Hub at `endpoint`, oldest first."""
    try:
        path = records_path(space_id, endpoint=endpoint)
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    key = endpoint_key(endpoint)
    records = []
    for line in text.splitlines():
        record = _parse(line, space_id, key)
        if record is not None:
            records.append(record)
    return records


def latest_by_sha(records: list[DeployRecord]) -> dict[str, DeployRecord]:
    """The newest record of each revision."""
    latest: dict[str, DeployRecord] = {}
    for record in sorted(records, key=lambda r: r.time):
        latest[record.sha] = record
    return latest


def _parse(line: str, space_id: str, endpoint: str) -> DeployRecord | None:
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("v") != RECORD_VERSION:
        return None
    try:
        record = DeployRecord(
            endpoint=str(data["endpoint"]),
            space_id=str(data["space_id"]),
            sha=str(data["sha"]),
            outcome=str(data["outcome"]),
            ok=data["ok"] is True,
            stage=None if data["stage"] is None else str(data["stage"]),
            probe=None if data["probe"] is None else str(data["probe"]),
            kind=str(data["kind"]),
            time=float(data["time"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    # A record of another Space or Hub (a copied file) or with a malformed sha is not this one's.
    if record.space_id != space_id or record.endpoint != endpoint or not _is_sha(record.sha):
        return None
    return record


def _probe_verdict(extra: Mapping[str, Any]) -> str | None:
    """The probe's verdict if the deploy result carries one (`extra["probe"]`), else None."""
    probe = extra.get("probe")
    if isinstance(probe, Mapping):
        ok = probe.get("ok")
        if isinstance(ok, bool):
            return "passed" if ok else "failed"
    if isinstance(probe, bool):
        return "passed" if probe else "failed"
    if probe in ("passed", "failed"):
        return str(probe)
    return None


def _is_sha(text: str) -> bool:
    return len(text) == 40 and set(text) <= _SHA_CHARS


def _safe_part(text: str) -> str:
    # Space ids are [A-Za-z0-9._-]; anything else (or a dot-only name) must not walk the tree.
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in text)
    return cleaned if cleaned.strip(".") else "_"
