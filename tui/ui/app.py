"""SpacesApp: wires the Hub client, the monitor, the board, the screens and the actions together."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from tui.domain.config import Config, ConfigError
from tui.domain.errors import AuthError, SpacetuiError
from tui.domain.models import Stage
from tui.domain.sanitize import for_terminal, redact, register_secret
from tui.ui.actions import SpaceActions
from tui.ui.board import SpaceBoard
from tui.ui.commands import SpaceCommands
from tui.ui.controllers.checks import ChecksController
from tui.ui.controllers.deploy import DeployController
from tui.ui.controllers.deploy_messages import (
    DeployCancelRequested,
    DeployRequested,
    ReviewAnswered,
    SaveRequested,
)
from tui.ui.controllers.files import save_text
from tui.ui.controllers.history import HistoryController
from tui.ui.controllers.history_messages import RollbackRequested
from tui.ui.keymap import APP_BINDINGS, check_keymap
from tui.ui.messages import (
    ActionFailed,
    ActionRequested,
    ActionSucceeded,
    ConfigChanged,
    MonitorStarted,
    SignedIn,
    SignInFailed,
    SpacesRefreshed,
    WatchListChanged,
)
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.welcome import WelcomeScreen
from tui.ui.widgets.space_cells import safe

if TYPE_CHECKING:
    from tui.domain.auth import HubTarget
    from tui.domain.hub import HubClient
    from tui.domain.hub.types import Account
    from tui.domain.monitor import SpaceMonitor
    from tui.ui.deploy_run import DeployRun

#: Builds the monitor: (hub, explicit Space ids, authors) -> SpaceMonitor. Tests pass short intervals.
#: A toast longer than this is cut (remote text can be a whole log line or page).
TOAST_LIMIT = 500

MonitorFactory = Callable[["HubClient", Sequence[str], Sequence[str]], "SpaceMonitor"]


def default_monitor(
    hub: HubClient, space_ids: Sequence[str], authors: Sequence[str]
) -> SpaceMonitor:
    from tui.domain.monitor import SpaceMonitor

    return SpaceMonitor(hub, space_ids=space_ids, authors=authors)


class SpacesApp(App[None]):
    """The spacetui app on one Hub target."""

    CSS_PATH = "app.tcss"
    TITLE = "spacetui"
    #: A screen under 30 rows (80x24) gets the class -short: dialogs drop their blank lines
    #: there, so their fields, buttons and keys fit (app.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS]
    COMMANDS = App.COMMANDS | {SpaceCommands}

    def __init__(
        self,
        target: HubTarget,
        *,
        config: Config | None = None,
        config_path: Path | None = None,
        config_error: ConfigError | None = None,
        demo: bool = False,
        missing_token_for: str | None = None,
        hub: HubClient | None = None,
        clock: Callable[[], float] = time.time,
        monitor_factory: MonitorFactory = default_monitor,
    ) -> None:
        super().__init__()
        self.target = target
        register_secret(target.token)
        if hub is None:
            from tui.domain.hub import HubClient

            hub = HubClient(target)
        self.hub: HubClient = hub
        self.config = config or Config(path=config_path)
        self.config_path = config_path or self.config.path or Path("spacetui.yaml")
        self.config_error = config_error
        #: Keymap entries not applied (unknown id, a key taken), each located: shown with the rest.
        self.keymap_problems: list[str] = []
        #: The keymap entries applied (the help screen shows these keys).
        self.applied_keymap: dict[str, str] = {}
        self.demo = demo
        #: The Hub that had no token: the app opens with the sign-in help over the demo.
        self.missing_token_for = missing_token_for
        self.clock = clock
        self.monitor_factory = monitor_factory
        self.monitor: SpaceMonitor | None = None
        self.account: Account | None = None
        self.sign_in_error: str | None = None
        self.sign_in_is_auth = False
        self.first_round_done = False
        #: Watched Spaces the Hub never answered for (a typo, a private Space): id -> reason.
        self.unreachable: dict[str, str] = {}
        self.board = SpaceBoard(clock)
        self.board_changed: Signal[None] = Signal(self, "board-changed")
        #: Published once `config` is replaced by a saved edit (a folder linked, a Space watched).
        self.config_changed: Signal[None] = Signal(self, "config-changed")
        self.actions = SpaceActions(self)
        #: Owns the deploys started from the app (their workers, history and messages).
        self.deploys = DeployController(self)
        #: Owns the config checks of linked folders (run in workers, posted to the panes).
        self.checks = ChecksController(self)
        #: Reads Space histories and plans rollbacks for the History pane.
        self.history = HistoryController(self)
        from tui.web.mode import own_space_id, web_mode

        #: Served by `spacetui web`: links open in the browser, server-file actions are hidden.
        self.web_mode = web_mode()
        #: The Space this app runs in (a web dashboard hosted on the Hub), else None.
        self.own_space_id = own_space_id()

    @property
    def deploy_runs(self) -> dict[str, DeployRun]:
        """The latest deploy started from the app per Space (running or done)."""
        return self.deploys.runs

    async def on_event(self, event: events.Event) -> None:
        """Keys aimed at a text field are handled one by one, in the order they arrived.

        Textual types a character into an Input in the Input's own queue but resolves a binding
        (Tab, End, Enter…) only after the key has bubbled back up to the app. When keys arrive
        in one burst (a paste, a password manager, `tmux send-keys`), the characters after a Tab
        were typed into the field that still had focus: a secret's value landed in its name field.
        Resolving both here, on the app's queue, applies each key to the focus it finds.

        The binding is looked up with public API: `Screen.active_bindings` (the binding the
        footer shows for the key: the focused field's own first, a priority binding over any
        other) run with `App.run_action`. A key it does not settle (no binding, or a binding
        whose action declined) takes Textual's usual path, which tries the rest of the chain.
        """
        typed = isinstance(event, events.Key) and not event.is_forwarded and bool(self.screen_stack)
        focused = self.focused if typed else None  # no screen left while shutting down
        if isinstance(focused, Input) and self.screen.maximized is None:
            assert isinstance(event, events.Key)
            self.app_focus = True
            active = self.screen.active_bindings.get(event.key)
            if active is not None and active.binding.priority:
                if await self.run_action(active.binding.action, active.node):
                    return
            if event.is_printable and event.character is not None:
                selection = focused.selection
                if selection.is_empty:
                    focused.insert_text_at_cursor(event.character)
                else:
                    focused.replace(event.character, *selection)
                return
            if active is not None and not active.binding.priority:
                if await self.run_action(active.binding.action, active.node):
                    return
        await super().on_event(event)

    def get_default_screen(self) -> Screen[Any]:
        return DashboardScreen()

    def on_mount(self) -> None:
        self._apply_preferences()
        if self.missing_token_for:
            self.push_screen(
                WelcomeScreen(self.missing_token_for), lambda stay: None if stay else self.exit()
            )
        problems = [str(problem) for problem in self._config_problems()] + self.keymap_problems
        if problems:
            # Every problem at once, each with its file:line: not one per start.
            self.notify(
                "\n".join(problems),
                title=f"{self.config_path.name}: {len(problems)} problem"
                + ("s" if len(problems) != 1 else "")
                + (" (its valid parts are used)" if self.config_error else ""),
                severity="error" if self.config_error else "warning",
                timeout=15,
            )
        self.watch_spaces()

    def _apply_preferences(self) -> None:
        theme = self.config.ui.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            self.notify(f"ui.theme: unknown theme {theme!r}", severity="warning")
        if not self.config.keymap:
            return  # checking ids imports every optional pane: not worth it for nothing to check
        keymap, self.keymap_problems = check_keymap(
            self.config.keymap, lines=self.config.keymap_lines, file=str(self.config_path)
        )
        self.set_keymap(keymap)
        self.applied_keymap = keymap

    # ------------------------------------------------------------------ monitoring

    def watched_authors(self, account: Account | None = None) -> list[str]:
        """Namespaces whose every Space is watched: the account's own (with its orgs in the
        demo, whose Spaces live in both) and the config's `authors:`."""
        account = account or self.account
        own: tuple[str, ...] = ()
        if account:
            own = account.namespaces if self.demo else (account.name,)
        return list(dict.fromkeys([*own, *self.config.authors]))

    def is_watched(self, space_id: str) -> bool:
        return space_id in self.config.space_ids or space_id.split("/")[0] in self.watched_authors()

    @work(group="monitor", exclusive=True, exit_on_error=False, description="Watching Spaces")
    async def watch_spaces(self) -> None:
        """Sign in, then post every monitor round until the app exits."""
        account: Account | None = None
        try:
            account = await self.hub.whoami()
        except SpacetuiError as exc:
            self.post_message(SignInFailed(exc.title, exc.message, auth=isinstance(exc, AuthError)))
        else:
            self.post_message(SignedIn(account))
        monitor = self.monitor_factory(
            self.hub, self.config.space_ids, self.watched_authors(account)
        )
        self.post_message(MonitorStarted(monitor))
        async for update in monitor.updates():
            self.post_message(SpacesRefreshed(update))

    @on(MonitorStarted)
    def remember_monitor(self, event: MonitorStarted) -> None:
        self.monitor = event.monitor

    @on(SignedIn)
    def remember_account(self, event: SignedIn) -> None:
        self.account = event.account
        self.sign_in_error = None
        self.board_changed.publish(None)

    @on(SignInFailed)
    def report_sign_in(self, event: SignInFailed) -> None:
        self.sign_in_error = f"{event.title}: {event.message}"
        self.sign_in_is_auth = event.auth
        self.notify(event.message, title=event.title, severity="error", timeout=10)
        self.board_changed.publish(None)

    @on(SpacesRefreshed)
    def show_round(self, event: SpacesRefreshed) -> None:
        update = event.update
        self.board.apply(update.statuses, update.stale)
        self.unreachable = {
            space_id: reason
            for space_id, reason in update.stale.items()
            if space_id not in update.statuses
        }
        self.first_round_done = True
        for change in update.changes:
            if change.old is not None and change.old.stage != change.new.stage:
                self._announce(change.space_id, change.old.stage, change.new.stage)
        self.board_changed.publish(None)

    def _announce(self, space_id: str, old: Stage, new: Stage) -> None:
        """A toast (and the bell, if asked for) for a stage change, whatever screen is shown."""
        if self.config.ui.notify:
            severity: SeverityLevel = "error" if new.is_error else "information"
            self.notify(
                f"{space_id}: {old.value} → {new.value}", title="Stage changed", severity=severity
            )
        if self.config.ui.bell:
            self.bell()

    @on(ConfigChanged)
    def use_config(self, event: ConfigChanged) -> None:
        self.config = event.config
        self.config_changed.publish(None)

    @on(WatchListChanged)
    def follow_watch_list(self, event: WatchListChanged) -> None:
        if self.monitor is None:
            return
        if event.added:
            self.monitor.watch(space_ids=event.added)
        if event.removed:
            self.monitor.unwatch(space_ids=event.removed)

    # ------------------------------------------------------------------ actions

    @on(ActionRequested)
    def dispatch_action(self, event: ActionRequested) -> None:
        self.actions.run(event.action, event.space_ids)

    @on(DeployRequested)
    def start_deploy(self, event: DeployRequested) -> None:
        self.deploys.start(event.space_id, event.folder, event.flags)

    @on(ReviewAnswered)
    def answer_review(self, event: ReviewAnswered) -> None:
        self.deploys.answer(event.space_id, event.yes)

    @on(DeployCancelRequested)
    def cancel_deploy(self, event: DeployCancelRequested) -> None:
        self.deploys.cancel(event.space_id)

    @on(RollbackRequested)
    def start_rollback(self, event: RollbackRequested) -> None:
        self.deploys.start_rollback(event.plan, probe=event.probe)

    @on(SaveRequested)
    def save_requested_text(self, event: SaveRequested) -> None:
        save_text(self, event.path, event.text)

    @on(ActionSucceeded)
    def report_success(self, event: ActionSucceeded) -> None:
        if event.status is not None:
            self.board.put(event.status, partial=True)
            self.board_changed.publish(None)
        if self.monitor is not None:
            self.monitor.wake()  # follow the consequences of the action at the fast pace now
        self.notify(event.message)

    @on(ActionFailed)
    def report_failure(self, event: ActionFailed) -> None:
        self.notify(
            safe(redact(event.message), 500), title=event.title, severity="error", timeout=10
        )

    @on(Worker.StateChanged)
    def report_crashed_worker(self, event: Worker.StateChanged) -> None:
        """A bug in a worker becomes one notification (token-free), never a traceback on screen."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            message = (
                error.message
                if isinstance(error, SpacetuiError)
                else f"{type(error).__name__}: {error}"
            )
            self.notify(
                redact(message),
                title=f"{event.worker.description or event.worker.name} failed",
                severity="error",
                timeout=15,
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Textual's toast, but plain, sanitised text by default: messages often carry remote text."""
        if not markup:
            message, title = for_terminal(message, TOAST_LIMIT), for_terminal(title, one_line=True)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's Screenshot: saved where a folder exists, with a toast saying where."""
        if self.web_mode:
            return super().deliver_screenshot(filename, path, time_format)  # a browser download
        from tui.ui.controllers.screenshot import save_screenshot

        save_screenshot(self, [Path(path)] if path else None)
        return None

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette's fixed commands: the app's own, then Textual's (theme, keys, quit)."""
        yield SystemCommand(
            "space: new", "Create a new Space", lambda: self.post_message(ActionRequested("create"))
        )
        yield SystemCommand(
            "space: watch",
            # The demo saves its watch list in a scratch file, never the user's spacetui.yaml.
            "Watch a Space by id (for this demo only)"
            if self.demo
            else f"Watch a Space by id ({self.config_path.name})",
            lambda: self.post_message(ActionRequested("watch")),
        )
        yield SystemCommand("app: help", "Every key", self.action_help)
        yield from super().get_system_commands(screen)

    # ------------------------------------------------------------------ state for screens

    def notice(self) -> tuple[Text | None, str]:
        """Every notice for the top of the list, one per line, and the most severe severity.

        Notices stack rather than replace each other: the demo line stays while a warning shows.
        """
        notices = self._notices()
        if not notices:
            return None, "info"
        severities = [severity for _, severity in notices]
        worst = next(s for s in ("error", "warning", "info") if s in severities)
        return Text("\n").join(text for text, _ in notices), worst

    def _notices(self) -> list[tuple[Text, str]]:
        notices: list[tuple[Text, str]] = []
        if self.config_error:
            lines = "\n".join(str(problem) for problem in self._config_problems())
            notices.append(
                (
                    Text(
                        f"{self.config_path.name} has problems; running with its valid "
                        f"parts until it is fixed:\n{lines}"
                    ),
                    "error",
                )
            )
        if self.keymap_problems:
            lines = "\n".join(self.keymap_problems)
            notices.append((Text(f"Key bindings not applied:\n{lines}"), "warning"))
        if self.sign_in_error and self.sign_in_is_auth:
            hint = "run `hf auth login` or set HF_TOKEN"
            notices.append((Text(f"Not signed in ({self.sign_in_error}); {hint}."), "error"))
        elif self.sign_in_error:
            notices.append(
                (Text(f"Could not ask the Hub who you are ({self.sign_in_error})."), "error")
            )
        if self.unreachable:
            listed = "; ".join(
                f"{space_id}: {reason}" for space_id, reason in sorted(self.unreachable.items())
            )
            notices.append((Text(f"⚠ Watched but not shown: {safe(listed, 400)}"), "warning"))
        stale = {row.stale_reason for row in self.board.rows if row.stale_reason}
        if stale:
            # The reason is the error's own sentence (a 503 means the Hub *was* reached).
            reasons = " ".join(safe(reason, 300) for reason in sorted(stale))
            notices.append((Text(f"⚠ {reasons} Showing the last known stages."), "warning"))
        if self.demo:
            notices.append(
                (
                    Text(
                        "Demo: an offline Hub emulator with the demo account. To see your "
                        "own Spaces, run `hf auth login` or set HF_TOKEN, then start "
                        "spacetui again."
                    ),
                    "info",
                )
            )
        return notices

    def _config_problems(self) -> list[Any]:
        """The config's problems in line order (problems without a line first)."""
        problems = self.config_error.problems if self.config_error else ()
        return sorted(problems, key=lambda problem: problem.line or 0)

    async def on_unmount(self) -> None:
        await self.hub.aclose()
