"""The Space page that `o` opens and `y` copies: served to a browser (no token) as the Hub would."""

from __future__ import annotations

import httpx

from tui.emulator.server import RunningEmulator


def test_a_public_space_page_answers_with_its_card(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.state.commit("alice/app", {"README.md": b"---\nsdk: docker\n---\n"})
    page = httpx.get(f"{emulator.url}/spaces/alice/app")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>alice/app</h1>" in page.text and "docker" in page.text


def test_a_private_space_is_a_404_page_to_a_browser(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/secret", sdk="docker", private=True)
    page = httpx.get(f"{emulator.url}/spaces/alice/secret")
    assert page.status_code == 404
    assert "alice/secret" not in page.text


def test_a_missing_space_is_a_404_page(emulator: RunningEmulator) -> None:
    assert httpx.get(f"{emulator.url}/spaces/alice/nope").status_code == 404


def test_remote_text_on_the_page_is_escaped(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/x", sdk="docker")
    readme = b"---\ntitle: <script>alert(1)</script>\nsdk: docker\n---\n"
    emulator.state.commit("alice/x", {"README.md": readme})
    page = httpx.get(f"{emulator.url}/spaces/alice/x")
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
