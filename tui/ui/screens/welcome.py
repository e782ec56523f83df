"""Shown when no Hub token is configured: how to sign in, and the demo one key away."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.ui.keymap import WELCOME_BINDINGS

SIGN_IN_HELP = (
    "spacetui uses your Hugging Face token to watch and manage your Spaces.\n\n"
    "  • run  hf auth login  (it saves a token spacetui finds on its own), or\n"
    "  • set  HF_TOKEN  in the environment,\n"
    "then start spacetui again. The token is never shown, logged or stored by spacetui.\n\n"
    "Meanwhile you are in the offline demo: a local Hub emulator with the demo account, "
    "where every key works for real."
)


class WelcomeScreen(ModalScreen[bool]):
    """Not signed in: Enter continues with the demo (the default), q quits."""

    BINDINGS: ClassVar[list[BindingType]] = [*WELCOME_BINDINGS]

    def __init__(self, endpoint: str) -> None:
        super().__init__(classes="dialog")
        self.endpoint = endpoint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="welcome-box"):
            yield Label(
                Text(f"No Hugging Face token found for {self.endpoint}"), classes="dialog-title"
            )
            yield Static(Text(SIGN_IN_HELP), classes="dialog-body")
            yield Static(
                Text("Enter: continue with the demo    q: quit", style="bold"), id="welcome-keys"
            )

    def action_demo(self) -> None:
        self.dismiss(True)

    def action_quit_app(self) -> None:
        self.dismiss(False)
