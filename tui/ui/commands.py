"""The command palette's Space commands, namespaced like `space: restart alice/app`.

Each hit posts an `ActionRequested` to the app, exactly as the keys do.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.ui.messages import ActionRequested
from tui.web.mode import SERVER_FILE_ACTIONS

if TYPE_CHECKING:
    from tui.ui.app import SpacesApp

#: (title template, action, help); `discover` lists the first two per Space, `search` all of them.
SPACE_COMMANDS = (
    ("space: open {}", "open", "The runtime panel of the Space"),
    ("logs: follow {}", "logs", "Follow the run logs live"),
    ("logs: build {}", "build_logs", "Follow the build logs"),
    ("space: restart {}", "restart", "Restart the Space (asks first)"),
    ("space: factory rebuild {}", "factory_rebuild", "Rebuild without cache (asks first)"),
    ("space: pause or resume {}", "pause_resume", "Pause (asks first) or resume"),
    ("space: sleep time {}", "sleep_time", "Choose when the Space sleeps"),
    ("space: hardware {}", "hardware", "Request other hardware (asks first)"),
    ("space: secrets and variables {}", "settings", "Edit secrets and variables"),
    ("space: open in browser {}", "browser", "Open the Space's page"),
    ("space: copy URL {}", "copy_url", "Copy the Space's URL"),
    ("space: link folder {}", "link_folder", "Link a local folder (saved in the config)"),
    ("space: unwatch {}", "unwatch", "Stop watching (saved in the config)"),
    ("checks: run {}", "checks", "Config checks of the linked folder"),
    ("deploy: {}", "deploy", "Deploy the linked folder"),
)
_DISCOVERED = 2


class SpaceCommands(Provider):
    """Every Space action for every watched Space."""

    def _commands(self, limit: int | None = None) -> Iterator[tuple[str, str, ActionRequested]]:
        app = cast("SpacesApp", self.app)
        shown = sorted(row.space_id for row in app.board.rows)
        for space_id in shown:
            for template, action, help_text in SPACE_COMMANDS[:limit]:
                if app.web_mode and action in SERVER_FILE_ACTIONS:
                    continue  # the server's files, not the browser user's
                yield template.format(space_id), help_text, ActionRequested(action, (space_id,))
        # A watched id the Hub never answered for (a typo, a deleted Space) has no row to press
        # `x` on: the palette is the way to stop watching it.
        for space_id in sorted(set(app.config.space_ids) - set(shown)):
            yield (
                f"space: unwatch {space_id}",
                f"Stop watching ({app.config_path.name}); the Hub does not show it",
                ActionRequested("unwatch", (space_id,)),
            )

    async def discover(self) -> Hits:
        for title, help_text, message in self._commands(_DISCOVERED):
            yield DiscoveryHit(title, partial(self.app.post_message, message), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, message in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.post_message, message),
                    help=help_text,
                )
