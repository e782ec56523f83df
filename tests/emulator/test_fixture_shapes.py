"""The emulator's answers have the shape of real recorded Hub payloads (tests/fixtures/hub).

Requests are replayed from the recorded request bodies where there is one, so the emulator also
accepts what the older recording client sent (e.g. `"private": true`, spaced JSON).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from huggingface_hub.utils import parse_ratelimit_headers

from tests.helpers.shapes import load_fixture, shape_mismatches
from tui.emulator.clock import ManualClock
from tui.emulator.server import RunningEmulator, serve_emulator

TOKEN = "hf_user_fixture_token"
SPACE = "user/tmp_test_space"


def has_rate_limit_headers(response: httpx.Response) -> None:
    """Like the Hub, every answer says what is left of the window, in the form the client parses."""
    info = parse_ratelimit_headers(response.headers)
    assert info is not None, f"{response.request.url.path}: no RateLimit header"
    assert (info.limit, info.window_seconds) == (1000, 300)  # the free tier
    assert 0 < info.reset_in_seconds <= 300


@pytest.fixture
def hub() -> Iterator[tuple[RunningEmulator, httpx.Client]]:
    """An emulator whose user is named `user`, like the anonymised recordings, on a manual clock."""
    with serve_emulator(users={"user": TOKEN}, clock=ManualClock(), speed=10) as emu:
        with httpx.Client(
            base_url=emu.url,
            headers={"authorization": f"Bearer {TOKEN}"},
            event_hooks={"response": [has_rate_limit_headers]},
        ) as client:
            yield emu, client


def check(fixture: str, actual: object, *optional: str) -> None:
    problems = shape_mismatches(load_fixture(fixture), actual, optional=frozenset(optional))
    assert problems == [], f"{fixture}: {problems}"


def create_recorded_space(client: httpx.Client) -> httpx.Response:
    body = load_fixture("create-repo-space.request.json")
    return client.post("/api/repos/create", content=json.dumps(body, indent=1))


def test_whoami(hub: tuple[RunningEmulator, httpx.Client]) -> None:
    _, client = hub
    check("whoami-v2.response-hubci.from-hubjs-test.json", client.get("/api/whoami-v2").json())


def test_create_repo_200_and_409(hub: tuple[RunningEmulator, httpx.Client]) -> None:
    emu, client = hub
    created = create_recorded_space(client)
    assert created.status_code == 200
    check("create-repo-space.response-200.json", created.json())
    assert emu.state.get_space(SPACE).private is True  # the legacy "private": true was honoured
    conflict = create_recorded_space(client)
    assert conflict.status_code == 409
    check("create-repo-space.response-409-already-exists.json", conflict.json())


def test_preupload_commit_and_oid(hub: tuple[RunningEmulator, httpx.Client]) -> None:
    _, client = hub
    create_recorded_space(client)
    preupload = client.post(
        f"/api/spaces/{SPACE}/preupload/main", json=load_fixture("preupload.request.json")
    )
    check("preupload.response-regular.json", preupload.json())
    commit = client.post(
        f"/api/spaces/{SPACE}/commit/main",
        content=load_fixture("commit.request.ndjson"),
        headers={"content-type": "application/x-ndjson"},
    )
    check("commit.response.json", commit.json())
    again = client.post(
        f"/api/spaces/{SPACE}/preupload/main",
        json=load_fixture("preupload.request-empty-file.json"),
    )
    check("preupload.response-regular-with-oid.json", again.json())
    assert again.json()["files"][0]["oid"] == "1a42034850e2f5213e1a89a887747b667dc9d125"


def test_runtime_restart_and_pause(hub: tuple[RunningEmulator, httpx.Client]) -> None:
    emu, client = hub
    client.post(
        "/api/repos/create",
        json={"name": "tmp_test_space", "organization": None, "type": "space", "sdk": "docker"},
    )
    emu.state.commit(
        SPACE,
        {
            "Dockerfile": b"FROM python:3.12\nCMD python -m http.server 7860\n",
            "README.md": b"---\nsdk: docker\napp_port: 7860\n---\n",
        },
    )
    check("runtime.response-building.json", client.get(f"/api/spaces/{SPACE}/runtime").json())
    check("pause.response-paused.json", client.post(f"/api/spaces/{SPACE}/pause").json())
    # The third-party capture has replicas.current: null; the first-party pause recording has none.
    check(
        "runtime.thirdparty-mondoo-paused.json",
        client.get(f"/api/spaces/{SPACE}/runtime").json(),
        "replicas.current",
    )
    check("restart.response-building.json", client.post(f"/api/spaces/{SPACE}/restart").json())


def test_static_runtime_and_revision_expand(hub: tuple[RunningEmulator, httpx.Client]) -> None:
    emu, client = hub
    emu.state.create_space("user/site", sdk="static")
    emu.state.commit(
        "user/site", {"index.html": b"<h1>hi</h1>", "README.md": b"---\nsdk: static\n---\n"}
    )
    emu.clock.advance(600)
    runtime = client.get("/api/spaces/user/site/runtime").json()
    check("runtime.response-static-running.json", runtime)
    assert runtime["stage"] == "RUNNING"
    revision = client.get("/api/spaces/user/site/revision/main", params={"expand": "xetEnabled"})
    check("space-revision-expand-xetEnabled.response.json", revision.json())


def test_secrets_and_variables(hub: tuple[RunningEmulator, httpx.Client]) -> None:
    emu, client = hub
    emu.state.create_space(SPACE, sdk="gradio")
    url = f"/api/spaces/{SPACE}"
    check("variables-get.response-empty.json", client.get(f"{url}/variables").json())
    added = client.post(
        f"{url}/secrets", content=json.dumps(load_fixture("secrets-add.request.json"))
    )
    check("secrets-add.response.json", added.json())
    assert added.json() == {}
    deleted = client.request(
        "DELETE", f"{url}/secrets", json=load_fixture("secrets-delete.request.json")
    )
    assert deleted.status_code == 200
    client.post(f"{url}/variables", json={"key": "foo", "value": "123"})
    client.post(f"{url}/variables", json={"key": "MODEL_REPO_ID", "value": "user/repo"})
    variables = client.post(
        f"{url}/variables", json=load_fixture("variables-add.request-with-description.json")
    )
    check("variables-add.response.json", variables.json())
    client.post(
        f"{url}/variables",
        json={"key": "foo", "value": "456", "description": "updated description"},
    )
    unchanged = client.request("DELETE", f"{url}/variables", json={"key": "not_there"})
    check("variables-delete.response.json", unchanged.json())


def test_list_entry_of_a_running_docker_space(hub: tuple[RunningEmulator, httpx.Client]) -> None:
    emu, client = hub
    emu.state.create_space("enzostvs/deepsite", sdk="docker")
    emu.state.commit(
        "enzostvs/deepsite",
        {
            "Dockerfile": b"FROM python:3.12\nCMD python -m http.server 7860\n",
            "README.md": b"---\nsdk: docker\napp_port: 7860\n---\n",
        },
    )
    emu.clock.advance(3600)
    expand = [
        "author",
        "disabled",
        "lastModified",
        "likes",
        "private",
        "sha",
        "subdomain",
        "sdk",
        "runtime",
        "region",
        "tags",
        "createdAt",
    ]
    entries = client.get("/api/spaces", params=[("expand", item) for item in expand]).json()
    assert entries[0]["runtime"]["stage"] == "RUNNING"
    check(
        "space-list-entry.thirdparty-mondoo-running-docker.json",
        entries[0],
        "runtime.pySpacesVersion",
    )


def test_delete_repo_answers_plain_ok(hub: tuple[RunningEmulator, httpx.Client]) -> None:
    _, client = hub
    create_recorded_space(client)
    response = client.request(
        "DELETE", "/api/repos/delete", content=json.dumps(load_fixture("delete-repo.request.json"))
    )
    assert response.status_code == 200
    assert response.text == load_fixture("delete-repo.response.txt").strip()


def test_shape_helper_catches_missing_keys_and_type_changes() -> None:
    assert shape_mismatches({"a": 1, "b": {"c": "x"}}, {"a": "1", "b": {}}) == [
        "a: recorded number, got str",
        "b.c: missing",
    ]
    assert shape_mismatches({"a": [{"b": True}]}, {"a": [{"b": 1}]}) == [
        "a[0].b: recorded bool, got number"
    ]
    assert shape_mismatches({"a": None}, {"a": {"x": 1}}) == []
