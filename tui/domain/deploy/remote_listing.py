"""The Space's head and file list over the caller's httpx client, decoded straight into structs.

huggingface_hub's `space_info(files_metadata=True)` builds a `RepoSibling` per file: for a
10,000-file Space that parse cost more than the request, and importing huggingface_hub more than
both. An unchanged re-deploy needs only each file's path,
size, blob id and LFS sha256, so this reads the same answer (`/api/spaces/{id}?blobs=true`) with
msgspec, which skips every other field in C.

With the folder's stat cache active, the tree it kept from the last listing is reused while the
Space's head is still that sha (a commit's tree never changes): one small request
(`?expand=sha`) instead of the listing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import msgspec

from tui.domain.deploy.plan import RemoteFile
from tui.domain.deploy.remote import RemoteState
from tui.domain.errors import HubError, SpaceNotFound
from tui.domain.stat_cache import RemoteEntry, StatCache

if TYPE_CHECKING:
    from tui.domain.hub.client import HubClient

T = TypeVar("T")


class _Lfs(msgspec.Struct):
    sha256: str | None = None


class _Sibling(msgspec.Struct, rename="camel"):
    rfilename: str
    size: int | None = None
    blob_id: str | None = None
    lfs: _Lfs | None = None


class _Info(msgspec.Struct):
    sha: str | None = None
    siblings: list[_Sibling] | None = None


class _Head(msgspec.Struct):
    sha: str | None = None


_DECODER = msgspec.json.Decoder(_Info)
_HEAD_DECODER = msgspec.json.Decoder(_Head)


async def fetch_remote_state(
    hub: HubClient, space_id: str, *, cache: StatCache | None = None
) -> RemoteState:
    """Head sha and files of `space_id`, or `exists=False` when it is not there.

    The same answer as huggingface_hub's `space_info(files_metadata=True)`: each file's size, blob id and LFS sha256,
    all at the same head sha. With `cache`, its kept tree when the head did not move. Raises the
    typed `HubError` of any other failure.
    """
    kept = cache.remote_tree(space_id) if cache is not None else None
    try:
        if kept is not None:
            head = await _decoded(hub, space_id, {"expand": "sha"}, _HEAD_DECODER)
            if head.sha == kept.head_sha:
                files = tuple(
                    RemoteFile(f.path, f.size, f.blob_id, f.lfs_sha256) for f in kept.files
                )
                return RemoteState(exists=True, head_sha=kept.head_sha, files=files)
        info = await _decoded(hub, space_id, {"blobs": "true"}, _DECODER)
    except SpaceNotFound:
        return RemoteState(exists=False, head_sha=None, files=())
    siblings = info.siblings or ()
    files = tuple(
        RemoteFile(
            path=sibling.rfilename,
            size=sibling.size or 0,
            blob_id=sibling.blob_id,
            lfs_sha256=sibling.lfs.sha256 if sibling.lfs else None,
        )
        for sibling in siblings
    )
    if cache is not None and info.sha is not None:
        cache.remember_remote(
            space_id,
            info.sha,
            [RemoteEntry(f.path, f.size, f.blob_id, f.lfs_sha256) for f in files],
        )
    return RemoteState(exists=True, head_sha=info.sha, files=files)


async def _decoded(
    hub: HubClient, space_id: str, params: dict[str, str], decoder: msgspec.json.Decoder[T]
) -> T:
    response = await hub.get(f"/api/spaces/{space_id}", params=params, space_id=space_id)
    try:
        return decoder.decode(response.content)
    except msgspec.MsgspecError as exc:
        raise HubError(f"The Hub sent an unreadable file list for Space {space_id}.") from exc
