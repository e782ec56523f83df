"""spacetui.yaml: load and validate it (file, line and key of every problem), and edit it in place.

Shape of the file (every section optional):

    spaces:                      # watched Spaces, each a plain id or a mapping
      - alice/chatbot
      - id: alice/api
        folder: ~/code/api       # the local folder linked to this Space
        secrets: [OPENAI_API_KEY]  # names of secrets and variables to set on deploy
        variables: [MODEL_ID]
        probe_path: /health      # the health probe's path after RUNNING (deploy, rollback)
    authors: [alice-org]         # watch every Space of these users or orgs
    ui:
      theme: textual-dark
      bell: false                # ring the terminal bell on a stage change
      notify: true               # show a toast on a stage change
      stuck_after: {BUILDING: 20m, APP_STARTING: 10m}
    keymap:                      # binding id -> keys (comma separated)
      space.restart: ctrl+r

Edits made from the app live in `tui.domain.config_edit`. A token is never accepted here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
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
    #: The path the health probe GETs after RUNNING (deploys and rollbacks; None: `/`).
    probe_path: str | None = None


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
    #: From this terminal width on, the list shows the selected Space's live log beside it (0: never).
    side_log_from: int = 160


@dataclass(frozen=True, slots=True)
class Config:
    """A validated spacetui.yaml (or the empty config when there is none)."""

    path: Path | None = None
    spaces: tuple[WatchedSpace, ...] = ()
    authors: tuple[str, ...] = ()
    ui: UiPreferences = field(default_factory=UiPreferences)
    #: Binding id -> keys, applied with Textual's `App.set_keymap`.
    keymap: Mapping[str, str] = field(default_factory=dict)
    #: Binding id -> its 1-based line in the file, so the app can locate a keymap problem.
    keymap_lines: Mapping[str, int] = field(default_factory=dict, compare=False)

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
    """spacetui.yaml has problems; `.problems` lists every one, `.config` keeps its valid parts
    (None when the file could not be read or parsed at all)."""

    title = "Config error"

    def __init__(self, problems: list[ConfigProblem], config: Config | None = None) -> None:
        self.problems = tuple(problems)
        self.config = config
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
    root = compose_config(text, str(path))
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        return Config(path=path)
    checker = _Checker(str(path))
    config = checker.config(root, path)
    if checker.problems:
        # The checker walks sections in a fixed order; the user reads the file top to bottom.
        # Every valid entry is kept (a bad `ui.bel` must not cost the theme and the keymap).
        raise ConfigError(
            sorted(checker.problems, key=lambda problem: problem.line or 0), config=config
        )
    return config


def compose_config(text: str, file: str) -> yaml.Node | None:
    """The YAML node tree of `text` (marks give lines); a parse error is a located ConfigError."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = _error_line(text, exc)
        reason = redact(" ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML")
        raise ConfigError([ConfigProblem(file, line, "", f"not valid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([ConfigProblem(file, None, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise ConfigError([ConfigProblem(file, None, "", "nested too deeply to read")]) from None


def _error_line(text: str, exc: yaml.MarkedYAMLError) -> int | None:
    """The 1-based line to blame for a YAML syntax error, never past the file's last line.

    When the parser ran out of text, the problem mark sits past the end: the cause is what was
    left open (the context mark: an unclosed `[` or quote). Else the problem mark is where the
    parser choked.
    """
    content = text.rstrip()
    mark = exc.problem_mark
    if mark is None or (mark.index >= len(content) and exc.context_mark is not None):
        mark = exc.context_mark
    if mark is None:
        return None
    return max(1, min(mark.line + 1, content.count("\n") + 1))


def is_probe_path(text: str) -> bool:
    """A path the health probe may GET: starts with `/`, no spaces or control characters."""
    return text.startswith("/") and not any(ch.isspace() or not ch.isprintable() for ch in text)


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
        keymap_lines: dict[str, int] = {}
        keymap = self.keymap(sections["keymap"], keymap_lines) if "keymap" in sections else {}
        return Config(path=path, spaces=spaces, authors=authors, ui=ui, keymap=keymap,
                      keymap_lines=keymap_lines)  # fmt: skip

    def mapping(
        self, node: yaml.Node, where: str, allowed: tuple[str, ...]
    ) -> dict[str, yaml.Node]:
        """The children of a mapping node; unknown, duplicate and token keys are problems."""
        if is_null(node):
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
        if is_null(node):
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
        fields = self.mapping(node, where, ("id", "folder", "secrets", "variables", "probe_path"))
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
                probe_path=(
                    self.probe_path(fields["probe_path"], f"{where}.probe_path")
                    if "probe_path" in fields
                    else None
                ),
            )
            if space_id
            else None
        )

    def probe_path(self, node: yaml.Node, where: str) -> str | None:
        value = self.string(node, where)
        if value is not None and not is_probe_path(value):
            self.problem(node, where, f"{value!r} is not a path starting with /, like /health")
            return None
        return value

    def space_id(self, node: yaml.Node, where: str) -> str | None:
        value = self.string(node, where)
        if value is not None and not is_valid_space_id(value):
            self.problem(node, where, f"{value!r} is not a Space id (expected namespace/name)")
            return None
        return value

    def ui(self, node: yaml.Node) -> UiPreferences:
        fields = self.mapping(
            node, "ui", ("theme", "bell", "notify", "stuck_after", "side_log_from")
        )
        side_log_from = 160
        if "side_log_from" in fields:
            value = self.scalar(fields["side_log_from"], "ui.side_log_from")
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                side_log_from = value
            else:
                self.problem(fields["side_log_from"], "ui.side_log_from",
                             f"expected a number of columns (0: never), got {value!r}")  # fmt: skip
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
            theme=theme, bell=bell, notify=notify, stuck_after=MappingProxyType(stuck),
            side_log_from=side_log_from,
        )  # fmt: skip

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

    def keymap(self, node: yaml.Node, lines: dict[str, int]) -> dict[str, str]:
        if not isinstance(node, yaml.MappingNode):
            if not is_null(node):
                self.problem(node, "keymap", f"expected a mapping, got {_kind(node)}")
            return {}
        keymap: dict[str, str] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "keymap", "keys must be binding ids")
                continue
            binding_id = str(key_node.value)
            keys = self.string(value_node, f"keymap.{binding_id}")
            if binding_id in keymap:
                self.problem(key_node, f"keymap.{binding_id}", "given twice")
            elif keys:
                keymap[binding_id] = keys
                lines[binding_id] = key_node.start_mark.line + 1
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


def is_null(node: yaml.Node) -> bool:
    """True for an empty or `null` value."""
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
