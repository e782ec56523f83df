"""IGNORE003 (error): a file the app visibly loads at start that the Hub will not keep.

The Hub applies the Space's root `.gitignore` on upload (and `.hfignore` keeps files out of
spacetui's own upload). When the app's entry code reads a literal path at import time
(`pickle.load(open("db/vectorizer.pkl", "rb"))`, `pd.read_csv("data/x.csv")`) and that path is
ignored, the Space cannot start. Only start-time reads with literal paths count (app_writes).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from tui.domain.checks.app_writes import start_reads
from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity
from tui.domain.hfignore import IgnoreFile
from tui.domain.upload_set import GITIGNORE

_SDK_DEFAULT = {"gradio": "app.py", "streamlit": "app.py"}
_MAKES_FILES = re.compile(
    r"\bpython3?\s+(?:-m\s+\S+|\S+\.py)|\b(?:ba)?sh\s+\S+|\bmake\b|\bwget\b|\bcurl\b|"
    r"huggingface-cli|\bhf\s+download|git\s+clone|\bgdown\b|npm\s+run|COPY --FROM",
    re.IGNORECASE,
)


def _entries(ctx: CheckContext) -> list[tuple[str, str]]:
    """(entry file, the folder its working directory maps to) pairs."""
    if ctx.sdk in _SDK_DEFAULT:
        app = (ctx.card or {}).get("app_file") or _SDK_DEFAULT[ctx.sdk]
        return [(app, "")] if isinstance(app, str) and app in ctx.files else []
    if ctx.sdk != "docker":
        return []
    from tui.domain.checks.docker_common import load
    from tui.domain.checks.docker_writes import entry_files, replay_image

    df = load(ctx)
    if df is None or df.final_stage is None:
        return []
    image = replay_image(df, df.final_stage)
    # Reads are relative to WORKDIR; map it back only for `COPY . <WORKDIR>`, the common case.
    if not any(dest == image.workdir and set(srcs) <= {".", "./"} for srcs, dest in image.copies):
        return []
    return [(entry, "") for entry in entry_files(ctx, df, df.final_stage, image)]


def _built_in_image(ctx: CheckContext) -> str:
    """The text of the Dockerfile's RUN steps and `COPY --from` lines (what the build makes)."""
    if ctx.sdk != "docker" or "Dockerfile" not in ctx.files:
        return ""
    lines = (ctx.read_text("Dockerfile") or "").splitlines()
    return "\n".join(
        line
        for line in lines
        if line.lstrip().upper().startswith(("RUN", "COPY --FROM", "ADD")) or line.startswith(" ")
    )


def check_needed_files_kept(ctx: CheckContext) -> Iterable[Finding]:
    """IGNORE003: what the app loads at start is not dropped by the root .gitignore."""
    if GITIGNORE not in ctx.files and not ctx.is_file(GITIGNORE):
        return
    rules = IgnoreFile.from_text(ctx.read_text(GITIGNORE) or "", source=GITIGNORE)
    built = _built_in_image(ctx)
    if _MAKES_FILES.search(built):
        return  # a build step runs a script or downloads: it may make any file
    for entry, base in _entries(ctx):
        for read in start_reads(entry, ctx.files, ctx.read_text):
            path = posixpath.normpath(posixpath.join(base, read.target))
            if path.startswith("..") or any(
                word and word in built for word in (posixpath.basename(path), path.split("/")[0])
            ):
                continue  # the Dockerfile may make it at build time
            rule = rules.excludes_path(path)
            if rule is None:
                continue
            yield Finding(
                "IGNORE003",
                Severity.ERROR,
                f"The app loads {path} when it starts ({read.file}:{read.line}), but the root "
                f".gitignore ({rule.describe()}) makes the Hub skip that file, so the Space "
                "stops with FileNotFoundError. Fix: remove that line from .gitignore, or "
                "download the file at start (e.g. hf_hub_download).",
                GITIGNORE,
                rule.line,
            )
            return
