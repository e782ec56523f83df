"""Small modal dialogs that return their answer through `dismiss`: confirm, text, choice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.ui.keymap import CONFIRM_BINDINGS, DIALOG_BINDINGS

T = TypeVar("T")


class ConfirmDialog(ModalScreen[bool]):
    """Asks before something destructive; `y` confirms, `n`/Escape cancels (the default)."""

    BINDINGS = CONFIRM_BINDINGS

    def __init__(self, title: str, body: str, confirm_label: str = "Yes") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.body = body
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.body), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", variant="error", id="confirm")
                yield Button("Cancel (n)", variant="primary", id="cancel")

    def on_mount(self) -> None:
        # Enter on the focused default must never be the destructive choice.
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class TextPrompt(ModalScreen[str | None]):
    """Asks for one line of text; `check` returns an error sentence or None when the text is fine."""

    BINDINGS = DIALOG_BINDINGS

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        value: str = "",
        placeholder: str = "",
        password: bool = False,
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.placeholder = placeholder
        self.password = password
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.prompt), classes="dialog-body")
            yield Input(
                self.value, placeholder=self.placeholder, password=self.password, id="answer"
            )
            yield Static("", id="problem", classes="dialog-problem")

    @on(Input.Submitted, "#answer")
    def submit(self, event: Input.Submitted) -> None:
        answer = event.value.strip()
        problem = self.check(answer) if self.check else None
        if problem:
            self.query_one("#problem", Static).update(Text(problem))
            return
        self.dismiss(answer or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[T | None], Generic[T]):
    """Pick one of a few options (Enter); Escape picks nothing."""

    BINDINGS = DIALOG_BINDINGS

    def __init__(
        self, title: str, prompt: str, options: Sequence[tuple[str, T]], current: T | None = None
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.prompt = prompt
        self.options = list(options)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.prompt), classes="dialog-body")
            yield OptionList(
                *(
                    Option(Text(("● " if value == self.current else "  ") + label), id=str(index))
                    for index, (label, value) in enumerate(self.options)
                ),
                id="choices",
            )

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        values = [value for _, value in self.options]
        choices.highlighted = values.index(self.current) if self.current in values else 0
        choices.focus()

    @on(OptionList.OptionSelected, "#choices")
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
