"""Just before anything is created or committed: the bytes to send are the bytes that were scanned.

Each file to upload is read again and its sha256 compared with the one the upload set computed
while the secret scan read it. A file edited, replaced or deleted since (at the `Proceed?`
prompt, say) stops the deploy, named, before the Space is created. Files up to `INLINE_BYTES`
are handed to huggingface_hub as the very bytes just verified, so nothing is read a third time;
larger ones go by path, and the sha256 huggingface_hub computes is the one checked (the Hub
refuses LFS content that does not match its sha256).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from typing import Protocol

from huggingface_hub import CommitOperationAdd

from tui.domain.errors import SpacetuiError
from tui.domain.upload_set import UploadSet, open_regular, shown_name

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


def verified_additions(files: Sequence[_Planned], scanned: UploadSet) -> list[CommitOperationAdd]:
    """One add per file of `files`, each verified against the scan of `scanned`.

    Raises FileChangedError naming the first file that differs from what was scanned.
    """
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
        # huggingface_hub hashes the whole file here; that hash names the LFS object sent.
        add = CommitOperationAdd(path_in_repo=planned.path, path_or_fileobj=str(local))
        if add.upload_info.sha256.hex() != upload.sha256 or add.upload_info.size != upload.size:
            raise _changed(planned.path, "changed")
        adds.append(add)
    return adds
