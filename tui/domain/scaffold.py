"""`spacetui init` templates: a known-good Docker Space that `spacetui check` reports clean.

The Dockerfile follows the Hub's Docker Space template: a uid 1000 user with a home, HOME and
`~/.local/bin` on PATH, dependencies installed by pip as that user, `COPY --chown`, and a
FastAPI app served by uvicorn on 0.0.0.0 at `app_port`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tui.domain.errors import UsageError

SDKS = ("docker",)
DEFAULT_PORT = 7860
DEFAULT_PYTHON = "3.12"
_PYTHON = re.compile(r"3\.\d{1,2}")


class ScaffoldConflict(Exception):
    """Files that already exist and would be overwritten."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(", ".join(paths))
        self.paths = paths


@dataclass(frozen=True)
class ScaffoldOptions:
    """What to scaffold: title shown on the Hub, port, Python version of the base image."""

    title: str
    port: int = DEFAULT_PORT
    python: str = DEFAULT_PYTHON
    sdk: str = "docker"

    def __post_init__(self) -> None:
        if self.sdk not in SDKS:
            raise UsageError(f"--sdk {self.sdk!r} is not supported; use one of {', '.join(SDKS)}")
        if not 1025 <= self.port <= 65535:
            raise UsageError(f"--port {self.port} must be between 1025 and 65535")
        if not _PYTHON.fullmatch(self.python):
            raise UsageError(f"--python {self.python!r} must look like 3.12")


def title_for(folder: Path) -> str:
    """A Space title from a folder name: `my-cool_space` -> `My Cool Space`."""
    words = re.split(r"[-_\s]+", folder.resolve().name)
    return " ".join(w.capitalize() for w in words if w) or "My Space"


def _readme(o: ScaffoldOptions) -> str:
    title = o.title.replace('"', "'")
    return f"""---
title: "{title}"
emoji: 🚀
colorFrom: blue
colorTo: green
sdk: docker
app_port: {o.port}
short_description: A FastAPI app served by uvicorn in a Docker Space
---

# {o.title}

A Docker Space scaffolded by `spacetui init`.

- `app.py`: the FastAPI app; `GET /` answers with a JSON greeting.
- `Dockerfile`: runs the app as the uid 1000 user Spaces require, on port {o.port}.
- `requirements.txt`: Python dependencies, installed at build time.
- `.hfignore`: local files that are never uploaded (gitignore syntax).

Try it locally:

```sh
pip install -r requirements.txt
uvicorn app:app --host 0.0.0.0 --port {o.port}
```

Check and deploy:

```sh
spacetui check .
spacetui deploy . --space <you>/<space-name>
```
"""


def _dockerfile(o: ScaffoldOptions) -> str:
    return f"""FROM python:{o.python}-slim

# Spaces run the container as uid 1000: create that user, with a home, and build as it.
RUN useradd -m -u 1000 user
USER user
# pip installs console scripts (uvicorn) into ~/.local/bin for a non-root user.
ENV HOME=/home/user \\
    PATH=/home/user/.local/bin:$PATH

WORKDIR $HOME/app

# Dependencies first, so code edits do not reinstall them.
COPY --chown=user requirements.txt requirements.txt
RUN pip install --no-cache-dir --upgrade -r requirements.txt

COPY --chown=user . $HOME/app

EXPOSE {o.port}
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "{o.port}"]
"""


_APP = '''"""A minimal FastAPI app for a Docker Space."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def greet() -> dict[str, str]:
    """Answer the Space's health check and say hello."""
    return {"message": "Hello from a Docker Space"}
'''

_REQUIREMENTS = """fastapi>=0.115,<1
uvicorn>=0.30,<1
"""

_HFIGNORE = """# Files that spacetui never uploads (gitignore syntax; see `spacetui check`).
.git/
.venv/
venv/
__pycache__/
*.pyc
.pytest_cache/
.env
.env.*
*.log
.DS_Store
"""


def scaffold_files(options: ScaffoldOptions) -> dict[str, str]:
    """Relative path -> text of every file of the scaffold."""
    return {
        "README.md": _readme(options),
        "Dockerfile": _dockerfile(options),
        "app.py": _APP,
        "requirements.txt": _REQUIREMENTS,
        ".hfignore": _HFIGNORE,
    }


def write_scaffold(root: Path, options: ScaffoldOptions, *, force: bool = False) -> list[str]:
    """Write the scaffold into `root` (created if needed); returns the written paths.

    Raises ScaffoldConflict, without writing anything, when files exist and `force` is False;
    UsageError when `root` exists and is not a folder.
    """
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")
    files = scaffold_files(options)
    existing = [name for name in files if (root / name).exists()]
    if existing and not force:
        raise ScaffoldConflict(existing)
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8", newline="\n")
    return list(files)
