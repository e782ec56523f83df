"""JSON shapes of Spaces as the Hub serialises them in info, list and runtime answers."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from tui.emulator.blobs import Blob
from tui.emulator.frontmatter import card_data
from tui.emulator.state import Space, mongo_id
from tui.emulator.timefmt import iso_z

#: Properties `expand=` may ask for (hub-wire §4).
EXPANDABLE = (
    "author",
    "cardData",
    "createdAt",
    "datasets",
    "disabled",
    "lastModified",
    "likes",
    "models",
    "private",
    "region",
    "resourceGroup",
    "runtime",
    "sdk",
    "sha",
    "siblings",
    "subdomain",
    "tags",
    "trendingScore",
    "usedStorage",
    "xetEnabled",
)
#: What a list entry carries without `expand` or `full`.
LIST_DEFAULT = ("likes", "trendingScore", "private", "sdk", "tags", "createdAt")


def runtime_json(space: Space) -> dict[str, Any]:
    """The runtime object (§6): the life's view plus the settings the repo itself holds."""
    runtime = dict(space.life.runtime())
    # Dev mode is a repo setting the life does not track; static Spaces omit the key, as on the Hub.
    if "devMode" in runtime or space.dev_mode:
        runtime["devMode"] = space.dev_mode
    return runtime


def sibling_json(path: str, blob: Blob, *, blobs: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"rfilename": path}
    if blobs:
        entry["size"] = blob.size
        entry["blobId"] = blob.blob_id
        if blob.lfs:
            entry["lfs"] = {
                "size": blob.size,
                "sha256": blob.sha256,
                "pointerSize": len(blob.pointer),
            }
    return entry


def space_json(
    space: Space,
    *,
    sha: str | None = None,
    fields: Collection[str] | None = None,
    blobs: bool = False,
) -> dict[str, Any]:
    """Space info at revision `sha` (head by default); `fields` limits it to `_id`, `id` + those."""
    sha = sha or space.head
    tree = space.revisions[sha]
    readme = tree.get("README.md")
    card = card_data(readme.data) if readme else None
    values: dict[str, Any] = {
        "author": space.author,
        "sha": sha,
        "lastModified": iso_z(space.commits[sha].time),
        "private": space.private,
        "gated": False,
        "disabled": False,
        "host": space.host,
        "subdomain": space.subdomain,
        "likes": space.likes,
        "sdk": space.sdk,
        "tags": [space.sdk, "region:us"],
        "siblings": [sibling_json(path, tree[path], blobs=blobs) for path in sorted(tree)],
        "createdAt": iso_z(space.created_at),
        "runtime": runtime_json(space),
        "usedStorage": sum(blob.size for blob in tree.values()),
        "trendingScore": 0,
        "models": [],
        "datasets": [],
        "region": "us",
        "resourceGroup": None,
        # Older clients asked before committing; the emulator never serves Xet.
        "xetEnabled": False,
    }
    if card is not None:
        values["cardData"] = card
    if fields is None:
        wanted = [key for key in values if key != "xetEnabled"]  # only when asked for
    else:
        wanted = [key for key in fields if key in values]
    return {"_id": mongo_id(space.id), "id": space.id, **{key: values[key] for key in wanted}}
