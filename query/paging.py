"""Pages of a longer list. Every list a caller reads (facts, history, timeline, search hits,
entities, audit events) takes ``limit`` and ``offset`` and answers with ``next_offset``: where the
next page starts, ``None`` at the end. The same names on every surface (Python, CLI, REST)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypedDict, TypeVar

from asof.graph.errors import InvalidInputError

T = TypeVar("T")
U = TypeVar("U")

#: The largest offset accepted: deeper pages are better reached with a narrower query.
MAX_OFFSET = 1_000_000


class Window(TypedDict):
    """Where a page sits: what a JSON answer carries beside its items."""

    limit: int | None
    offset: int
    next_offset: int | None


class Page(list[T]):
    """The items of one page (a plain list, so existing callers keep working), with
    ``offset``, ``limit`` (``None``: no limit) and ``next_offset``."""

    __slots__ = ("limit", "next_offset", "offset")

    def __init__(self, items: Iterable[T], *, offset: int = 0, limit: int | None = None,
                 next_offset: int | None = None) -> None:
        super().__init__(items)
        self.offset, self.limit, self.next_offset = offset, limit, next_offset

    def with_items(self, items: Iterable[U]) -> Page[U]:
        """The same window over other items (e.g. the rows of this page, with provenance)."""
        return Page(items, offset=self.offset, limit=self.limit, next_offset=self.next_offset)

    def window(self) -> Window:
        return Window(limit=self.limit, offset=self.offset, next_offset=self.next_offset)


def check_window(offset: int, limit: int | None, *, max_limit: int) -> None:
    """Refuse an offset or limit out of bounds, naming which and the allowed range."""
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise InvalidInputError(f"offset: must be an integer from 0 to {MAX_OFFSET:,}, "
                                f"got {offset!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                              or not 1 <= limit <= max_limit):
        raise InvalidInputError(f"limit: must be an integer from 1 to {max_limit:,}, "
                                f"got {limit!r}")


def fetch_size(offset: int, limit: int | None) -> int | None:
    """How many rows from the start to read so that :func:`page_of` can tell whether another
    page follows: one more than the page ends at."""
    return None if limit is None else offset + limit + 1


def page_of(rows: Sequence[T], *, offset: int, limit: int | None) -> Page[T]:
    """The page of ``rows`` (read from the start; at least :func:`fetch_size` of them when
    there are that many) that starts at ``offset``."""
    return page_after(rows[offset:], offset=offset, limit=limit)


def page_after(rows: Sequence[T], *, offset: int, limit: int | None) -> Page[T]:
    """The page from ``rows`` read from ``offset`` on (``limit + 1`` of them, when there are
    that many: the extra one tells that another page follows)."""
    if limit is None:
        return Page(rows, offset=offset)
    return Page(rows[:limit], offset=offset, limit=limit,
                next_offset=offset + limit if len(rows) > limit else None)
