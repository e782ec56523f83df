"""A footer that shows Back and Help first, so a narrow terminal never cuts the way out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

#: Actions whose keys lead the footer. Textual lists the focused widget's keys first, so on a
#: screen whose widget has many (the log view: search, filter, errors, follow, save) an 80-column
#: footer ended before Back and Help.
LEADING_ACTIONS = ("close", "app.help", "help")


class KeyFooter(Footer):
    """Textual's Footer with the keys of LEADING_ACTIONS moved to the front, in that order."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())

        def rank(widget: object) -> int:
            # Footer keys carry their action; labels and groups have none (a public attribute:
            # no import from Textual's private footer module).
            action = getattr(widget, "action", None)
            if action in LEADING_ACTIONS:
                return LEADING_ACTIONS.index(action)
            return len(LEADING_ACTIONS)

        # sorted() is stable: every other key keeps Textual's order.
        yield from sorted(keys, key=rank)
