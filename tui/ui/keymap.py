"""Every key binding of the app, each with an id so spacetui.yaml's `keymap:` can remap it.

Screens take their `BINDINGS` from here, the help screen lists these groups, and
`check_keymap` validates the user's keymap against the ids before `App.set_keymap` applies it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.keys import format_key

if TYPE_CHECKING:
    from textual.widget import Widget

APP_BINDINGS = [
    Binding("question_mark", "help", "Help", id="app.help", tooltip="Every key, in one screen"),
    Binding(
        # Binding the action to colon alone hides Textual's own ctrl+p binding of it.
        "colon,ctrl+p",
        "command_palette",
        "Commands",
        id="app.palette",
        key_display=":",
        # Textual's Footer docks the palette key (ctrl+p) at its right edge itself; shown here
        # too, it appeared twice.
        show=False,
        tooltip="The command palette (also ctrl+p)",
    ),
    Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave spacetui"),
]

# Keys that act on the selected Space, shared by the Space list and the Space screen.
SPACE_BINDINGS = [
    Binding(
        "l",
        "space('logs')",
        "Logs",
        id="space.logs",
        tooltip="Run logs (marked Spaces side by side)",
    ),
    Binding(
        "b",
        "space('build_logs')",
        "Build log",
        id="space.build_logs",
        show=False,
        tooltip="Build logs",
    ),
    # Destructive verbs sit on keys nothing else uses (r is the log viewer's run log).
    Binding(
        "ctrl+r",
        "space('restart')",
        "Restart",
        id="space.restart",
        key_display="^r",
        tooltip="Restart (asks first)",
    ),
    Binding(
        "R",
        "space('factory_rebuild')",
        "Rebuild",
        id="space.factory_rebuild",
        show=False,
        tooltip="Factory rebuild without cache (asks first)",
    ),
    Binding(
        "p",
        "space('pause_resume')",
        "Pause/resume",
        id="space.pause_resume",
        tooltip="Pause (asks first) or resume",
    ),
    Binding(
        "z",
        "space('sleep_time')",
        "Sleep time",
        id="space.sleep_time",
        show=False,
        tooltip="Set the sleep time",
    ),
    Binding(
        "h",
        "space('hardware')",
        "Hardware",
        id="space.hardware",
        show=False,
        tooltip="Request other hardware (asks first)",
    ),
    Binding(
        "S",
        "space('settings')",
        "Secrets/vars",
        id="space.settings",
        show=False,
        tooltip="Edit secrets and variables",
    ),
    Binding(
        "o",
        "space('browser')",
        "Browser",
        id="space.browser",
        show=False,
        tooltip="Open the Space in the web browser",
    ),
    Binding(
        "y",
        "space('copy_url')",
        "Copy URL",
        id="space.copy_url",
        show=False,
        tooltip="Copy the Space's URL to the clipboard",
    ),
    Binding(
        "F",
        "space('link_folder')",
        "Link folder",
        id="space.link_folder",
        show=False,
        tooltip="Link a local folder to the Space (saved in spacetui.yaml)",
    ),
    Binding(
        "c",
        "space('checks')",
        "Checks",
        id="space.checks",
        show=False,
        tooltip="Config checks of the linked folder",
    ),
    Binding(
        "d",
        "space('deploy')",
        "Deploy",
        id="space.deploy",
        show=False,
        tooltip="Deploy the linked folder",
    ),
]

LIST_BINDINGS = [
    Binding("enter", "open", "Open", id="list.open", tooltip="Open the selected Space"),
    Binding(
        "slash",
        "filter",
        "Filter",
        id="list.filter",
        key_display="/",
        tooltip="Show only Spaces matching words",
    ),
    Binding(
        "escape",
        "clear_filter",
        "Clear filter",
        id="list.clear_filter",
        show=False,
        tooltip="Show every Space again",
    ),
    Binding(
        "space",
        "mark",
        "Mark",
        id="list.mark",
        show=False,
        tooltip="Mark the Space for side-by-side logs (l or b on a marked row opens them all)",
    ),
    Binding(
        "u",
        "clear_marks",
        "Unmark all",
        id="list.clear_marks",
        show=False,
        tooltip="Clear every mark",
    ),
    Binding(
        "n",
        "space('create')",
        "New Space",
        id="list.create",
        show=False,
        tooltip="Create a new Space",
    ),
    Binding(
        "a",
        "space('watch')",
        "Watch",
        id="list.watch",
        show=False,
        tooltip="Watch another Space (saved in spacetui.yaml)",
    ),
    Binding(
        "x",
        "space('unwatch')",
        "Unwatch",
        id="list.unwatch",
        show=False,
        tooltip="Stop watching the Space (saved in spacetui.yaml)",
    ),
    *(
        Binding(
            str(number),
            f"sort('{key}')",
            f"Sort by {key}",
            id=f"list.sort.{key}",
            show=False,
            tooltip=f"Sort by {key} (again: reverse)",
        )
        for number, key in enumerate(("space", "sdk", "stage", "age", "hardware", "changed"), 1)
    ),
]

#: Bound on the Space list's table itself: DataTable's own Home/End scroll sideways instead.
LIST_CURSOR_BINDINGS = [
    Binding(
        "home,g",
        "scroll_top",
        "First Space",
        id="list.first",
        show=False,
        tooltip="Move to the first Space of the list",
    ),
    Binding(
        "end,G",
        "scroll_bottom",
        "Last Space",
        id="list.last",
        show=False,
        tooltip="Move to the last Space of the list",
    ),
]

SPACE_SCREEN_BINDINGS = [
    Binding("escape", "app.pop_screen", "Back", id="space_screen.back", tooltip="Back to the list"),
    Binding(
        "i",
        "pane('runtime')",
        "Runtime",
        id="space_screen.runtime",
        tooltip="The runtime panel",
    ),
    Binding(
        "H",
        "pane('history')",
        "History",
        id="space_screen.history",
        tooltip="Revisions with their outcomes; roll back to one",
    ),
]

#: The app's Help binding, repeated early in a screen's bindings: the footer lists the focused
#: widget's keys, then the screen's, then the app's, so at 80 columns the app's own were cut.
FOOTER_HELP = APP_BINDINGS[0]

#: Everything the Space screen binds; unlike the list, its footer has room for Checks and Deploy.
SPACE_SCREEN_ALL = [
    SPACE_SCREEN_BINDINGS[0],
    FOOTER_HELP,
    *SPACE_SCREEN_BINDINGS[1:],
    *(
        replace(b, show=True) if b.id in ("space.checks", "space.deploy") else b
        for b in SPACE_BINDINGS
    ),
]

CONFIRM_BINDINGS = [
    Binding("y", "confirm", "Yes", id="dialog.confirm", tooltip="Do it"),
    Binding("n,escape", "cancel", "No", id="dialog.cancel", tooltip="Do nothing"),
]

SETTINGS_BINDINGS = [
    Binding(
        "S", "add_secret", "Add secret", id="settings.add_secret", tooltip="Add or replace a secret"
    ),
    Binding(
        "v",
        "add_variable",
        "Add variable",
        id="settings.add_variable",
        tooltip="Add or replace a variable",
    ),
    Binding(
        "delete,x", "delete", "Delete", id="settings.delete", tooltip="Delete the selected entry"
    ),
    Binding("escape", "app.pop_screen", "Back", id="settings.close", tooltip="Back"),
]

DIALOG_BINDINGS = [
    Binding(
        "escape", "cancel", "Cancel", id="dialog.close", tooltip="Close without doing anything"
    ),
]

HELP_BINDINGS = [
    Binding("escape", "app.pop_screen", "Back", id="help.close", tooltip="Back to where you were"),
    Binding(
        "question_mark",
        "app.pop_screen",
        "Help",
        id="help.toggle",
        tooltip="? again closes the help",
    ),
]

WELCOME_BINDINGS = [
    Binding(
        "enter,escape",
        "demo",
        "Open the demo",
        id="welcome.demo",
        tooltip="Continue with the offline demo",
    ),
    Binding("q", "quit_app", "Quit", id="welcome.quit", tooltip="Leave spacetui"),
]

#: (group title, bindings) in the order the help screen shows them.
GROUPS: list[tuple[str, list[Binding]]] = [
    ("Everywhere", APP_BINDINGS),
    ("Space list", [*LIST_BINDINGS, *LIST_CURSOR_BINDINGS]),
    ("Selected Space (list and Space screen)", SPACE_BINDINGS),
    ("Space screen", SPACE_SCREEN_BINDINGS),
    ("Confirmation", CONFIRM_BINDINGS),
    ("Secrets and variables", SETTINGS_BINDINGS),
    ("Other dialogs", DIALOG_BINDINGS),
    ("Help", HELP_BINDINGS),
    ("Not signed in", WELCOME_BINDINGS),
]


def extra_groups() -> list[tuple[str, list[Binding]]]:
    """Binding groups of the log viewer, checks and deploy panes (their own modules' bindings)."""
    # Imported here: those modules import this one (for the dialogs' bindings).
    from tui.ui.screens.logs import LogsScreen
    from tui.ui.widgets.check_file_view import FileView
    from tui.ui.widgets.checks_pane import ChecksPane
    from tui.ui.widgets.deploy_pane import DeployPane
    from tui.ui.widgets.history_pane import HistoryPane
    from tui.ui.widgets.log_view import LogView

    owners: tuple[tuple[str, type[Widget]], ...] = (
        ("Logs screen", LogsScreen),
        ("Log view", LogView),
        ("Config checks pane", ChecksPane),
        ("Deploy pane", DeployPane),
        ("History pane", HistoryPane),
        ("File view", FileView),
    )
    groups: list[tuple[str, list[Binding]]] = []
    for title, owner in owners:
        bindings = [b for b in owner.BINDINGS if isinstance(b, Binding)]
        if bindings:
            groups.append((title, bindings))
    return groups


def all_groups() -> list[tuple[str, list[Binding]]]:
    """Every group of bindings, the app's own first."""
    return GROUPS + extra_groups()


def known_binding_ids(groups: Iterable[tuple[str, list[Binding]]] | None = None) -> set[str]:
    """Every binding id a keymap may name."""
    return {b.id for _, bindings in (groups or all_groups()) for b in bindings if b.id}


def binding_scopes() -> dict[str, list[Binding]]:
    """The bindings live together on each screen or pane, by name: there a key has one meaning."""
    from tui.ui.screens.logs import LogsScreen
    from tui.ui.widgets.check_file_view import FileView
    from tui.ui.widgets.checks_pane import ChecksPane
    from tui.ui.widgets.deploy_pane import DeployPane
    from tui.ui.widgets.log_view import LogView

    def own(owner: type[Widget]) -> list[Binding]:
        return [b for b in owner.BINDINGS if isinstance(b, Binding)]

    space_screen = [*APP_BINDINGS, *SPACE_SCREEN_ALL]
    return {
        "Space list": [*APP_BINDINGS, *LIST_BINDINGS, *LIST_CURSOR_BINDINGS, *SPACE_BINDINGS],
        "Space screen": space_screen,
        "Config checks pane": [*own(ChecksPane), *space_screen],
        "File view": [*own(FileView), *space_screen],
        "Deploy pane": [*own(DeployPane), *own(LogView), *space_screen],
        "Logs screen": [*own(LogView), *own(LogsScreen), *APP_BINDINGS],
        "Confirmation": CONFIRM_BINDINGS,
        "Secrets and variables": [*SETTINGS_BINDINGS, *APP_BINDINGS],
        "Help": HELP_BINDINGS,
        "Not signed in": WELCOME_BINDINGS,
    }


def split_keys(keys: str) -> list[str]:
    """`"escape,q"` -> `["escape", "q"]`."""
    return [key.strip() for key in keys.split(",") if key.strip()]


def check_keymap(
    keymap: Mapping[str, str],
    *,
    lines: Mapping[str, int] | None = None,
    file: str = "spacetui.yaml",
) -> tuple[dict[str, str], list[str]]:
    """The usable part of a keymap, and one located sentence per entry that is not used: an
    unknown binding id, or a key that another binding of the same screen already has (the
    entry is dropped, so neither binding hides the other)."""
    lines = lines or {}

    def where(binding_id: str) -> str:
        line = lines.get(binding_id)
        return f"{file}:{line}: keymap.{binding_id}" if line else f"{file}: keymap.{binding_id}"

    known = known_binding_ids()
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id in known:
            usable[binding_id] = keys
            continue
        close = difflib.get_close_matches(binding_id, sorted(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(f"{where(binding_id)}: unknown binding id {binding_id!r}{hint}")
    for scope, bindings in binding_scopes().items():
        owners: dict[str, Binding] = {}
        for binding in bindings:
            if binding.id in usable:
                bound = split_keys(usable[binding.id])
            else:
                bound = split_keys(keymap_keys(binding, usable))
            for key in bound:
                other = owners.setdefault(key, binding)
                if other.id == binding.id or not (binding.id in usable or other.id in usable):
                    continue  # the same binding, or a default overlap by design (pane first)
                dropped = binding if binding.id in usable else other
                kept = other if dropped is binding else binding
                if dropped.id not in usable:
                    continue  # already reported in another scope
                problems.append(
                    f"{where(dropped.id)}: {key!r} is already {kept.description} "
                    f"({kept.id}) on the {scope}; {dropped.id} keeps "
                    f"{keys_for(dropped, {})}"
                )
                del usable[dropped.id]
    return usable, problems


def keymap_keys(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys of `binding` once `keymap` applies (comma separated, Textual's names)."""
    return keymap.get(binding.id, binding.key) if binding.id else binding.key


_KEY_NAMES = {
    "enter": "enter",
    "question_mark": "?",
    "slash": "/",
    "colon": ":",
    "escape": "esc",
    "delete": "del",
}


def keys_for(binding: Binding, keymap: Mapping[str, str]) -> str:
    """Every key that triggers `binding` once the keymap is applied, as the help screen shows them.

    `key_display` is ignored on purpose: it is the footer's one-key label, and showing it here
    hid the other keys (ctrl+p beside `:`, G and End beside `f`).
    """
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    # Textual's own display names (`ampersand` -> `&`), as the footer shows them.
    return ", ".join(
        _KEY_NAMES.get(key.strip(), format_key(key.strip())) for key in keys.split(",")
    )
