"""Just before anything is created or committed: the bytes to send are the bytes that were scanned.

Each file to upload is read again and its sha256 compared with the one the upload set computed
while the secret scan read it. A file edited, replaced or deleted since (at the `Proceed?`
prompt, say) stops the deploy, named, before the Space is created. Files up to `INLINE_BYTES`
are handed to huggingface_hub as the very bytes just verified, so nothing is read a third time;
larger ones go by path, and the sha256 huggingface_hub computes is the one checked (the Hub
refuses LFS content that does not match its sha256).

A file the upload set did not read (its sha256 and clean verdict came from the stat cache) is
scanned here, from the bytes sent: inline, the verified bytes themselves; by path, one more read
whose sha256 must match the one huggingface_hub sends. A secret found then (the cache lied: it
is a file anyone with the user's rights could edit) stops the deploy and drops the entry.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tui.domain import stat_cache
from tui.domain.errors import SpacetuiError
from tui.domain.secret_scan import CHUNK_BYTES, scan_bytes, scan_chunks
from tui.domain.upload_set import UploadFile, UploadSet, open_regular, shown_name

if TYPE_CHECKING:
    from huggingface_hub import CommitOperationAdd

#: Files up to this size travel as the verified bytes themselves (the Hub's regular-file limit).
INLINE_BYTES = 10 * 1024 * 1024
#: At most this many bytes are held in memory for inline files; the rest go by path.
INLINE_TOTAL_BYTES = 512 * 1024 * 1024


class FileChangedError(SpacetuiError):
    """A file to upload is not the file that was scanned: changed, replaced or gone."""

    title = "File changed"


class _Planned(Protocol):
    @property
    def path(self) -> str: ...


class CachedVerdictError(SpacetuiError):
    """A file the stat cache called clean holds a secret: the cache is not to be believed."""

    title = "Possible secret"


def _changed(path: str, what: str) -> FileChangedError:
    return FileChangedError(
        f"{shown_name(path)} {what} since it was scanned for secrets, so it was not uploaded "
        "(nothing was created or committed): deploy again to scan the new content."
    )


def _read_verified(local: str, path: str, expected: str) -> bytes:
    try:
        fd = open_regular(local)
    except OSError as exc:
        raise _changed(path, "was deleted or became unreadable") from exc
    if fd is None:
        raise _changed(path, "is no longer a regular file")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(INLINE_BYTES + 1)
    if len(data) > INLINE_BYTES or hashlib.sha256(data).hexdigest() != expected:
        raise _changed(path, "changed")
    return data


def _refuse_secrets(upload: UploadFile, kinds: list[str], root: Path) -> None:
    """Stop when the bytes about to be sent hold a secret the cached verdict did not show."""
    if not kinds:
        return
    cache = stat_cache.active_for(root)
    if cache is not None:
        cache.forget(upload.path)
        cache.save()  # the next deploy reads and scans it afresh, whatever happens now
    raise CachedVerdictError(
        f"{shown_name(upload.path)} holds a possible secret ({kinds[0]}) that its cached scan did "
        "not show, so it was not uploaded (nothing was created or committed): deploy again to "
        "scan it afresh."
    )


def _scan_file(local: str, upload: UploadFile, root: Path) -> None:
    """Read, hash and scan the file a cached verdict spoke for; it must match that sha256."""
    try:
        fd = open_regular(local)
    except OSError as exc:
        raise _changed(upload.path, "was deleted or became unreadable") from exc
    if fd is None:
        raise _changed(upload.path, "is no longer a regular file")
    digest = hashlib.sha256()

    def chunks() -> Iterator[bytes]:
        with os.fdopen(fd, "rb", buffering=0) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                digest.update(chunk)
                yield chunk

    kinds = [hit.kind for hit in scan_chunks(chunks(), name=upload.path)]
    if digest.hexdigest() != upload.sha256:
        raise _changed(upload.path, "changed")
    _refuse_secrets(upload, kinds, root)


def verified_additions(files: Sequence[_Planned], scanned: UploadSet) -> list[CommitOperationAdd]:
    """One add per file of `files`, each verified against the scan of `scanned`.

    Raises FileChangedError naming the first file that differs from what was scanned.
    """
    if not files:
        return []  # an unchanged deploy sends nothing, and needs no huggingface_hub
    from huggingface_hub import CommitOperationAdd

    adds: list[CommitOperationAdd] = []
    inline_total = 0
    for planned in files:
        upload = scanned.get(planned.path)
        if upload is None or upload.sha256 is None:
            raise _changed(planned.path, "was not part of the scanned folder")
        local = upload.local_path
        if upload.is_symlink:
            local = local.resolve()
        if upload.size <= INLINE_BYTES and inline_total + upload.size <= INLINE_TOTAL_BYTES:
            data = _read_verified(str(local), planned.path, upload.sha256)
            if upload.from_cache:  # never read by the upload set: scan the very bytes sent
                kinds = [hit.kind for hit in scan_bytes(data, name=upload.path)]
                _refuse_secrets(upload, kinds, scanned.root)
            inline_total += len(data)
            adds.append(CommitOperationAdd(path_in_repo=planned.path, path_or_fileobj=data))
            continue
        try:
            fd = open_regular(str(local))
        except OSError as exc:
            raise _changed(planned.path, "was deleted or became unreadable") from exc
        if fd is None:
            raise _changed(planned.path, "is no longer a regular file")
        os.close(fd)
        if upload.from_cache:
            _scan_file(str(local), upload, scanned.root)
        # huggingface_hub hashes the whole file here; that hash names the LFS object sent.
        add = CommitOperationAdd(path_in_repo=planned.path, path_or_fileobj=str(local))
        if add.upload_info.sha256.hex() != upload.sha256 or add.upload_info.size != upload.size:
            raise _changed(planned.path, "changed")
        adds.append(add)
    return adds
