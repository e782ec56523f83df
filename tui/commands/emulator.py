"""`spacetui emulator`: run the local Hub emulator until interrupted."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `emulator` subcommand (its options are defined next to the emulator)."""
    from tui.emulator.options import add_arguments

    parser = subparsers.add_parser(
        "emulator",
        help="run the local Hub emulator",
        description="Serve a local Hugging Face Hub emulator that huggingface_hub and hf can use. "
        "Prints one line 'listening on http://HOST:PORT' when ready; Ctrl+C stops it.",
    )
    add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C or SIGTERM."""
    from tui.emulator.standalone import run as serve

    return serve(args)
