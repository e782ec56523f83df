"""Edits of spacetui.yaml made from the app: watch, unwatch, link a folder.

Each edit changes only the lines concerned (found through the YAML node marks), so the user's
comments and layout survive; the new text is parsed and validated before it atomically replaces
the file, and a file that is already broken is never touched.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

from tui.domain.config import (
    Config,
    ConfigError,
    ConfigProblem,
    compose_config,
    is_null,
    parse_config,
)
from tui.domain.errors import UsageError


def watch_space(path: Path, space_id: str) -> Config:
    """Append `space_id` to `spaces:` (creating the file or the section if needed)."""
    return _edit(path, lambda text: _append_space(text, space_id, str(path)))


def unwatch_space(path: Path, space_id: str) -> Config:
    """Remove the `spaces:` entry of `space_id` (with its folder and names)."""
    return _edit(path, lambda text: _remove_space(text, space_id, str(path)))


def link_folder(path: Path, space_id: str, folder: str) -> Config:
    """Set the local folder of `space_id`, adding the Space to `spaces:` if it is not there."""

    def change(text: str) -> str:
        if _find_item(text, space_id, str(path)) is None:
            text = _append_space(text, space_id, str(path))
        return _set_folder(_as_block_list(text, str(path)), space_id, folder, str(path))

    return _edit(path, change)


def _edit(path: Path, change: Callable[[str], str]) -> Config:
    """Apply a text edit, validate the result, then replace the file atomically."""
    if path.exists() and not path.is_file():
        raise ConfigError([ConfigProblem(str(path), None, "", "is not a file")])
    original = path.read_text(encoding="utf-8") if path.exists() else ""
    # A broken file is the user's to fix: editing it could only make things worse.
    parse_config(original, path)
    updated = change(original)
    config = parse_config(updated, path)
    _write_atomically(path, updated)
    return config


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _root_entry(text: str, key: str, file: str) -> tuple[yaml.Node, yaml.Node] | None:
    root = compose_config(text, file)
    if not isinstance(root, yaml.MappingNode):
        return None
    return next(((k, v) for k, v in root.value if k.value == key), None)


def _scalar_text(value: str) -> str:
    """`value` as a YAML scalar: plain when that is safe, else a JSON (double-quoted) string."""
    if re.fullmatch(r"[A-Za-z0-9][\w./-]*", value):
        return value
    return json.dumps(value)


def _last_line(lines: list[str], node: yaml.Node) -> int:
    """The index of the last line holding `node`'s own text (trailing comments excluded)."""
    end = node.end_mark.line
    # A block node "ends" where the next one starts: at the indent of the following line.
    if end >= len(lines) or not lines[end][: node.end_mark.column].strip():
        end -= 1
    end = min(end, len(lines) - 1)
    while end > node.start_mark.line and _is_blank_or_comment(lines[end]):
        end -= 1
    return end


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _append_space(text: str, space_id: str, file: str) -> str:
    if _find_item(text, space_id, file) is not None:
        return text
    entry = _root_entry(text, "spaces", file)
    lines = text.splitlines(keepends=True)
    if entry is None:
        prefix = text if not text or text.endswith("\n") else text + "\n"
        return prefix + f"spaces:\n  - {_scalar_text(space_id)}\n"
    key, value = entry
    if isinstance(value, yaml.SequenceNode) and value.value and not value.flow_style:
        last = _last_line(lines, value.value[-1])
        dash = " " * value.start_mark.column
        lines.insert(last + 1, f"{dash}- {_scalar_text(space_id)}\n")
        return "".join(lines)
    ids = [*_plain_items(value), space_id]
    return _replace_inline(text, key, value, "".join(f"\n  - {_scalar_text(i)}" for i in ids))


