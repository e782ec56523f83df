"""Issue 14 points 14 and 15: the emulator is as strict as the Hub, over real loopback HTTP.

Private LFS objects belong to their repo; malformed input is a 4xx, never a 500 and never a
poisoned emulator; bodies are capped; `x.git` is not `x`; unknown hardware is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os

import httpx
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import BadRequestError

from tests.conftest import ALICE_TOKEN, BOB_TOKEN

ALICE = {"Authorization": f"Bearer {ALICE_TOKEN}"}
BOB = {"Authorization": f"Bearer {BOB_TOKEN}"}
LFS = {"Accept": "application/vnd.git-lfs+json", "Content-Type": "application/vnd.git-lfs+json"}


def _commit(client: httpx.Client, space: str, headers: dict, *lines: dict) -> httpx.Response:
    body = [{"key": "header", "value": {"summary": "s", "description": ""}}, *lines]
    return client.post(
        f"/api/spaces/{space}/commit/main",
        content="\n".join(json.dumps(line) for line in body).encode(),
        headers={**headers, "Content-Type": "application/x-ndjson"},
    )


def _upload_lfs(client: httpx.Client, space: str, headers: dict, data: bytes) -> str:
    oid = hashlib.sha256(data).hexdigest()
    batch = client.post(
        f"/spaces/{space}.git/info/lfs/objects/batch",
        json={"operation": "upload", "objects": [{"oid": oid, "size": len(data)}]},
        headers={**headers, **LFS},
    )
    assert batch.status_code == 200, batch.text
    (obj,) = batch.json()["objects"]
    put = client.put(obj["actions"]["upload"]["href"], content=data)
    assert put.status_code == 200, put.text
    line = {
        "key": "lfsFile",
        "value": {"path": "w.bin", "algo": "sha256", "oid": oid, "size": len(data)},
    }
    assert _commit(client, space, headers, line).status_code == 200
    return oid


@pytest.fixture
def client(emulator):  # noqa: ANN001, ANN201
    with httpx.Client(base_url=emulator.url, timeout=30) as http:
        yield http


def _spaces(alice_api: HfApi, bob_api: HfApi) -> None:
    alice_api.create_repo("alice/private", repo_type="space", space_sdk="docker", private=True)
    bob_api.create_repo("bob/mine", repo_type="space", space_sdk="docker", private=True)


def test_a_private_lfs_object_is_nobody_elses_by_sha(
    emulator, client: httpx.Client, alice_api: HfApi, bob_api: HfApi
) -> None:
    _spaces(alice_api, bob_api)
    secret = b"PRIVATE WEIGHTS " + os.urandom(4096)
    oid = _upload_lfs(client, "alice/private", ALICE, secret)

    # Direct GET through bob's own repo path, by sha only.
    got = client.get(f"/lfs-storage/bob/mine/{oid}", headers=BOB)
    assert got.status_code == 404 and secret not in got.content
    # Batch download in bob's repo.
    batch = client.post(
        "/spaces/bob/mine.git/info/lfs/objects/batch",
        json={"operation": "download", "objects": [{"oid": oid, "size": len(secret)}]},
        headers={**BOB, **LFS},
    )
    assert batch.status_code == 200 and batch.json()["objects"][0]["error"]["code"] == 404
    # Batch upload does not reveal that the object exists elsewhere: bob must send the bytes.
    batch = client.post(
        "/spaces/bob/mine.git/info/lfs/objects/batch",
        json={"operation": "upload", "objects": [{"oid": oid, "size": len(secret)}]},
        headers={**BOB, **LFS},
    )
    assert "actions" in batch.json()["objects"][0]
    # Committing the oid into bob's own Space.
    line = {"key": "lfsFile", "value": {"path": "stolen.bin", "algo": "sha256", "oid": oid}}
    stolen = _commit(client, "bob/mine", BOB, line)
    assert stolen.status_code == 400, stolen.text
    assert "stolen.bin" not in (emulator.state.get_space("bob/mine").files() or {})
    # Alice still reads her own object.
    assert client.get(f"/lfs-storage/alice/private/{oid}", headers=ALICE).content == secret


@pytest.mark.parametrize(
    "rule",
    [
        '{"route": 123, "status": 503}',
        '{"latency": NaN}',
        '{"latency": Infinity}',
        '{"latency": "slow"}',
        '{"status": "503"}',
        '{"count": 1.5, "status": 500}',
        '{"space_id": ["a"]}',
        '{"latency": 1e9}',
        '{"retry_after": -1, "status": 429}',
        '{"status": true}',
    ],
)
def test_a_malformed_fault_rule_is_a_400_and_poisons_nothing(
    emulator, client: httpx.Client, rule: str
) -> None:
    answer = client.post(
        "/_emulator/faults", content=rule, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400, answer.text
    assert emulator.faults.rules() == []
    assert client.get("/api/whoami-v2", headers=ALICE).status_code == 200


def test_deep_nesting_is_a_400(emulator, client: httpx.Client, alice_api: HfApi) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    answer = client.post(
        "/api/repos/create", content=deep, headers={**ALICE, "Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    commit = client.post(
        "/api/spaces/alice/x/commit/main",
        content=deep.encode(),
        headers={**ALICE, "Content-Type": "application/x-ndjson"},
    )
    assert commit.status_code in (400, 404)
    readme = "---\nsdk: docker\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    yaml_answer = client.post(
        "/api/validate-yaml", json={"content": readme, "repoType": "space"}, headers=ALICE
    )
    assert yaml_answer.status_code == 400 and yaml_answer.json()["errors"]
    # A README that deep, committed, leaves the Space readable (no cardData, no 500).
    alice_api.create_repo("alice/deep", repo_type="space", space_sdk="docker")
    line = {
        "key": "file",
        "value": {
            "path": "README.md",
            "encoding": "base64",
            "content": base64.b64encode(readme.encode()).decode(),
        },
    }
    assert _commit(client, "alice/deep", ALICE, line).status_code == 200
    assert client.get("/api/spaces/alice/deep", headers=ALICE).status_code == 200


@pytest.mark.parametrize(
    "size", ['"abc"', "1e30", "-1", "true", "100000000000000000000000", "null"]
)
def test_a_bad_lfs_size_is_an_object_error(
    emulator, client: httpx.Client, alice_api: HfApi, size: str
) -> None:
    alice_api.create_repo("alice/app", repo_type="space", space_sdk="docker")
    oid = "a" * 64
    body = f'{{"operation": "upload", "objects": [{{"oid": "{oid}", "size": {size}}}]}}'
    answer = client.post(
        "/spaces/alice/app.git/info/lfs/objects/batch", content=body, headers={**ALICE, **LFS}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["objects"][0]["error"]["code"] == 422


def test_request_bodies_are_capped(emulator, client: httpx.Client, alice_api: HfApi) -> None:
    alice_api.create_repo("alice/app", repo_type="space", space_sdk="docker")
    emulator.state.max_body_bytes = 10_000
    big = b"x" * 20_000
    declared = client.post(
        "/api/spaces/alice/app/commit/main",
        content=big,
        headers={**ALICE, "Content-Type": "application/x-ndjson"},
    )
    assert declared.status_code == 413

    def chunks():  # noqa: ANN202 - no Content-Length: counted as it arrives
        for _ in range(20):
            yield b"x" * 1000

    streamed = client.post(
        "/api/spaces/alice/app/commit/main",
        content=chunks(),
        headers={**ALICE, "Content-Type": "application/x-ndjson"},
    )
    assert streamed.status_code == 413
    assert client.get("/api/spaces/alice/app", headers=ALICE).status_code == 200


def test_x_dot_git_is_not_x(emulator, client: httpx.Client, alice_api: HfApi) -> None:
    alice_api.create_repo("alice/app", repo_type="space", space_sdk="docker")
    assert client.get("/api/spaces/alice/app.git", headers=ALICE).status_code == 404
    assert client.get("/api/spaces/alice/app.git/runtime", headers=ALICE).status_code == 404
    # The git LFS endpoint is the one place `.git` belongs.
    batch = client.post(
        "/spaces/alice/app.git/info/lfs/objects/batch",
        json={"operation": "download", "objects": []},
        headers={**ALICE, **LFS},
    )
    assert batch.status_code == 200
    # huggingface_hub refuses such an id itself; another client meets the Hub's 400.
    created = client.post(
        "/api/repos/create",
        json={"name": "other.git", "type": "space", "sdk": "docker"},
        headers=ALICE,
    )
    assert created.status_code == 400 and emulator.state.get_space("alice/other.git") is None


def test_create_repo_refuses_an_unknown_hardware_flavour(emulator, alice_api: HfApi) -> None:
    with pytest.raises(BadRequestError, match="hardware"):
        alice_api.create_repo(
            "alice/app", repo_type="space", space_sdk="docker", space_hardware="quantum-xl"
        )
    assert emulator.state.get_space("alice/app") is None
    alice_api.create_repo(
        "alice/app", repo_type="space", space_sdk="docker", space_hardware="t4-small"
    )
    assert emulator.state.get_space("alice/app") is not None
