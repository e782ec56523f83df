"""A bounded ring of the most recent items, so endless log streams keep memory flat."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Ring(Generic[T]):
    """The last `maxlen` items appended; older ones fall off (counted in `dropped`).

    A thin layer over `collections.deque(maxlen=...)`, which already does the eviction in C; this
    adds the counters a log view needs to say how much history was let go.
    """

    __slots__ = ("_items", "appended")

    def __init__(self, maxlen: int) -> None:
        if maxlen < 1:
            raise ValueError("a ring holds at least one item")
        self._items: deque[T] = deque(maxlen=maxlen)
        self.appended = 0  # items ever appended

    @property
    def maxlen(self) -> int:
        return self._items.maxlen or 0

    @property
    def dropped(self) -> int:
        """How many items were evicted to keep the bound."""
        return self.appended - len(self._items)

    def append(self, item: T) -> None:
        self._items.append(item)
        self.appended += 1

    def extend(self, items: Iterable[T]) -> None:
        items = items if isinstance(items, list | tuple) else list(items)
        self._items.extend(items)
        self.appended += len(items)

    def clear(self) -> None:
        """Forget the items; they count as dropped."""
        self._items.clear()

    def tail(self, n: int) -> list[T]:
        """The last `n` items, oldest first."""
        if n <= 0:
            return []
        items = self._items
        if n >= len(items):
            return list(items)
        return [items[i] for i in range(len(items) - n, len(items))]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __getitem__(self, index: int) -> T:
        return self._items[index]
