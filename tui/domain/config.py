"""spacetui.yaml: load and validate it (file, line and key of every problem), and edit it in place.

Shape of the file (every section optional):

    spaces:                      # watched Spaces, each a plain id or a mapping
      - alice/chatbot
      - id: alice/api
        folder: ~/code/api       # the local folder linked to this Space
        secrets: [OPENAI_API_KEY]  # names of secrets and variables to set on deploy
        variables: [MODEL_ID]
    authors: [alice-org]         # watch every Space of these users or orgs
    ui:
      theme: textual-dark
      bell: false                # ring the terminal bell on a stage change
      notify: true               # show a toast on a stage change
      stuck_after: {BUILDING: 20m, APP_STARTING: 10m}
    keymap:                      # binding id -> keys (comma separated)
      space.restart: ctrl+r

Edits made from the app (watch, unwatch, link a folder) change only the lines concerned, so the
user's comments and layout survive; the new text is parsed and validated before it atomically
replaces the file. A token is never accepted here.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from tui.domain.errors import UsageError
from tui.domain.models import Stage, is_valid_space_id
from tui.domain.redact import redact

#: Stuck thresholds in seconds when the config does not set them.
DEFAULT_STUCK_AFTER: Mapping[Stage, float] = MappingProxyType(
    {
        Stage.BUILDING: 20 * 60,
        Stage.RUNNING_BUILDING: 20 * 60,
        Stage.APP_STARTING: 10 * 60,
        Stage.RUNNING_APP_STARTING: 10 * 60,
    }
)
_TOKEN_KEYS = frozenset({"token", "hf_token", "access_token", "api_token", "huggingface_token"})
_TOKEN_VALUE = re.compile(r"\b(hf_|api_org_)[A-Za-z0-9]{6,}")
_TOKEN_HINT = "a token is never stored in spacetui.yaml: use `hf auth login` or HF_TOKEN instead"
_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s?)?\s*$")


@dataclass(frozen=True, slots=True)
class WatchedSpace:
    """One entry of `spaces:`."""

    space_id: str
    #: The local folder linked to the Space (checks and deploy read it), `~` expanded.
    folder: Path | None = None
    #: Names of secrets to set on deploy (the values come from the environment, never from here).
    secrets: tuple[str, ...] = ()
    #: Names of variables to set on deploy.
    variables: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UiPreferences:
    """The `ui:` section."""

    #: A Textual theme name; None keeps the default.
    theme: str | None = None
    #: Ring the terminal bell when a watched Space changes stage.
    bell: bool = False
    #: Show a toast when a watched Space changes stage.
    notify: bool = True
    #: Seconds in a stage after which a Space "looks stuck".
    stuck_after: Mapping[Stage, float] = field(default_factory=lambda: DEFAULT_STUCK_AFTER)


@dataclass(frozen=True, slots=True)
class Config:
    """A validated spacetui.yaml (or the empty config when there is none)."""

    path: Path | None = None
    spaces: tuple[WatchedSpace, ...] = ()
    authors: tuple[str, ...] = ()
    ui: UiPreferences = field(default_factory=UiPreferences)
    #: Binding id -> keys, applied with Textual's `App.set_keymap`.
    keymap: Mapping[str, str] = field(default_factory=dict)

    @property
    def space_ids(self) -> tuple[str, ...]:
        """The ids listed under `spaces:`, in file order."""
        return tuple(space.space_id for space in self.spaces)

    def space(self, space_id: str) -> WatchedSpace | None:
        """The `spaces:` entry of one Space, if it has one."""
        return next((s for s in self.spaces if s.space_id == space_id), None)


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong in the file, located for the user."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ConfigError(UsageError):
    """spacetui.yaml cannot be used; `.problems` lists every problem found."""

    title = "Config error"

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = tuple(problems)
        first = str(problems[0])
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


# --------------------------------------------------------------------------- loading


def load_config(path: Path) -> Config:
    """The config in `path`; the empty config when the file does not exist.

    Raises:
        ConfigError: the file cannot be read, is not YAML, or has any invalid entry.
    """
    if not path.exists():
        return Config(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(str(path), None, "", f"cannot be read ({exc})")]) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    """Validate YAML text as spacetui.yaml; `path` names the file in error messages."""
    root = _compose(text, str(path))
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        return Config(path=path)
    checker = _Checker(str(path))
    config = checker.config(root, path)
    if checker.problems:
        raise ConfigError(checker.problems)
    return config


def _compose(text: str, file: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = redact(" ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML")
        raise ConfigError([ConfigProblem(file, line, "", f"not valid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([ConfigProblem(file, None, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise ConfigError([ConfigProblem(file, None, "", "nested too deeply to read")]) from None


class _Checker:
    """Walks the YAML node tree (which keeps line numbers) and builds the Config."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[ConfigProblem] = []

    def problem(self, node: yaml.Node, key: str, message: str) -> None:
        self.problems.append(ConfigProblem(self.file, node.start_mark.line + 1, key, message))

    def config(self, root: yaml.Node, path: Path) -> Config:
        sections = self.mapping(root, "", ("spaces", "authors", "ui", "keymap"))
        spaces = self.spaces(sections["spaces"]) if "spaces" in sections else ()
        authors = self.names(sections["authors"], "authors") if "authors" in sections else ()
        ui = self.ui(sections["ui"]) if "ui" in sections else UiPreferences()
        keymap = self.keymap(sections["keymap"]) if "keymap" in sections else {}
        return Config(path=path, spaces=spaces, authors=authors, ui=ui, keymap=keymap)

    def mapping(
        self, node: yaml.Node, where: str, allowed: tuple[str, ...]
    ) -> dict[str, yaml.Node]:
        """The children of a mapping node; unknown, duplicate and token keys are problems."""
        if _is_null(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, where, f"expected a mapping, got {_kind(node)}")
            return {}
        children: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, where, "keys must be plain names")
                continue
            key = str(key_node.value)
            path = f"{where}.{key}" if where else key
            if key.lower() in _TOKEN_KEYS:
                self.problem(key_node, path, _TOKEN_HINT)
            elif key not in allowed:
                self.problem(key_node, path, "unknown key" + _suggestion(key, allowed))
            elif key in children:
                self.problem(key_node, path, "given twice")
            else:
                children[key] = value_node
        return children

    def scalar(self, node: yaml.Node, where: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, where, f"expected a single value, got {_kind(node)}")
            return None
        try:
            value = yaml.SafeLoader("").construct_object(node)
        except Exception:  # PyYAML's constructors raise IndexError, ValueError...
            # Tags such as `!!python/name:`, `!!int abc` or an empty `!!int`: refused as values.
            self.problem(node, where, f"unsupported value {node.tag} {node.value!r}")
            return None
        if isinstance(value, str) and _TOKEN_VALUE.search(value):
            self.problem(node, where, _TOKEN_HINT)
            return None
        return value

    def string(self, node: yaml.Node, where: str) -> str | None:
        value = self.scalar(node, where)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(node, where, f"expected text, got {value!r}")
            return None
        return value.strip()

    def sequence(self, node: yaml.Node, where: str) -> list[yaml.Node]:
        if _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, where, f"expected a list, got {_kind(node)}")
            return []
        return list(node.value)

    def names(self, node: yaml.Node, where: str) -> tuple[str, ...]:
        found = (
            self.string(item, f"{where}[{i}]") for i, item in enumerate(self.sequence(node, where))
        )
        return tuple(name for name in found if name)

    def spaces(self, node: yaml.Node) -> tuple[WatchedSpace, ...]:
        spaces: list[WatchedSpace] = []
        seen: set[str] = set()
        for index, item in enumerate(self.sequence(node, "spaces")):
            where = f"spaces[{index}]"
            space = self.space(item, where)
            if space is None:
                continue
            if space.space_id in seen:
                self.problem(item, where, f"{space.space_id} is listed twice")
                continue
            seen.add(space.space_id)
            spaces.append(space)
        return tuple(spaces)

    def space(self, node: yaml.Node, where: str) -> WatchedSpace | None:
        if isinstance(node, yaml.ScalarNode):
            plain_id = self.space_id(node, where)
            return WatchedSpace(plain_id) if plain_id else None
        fields = self.mapping(node, where, ("id", "folder", "secrets", "variables"))
        if "id" not in fields:
            if isinstance(node, yaml.MappingNode):
                self.problem(node, where, "a Space entry needs an `id: namespace/name`")
            return None
        space_id = self.space_id(fields["id"], f"{where}.id")
        folder = self.string(fields["folder"], f"{where}.folder") if "folder" in fields else None
        return (
            WatchedSpace(
                space_id,
                folder=Path(folder).expanduser() if folder else None,
                secrets=self.names(fields["secrets"], f"{where}.secrets")
                if "secrets" in fields
                else (),
                variables=(
                    self.names(fields["variables"], f"{where}.variables")
                    if "variables" in fields
                    else ()
                ),
            )
            if space_id
            else None
        )

    def space_id(self, node: yaml.Node, where: str) -> str | None:
        value = self.string(node, where)
        if value is not None and not is_valid_space_id(value):
            self.problem(node, where, f"{value!r} is not a Space id (expected namespace/name)")
            return None
        return value

    def ui(self, node: yaml.Node) -> UiPreferences:
        fields = self.mapping(node, "ui", ("theme", "bell", "notify", "stuck_after"))
        theme = self.string(fields["theme"], "ui.theme") if "theme" in fields else None
        bell = self.flag(fields["bell"], "ui.bell", False) if "bell" in fields else False
        notify = self.flag(fields["notify"], "ui.notify", True) if "notify" in fields else True
        stuck = dict(DEFAULT_STUCK_AFTER)
        if "stuck_after" in fields:
            stages = tuple(stage.value for stage in Stage)
            for name, value in self.mapping(
                fields["stuck_after"], "ui.stuck_after", stages
            ).items():
                seconds = self.duration(value, f"ui.stuck_after.{name}")
                if seconds is not None:
                    stuck[Stage(name)] = seconds
        return UiPreferences(
            theme=theme, bell=bell, notify=notify, stuck_after=MappingProxyType(stuck)
        )

    def flag(self, node: yaml.Node, where: str, default: bool) -> bool:
        value = self.scalar(node, where)
        if isinstance(value, bool):
            return value
        self.problem(node, where, f"expected true or false, got {value!r}")
        return default

    def duration(self, node: yaml.Node, where: str) -> float | None:
        value = self.scalar(node, where)
        seconds = parse_duration(value)
        if seconds is None:
            self.problem(node, where, f"expected a duration like 90s, 20m or 1h, got {value!r}")
        return seconds

    def keymap(self, node: yaml.Node) -> dict[str, str]:
        if not isinstance(node, yaml.MappingNode):
            if not _is_null(node):
                self.problem(node, "keymap", f"expected a mapping, got {_kind(node)}")
            return {}
        keymap: dict[str, str] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "keymap", "keys must be binding ids")
                continue
            binding_id = str(key_node.value)
            keys = self.string(value_node, f"keymap.{binding_id}")
            if keys:
                keymap[binding_id] = keys
        return keymap


def parse_duration(value: object) -> float | None:
    """Seconds for `90`, `90s`, `20m`, `1h30m`; None when it is not a duration."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value > 0 else None
    if not isinstance(value, str) or not value.strip():
        return None
    match = _DURATION.match(value)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    return float(total) if total > 0 else None


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return repr(node.value)


def _suggestion(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return (
        f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(allowed)})"
    )


# --------------------------------------------------------------------------- editing


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
    root = _compose(text, file)
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
    if value.start_mark.line != key.start_mark.line and not _is_null(value):
        raise UsageError(
            "the `spaces:` list spans several lines in an unusual form: edit it by hand"
        )
    lines = text.splitlines(keepends=True)
    line = lines[key.start_mark.line]
    colon = line.index(":", key.end_mark.column)
    if _is_null(value):
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
