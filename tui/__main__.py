"""`python -m tui` runs the spacetui command line."""

from tui.cli import entry

entry()
