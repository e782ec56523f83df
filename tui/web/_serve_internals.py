"""The one place that leans on textual-serve's private parts (tested in tests/web/test_internals.py).

textual-serve 1.1.x has no hooks for the app's environment or for ending its process, so:
- `AppService._build_environment` is overridden to hand the app a trimmed environment;
- `AppService._process` is read to make sure the app process has ended after a disconnect.
If a textual-serve release changes either, `tests/web/test_internals.py` fails by name.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from asyncio.subprocess import Process
from collections.abc import Mapping
from typing import Any

from textual_serve.app_service import AppService

from tui.web.mode import WEB_ENV

#: Variables the app may inherit: what Python, Textual and huggingface_hub need, nothing else.
#: Everything the server holds beyond these (the access secret, cloud credentials, ...) stays out.
_KEPT = frozenset(
    (
        "PATH HOME USER LOGNAME SHELL LANG LANGUAGE TZ TMPDIR TERM VIRTUAL_ENV PYTHONPATH "
        "PYTHONHOME PYTHONIOENCODING PYTHONUTF8 HF_HOME HF_ENDPOINT HF_HUB_CACHE "
        "HF_HUB_DISABLE_TELEMETRY HF_HUB_DISABLE_UPDATE_CHECK HF_HUB_DISABLE_PROGRESS_BARS "
        "HF_HUB_OFFLINE XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME SPACETUI_CONFIG SPACE_ID "
        "SPACE_HOST SPACE_AUTHOR_NAME SPACE_REPO_NAME SSL_CERT_FILE SSL_CERT_DIR "
        "REQUESTS_CA_BUNDLE"
    ).split()
)
_TOKEN_VARS = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
#: Seconds an app gets to quit on its own after the browser left, then it is killed.
QUIT_GRACE = 5.0


def app_environment(
    environ: Mapping[str, str], added: Mapping[str, str], *, pass_token: bool
) -> dict[str, str]:
    """The app's environment: the kept variables, textual-serve's own, the web flag.

    The Hub token goes along only when the app needs it (not in the demo, which has its own).
    """
    env = {
        name: value for name, value in environ.items() if name in _KEPT or name.startswith("LC_")
    }
    if pass_token:
        env.update({name: environ[name] for name in _TOKEN_VARS if name in environ})
    env.update(added)
    env[WEB_ENV] = "1"
    return env


class GuardedAppService(AppService):
    """textual-serve's AppService with a trimmed environment and a process that surely ends."""

    def __init__(self, command: str, *, pass_token: bool, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.pass_token = pass_token

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        stock = super()._build_environment(width=width, height=height)
        # What textual-serve adds on top of os.environ (driver, size, colours) is kept as is.
        added = {name: value for name, value in stock.items() if os.environ.get(name) != value}
        return app_environment(os.environ, added, pass_token=self.pass_token)

    @property
    def process(self) -> Process | None:
        """The app's process once started."""
        return self._process

    async def stop(self) -> None:
        """Ask the app to quit (textual-serve's way), then make sure its process is gone."""
        # Stock stop() waits for the app to close its output: an app that hangs would hang here.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(super().stop(), QUIT_GRACE)
        await end_process(self._process)


async def end_process(process: Process | None, grace: float = QUIT_GRACE) -> None:
    """Wait for `process` to exit; after `grace` seconds, kill it and reap it."""
    if process is None or process.returncode is not None:
        return
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
