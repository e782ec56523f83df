"""Write docs/cli.md from the argument parser, so the CLI reference cannot drift from the code.

Run `python scripts/gen_cli_docs.py` after changing a command's options; `tests/test_docs.py`
fails while the page differs from what this prints.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
#: argparse wraps help to the terminal width: fix it so the page is the same on every machine.
WIDTH = "100"

HEADER = """\
# Command line reference

Generated from spacetui's argument parser by `scripts/gen_cli_docs.py`; a test fails when this
page and the parser disagree. Exit codes everywhere: 0 done, 1 failed (one sentence on stderr),
2 bad options, 130 cancelled.
"""


def render() -> str:
    """The whole page: the top-level help, then each subcommand's help in `--help` order."""
    os.environ["COLUMNS"] = WIDTH
    from tui.cli import build_parser

    parser = build_parser()
    parts = [HEADER, "## spacetui\n", _block(parser.format_help())]
    for action in parser._actions:  # argparse has no public way to list subparsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                parts += [f"## spacetui {name}\n", _block(sub.format_help())]
    return "\n".join(parts)


def _block(text: str) -> str:
    return "```text\n" + text.rstrip() + "\n```\n"


def main() -> int:
    page = render()
    if "--check" in sys.argv:
        return 0 if PAGE.read_text(encoding="utf-8") == page else 1
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
