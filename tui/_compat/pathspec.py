"""pathspec: the name of the regex group that marks a match made through a parent directory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

# Private in pathspec (`_DIR_MARK`); its value is part of every regex GitIgnoreSpecPattern builds.
from pathspec.patterns.gitignore.spec import _DIR_MARK

#: pathspec's backend with linear-time matching (RE2): a user's `*a*a*a…*b` cannot backtrack.
LINEAR_BACKEND = "re2"


class _Match(Protocol):
    def end(self, group: int, /) -> int: ...


def dir_mark_end(found: _Match, group_index: Mapping[str, int]) -> int:
    """Where pathspec's directory-mark group ended in `found` (-1 when it took no part).

    `found` is a match of a pattern's own regex (stdlib `re` or `re2`, which share this API).
    """
    index = group_index.get(_DIR_MARK)
    return -1 if index is None else found.end(index)
