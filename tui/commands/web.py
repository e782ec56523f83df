"""`spacetui web`: serve the app to a browser (loopback by default; see docs/web.md)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `web` subcommand."""
    parser = subparsers.add_parser(
        "web",
        help="serve the app in a browser",
        description=(
            "Serve the spacetui app to a web browser, one app process per tab. Loopback only by "
            "default; any other --host needs an access secret in SPACETUI_WEB_SECRET or in the "
            "file named by SPACETUI_WEB_SECRET_FILE."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks one)")
    parser.add_argument(
        "--demo", dest="web_demo", action="store_true", help="each tab gets the offline demo"
    )
    parser.add_argument(
        "--max-sessions", type=int, default=1, metavar="N", help="open tabs at most (default 1)"
    )
    parser.add_argument(
        "--public-url", metavar="URL", help="the https://host browsers use, behind a proxy"
    )


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C or SIGTERM; 2 for bad options, 1 when the server cannot start."""
    import asyncio
    import os

    from tui.domain.errors import UsageError
    from tui.web.settings import build_settings

    app_args: list[str] = []
    if getattr(args, "endpoint", None):
        app_args += ["--endpoint", args.endpoint]
    if getattr(args, "config", None):
        app_args += ["--config", args.config]
    try:
        settings = build_settings(
            host=args.host,
            port=args.port,
            demo=bool(args.web_demo or getattr(args, "demo", False)),
            max_sessions=args.max_sessions,
            public_url=args.public_url,
            app_args=tuple(app_args),
        )
        if settings.space_id:
            from tui.domain.auth import resolve_target
            from tui.web.space_guard import require_private_space

            target = resolve_target(getattr(args, "endpoint", None))
            require_private_space(settings.space_id, target.endpoint, target.token)
    except UsageError as exc:
        print(f"spacetui web: {exc.message}", file=sys.stderr)
        return 2
    # Read once, then gone from this process's environment: nothing started later inherits it.
    os.environ.pop("SPACETUI_WEB_SECRET", None)
    from tui.web.serve import serve_forever

    try:
        return asyncio.run(serve_forever(settings))
    except OSError as exc:
        print(
            f"spacetui web: cannot listen on {args.host}:{args.port} ({exc.strerror or exc})",
            file=sys.stderr,
        )
        return 1
