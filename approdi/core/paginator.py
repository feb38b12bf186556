"""Pages of a list that count their rows only up to a cap.

Counting every row of a list on every page view cost 100–330 ms for a partner with 300,000 contacts (issue
#20). Nobody reads "312,418 records": past the cap a list says "more than 10,000" and still pages forward,
each page asking for one row more than it shows to know whether another follows.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import cast

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet

COUNT_CAP = 10_000
MAX_PAGE = 1_000_000
MAX_ID = 2**62  # a row's id in a position: within every database's integers


class OpenEndedPage(Page):
    """A page of a list longer than the cap: whether a next page exists is read, not computed."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class CappedPaginator(Paginator):
    """``late_rows``: a numbered page past the first reads its ids by offset, then only its own rows (below)."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, late_rows: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.late_rows = late_rows

    def _rows(self, bottom: int, top: int):
        rows = self.object_list
        if not (self.late_rows and bottom and isinstance(rows, QuerySet)):
            return rows[bottom:top]
        # An offset makes the database build each row it skips, joins included (100-140 ms on SQLite for page 200
        # of a partner's contacts); the ids alone are skipped in the list's index, and only the page's rows are read.
        return rows.filter(pk__in=rows.values("pk")[bottom:top])

    @cached_property
    def count(self) -> int:
        """The rows, counted up to ``cap + 1`` (a count past the cap says only that there are more)."""
        rows = self.object_list
        if hasattr(rows, "count") and not isinstance(rows, list):
            return rows[: self.cap + 1].count()
        return len(rows)

    @property
    def capped(self) -> bool:
        """Whether the list is longer than the cap: its count and its number of pages are then unknown."""
        return self.count > self.cap

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > MAX_PAGE:  # an offset the database could not take is no page
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        first = (number - 1) * self.per_page
        if not self.capped:
            last = first + self.per_page
            if last + self.orphans >= self.count:
                last = self.count
            return self._get_page(self._rows(first, last), number, self)
        rows = list(self._rows(first, first + self.per_page + 1))
        return OpenEndedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class KeysetPage(Page):
    """A page read from the position of a row of the page before or after it: no offset, whatever the page's number.

    ``next_position`` and ``previous_position`` are the positions its links carry (``after`` and ``before``)."""

    def __init__(self, object_list, number, paginator, *, more_before: bool, more_after: bool, position):
        super().__init__(object_list, number, paginator)
        self.more_before, self.more_after = more_before, more_after
        rows = list(object_list)
        self.previous_position = position(rows[0]) if rows and more_before else ""
        self.next_position = position(rows[-1]) if rows and more_after else ""

    def has_next(self) -> bool:
        return self.more_after

    def has_previous(self) -> bool:
        return self.more_before

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(self.number - 1, 1)


def newest_first_page(paginator: CappedPaginator, query) -> Page:
    """A page of a list sorted by ``date`` then ``id``, newest first, in the order of an index that has them last.

    ``page=N`` alone is the N-th page, read with an offset, as before (old links keep working). The page's own links
    carry the position of its last row (``after``) or first row (``before``), ``date.id``: the next or previous page
    is then read from that position in the index, in as much time at page 200 as at page 2 (issue #20: an offset of
    10,000 rows made the deep pages of a partner's contacts the slowest list). A position that is not one reads as
    none: the numbered page.
    """
    after, before = _position(query.get("after")), _position(query.get("before"))
    try:
        number = max(1, min(int(query.get("page") or 1), MAX_PAGE))
    except ValueError:
        number = 1
    if not (after or before):
        page = paginator.get_page(number)
        return KeysetPage(
            list(page.object_list),
            page.number,
            paginator,
            more_before=page.has_previous(),
            more_after=page.has_next(),
            position=_position_of,
        )
    per_page, rows = paginator.per_page, cast(QuerySet, paginator.object_list)
    if after:
        found = list(rows_after(rows, *after)[: per_page + 1])
        shown, more_before, more_after = found[:per_page], True, len(found) > per_page
    else:
        day, pk = cast(tuple[date, int], before)
        found = list(rows.filter(Q(date__gt=day) | Q(id__gt=pk), date__gte=day).reverse()[: per_page + 1])
        shown = found[:per_page][::-1]
        more_before, more_after = len(found) > per_page, True
    return KeysetPage(shown, number, paginator, more_before=more_before, more_after=more_after, position=_position_of)


def rows_after(rows: QuerySet, day: date, pk: int) -> QuerySet:
    """The rows of a list sorted newest first (``date``, then ``id``) that come after the row at (day, pk).

    ``date <= day`` alone bounds the index range; the rest drops that day's rows up to the position."""
    return rows.filter(Q(date__lt=day) | Q(id__lt=pk), date__lte=day)


def _position_of(row) -> str:
    return f"{row.date.isoformat()}.{row.pk}"


def _position(value: str | None) -> tuple[date, int] | None:
    day, _dot, pk = (value or "").partition(".")
    try:
        position = date.fromisoformat(day), int(pk)
    except ValueError:
        return None
    return position if 0 < position[1] <= MAX_ID else None
