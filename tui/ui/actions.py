"""What each Space action does: ask first when it is destructive, then call the Hub in a worker.

Keys, the Space screen and the command palette all post `ActionRequested`; the app hands it to
`SpaceActions.run`. Hub calls run in workers that post `ActionSucceeded` / `ActionFailed`, so a
failure becomes a notification carrying the typed error's message, never a traceback.
"""

from __future__ import annotations

import asyncio
import webbrowser
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain import config_edit
from tui.domain.config import Config
from tui.domain.errors import SpacetuiError
from tui.domain.models import SpaceStatus, Stage
from tui.ui.hardware import flavour_choices
from tui.ui.messages import ActionFailed, ActionSucceeded, ConfigChanged, WatchListChanged
from tui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, TextPrompt
from tui.ui.space_id_hint import space_id_problem
from tui.web.mode import SELF_STOPPING_ACTIONS, SERVER_FILE_ACTIONS, server_files_sentence

if TYPE_CHECKING:
    from tui.ui.app import SpacesApp
    from tui.ui.screens.create import NewSpace

#: Every action name `ActionRequested` may carry.
ACTIONS = (
    "open",
    "logs",
    "build_logs",
    "restart",
    "factory_rebuild",
    "pause_resume",
    "sleep_time",
    "hardware",
    "settings",
    "create",
    "browser",
    "copy_url",
    "watch",
    "unwatch",
    "link_folder",
    "checks",
    "deploy",
)
_NO_SPACE_NEEDED = frozenset({"create", "watch"})
_RESUMABLE = frozenset({Stage.PAUSED, Stage.SLEEPING, Stage.STOPPED})
#: Actions on a Space's server, which a static Space does not have (the Hub refuses a restart).
_SERVER_ACTIONS = frozenset({"restart", "factory_rebuild", "pause_resume"})
#: Most side-by-side panes the logs screen shows.
MAX_LOG_PANES = 4
SLEEP_CHOICES = (
    ("15 minutes", 900),
    ("1 hour", 3600),
    ("12 hours", 43200),
    ("24 hours", 86400),
    ("48 hours (the free tier's)", 172800),
    ("Never (paid hardware only)", -1),
)


#: Flavours that sleep whatever their sleep time says (the Hub's free tier).
FREE_HARDWARE = frozenset({"cpu-basic"})


def space_url(endpoint: str, space_id: str) -> str:
    """The Space's page on the Hub it lives on."""
    return f"{endpoint.rstrip('/')}/spaces/{space_id}"


def check_space_id(text: str) -> str | None:
    """None when `text` is a Space id, else the sentence saying what is wrong with it."""
    return space_id_problem(text)


