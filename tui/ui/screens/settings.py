"""The secrets and variables editor of one Space: secret values are typed masked and never shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from tui.domain.errors import SpacetuiError
from tui.domain.secret_shapes import variable_refusal
from tui.ui.keymap import DIALOG_BINDINGS, SETTINGS_BINDINGS
from tui.ui.messages import ActionFailed
from tui.ui.screens.dialogs import ConfirmDialog, KeyHints
from tui.ui.widgets.space_cells import safe, since_cell

if TYPE_CHECKING:
    from tui.domain.hub.types import SecretInfo, VariableInfo
    from tui.ui.app import SpacesApp

# The Hub's rule for secret and variable names (environment-variable-like).
_KEY_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NOT_KEY_CHAR = re.compile(r"[^A-Za-z0-9_]")
_MASK = "•••••• (write-only)"


@dataclass
class SettingsLoaded(Message):
    """The Space's secrets and variables, as the Hub lists them."""

    secrets: dict[str, SecretInfo]
    variables: dict[str, VariableInfo]


@dataclass(frozen=True)
class NewEntry:
    """A secret or variable to add: the value travels only from the input to the Hub call."""

    key: str
    value: str


class EntryDialog(ModalScreen[NewEntry | None]):
    """Name and value of a secret (value masked while typed) or a variable."""

    BINDINGS = [
        *DIALOG_BINDINGS,
        # A priority binding runs on the app's queue, before the keys typed after Enter are
        # delivered: they go to the value field, never to the name field.
        Binding(
            "enter",
            "advance",
            "Next / save",
            id="entry.advance",
            priority=True,
            tooltip="From the name to the value; on the value: save",
        ),
    ]

    def __init__(self, kind: str) -> None:
        super().__init__(classes="dialog")
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(f"Add a {self.kind}", classes="dialog-title")
            yield Label("Name (letters, digits and _)", classes="dialog-label")
            # Every character is typed as is: one the Hub refuses is named below, never dropped
            # in silence (`my-key` must not become `mykey`).
            yield Input(placeholder="NAME", id="key")
            secret = self.kind == "secret"
            yield Label(
                "Value (hidden while typed, never shown)" if secret else "Value",
                classes="dialog-label",
            )
            yield Input(placeholder="value", password=secret, id="value")
            yield Static("", id="problem", classes="dialog-problem")
            yield KeyHints(("advance", "next field, then save"), ("cancel", "cancel"))

    def action_advance(self) -> None:
        if self.focused is self.query_one("#key", Input):
            # set_focus, not Widget.focus (deferred): the next key must already find the value.
            self.set_focus(self.query_one("#value", Input))
        else:
            self.submit()

    @on(Input.Changed, "#key")
    def check_name(self, event: Input.Changed) -> None:
        """Say at once which typed characters a name cannot have."""
        self.query_one("#problem", Static).update(Text(_name_problem(event.value) or ""))

    def _problem(self, key: str, value: str) -> str | None:
        problem = _name_problem(key)
        if problem or not _KEY_PATTERN.match(key):
            return problem or "A name uses letters, digits and _ and does not start with a digit."
        if not value:
            return f"Type a value for {key}: an empty {self.kind} is not saved."
        if self.kind == "variable" and variable_refusal(key, value):
            # The Hub client refuses it too; said here, before anything is sent, with the fix.
            return (
                f"Not saved: variables are public, and {key}'s value looks like a token. "
                "Add it as a secret instead (Esc, then S)."
            )
        return None

    def submit(self) -> None:
        key_input = self.query_one("#key", Input)
        value_input = self.query_one("#value", Input)
        key = key_input.value.strip()
        problem = self._problem(key, value_input.value)
        if problem:
            self.query_one("#problem", Static).update(Text(problem))
            self.set_focus(value_input if _KEY_PATTERN.match(key) else key_input)
            return
        entry = NewEntry(key, value_input.value)
        value_input.value = ""  # the secret leaves the screen with the dialog
        self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _name_problem(name: str) -> str | None:
    """The characters a secret or variable name cannot have, named; None when there are none."""
    bad = list(dict.fromkeys(_NOT_KEY_CHAR.findall(name)))
    if bad:
        shown = ", ".join("space" if char == " " else repr(char) for char in bad)
        return f"Not allowed in a name: {shown}. A name uses letters, digits and _ only."
    if name[:1].isdigit():
        return "A name does not start with a digit."
    return None


