"""Small modal dialogs that return their answer through `dismiss`: confirm, text, choice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.ui.keymap import CONFIRM_BINDINGS, DIALOG_BINDINGS

T = TypeVar("T")
#: Keys said in words in a dialog's hints, as the hints of the fields' own keys are.
_KEY_WORDS = {"enter": "Enter", "escape": "Esc", "tab": "Tab"}


class KeyHints(Static):
    """A dialog's keys, shown in the dialog itself (a modal screen has no footer).

    Each hint is (action or key, what it does): an action is shown with the keys bound to it on
    the dialog (the user's keymap applied); anything else, such as an input's own Enter, as is.
    """

    def __init__(self, *hints: tuple[str, str]) -> None:
        super().__init__(classes="dialog-keys")
        self.hints = hints

    def on_mount(self) -> None:
        bound: dict[str, list[str]] = {}
        for active in self.screen.active_bindings.values():
            keys = bound.setdefault(active.binding.action, [])
            binding = active.binding
            keys.append(_KEY_WORDS.get(binding.key) or self.app.get_key_display(binding))
        text = Text()
        for action, what in self.hints:
            if text:
                text.append("  ·  ", style="dim")
            text.append("/".join(bound.get(action, [action])), style="bold")
            text.append(f" {what}")
        self.update(text)


class ConfirmDialog(ModalScreen[bool]):
    """Asks before something destructive; `y` confirms, `n`/Escape cancels (the default)."""

    BINDINGS: ClassVar[list[BindingType]] = [*CONFIRM_BINDINGS]

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
            yield KeyHints(("confirm", self.confirm_label.lower()), ("cancel", "cancel"))

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

    BINDINGS: ClassVar[list[BindingType]] = [*DIALOG_BINDINGS]

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
            yield KeyHints(("Enter", "OK"), ("cancel", "cancel"))

    @on(Input.Changed, "#answer")
    def retyped(self) -> None:
        # The last refusal was about the text as it was submitted; once edited it no longer is.
        self.query_one("#problem", Static).update("")

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

    BINDINGS: ClassVar[list[BindingType]] = [*DIALOG_BINDINGS]

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
            yield KeyHints(("↑/↓", "move"), ("Enter", "choose"), ("cancel", "cancel"))

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
