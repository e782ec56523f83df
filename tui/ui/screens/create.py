"""The "new Space" dialog: id, SDK and visibility; the plan gate is asked before it closes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from tui.ui.keymap import DIALOG_BINDINGS
from tui.ui.screens.dialogs import KeyHints
from tui.ui.space_id_hint import space_id_problem

SDKS = ("docker", "gradio", "streamlit", "static")


@dataclass(frozen=True)
class NewSpace:
    """What the user asked to create."""

    space_id: str
    sdk: str
    private: bool


#: Asks whether the namespace's plan lets it host the new Space: a sentence why not, else None.
PlanCheck = Callable[[NewSpace], Awaitable[str | None]]


class CreateSpaceDialog(ModalScreen[NewSpace | None]):
    """Asks for the new Space's id, SDK and visibility; Escape cancels.

    With `check` (the plan gate, given by the app's actions: this screen never talks to the
    Hub), a refusal is shown in the dialog and the dialog stays open for another choice.
    """

    BINDINGS: ClassVar[list[BindingType]] = [*DIALOG_BINDINGS]

    def __init__(self, namespace: str = "", *, check: PlanCheck | None = None) -> None:
        super().__init__(classes="dialog")
        self.namespace = namespace
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Create a Space", classes="dialog-title")
            yield Label("Space id (namespace/name)", classes="dialog-label")
            # The namespace stays when the user starts typing the name.
            yield Input(
                f"{self.namespace}/" if self.namespace else "",
                placeholder="namespace/name",
                select_on_focus=False,
                id="space-id",
            )
            yield Label("SDK", classes="dialog-label")
            yield Select([(sdk, sdk) for sdk in SDKS], value="docker", allow_blank=False, id="sdk")
            yield Label("Visibility", classes="dialog-label")
            yield Checkbox("Private (only you and your organisations see it)", True, id="private")
            yield Static("", id="problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", variant="primary", id="create")
                yield Button("Cancel", id="cancel")
            yield KeyHints(
                ("Tab", "next field"), ("Enter", "create (in the id field)"), ("cancel", "cancel")
            )

    @on(Input.Submitted, "#space-id")
    @on(Button.Pressed, "#create")
    def create(self) -> None:
        space_id = self.query_one("#space-id", Input).value.strip()
        problem = space_id_problem(space_id)
        if problem:
            self.query_one("#problem", Static).update(Text(problem))
            return
        sdk = str(self.query_one("#sdk", Select).value)
        new = NewSpace(space_id, sdk, self.query_one("#private", Checkbox).value)
        if self.check is None:
            self.dismiss(new)
            return
        button = self.query_one("#create", Button)
        if button.disabled:
            return  # a check is already under way
        button.disabled = True
        self.query_one("#problem", Static).update(Text("Checking the plan …"))
        self.run_worker(self._checked(new, self.check), group="plan-check", exclusive=True)

    async def _checked(self, new: NewSpace, check: PlanCheck) -> None:
        refusal = await check(new)
        if refusal is None:
            self.dismiss(new)
            return
        self.query_one("#problem", Static).update(Text(refusal))
        self.query_one("#create", Button).disabled = False

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
