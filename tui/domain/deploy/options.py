"""What the user asked a deploy to do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class DeployOptions:
    """Flags of `spacetui deploy` (and of the app's deploy pane).

    Secret and variable values come from the caller (environment or a prompt), never from files
    in the folder; they are set on the Space before the upload that triggers the build.
    """

    folder: Path
    space_id: str
    create: bool = False
    public: bool = False
    delete: bool = False
    force: bool = False
    allow_secrets: frozenset[str] = frozenset()
    restart: bool = False
    follow: bool = True
    timeout: float = 30 * 60.0
    hardware: str | None = None
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    variables: Mapping[str, str] = field(default_factory=dict)
    message: str | None = None
    #: After RUNNING, GET the app at this path and succeed only on a 2xx/3xx (see probe.py).
    probe: bool = True
    probe_path: str = "/"
    #: Show a unified diff of each changed text file in the review (`--diff`).
    diff: bool = False
    #: `--secrets-from FILE`: never uploaded; its values set the secrets the code reads.
    secrets_file: Path | None = None
    secrets_file_values: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: How long the probe keeps asking while the app answers 5xx or nothing (seconds).
    probe_wait: float = 60.0
