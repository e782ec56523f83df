"""`--secrets-from FILE`: secret values read from a local dotenv file, which is never uploaded."""

from __future__ import annotations

from pathlib import Path

from tui.domain.errors import UsageError
from tui.domain.redact import register_secret
from tui.domain.upload_set import ExcludedFile, UploadSet

SOURCE = "--secrets-from"


def read_secrets_file(path: Path) -> dict[str, str]:
    """NAME → value from a dotenv file (python-dotenv's syntax); each value is redacted from
    then on, wherever it would be printed."""
    from dotenv import dotenv_values

    if not path.is_file():
        raise UsageError(f"{path} is not a file: --secrets-from needs a dotenv file (NAME=value).")
    try:
        raw = dotenv_values(path, interpolate=False)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"{path} cannot be read as a dotenv file ({type(exc).__name__})."
        ) from None
    values = {name: value for name, value in raw.items() if value}
    for value in values.values():
        register_secret(value)
    return values


def repo_path_in(folder: Path, secrets_file: Path | None) -> str | None:
    """The file's path inside the Space folder ("a/.env"), or None when it lies outside."""
    if secrets_file is None:
        return None
    try:
        return secrets_file.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return None


def without_secrets_file(upload_set: UploadSet, repo_path: str) -> tuple[UploadSet, bool]:
    """`upload_set` less the secrets file, and whether it was in it (so the review says so)."""
    if repo_path not in upload_set:
        return upload_set, False
    kept = tuple(f for f in upload_set.files if f.path != repo_path)
    excluded = (
        *upload_set.excluded,
        ExcludedFile(repo_path, "the --secrets-from file is never uploaded", SOURCE),
    )
    # A new set, not `replace`: that would carry over the old path index.
    return UploadSet(root=upload_set.root, files=kept, excluded=excluded), True