class SpaceActions:
    """Runs the actions of the app on behalf of keys, screens and palette commands."""

    def __init__(self, app: SpacesApp) -> None:
        self.app = app
        #: Flavour -> the Hub's facts about it, fetched once per session (None: not yet).
        self._hardware_facts: dict[str, str] | None = None
        #: Action name -> what runs it: one plain table, so every handler has a visible caller.
        self.handlers: dict[str, Callable[[tuple[str, ...]], None]] = {
            "open": self._open,
            "logs": self._logs,
            "build_logs": self._build_logs,
            "restart": self._restart,
            "factory_rebuild": self._factory_rebuild,
            "pause_resume": self._pause_resume,
            "sleep_time": self._sleep_time,
            "hardware": self._hardware,
            "settings": self._settings,
            "create": self._create,
            "browser": self._browser,
            "copy_url": self._copy_url,
            "watch": self._watch,
            "unwatch": self._unwatch,
            "link_folder": self._link_folder,
            "checks": self._checks,
            "deploy": self._deploy,
        }

    def run(self, action: str, space_ids: tuple[str, ...]) -> None:
        """Start `action` on `space_ids` (the first one, except for side-by-side logs)."""
        handler = self.handlers.get(action)
        if handler is None:
            self.app.notify(f"Unknown action {action!r}.", severity="error")
        elif not space_ids and action not in _NO_SPACE_NEEDED:
            self.app.notify("Select a Space first.", severity="warning")
        elif self.app.web_mode and action in SERVER_FILE_ACTIONS:
            self.app.notify(server_files_sentence(action), title="Not in the browser")
        elif action in _SERVER_ACTIONS and self._is_static(space_ids[0]):
            # Pausing one was accepted but nothing could resume it: refuse all three up front.
            self.app.notify(
                f"{space_ids[0]} is a static Space: the Hub serves its files without a server, "
                "so there is nothing to pause, restart or rebuild. A new commit updates it.",
                title="Static Space",
                severity="warning",
            )
        elif action in SELF_STOPPING_ACTIONS and space_ids[0] == self.app.own_space_id:
            # The dashboard's own Space: asked once more, since this page goes down with it.
            self._confirm(
                f"{space_ids[0]} serves this dashboard",
                "This page stops with it and this session ends; if it does not come back, "
                "only the Hub's website can resume or restart it.",
                "Continue",
                lambda: handler(space_ids),
            )
        else:
            handler(space_ids)

    # ------------------------------------------------------------------ helpers

    def _is_static(self, space_id: str) -> bool:
        row = self.app.board.get(space_id)
        return row is not None and row.status.sdk == "static"

    def _stage(self, space_id: str) -> Stage:
        row = self.app.board.get(space_id)
        return row.status.stage if row else Stage.UNKNOWN

    def _confirm(self, title: str, body: str, label: str, then: Callable[[], None]) -> None:
        def answered(confirmed: bool | None) -> None:
            if confirmed:
                then()

        self.app.push_screen(ConfirmDialog(title, body, label), answered)

    def _hub_call(self, space_id: str, call: Callable[[], Awaitable[object]], done: str) -> None:
        """Run one Hub call in a worker; the answer (a status, when it is one) goes to the board."""

        async def work() -> None:
            try:
                result = await call()
            except SpacetuiError as exc:
                self.app.post_message(ActionFailed(exc.title, exc.message))
                return
            status = result if isinstance(result, SpaceStatus) else None
            self.app.post_message(ActionSucceeded(done, status))

        self.app.run_worker(
            work(), group=f"action:{space_id}", exit_on_error=False, description=done
        )

    def _config_edit(self, edit: Callable[[], Config], done: str, change: WatchListChanged) -> None:
        """Edit spacetui.yaml in a thread; a broken or unwritable file is reported, never replaced."""

        async def work() -> None:
            try:
                config = await asyncio.to_thread(edit)
            except SpacetuiError as exc:
                self.app.post_message(ActionFailed(exc.title, exc.message))
                return
            except OSError as exc:
                self.app.post_message(
                    ActionFailed("Config not saved", f"{self.app.config_path}: {exc.strerror}")
                )
                return
            self.app.post_message(ConfigChanged(config))
            self.app.post_message(change)
            self.app.post_message(ActionSucceeded(done))

        self.app.run_worker(work(), group="config", exit_on_error=False, description=done)

    # ------------------------------------------------------------------ navigation

    def _open(self, space_ids: tuple[str, ...]) -> None:
        from tui.ui.screens.space import SpaceScreen

        self.app.push_screen(SpaceScreen(space_ids[0]))

    def _checks(self, space_ids: tuple[str, ...]) -> None:
        from tui.ui.screens.space import SpaceScreen

        self.app.push_screen(SpaceScreen(space_ids[0], pane="checks"))

    def _deploy(self, space_ids: tuple[str, ...]) -> None:
        from tui.ui.screens.space import SpaceScreen

        self.app.push_screen(SpaceScreen(space_ids[0], pane="deploy"))

    def _logs(self, space_ids: tuple[str, ...], kind: str = "run") -> None:
        try:
            from tui.ui.screens.logs import LogsScreen
        except ImportError:
            self.app.notify("The log viewer is not available in this build.", severity="warning")
            return
        static = [space_id for space_id in space_ids if self._is_static(space_id)]
        if static:
            # The Hub serves a static Space's files as they are: there is no log to show.
            self.app.notify(
                f"{', '.join(static)}: static Space{'s' if len(static) > 1 else ''}, served as "
                "files with no build or run log.",
                title="No logs",
                severity="warning",
            )
            space_ids = tuple(space_id for space_id in space_ids if space_id not in static)
            if not space_ids:
                return
        if len(space_ids) > MAX_LOG_PANES:
            self.app.notify(f"Showing the first {MAX_LOG_PANES} marked Spaces.", severity="warning")
        self.app.push_screen(LogsScreen(list(space_ids[:MAX_LOG_PANES]), kind=kind))

    def _build_logs(self, space_ids: tuple[str, ...]) -> None:
        self._logs(space_ids, kind="build")

    def _settings(self, space_ids: tuple[str, ...]) -> None:
        from tui.ui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen(space_ids[0]))

    # ------------------------------------------------------------------ Hub actions

    def _restart(self, space_ids: tuple[str, ...]) -> None:
        space_id = space_ids[0]
        self._confirm(
            f"Restart {space_id}?",
            "The app goes down while its container restarts; visitors see an error meanwhile.",
            "Restart",
            lambda: self._hub_call(
                space_id, lambda: self.app.hub.restart(space_id), f"Restarting {space_id}"
            ),
        )

    def _factory_rebuild(self, space_ids: tuple[str, ...]) -> None:
        space_id = space_ids[0]
        self._confirm(
            f"Factory rebuild {space_id}?",
            "The image is rebuilt from scratch without the build cache; the app is down until the "
            "build and start-up finish.",
            "Rebuild",
            lambda: self._hub_call(
                space_id,
                lambda: self.app.hub.restart(space_id, factory=True),
                f"Rebuilding {space_id} from scratch",
            ),
        )

    def _pause_resume(self, space_ids: tuple[str, ...]) -> None:
        space_id = space_ids[0]
        if self._stage(space_id) in _RESUMABLE:
            self._hub_call(space_id, lambda: self.app.hub.restart(space_id), f"Resuming {space_id}")
            return
        self._confirm(
            f"Pause {space_id}?",
            "The app stops and stays down until someone resumes it (paused hardware is not billed).",
            "Pause",
            lambda: self._hub_call(
                space_id, lambda: self.app.hub.pause(space_id), f"Pausing {space_id}"
            ),
        )

    def _sleep_time(self, space_ids: tuple[str, ...]) -> None:
        space_id = space_ids[0]
        row = self.app.board.get(space_id)

        def chosen(seconds: int | None) -> None:
            flavour = (row.status.requested_hardware or row.status.hardware) if row else None
            if seconds is not None and seconds < 0 and flavour in FREE_HARDWARE:
                self.app.post_message(
                    ActionFailed(
                        "Sleep time not changed",
                        (
                            f"{space_id} runs on {flavour}, free hardware, which always sleeps when "
                            'unused (after 48 hours at most): "Never" needs paid hardware. Pick a '
                            "time, or request paid hardware first (h)."
                        ),
                    )
                )
                return
            if seconds is not None:
                self._hub_call(
                    space_id,
                    lambda: self.app.hub.set_sleep_time(space_id, seconds),
                    f"Sleep time of {space_id} set",
                )

        self.app.push_screen(
            ChoiceDialog(
                f"Sleep time of {space_id}",
                "After how long without visitors the Space goes to sleep:",
                SLEEP_CHOICES,
                current=row.status.sleep_time if row else None,
            ),
            chosen,
        )

    def _hardware(self, space_ids: tuple[str, ...]) -> None:
        from huggingface_hub import SpaceHardware

        space_id = space_ids[0]
        row = self.app.board.get(space_id)
        current = (row.status.requested_hardware or row.status.hardware) if row else None

        def chosen(flavor: str | None) -> None:
            if flavor is None or flavor == current:
                return
            self._confirm(
                f"Switch {space_id} to {flavor}?",
                "The Space restarts on the new hardware; paid hardware is billed by the minute "
                "until the Space sleeps or is paused.",
                "Switch",
                lambda: self._hub_call(
                    space_id,
                    lambda: self.app.hub.request_hardware(space_id, flavor),
                    f"{space_id} moves to {flavor}",
                ),
            )

        async def ask() -> None:
            facts = await self._hardware_list()
            flavors = flavour_choices((flavor.value for flavor in SpaceHardware), facts)
            prompt = "Request this hardware:"
            if not facts:
                prompt += " (the Hub did not describe its flavours; names only)"
            self.app.push_screen(
                ChoiceDialog(f"Hardware of {space_id}", prompt, flavors, current), chosen
            )

        self.app.run_worker(ask(), group="hardware-list", exclusive=True, exit_on_error=False)

    async def _hardware_list(self) -> dict[str, str]:
        """Flavour -> its facts as the Hub lists them; {} when the Hub cannot tell."""
        if self._hardware_facts is None:
            from tui.ui.hardware import hardware_facts

            try:
                infos = await asyncio.to_thread(self.app.hub.hf_api().list_spaces_hardware)
            except Exception:  # noqa: BLE001 - facts are a nicety: the names are still listed
                return {}
            self._hardware_facts = {info.name: hardware_facts(info) for info in infos}
        return self._hardware_facts

    def _create(self, space_ids: tuple[str, ...]) -> None:
        from tui.ui.screens.create import CreateSpaceDialog

        def created(new: NewSpace | None) -> None:
            if new is None:
                return

            async def create() -> str:
                url = await self.app.hub.create_space(
                    new.space_id, sdk=new.sdk, private=new.private
                )
                if not self.app.is_watched(new.space_id):
                    config = await asyncio.to_thread(
                        config_edit.watch_space, self.app.config_path, new.space_id
                    )
                    self.app.post_message(ConfigChanged(config))
                    self.app.post_message(WatchListChanged(added=(new.space_id,)))
                return url

            self._hub_call(new.space_id, create, f"Created {new.space_id}")

        namespace = self.app.account.name if self.app.account else ""
        self.app.push_screen(CreateSpaceDialog(namespace, check=self._plan_refusal), created)

    async def _plan_refusal(self, new: NewSpace) -> str | None:
        """The plan gate before creating: its one sentence, or None (create; the Hub decides)."""
        from tui.domain.deploy.plan_check import check_new_space
        from tui.domain.errors import PaymentRequired
        from tui.domain.plan_gate import PlanRefused
        from tui.ui.deploy_wording import app_refusal

        try:
            await check_new_space(self.app.hub, new.space_id, sdk=new.sdk)
        except PlanRefused as exc:
            return app_refusal(exc.refusal)  # the gate's rule and ways out, in the app's words
        except PaymentRequired as exc:
            return exc.message  # the Hub's own sentence
        except SpacetuiError:
            return None  # whoami failed: the create itself says what the Hub answers
        return None

    # ------------------------------------------------------------------ local actions

    def _browser(self, space_ids: tuple[str, ...]) -> None:
        url = space_url(self.app.target.endpoint, space_ids[0])
        if self.app.web_mode:
            self.app.open_url(url)  # a new tab of the user's browser, not one on the server
            return

        async def open_page() -> None:
            # Some browsers block until they exit; a thread keeps the UI responsive.
            opened = await asyncio.to_thread(webbrowser.open, url)
            if not opened:
                self.app.post_message(
                    ActionFailed("No browser", f"Could not open a browser for {url}")
                )

        self.app.run_worker(open_page(), group="browser", exit_on_error=False)

    def _copy_url(self, space_ids: tuple[str, ...]) -> None:
        url = space_url(self.app.target.endpoint, space_ids[0])
        self.app.copy_to_clipboard(url)
        self.app.notify(f"Copied {url}", title="Clipboard")

    def _watch(self, space_ids: tuple[str, ...]) -> None:
        def chosen(space_id: str | None) -> None:
            if space_id:
                self._config_edit(
                    lambda: config_edit.watch_space(self.app.config_path, space_id),
                    f"Watching {space_id}",
                    WatchListChanged(added=(space_id,)),
                )

        self.app.push_screen(
            TextPrompt(
                "Watch a Space",
                "Space id (for this demo only):"
                if self.app.demo
                else f"Space id (saved in {self.app.config_path.name}"
                f"{' on the server' if self.app.web_mode else ''}):",
                placeholder="namespace/name",
                check=check_space_id,
            ),
            chosen,
        )

    def _unwatch(self, space_ids: tuple[str, ...]) -> None:
        space_id = space_ids[0]
        if space_id not in self.app.config.space_ids:
            namespace = space_id.split("/")[0]
            self.app.notify(
                f"{space_id} is shown because all Spaces of {namespace} are watched; "
                f"list Spaces under `spaces:` in {self.app.config_path} to choose them one by one.",
                severity="warning",
            )
            return
        self._config_edit(
            lambda: config_edit.unwatch_space(self.app.config_path, space_id),
            f"Stopped watching {space_id}",
            WatchListChanged(removed=(space_id,)),
        )

    def _link_folder(self, space_ids: tuple[str, ...]) -> None:
        space_id = space_ids[0]
        entry = self.app.config.space(space_id)
        current = str(entry.folder) if entry and entry.folder else str(Path.cwd())

        def chosen(folder: str | None) -> None:
            if folder:
                resolved = str(Path(folder).expanduser().resolve())
                self._config_edit(
                    lambda: config_edit.link_folder(self.app.config_path, space_id, resolved),
                    f"{space_id} is linked to {resolved}",
                    WatchListChanged(added=(space_id,)),
                )

        self.app.push_screen(
            TextPrompt(
                f"Link a folder to {space_id}",
                "Local folder (checks and deploy use it):",
                value=current,
                check=_check_folder,
            ),
            chosen,
        )


def _check_folder(text: str) -> str | None:
    if not text:
        return "Type a folder path."
    return None if Path(text).expanduser().is_dir() else f"{text} is not a folder."
