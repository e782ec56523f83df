"""Dialogs name every field and show their keys; the hardware list says what each flavour is,
as far as the Hub says (never a price or size of our own)."""

from __future__ import annotations

from huggingface_hub import JobHardwareInfo
from textual.widgets import Input

from tests.helpers.app import SIZE, Hub, MakeApp, screen_text, wait_for
from tui.ui.hardware import flavour_choices, hardware_facts
from tui.ui.screens.dialogs import ChoiceDialog
from tui.ui.space_id_hint import space_id_problem
from tui.ui.widgets.space_table import SpaceTable

# The shape of GET /api/spaces/hardware (shared/reference/hub-wire.md).
CPU_BASIC = {
    "name": "cpu-basic",
    "prettyName": "CPU basic",
    "cpu": "2 vCPU",
    "ram": "16 GB",
    "unitCostMicroUSD": 0,
    "unitCostUSD": 0,
    "unitLabel": "minute",
}
T4_SMALL = {
    "name": "t4-small",
    "prettyName": "Nvidia T4 - small",
    "cpu": "4 vCPU",
    "ram": "15 GB",
    "unitCostMicroUSD": 10000,
    "unitCostUSD": 0.01,
    "unitLabel": "minute",
    "accelerator": {
        "type": "gpu",
        "model": "T4",
        "quantity": "1",
        "vram": "16 GB",
        "manufacturer": "Nvidia",
    },
}


def flat(app) -> str:  # noqa: ANN001
    return " ".join(screen_text(app).split())


def test_a_flavour_reads_as_the_hub_describes_it() -> None:
    assert hardware_facts(JobHardwareInfo(**CPU_BASIC)) == "2 vCPU, 16 GB (free)"
    assert hardware_facts(JobHardwareInfo(**T4_SMALL)) == (
        "4 vCPU, 15 GB, 1x Nvidia T4 16 GB ($0.60/hour)"
    )
    bare = {**CPU_BASIC, "cpu": "", "ram": "", "unitCostUSD": None}
    assert hardware_facts(JobHardwareInfo(**bare)) == ""
    choices = flavour_choices(["cpu-basic", "t4-small"], {"cpu-basic": "2 vCPU, 16 GB (free)"})
    assert choices == [("cpu-basic — 2 vCPU, 16 GB (free)", "cpu-basic"), ("t4-small", "t4-small")]


async def open_list(app, pilot) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: len(app.screen.query_one("#spaces", SpaceTable).space_ids) == 1)


async def test_the_hardware_list_shows_the_hub_s_facts(hub: Hub, make_app: MakeApp) -> None:
    # The emulator answers GET /api/spaces/hardware in the Hub's shape, from the Hub's docs.
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("h")
        await wait_for(pilot, lambda: "cpu-basic —" in flat(app))
        text = flat(app)
        assert "cpu-basic — 2 vCPU, 16 GB (free)" in text
        assert "t4-small — 4 vCPU, 15 GB, 1x Nvidia T4 16 GB ($0.40/hour)" in text
        assert "Enter choose" in text and "Esc cancel" in text


async def test_without_facts_the_hardware_list_says_names_only(hub: Hub, make_app: MakeApp) -> None:
    # The hardware list is unavailable (a 503 from the Hub): the names still let the user choose.
    hub.emu.faults.set(route="/api/spaces/hardware", status=503)
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await wait_for(pilot, lambda: "cpu-upgrade" in flat(app))
        assert "the Hub did not describe its flavours" in flat(app)
        assert "cpu-basic —" not in flat(app)


async def test_create_and_entry_dialogs_label_every_field_and_show_their_keys(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await wait_for(pilot, lambda: app.account is not None)
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreateSpaceDialog")
        await wait_for(pilot, lambda: "Esc cancel" in flat(app))
        text = flat(app)
        assert "Space id (namespace/name)" in text and "SDK" in text and "Visibility" in text
        assert "Enter create" in text and "Esc cancel" in text and "Tab next field" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")

        await pilot.press("S")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        await pilot.press("S")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "EntryDialog")
        await wait_for(pilot, lambda: "Esc cancel" in flat(app))
        text = flat(app)
        assert "Name (letters, digits and _)" in text and "Value (hidden while typed" in text
        assert "Enter next field, then save" in text and "Esc cancel" in text

        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "n/Esc cancel" in flat(app))
        assert "y restart" in flat(app) and "n/Esc cancel" in flat(app)


# -- QA pass: the create dialog names what is wrong with an id ------------


def test_space_id_problems_name_what_is_wrong() -> None:
    assert space_id_problem("demo/ok-name_1.2") is None
    bad = space_id_problem("demo/bad name!") or ""
    assert "'bad name!'" in bad and "space, '!'" in bad and "letters, digits" in bad
    assert "exactly one /" in (space_id_problem("bad") or "")
    assert "start and end" in (space_id_problem("demo/-x") or "")
    assert "missing" in (space_id_problem("demo/") or "")
    assert "at most 96" in (space_id_problem("demo/" + "a" * 100) or "")


async def test_the_create_dialog_names_the_characters_that_are_not_allowed(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#spaces", SpaceTable).row_count == 1)
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreateSpaceDialog")
        app.screen.query_one("#space-id", Input).value = "alice/bad name!"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "cannot hold" in screen_text(app))
        assert "namespace/name." not in screen_text(app)
