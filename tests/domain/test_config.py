"""spacetui.yaml (`config`, `config_edit`): validation that locates every problem, and in-place
edits that keep comments."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.domain.config import (
    DEFAULT_STUCK_AFTER,
    Config,
    ConfigError,
    load_config,
    parse_config,
    parse_duration,
)
from tui.domain.config_edit import link_folder, unwatch_space, watch_space
from tui.domain.models import Stage
from tui.domain.paths import default_config_path, resolve_config_path

FULL = """\
# my spaces
spaces:            # the ones I care about
  - alice/chatbot  # main app
  - id: alice/api
    folder: ~/code/api
    secrets: [OPENAI_API_KEY]
    variables: [MODEL_ID]
authors: [alice-org]
ui:
  theme: nord
  bell: true
  stuck_after:
    BUILDING: 5m
keymap:
  space.restart: ctrl+r
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spacetui.yaml"
    path.write_text(text)
    return path


def problems_of(text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return [str(p) for p in caught.value.problems]


def test_a_full_config_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL))
    assert config.space_ids == ("alice/chatbot", "alice/api")
    api = config.space("alice/api")
    assert api is not None and api.folder == Path("~/code/api").expanduser()
    assert api.secrets == ("OPENAI_API_KEY",) and api.variables == ("MODEL_ID",)
    assert config.authors == ("alice-org",)
    assert config.ui.theme == "nord" and config.ui.bell is True and config.ui.notify is True
    assert config.ui.stuck_after[Stage.BUILDING] == 300
    assert config.ui.stuck_after[Stage.APP_STARTING] == DEFAULT_STUCK_AFTER[Stage.APP_STARTING]
    assert config.keymap == {"space.restart": "ctrl+r"}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "spaces:\n"])
def test_empty_files_give_the_empty_config(tmp_path: Path, text: str) -> None:
    assert load_config(write(tmp_path, text)).spaces == ()


def test_a_missing_file_is_the_empty_config(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nope.yaml")
    assert config == Config(path=tmp_path / "nope.yaml")


def test_unknown_keys_are_errors_with_a_suggestion_file_and_line(tmp_path: Path) -> None:
    problems = problems_of("spaces: []\nauthor: [x]\nui:\n  bel: true\n", tmp_path)
    path = tmp_path / "spacetui.yaml"
    assert problems == [
        f"{path}:2: author: unknown key (did you mean 'authors'?)",
        f"{path}:4: ui.bel: unknown key (did you mean 'bell'?)",
    ]


def test_every_problem_is_reported_with_its_key_path(tmp_path: Path) -> None:
    text = (
        "spaces:\n"
        "  - not-an-id\n"
        "  - id: alice/x\n"
        "    folder: [1]\n"
        "  - {folder: a}\n"
        "ui:\n"
        "  bell: maybe\n"
        "  stuck_after: {BUILDING: soon, NOPE: 1m}\n"
    )
    problems = problems_of(text, tmp_path)
    joined = "\n".join(problems)
    assert ":2: spaces[0]: 'not-an-id' is not a Space id" in joined
    assert ":4: spaces[1].folder: expected a single value, got a list" in joined
    assert ":5: spaces[2]: a Space entry needs an `id: namespace/name`" in joined
    assert ":7: ui.bell: expected true or false, got 'maybe'" in joined
    assert ":8: ui.stuck_after.BUILDING: expected a duration" in joined
    assert ":8: ui.stuck_after.NOPE: unknown key" in joined
    assert len(problems) == 6


def test_duplicates_are_errors(tmp_path: Path) -> None:
    problems = problems_of("spaces: [a/b, a/b]\nui: {bell: true, bell: false}\n", tmp_path)
    assert any("a/b is listed twice" in p for p in problems)
    assert any("ui.bell: given twice" in p for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "token: hf_abcdefghijklmnop\n",
        "spaces:\n  - id: a/b\n    hf_token: xyz\n",
        "ui:\n  theme: hf_abcdefghijklmnop\n",
    ],
)
def test_a_token_is_refused_and_never_echoed(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert "never stored in spacetui.yaml" in caught.value.message
    assert "hf_abcdefghijklmnop" not in caught.value.message
    assert "xyz" not in caught.value.message


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    problems = problems_of("spaces:\n  - a/b\n  - [unclosed\nui: {}\n", tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'spacetui.yaml'}:4: not valid YAML")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("ui:\n  bell: false\nspaces: [\n", 3),  # unclosed at the end: where `[` was opened
        ("ui:\n  bell: false\nspaces: [\n\n\n", 3),  # trailing blank lines do not count
        ('ui:\n  theme: "nord\n', 2),  # an unclosed quote
        ("ui: {}\nspaces: a: b\n", 2),  # mid-file: where the parser choked
    ],
)
def test_a_syntax_error_points_at_a_line_of_the_file(tmp_path: Path, text: str, line: int) -> None:
    problems = problems_of(text, tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'spacetui.yaml'}:{line}: not valid YAML"), problems


