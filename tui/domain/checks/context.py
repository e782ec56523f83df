"""What every check reads: the folder, its upload set and its parsed README front matter.

INTERFACE CONTRACT shared by all check modules: a check is a function
`def check_x(ctx: CheckContext) -> Iterable[Finding]` that only reads `ctx` (never the network,
never writes). The engine builds one context per run and calls every registered check.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.domain.stat_mark import StatMark, stat_mark

if TYPE_CHECKING:
    from tui.domain.checks.frontmatter import FrontMatter
    from tui.domain.upload_set import UploadSet


@dataclass
class CheckContext:
    """Read-only view of a Space folder prepared once for all checks.

    Attributes:
        root: the Space folder.
        files: the upload set: relative posix path -> size in bytes (after .hfignore and the
            server-side .gitignore).
        excluded: relative posix path -> human reason it is left out of the upload.
        card: the README front matter mapping, or None when missing or unparsable.
        card_lines: front-matter key -> 1-based line number in README.md.
        sdk: `card["sdk"]` when it is a string, else None.
        app_port: the effective app_port (7860 when absent or invalid).
        rejected_app_port: the card's app_port as written when the Hub rejects it (README009:
            not an integer in 1025..65535), else None. validate-yaml refuses such a README and
            a Space that has it ends in CONFIG_ERROR, so no port is "right" until it is fixed.
        front_matter: the full README parse (key lines, raw scalars, problems) when the engine
            built the context; None in hand-built contexts.
        upload_set: the UploadSet behind `files`/`excluded` when the engine built the context.
    """

    root: Path
    files: Mapping[str, int]
    excluded: Mapping[str, str] = field(default_factory=dict)
    card: Mapping[str, Any] | None = None
    card_lines: Mapping[str, int] = field(default_factory=dict)
    sdk: str | None = None
    app_port: int = 7860
    rejected_app_port: object = None
    front_matter: FrontMatter | None = None
    upload_set: UploadSet | None = None
    _text_cache: dict[str, str | None] = field(default_factory=dict, repr=False)
    #: Every path a check asked about (`read_text`, `is_file`), kept or not, with what `stat`
    #: said of it then (None: nothing there): with the folders the walk listed, all the disk a
    #: report depends on (the deploy stamp vouches for no more).
    touched: dict[str, StatMark | None] = field(default_factory=dict, repr=False)

    #: Text files larger than this are not read by content checks.
    max_text_bytes: int = 2_000_000

    def is_file(self, path: str) -> bool:
        """True when `path` (relative) is a regular file, or a link to one; recorded as touched."""
        self._touch(path)
        return (self.root / path).is_file()

    def read_text(self, path: str) -> str | None:
        """The UTF-8 text of `path` (relative), or None if missing, binary, undecodable or huge."""
        self._touch(path)
        if path not in self._text_cache:
            self._text_cache[path] = self._read(path)
        return self._text_cache[path]

    def _touch(self, path: str) -> None:
        if path not in self.touched:
            self.touched[path] = stat_mark(os.path.join(self.root, path))

    def _read(self, path: str) -> str | None:
        from tui.domain.upload_set import open_regular

        try:
            # Only regular files: a FIFO would block the read, /dev/zero never end it.
            fd = open_regular(str(self.root / path))
            if fd is None:
                return None
            with open(fd, "rb") as handle:
                data = handle.read(self.max_text_bytes + 1)
        except OSError:
            return None
        if len(data) > self.max_text_bytes:
            return None
        if b"\x00" in data[:8192]:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None