def _as_block_list(text: str, file: str) -> str:
    """`spaces: [a/b, c/d]` rewritten as a block list, so an item can grow a `folder:` line."""
    entry = _root_entry(text, "spaces", file)
    if entry is None or not getattr(entry[1], "flow_style", False):
        return text
    block = "".join(f"\n  - {_scalar_text(i)}" for i in _plain_items(entry[1]))
    return _replace_inline(text, entry[0], entry[1], block or " []")


def _plain_items(value: yaml.Node) -> list[str]:
    """The ids of a flow-style or empty `spaces:` value (only plain ids can appear inline)."""
    if isinstance(value, yaml.SequenceNode):
        return [str(item.value) for item in value.value if isinstance(item, yaml.ScalarNode)]
    return []


def _replace_inline(text: str, key: yaml.Node, value: yaml.Node, block: str) -> str:
    """Replace an inline `spaces:` value (empty, `[]`, `[a, b]`) by `block`, keeping its comment."""
    if value.start_mark.line != key.start_mark.line and not is_null(value):
        raise UsageError(
            "the `spaces:` list spans several lines in an unusual form: edit it by hand"
        )
    lines = text.splitlines(keepends=True)
    line = lines[key.start_mark.line]
    colon = line.index(":", key.end_mark.column)
    if is_null(value):
        rest = line[colon + 1 :]
    else:
        rest = line[value.end_mark.column :]
    hash_at = rest.find("#")
    comment = "  " + rest[hash_at:].rstrip("\n") if hash_at >= 0 else ""
    lines[key.start_mark.line] = line[: colon + 1] + comment + block + "\n"
    return "".join(lines)


def _find_item(text: str, space_id: str, file: str) -> yaml.Node | None:
    entry = _root_entry(text, "spaces", file)
    if entry is None or not isinstance(entry[1], yaml.SequenceNode):
        return None
    for item in entry[1].value:
        if isinstance(item, yaml.ScalarNode) and item.value == space_id:
            return item
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if key.value == "id" and getattr(value, "value", None) == space_id:
                    return item
    return None


def _remove_space(text: str, space_id: str, file: str) -> str:
    entry = _root_entry(text, "spaces", file)
    item = _find_item(text, space_id, file)
    if entry is None or item is None:
        raise UsageError(f"{space_id} is not listed under `spaces:` in {file}")
    sequence = entry[1]
    if getattr(sequence, "flow_style", False):
        remaining = [i for i in _plain_items(sequence) if i != space_id]
        block = "".join(f"\n  - {_scalar_text(i)}" for i in remaining)
        return _replace_inline(text, entry[0], sequence, block or " []")
    lines = text.splitlines(keepends=True)
    first, last = item.start_mark.line, _last_line(lines, item)
    del lines[first : last + 1]
    return "".join(lines)


def _set_folder(text: str, space_id: str, folder: str, file: str) -> str:
    item = _find_item(text, space_id, file)
    if item is None:
        raise UsageError(f"{space_id} is not listed under `spaces:` in {file}")
    lines = text.splitlines(keepends=True)
    folder_text = json.dumps(folder)
    if isinstance(item, yaml.ScalarNode):
        row = lines[item.start_mark.line]
        start, end = item.start_mark.column, item.end_mark.column
        indent = " " * start
        lines[item.start_mark.line] = (
            row[:start] + f"id: {row[start:end]}" + row[end:].rstrip("\n") + "\n"
            f"{indent}folder: {folder_text}\n"
        )
        return "".join(lines)
    if getattr(item, "flow_style", False):
        raise UsageError(f"the entry of {space_id} in {file} is an inline mapping: edit it by hand")
    for key, value in item.value:
        if key.value == "folder":
            row = lines[value.start_mark.line]
            lines[value.start_mark.line] = (
                row[: value.start_mark.column] + folder_text + row[value.end_mark.column :]
            )
            return "".join(lines)
    indent = " " * item.start_mark.column
    lines.insert(_last_line(lines, item) + 1, f"{indent}folder: {folder_text}\n")
    return "".join(lines)
