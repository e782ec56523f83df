"""validate-yaml and cardData: the emulator's own front-matter rules, over HTTP and as functions."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.emulator.frontmatter import card_data, validate
from tui.emulator.server import RunningEmulator

GOOD = """---
title: My Space
emoji: 🚀
colorFrom: blue
colorTo: purple
sdk: docker
app_port: 7860
short_description: A tiny demo
pinned: false
---
# My Space
"""


def post(emulator: RunningEmulator, content: object) -> httpx.Response:
    return httpx.post(
        f"{emulator.url}/api/validate-yaml", json={"content": content, "repoType": "space"}
    )


def test_a_good_readme_passes(emulator: RunningEmulator) -> None:
    response = post(emulator, GOOD)
    assert response.status_code == 200
    assert response.json() == {"errors": [], "warnings": []}


@pytest.mark.parametrize(
    "line, message",
    [
        (
            "colorFrom: orange",
            '"colorFrom" must be one of [red, yellow, green, blue, indigo, purple, pink, gray]',
        ),
        (
            "colorTo: 3",
            '"colorTo" must be one of [red, yellow, green, blue, indigo, purple, pink, gray]',
        ),
        ("sdk: flask", '"sdk" must be one of [gradio, docker, static, streamlit]'),
        (
            "short_description: " + "x" * 61,
            '"short_description" length must be less than or equal to 60 characters long',
        ),
        ("app_port: 80", '"app_port" must be greater than or equal to 1025'),
        ("app_port: 70000", '"app_port" must be less than or equal to 65535'),
        ("app_port: '7860'", '"app_port" must be a number'),
        ("emoji: rocket", '"emoji" with value "rocket" fails to match the emoji pattern'),
        ("pinned: maybe", '"pinned" must be a boolean'),
        ("title: [a, b]", '"title" must be a string'),
    ],
)
def test_bad_values_are_rejected_with_joi_messages(
    emulator: RunningEmulator, line: str, message: str
) -> None:
    key = line.split(":", 1)[0]
    kept = [item for item in GOOD.splitlines() if not item.startswith(key + ":")]
    readme = "\n".join([kept[0], line, *kept[1:]]) + "\n"
    response = post(emulator, readme)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": message}], "warnings": []}


def test_broken_yaml_is_a_json_400(emulator: RunningEmulator) -> None:
    response = post(emulator, "---\ntitle: [unclosed\n---\n")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Invalid YAML in front matter")


def test_malformed_requests_still_answer_json(emulator: RunningEmulator) -> None:
    for response in (
        post(emulator, 42),
        httpx.post(f"{emulator.url}/api/validate-yaml", content=b"not json"),
    ):
        assert response.status_code == 400
        assert response.json()["errors"][0]["message"]


def test_no_front_matter_is_not_an_error() -> None:
    assert validate("# Just a title\n") == ([], [])


def test_emoji_rule_accepts_real_emoji_sequences() -> None:
    for emoji in ("🚀", "❤️", "👩‍💻", "🇫🇷", "👍🏽"):
        assert validate(f"---\nemoji: {emoji}\n---\n") == ([], []), emoji


def test_card_data_is_lenient() -> None:
    assert card_data(b"---\nsdk: docker\napp_port: 7860\n---\n") == {
        "sdk": "docker",
        "app_port": 7860,
    }
    assert card_data(b"---\nsdk: [\n---\n") is None
    assert card_data(b"no front matter") is None
    assert card_data(b"---\nlicense: mit\ndate: 2024-01-02\n---\n") == {
        "license": "mit",
        "date": "2024-01-02",
    }


@given(st.text(max_size=300))
def test_validate_never_crashes_on_arbitrary_text(text: str) -> None:
    errors, warnings = validate("---\n" + text + "\n---\n")
    assert isinstance(errors, list) and isinstance(warnings, list)
    assert all(isinstance(message, str) for message in errors)