def test_problems_are_listed_in_line_order(tmp_path: Path) -> None:
    problems = problems_of("ui:\n  bel: true\nzzz: 1\naaa: 2\n", tmp_path)
    lines = [int(problem.split(":")[1]) for problem in problems]
    assert lines == [2, 3, 4]


def test_the_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert problems_of("- a/b\n", tmp_path) == [
        f"{tmp_path / 'spacetui.yaml'}:1: expected a mapping, got a list"
    ]


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        (90, 90.0),
        ("90", 90.0),
        ("90s", 90.0),
        ("20m", 1200.0),
        ("1h30m", 5400.0),
        ("0", None),
        ("soon", None),
        (True, None),
        (-5, None),
        ("", None),
    ],
)
def test_durations(raw: object, seconds: float | None) -> None:
    assert parse_duration(raw) == seconds


# ---------------------------------------------------------------------------- edits


def test_watch_appends_an_item_and_keeps_every_comment(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    config = watch_space(path, "bob/new")
    text = path.read_text()
    assert config.space_ids == ("alice/chatbot", "alice/api", "bob/new")
    assert text == FULL.replace(
        "    variables: [MODEL_ID]\n", "    variables: [MODEL_ID]\n  - bob/new\n"
    )


def test_watch_is_idempotent(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    watch_space(path, "alice/chatbot")
    assert path.read_text() == FULL


def test_watch_creates_the_file_and_the_section(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "spacetui.yaml"
    watch_space(path, "a/b")
    assert path.read_text() == "spaces:\n  - a/b\n"
    path.write_text("# prefs\nui:\n  bell: true\n")
    watch_space(path, "c/d")
    assert path.read_text() == "# prefs\nui:\n  bell: true\nspaces:\n  - c/d\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("spaces: []  # none yet\n", "spaces:  # none yet\n  - a/b\n  - c/d\n"),
        ("spaces: [a/b]\n", "spaces:\n  - a/b\n  - c/d\n"),
        ("spaces:   # later\nui: {}\n", "spaces:  # later\n  - a/b\n  - c/d\nui: {}\n"),
    ],
)
def test_watch_turns_an_inline_list_into_a_block(tmp_path: Path, before: str, after: str) -> None:
    path = write(tmp_path, before)
    if "a/b" not in before:
        watch_space(path, "a/b")
    watch_space(path, "c/d")
    assert path.read_text() == after


def test_unwatch_removes_the_whole_entry_only(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    unwatch_space(path, "alice/api")
    assert path.read_text() == FULL.replace(
        "  - id: alice/api\n    folder: ~/code/api\n    secrets: [OPENAI_API_KEY]\n"
        "    variables: [MODEL_ID]\n",
        "",
    )
    config = unwatch_space(path, "alice/chatbot")
    assert config.spaces == ()
    assert "# my spaces\nspaces:            # the ones I care about\nauthors:" in path.read_text()


def test_unwatch_keeps_comments_between_items(tmp_path: Path) -> None:
    path = write(tmp_path, "spaces:\n  - a/b\n  # keep me\n  - c/d\n")
    unwatch_space(path, "a/b")
    assert path.read_text() == "spaces:\n  # keep me\n  - c/d\n"


def test_unwatch_of_an_unlisted_space_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    with pytest.raises(Exception, match="not listed under `spaces:`"):
        unwatch_space(path, "zed/zed")
    assert path.read_text() == FULL


def test_link_folder_on_a_plain_item_and_on_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    config = link_folder(path, "alice/chatbot", "/src/chat bot")
    assert config.space("alice/chatbot").folder == Path("/src/chat bot")
    assert '  - id: alice/chatbot  # main app\n    folder: "/src/chat bot"\n' in path.read_text()
    config = link_folder(path, "alice/api", "/elsewhere")
    assert config.space("alice/api").folder == Path("/elsewhere")
    assert '    folder: "/elsewhere"\n    secrets' in path.read_text()
    config = link_folder(path, "new/one", "/n")
    assert config.space("new/one").folder == Path("/n")
    assert path.read_text().startswith("# my spaces\nspaces:            # the ones I care about\n")


def test_a_broken_file_is_never_overwritten(tmp_path: Path) -> None:
    broken = "spaces:\n  - a/b\n  - [oops\n"
    path = write(tmp_path, broken)
    with pytest.raises(ConfigError):
        watch_space(path, "c/d")
    assert path.read_text() == broken
    assert [p.name for p in tmp_path.iterdir()] == ["spacetui.yaml"]


def test_the_write_is_atomic_and_keeps_the_mode(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    os.chmod(path, 0o600)
    inode = path.stat().st_ino
    watch_space(path, "c/d")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.stat().st_ino != inode  # replaced, not rewritten in place
    assert [p.name for p in tmp_path.iterdir()] == ["spacetui.yaml"]


def test_parse_config_round_trips_the_default_stuck_thresholds(tmp_path: Path) -> None:
    config = parse_config("ui: {notify: false}\n", tmp_path / "x.yaml")
    assert config.ui.notify is False
    assert config.ui.stuck_after == DEFAULT_STUCK_AFTER


def test_config_path_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_config_path() == tmp_path / "xdg" / "spacetui" / "spacetui.yaml"
    assert resolve_config_path() == default_config_path()
    monkeypatch.setenv("SPACETUI_CONFIG", str(tmp_path / "env.yaml"))
    assert resolve_config_path() == tmp_path / "env.yaml"
    assert resolve_config_path(tmp_path / "arg.yaml") == tmp_path / "arg.yaml"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")
    monkeypatch.delenv("SPACETUI_CONFIG")
    assert resolve_config_path() == Path.home() / ".config" / "spacetui" / "spacetui.yaml"


def test_link_folder_in_an_inline_list(tmp_path: Path) -> None:
    path = write(tmp_path, "spaces: [a/b, c/d]  # mine\n")
    config = link_folder(path, "c/d", "/src")
    assert config.space("c/d").folder == Path("/src")
    assert path.read_text() == 'spaces:  # mine\n  - a/b\n  - id: c/d\n    folder: "/src"\n'


_IDS = ("a/one", "a/two", "b/three", "c/four-4", "d/x.y")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.sampled_from(
        [
            "",
            "# top comment\n",
            "spaces: []  # none\nui:\n  bell: true  # ring\n",
            "# mine\nspaces:\n  - a/one  # first\n  # between\n  - id: b/three\n    folder: /x\nauthors: [z]\n",
        ]
    ),
    operations=st.lists(
        st.tuples(st.sampled_from(["watch", "unwatch", "link"]), st.sampled_from(_IDS)), max_size=12
    ),
)
def test_edits_keep_comments_and_match_a_model(
    tmp_path: Path, start: str, operations: list
) -> None:
    path = tmp_path / "prop.yaml"
    path.write_text(start)
    # An inline comment on an item goes with the item; every other comment must stay.
    comments = [
        line.split("#", 1)[1]
        for line in start.splitlines()
        if "#" in line and not line.startswith(("  - ", "    "))
    ]
    initial = load_config(path)
    model = list(initial.space_ids)
    folders = {s.space_id: s.folder for s in initial.spaces if s.folder}
    for operation, space_id in operations:
        if operation == "watch":
            watch_space(path, space_id)
        elif operation == "link":
            link_folder(path, space_id, f"/src/{space_id}")
            folders[space_id] = Path(f"/src/{space_id}")
        elif space_id in model:
            unwatch_space(path, space_id)
            model.remove(space_id)
            folders.pop(space_id, None)
        if operation != "unwatch" and space_id not in model:
            model.append(space_id)
        config = load_config(path)
        assert list(config.space_ids) == model
        assert {s.space_id: s.folder for s in config.spaces if s.folder} == folders
    text = path.read_text()
    assert all(comment in text for comment in comments)


_yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.sampled_from(_IDS),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["spaces", "id", "folder", "ui", "bell", "theme", "keymap", "token", "x"]
            ),
            children,
            max_size=3,
        )
    ),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(
    document=st.dictionaries(
        st.sampled_from(["spaces", "authors", "ui", "keymap", "tokn"]), _yaml_values
    )
)
def test_any_document_loads_or_fails_with_a_config_error(document: dict) -> None:
    import yaml

    text = yaml.safe_dump(document)
    try:
        parse_config(text, Path("spacetui.yaml"))
    except ConfigError as exc:
        assert exc.problems and all(str(p).startswith("spacetui.yaml") for p in exc.problems)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=80))