class SettingsScreen(Screen[None]):
    """Lists secrets (names only) and variables of a Space; add, replace and delete them."""

    BINDINGS: ClassVar[list[BindingType]] = [*SETTINGS_BINDINGS]

    def __init__(self, space_id: str) -> None:
        super().__init__()
        self.space_id = space_id

    @property
    def spaces_app(self) -> SpacesApp:
        return cast("SpacesApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(
            Text(f"Secrets and variables of {self.space_id}", style="bold"), id="settings-title"
        )
        yield Static(
            Text(
                "Secret values are write-only: the Hub never sends them back, and spacetui never shows them."
            ),
            id="settings-hint",
        )
        table: DataTable[Text] = DataTable(id="settings-table", cursor_type="row")
        table.add_column("Kind", key="kind")
        table.add_column("Name", key="name")
        table.add_column("Value", key="value")
        table.add_column("Updated", key="updated")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="settings:load", exit_on_error=False)
    async def load(self) -> None:
        """Fetch both lists; the handler fills the table."""
        hub = self.spaces_app.hub
        try:
            secrets = await hub.secrets(self.space_id)
            variables = await hub.variables(self.space_id)
        except SpacetuiError as exc:
            self.app.post_message(ActionFailed(exc.title, exc.message))
            return
        self.post_message(SettingsLoaded(secrets, variables))

    @on(SettingsLoaded)
    def fill_table(self, event: SettingsLoaded) -> None:
        table = self.query_one("#settings-table", DataTable)
        table.clear()
        now = self.spaces_app.clock()
        for key, secret in sorted(event.secrets.items()):
            table.add_row(
                Text("secret"),
                Text(safe(key, 80)),
                Text(_MASK, style="dim"),
                since_cell(secret.updated_at, now),
                key=f"secret:{key}",
            )
        for key, variable in sorted(event.variables.items()):
            table.add_row(
                Text("variable"),
                Text(safe(key, 80)),
                Text(safe(variable.value, 80)),
                since_cell(variable.updated_at, now),
                key=f"variable:{key}",
            )
        if not table.row_count:
            table.add_row(
                Text("-"), Text("no secrets or variables yet", style="dim"), Text(""), Text("")
            )

    def action_add_secret(self) -> None:
        self.app.push_screen(EntryDialog("secret"), lambda entry: self._save("secret", entry))

    def action_add_variable(self) -> None:
        self.app.push_screen(EntryDialog("variable"), lambda entry: self._save("variable", entry))

    def _save(self, kind: str, entry: NewEntry | None) -> None:
        if entry is not None:
            self.change(kind, entry.key, entry.value)

    def action_delete(self) -> None:
        table = self.query_one("#settings-table", DataTable)
        if not table.row_count:
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        kind, _, key = str(row_key).partition(":")
        if kind not in ("secret", "variable"):
            return
        self.app.push_screen(
            ConfirmDialog(
                f"Delete the {kind} {key}?",
                f"{self.space_id} loses it at its next restart.",
                "Delete",
            ),
            partial(self._delete_if_confirmed, kind, key),
        )

    def _delete_if_confirmed(self, kind: str, key: str, confirmed: bool | None) -> None:
        if confirmed:
            self.change(kind, key, None)

    @work(group="settings:change", exit_on_error=False)
    async def change(self, kind: str, key: str, value: str | None) -> None:
        """Add (value given) or delete (None) one entry, then reload the lists."""
        hub = self.spaces_app.hub
        from tui.web.mode import own_token_problem

        # A dashboard hosted in a Space never hands its own token on to another Space.
        refusal = own_token_problem(value or "", self.spaces_app.target.token)
        if kind == "secret" and refusal:
            self.app.post_message(ActionFailed("Not stored", refusal))
            return
        try:
            if kind == "secret" and value is not None:
                await hub.add_secret(self.space_id, key, value)
            elif kind == "secret":
                await hub.delete_secret(self.space_id, key)
            elif value is not None:
                await hub.add_variable(self.space_id, key, value)
            else:
                await hub.delete_variable(self.space_id, key)
        except SpacetuiError as exc:
            self.app.post_message(ActionFailed(exc.title, exc.message))
            return
        self.load()
