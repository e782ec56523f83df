"""Conformance: whoami, listing, Space info and runtime through the real huggingface_hub client."""

from __future__ import annotations

import httpx
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError, RevisionNotFoundError

from tests.helpers.hub import ALICE_TOKEN, BOB_TOKEN
from tui.emulator.server import RunningEmulator


def test_whoami_returns_the_token_owner(alice_api: HfApi) -> None:
    info = alice_api.whoami()
    assert info["name"] == "alice"
    assert info["type"] == "user"
    assert info["auth"]["accessToken"]["role"] == "write"


def test_whoami_lists_org_membership(emulator: RunningEmulator) -> None:
    emulator.state.add_user("carol", "hf_carol_token", orgs=["acme"])
    info = HfApi(endpoint=emulator.url, token="hf_carol_token").whoami()
    assert [org["name"] for org in info["orgs"]] == ["acme"]


def test_whoami_with_a_bad_token_is_rejected(emulator: RunningEmulator) -> None:
    api = HfApi(endpoint=emulator.url, token="hf_not_a_real_token")
    with pytest.raises(HfHubHTTPError) as caught:
        api.whoami()
    assert caught.value.response.status_code == 401
    assert "Invalid user token" in str(caught.value)


def test_a_bad_token_is_not_mistaken_for_a_missing_repo(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    api = HfApi(endpoint=emulator.url, token="hf_not_a_real_token")
    with pytest.raises(HfHubHTTPError) as caught:
        api.space_info("alice/app")
    assert not isinstance(caught.value, RepositoryNotFoundError)
    assert caught.value.response.headers["X-Error-Message"] == (
        "Invalid credentials in Authorization header"
    )


def test_list_spaces_paginates_with_link_headers(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.page_size = 7
    for index in range(45):
        emulator.state.create_space(f"alice/space-{index:02d}", sdk="docker")
    emulator.state.create_space("bob/other", sdk="gradio")

    spaces = list(alice_api.list_spaces(author="alice", expand=["runtime", "sdk"]))

    assert [space.id for space in spaces] == [f"alice/space-{index:02d}" for index in range(45)]
    assert all(space.runtime is not None and space.runtime.stage for space in spaces)
    assert {space.sdk for space in spaces} == {"docker"}


def test_list_link_is_absolute_and_carries_every_param(emulator: RunningEmulator) -> None:
    emulator.state.page_size = 2
    for index in range(3):
        emulator.state.create_space(f"alice/s{index}", sdk="docker")
    response = httpx.get(
        f"{emulator.url}/api/spaces",
        params=[("author", "alice"), ("expand", "sdk"), ("expand", "runtime")],
    )
    link = response.links["next"]["url"]
    assert link.startswith(emulator.url + "/api/spaces?")
    assert "author=alice" in link and "expand=sdk" in link and "expand=runtime" in link
    second = httpx.get(link)
    assert [entry["id"] for entry in second.json()] == ["alice/s2"]
    assert "next" not in second.links


def test_list_honours_search_limit_and_sort(emulator: RunningEmulator, alice_api: HfApi) -> None:
    for name in ("chat-bot", "image-gen", "chat-ui"):
        emulator.state.create_space(f"alice/{name}", sdk="gradio")
    found = [space.id for space in alice_api.list_spaces(search="chat", sort="created_at")]
    assert found == ["alice/chat-ui", "alice/chat-bot"]
    assert len(list(alice_api.list_spaces(limit=2))) == 2


def test_list_hides_other_users_private_spaces(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("bob/secret", sdk="docker", private=True)
    emulator.state.create_space("bob/open", sdk="docker")
    assert [space.id for space in alice_api.list_spaces(author="bob")] == ["bob/open"]
    bob = HfApi(endpoint=alice_api.endpoint, token=BOB_TOKEN)
    assert {space.id for space in bob.list_spaces(author="bob")} == {"bob/secret", "bob/open"}


def test_space_info_has_the_fields_clients_read(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.create_space("alice/My_App", sdk="docker")
    readme = (
        b"---\ntitle: My App\nemoji: \xf0\x9f\x9a\x80\nsdk: docker\napp_port: 7860\n---\n# hi\n"
    )
    sha = emulator.state.commit(
        "alice/My_App", {"README.md": readme, "Dockerfile": b"FROM python\n"}
    )

    info = alice_api.space_info("alice/My_App")

    assert info.sha == sha
    assert info.sdk == "docker"
    assert info.subdomain == "alice-my-app"
    assert info.host == "https://alice-my-app.hf.space"
    assert info.card_data is not None and info.card_data["app_port"] == 7860
    assert {sibling.rfilename for sibling in info.siblings} == {
        ".gitattributes",
        "README.md",
        "Dockerfile",
    }
    assert info.runtime is not None and info.runtime.stage
    assert info.private is False


def test_space_info_at_an_older_revision(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    first = emulator.state.commit("alice/app", {"a.txt": b"1"})
    emulator.state.commit("alice/app", {"b.txt": b"2"})
    old = alice_api.space_info("alice/app", revision=first)
    assert {sibling.rfilename for sibling in old.siblings} == {".gitattributes", "a.txt"}
    with pytest.raises(RevisionNotFoundError):
        alice_api.space_info("alice/app", revision="no-such-branch")


def test_files_metadata_adds_sizes_and_lfs_info(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.state.commit("alice/app", {"model.bin": b"\0" * 100, "app.py": b"print(1)\n"})
    siblings = {
        s.rfilename: s for s in alice_api.space_info("alice/app", files_metadata=True).siblings
    }
    assert siblings["app.py"].size == 9 and siblings["app.py"].lfs is None
    assert siblings["model.bin"].lfs is not None and siblings["model.bin"].lfs.size == 100


def test_get_space_runtime(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("alice/app", sdk="docker", hardware="cpu-basic")
    runtime = alice_api.get_space_runtime("alice/app")
    assert runtime.stage
    assert runtime.requested_hardware == "cpu-basic"
    assert runtime.dev_mode is False


def test_missing_space_is_repository_not_found(alice_api: HfApi) -> None:
    with pytest.raises(RepositoryNotFoundError):
        alice_api.space_info("alice/nope")
    with pytest.raises(RepositoryNotFoundError):
        alice_api.get_space_runtime("alice/nope")


def test_another_users_private_space_is_invisible(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.create_space("bob/private", sdk="docker", private=True)
    with pytest.raises(RepositoryNotFoundError):
        alice_api.space_info("bob/private")
    anonymous = HfApi(endpoint=emulator.url, token=False)
    with pytest.raises(RepositoryNotFoundError):
        anonymous.space_info("bob/private")
    assert HfApi(endpoint=emulator.url, token=BOB_TOKEN).space_info("bob/private").private is True


def test_org_members_see_org_private_spaces(emulator: RunningEmulator) -> None:
    emulator.state.add_user("carol", "hf_carol_token", orgs=["acme"])
    emulator.state.create_space("acme/internal", sdk="docker", private=True)
    assert HfApi(endpoint=emulator.url, token="hf_carol_token").space_info("acme/internal")
    with pytest.raises(RepositoryNotFoundError):
        HfApi(endpoint=emulator.url, token=ALICE_TOKEN).space_info("acme/internal")


def test_every_response_has_one_date_and_one_ratelimit_header(emulator: RunningEmulator) -> None:
    response = httpx.get(f"{emulator.url}/api/spaces/alice/none")
    assert response.status_code == 404
    assert len(response.headers.get_list("date")) == 1
    assert response.headers["date"].endswith(" GMT")
    assert len(response.headers.get_list("ratelimit")) == 1
    assert response.headers["ratelimit"].startswith('"api";r=499;t=')  # anonymous: 500
    assert response.headers["X-Error-Code"] == "RepoNotFound"
    assert response.json() == {"error": "Repository not found"}


def test_hostile_paths_in_error_messages_cannot_break_headers(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    snowman = httpx.get(f"{emulator.url}/spaces/alice/app/resolve/main/%E2%98%83.txt")
    assert snowman.status_code == 404
    assert snowman.headers["X-Error-Message"] == "Entry not found: \\u2603.txt"
    assert snowman.json()["error"] == "Entry not found: \u2603.txt"
    commit = httpx.post(
        f"{emulator.url}/api/spaces/alice/app/commit/main",
        headers={"authorization": f"Bearer {ALICE_TOKEN}"},
        content=(
            '{"key":"header","value":{"summary":"s"}}\n'
            '{"key":"deletedFile","value":{"path":"a\\r\\nX-Evil: 1"}}\n'
        ),
    )
    assert commit.status_code == 404
    assert "X-Evil" not in commit.headers
    assert commit.headers["X-Error-Message"] == "Entry not found: a\\r\\nX-Evil: 1"
    assert commit.json()["error"] == "Entry not found: a\r\nX-Evil: 1"


def test_full_listing_and_expanded_info(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("alice/app", sdk="gradio")
    emulator.state.commit("alice/app", {"README.md": b"---\nsdk: gradio\ntitle: T\n---\n"})
    [full] = list(alice_api.list_spaces(author="alice", full=True))
    assert full.card_data is not None and full.card_data["title"] == "T"
    assert {sibling.rfilename for sibling in full.siblings} == {".gitattributes", "README.md"}
    [plain] = list(alice_api.list_spaces(author="alice"))
    assert plain.siblings is None and plain.sdk == "gradio"
    raw = httpx.get(
        f"{emulator.url}/api/spaces/alice/app", params=[("expand", "sdk"), ("expand", "likes")]
    )
    assert set(raw.json()) == {"_id", "id", "sdk", "likes"}
    bad = httpx.get(f"{emulator.url}/api/spaces", params={"expand": "nonsense"})
    assert bad.status_code == 400 and "expand" in bad.json()["error"]