def test_any_text_loads_or_fails_with_a_config_error(text: str) -> None:
    try:
        parse_config(text, Path("spacetui.yaml"))
    except ConfigError as exc:
        assert exc.message.startswith("spacetui.yaml")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("ui:\n  theme: !!python/name:os.system\n", "c.yaml:2: ui.theme: unsupported value"),
        ("ui:\n  bell: !!int notanint\n", "c.yaml:2: ui.bell: unsupported value"),
        ("ui:\n  theme: !foo bar\n", "c.yaml:2: ui.theme: unsupported value"),
        ("? [a]\n: 1\n", "c.yaml:1: keys must be plain names"),
        ("keymap:\n  ? [a]\n  : x\n", "c.yaml:2: keymap: keys must be binding ids"),
    ],
)
def test_odd_yaml_is_a_located_problem(text: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("c.yaml"))
    assert str(caught.value.problems[0]).startswith(problem)


def test_absurd_nesting_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="nested too deeply"):
        parse_config("ui: " + "[" * 5000 + "]" * 5000 + "\n", Path("c.yaml"))


@settings(max_examples=150, deadline=None)
@given(
    tag=st.sampled_from(
        [
            "",
            "!!str ",
            "!!int ",
            "!!float ",
            "!!bool ",
            "!!binary ",
            "!!timestamp ",
            "!!python/tuple ",
            "!x ",
            "&a ",
            "*a ",
        ]
    ),
    value=st.text(alphabet="ab1:-[]{}#&*!|>'\" ", max_size=8),
    key=st.sampled_from(
        ["ui.theme", "ui.bell", "ui.stuck_after.BUILDING", "spaces", "authors", "keymap.x"]
    ),
)
def test_tagged_and_odd_scalars_load_or_fail_with_a_config_error(
    tag: str, value: str, key: str
) -> None:
    parts = key.split(".")
    text = "".join(f"{'  ' * depth}{part}:\n" for depth, part in enumerate(parts[:-1]))
    text += f"{'  ' * (len(parts) - 1)}{parts[-1]}: {tag}{value}\n"
    try:
        parse_config(text, Path("spacetui.yaml"))
    except ConfigError as exc:
        assert exc.message.startswith("spacetui.yaml")
