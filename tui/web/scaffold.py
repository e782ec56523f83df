"""`spacetui init --web-dashboard`: a private Docker Space that runs `spacetui web` on 7860.

The Space holds two secrets set in its settings, never in its files: HF_TOKEN (a fine-grained
token, read access to the Spaces it watches, write only where it should restart or pause) and
SPACETUI_WEB_SECRET (the access secret typed on the login page).
"""

from __future__ import annotations

from pathlib import Path

from tui import __version__
from tui.domain.errors import UsageError
from tui.domain.scaffold import ScaffoldConflict, ScaffoldOptions

PORT = 7860


def _readme(o: ScaffoldOptions) -> str:
    title = o.title.replace('"', "'")
    return f"""---
title: "{title}"
emoji: 🛰️
colorFrom: indigo
colorTo: gray
sdk: docker
app_port: {PORT}
short_description: A private spacetui dashboard of my Spaces, in the browser
---

# {o.title}

The spacetui dashboard in a browser, served by `spacetui web` in this Space.

**Keep this Space private.** `spacetui web` refuses to start in a public Space.

Set two secrets in the Space's settings (never in a file):

- `HF_TOKEN`: a fine-grained token. Read access is enough to watch Spaces; give write access
  only to the Spaces you want to restart or pause from here. Never your all-powerful token.
- `SPACETUI_WEB_SECRET`: 16 characters or more, asked once per browser on the login page
  (for example the output of `openssl rand -base64 24`).

Deploy it:

```sh
spacetui check .
spacetui deploy . --space <you>/<dashboard-name> --create
```
"""


def _dockerfile(o: ScaffoldOptions) -> str:
    return f"""FROM python:{o.python}-slim

# Spaces run the container as uid 1000: create that user, with a home, and build as it.
RUN useradd -m -u 1000 user
USER user
ENV HOME=/home/user \\
    PATH=/home/user/.local/bin:$PATH

WORKDIR $HOME/app

COPY --chown=user requirements.txt requirements.txt
RUN pip install --no-cache-dir --upgrade -r requirements.txt

COPY --chown=user . $HOME/app

EXPOSE {PORT}
# The Hub sets SPACE_ID and SPACE_HOST: spacetui web checks the Space is private, serves
# https://SPACE_HOST only, and lets only the Hub's page frame it.
CMD ["spacetui", "web", "--host", "0.0.0.0", "--port", "{PORT}", "--max-sessions", "2"]
"""


def _requirements() -> str:
    return f"""# The dashboard itself (textual-serve comes with it).
spacetui=={__version__}
"""


_HFIGNORE = """# Files that spacetui never uploads (gitignore syntax; see `spacetui check`).
.git/
.venv/
__pycache__/
*.pyc
.env
.env.*
*.log
"""


def dashboard_files(options: ScaffoldOptions) -> dict[str, str]:
    """Relative path -> text of every file of the dashboard Space."""
    return {
        "README.md": _readme(options),
        "Dockerfile": _dockerfile(options),
        "requirements.txt": _requirements(),
        ".hfignore": _HFIGNORE,
    }


def write_dashboard(root: Path, options: ScaffoldOptions, *, force: bool = False) -> list[str]:
    """Write the dashboard Space into `root`; ScaffoldConflict (nothing written) on existing files."""
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")
    files = dashboard_files(options)
    existing = [name for name in files if (root / name).exists()]
    if existing and not force:
        raise ScaffoldConflict(existing)
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8", newline="\n")
    return list(files)
