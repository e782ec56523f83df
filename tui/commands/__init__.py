"""Subcommands of `spacetui`: one module each, with `register(subparsers)` and `run(args)`."""
