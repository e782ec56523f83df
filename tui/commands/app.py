"""Running `spacetui` with no command: pick the Hub (or the demo) and the config, open the app.

With a token (`HF_TOKEN` or `hf auth login`) the app opens on that Hub (`--endpoint`, then
`HF_ENDPOINT`). Without one, and with `--demo`, it opens on the built-in emulator with the demo
account; without a token it first says how to sign in, the demo one key (Enter) away.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.domain.auth import HubTarget
    from tui.domain.config import Config, ConfigError

#: The emulator's demo account (see `tui.emulator.seed`): not a secret, but treated as one.
DEMO_TOKEN = "hf_spacetui_demo_token"


def run(args: argparse.Namespace) -> int:
    """Open the app; 0 when the user quits, 1 when it cannot start, 2 for bad options."""
    from tui.domain.auth import resolve_target
    from tui.domain.errors import SpacetuiError, UsageError

    config, config_error = _load_config(getattr(args, "config", None))
    if getattr(args, "demo", False):
        return _run_demo(config, config_error, missing_token_for=None)
    try:
        target = resolve_target(getattr(args, "endpoint", None))
    except SpacetuiError as exc:
        print(f"spacetui: {exc.message}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    if not target.has_token:
        return _run_demo(config, config_error, missing_token_for=target.endpoint)
    return _run_app(target, config, config_error, demo=False)


def _load_config(explicit: str | None) -> tuple[Config, ConfigError | None]:
    """The config, or (when it has problems) its valid parts plus the error the app shows."""
    from tui.domain.config import Config, ConfigError, load_config
    from tui.domain.paths import resolve_config_path

    path = resolve_config_path(explicit)
    try:
        return load_config(path), None
    except ConfigError as exc:
        return exc.config or Config(path=path), exc  # its valid parts still apply


def _run_demo(
    config: Config, config_error: ConfigError | None, *, missing_token_for: str | None
) -> int:
    """Serve the emulator in-process for as long as the app runs.

    `missing_token_for` names the Hub that had no token: the app then starts with the sign-in help.
    """
    from dataclasses import replace

    from tui.domain.auth import HubTarget
    from tui.domain.redact import register_secret
    from tui.emulator.server import serve_emulator

    register_secret(DEMO_TOKEN)
    with ExitStack() as stack:
        stack.enter_context(_hangup_unwinds())
        try:
            emulator = stack.enter_context(serve_emulator(seed="demo"))
        except OSError as exc:
            print(f"spacetui: the demo emulator could not start ({exc})", file=sys.stderr)
            return 1
        # The demo keeps the user's UI preferences, but its watch-list edits go to a scratch file
        # so the real spacetui.yaml never fills up with demo Spaces.
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="spacetui-demo-")))
        demo_config = replace(config, path=scratch / "spacetui.yaml", spaces=(), authors=())
        target = HubTarget(endpoint=emulator.url, token=DEMO_TOKEN)
        return _run_app(
            target, demo_config, config_error, demo=True, missing_token_for=missing_token_for
        )


def _run_app(
    target: HubTarget,
    config: Config,
    config_error: ConfigError | None,
    *,
    demo: bool,
    missing_token_for: str | None = None,
) -> int:
    from tui.ui.app import SpacesApp

    app = SpacesApp(
        target,
        config=config,
        config_path=config.path,
        config_error=config_error,
        demo=demo,
        missing_token_for=missing_token_for,
    )
    app.run()
    return app.return_code or 0


class _HangUp(SystemExit):
    """The terminal went away (SIGHUP) or we were asked to stop (SIGTERM): unwind like an exit."""


#: Signals whose default action would end the demo on the spot, leaving its scratch folder.
_UNWINDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)


@contextmanager
def _hangup_unwinds() -> Iterator[None]:
    """Turn SIGHUP and SIGTERM into an exception for the duration of the demo.

    Python's default for these signals ends the process on the spot, which left the demo's
    scratch folder (and its emulator thread) behind when the terminal was closed or the process
    was stopped (`spacetui web` stops an app with SIGTERM); `q` cleaned up. Raising from the
    handler unwinds the app's event loop and then the demo's ExitStack.
    """

    def unwind(signum: int, frame: object) -> None:
        raise _HangUp(128 + signum)

    previous = {signum: signal.signal(signum, unwind) for signum in _UNWINDING_SIGNALS}
    try:
        yield
    except _HangUp as exc:
        raise SystemExit(exc.code) from None  # nobody is left to read a message
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
