"""A paginator for the browse page that never counts every matching listing to show a page.

Counting 50,000 browsable listings costs more than reading the page itself (50-90 ms on
PostgreSQL, where the page is an index walk of 21 rows). Like the large marketplaces, the page
says "more than 1,000 listings" when there are more; every figure it shows is true:

- the page's rows are read first, one more than a page: a short page is the last one, so its
  total is known without a count (small results and the last page cost no count at all);
- otherwise the rows are counted up to a limit (``CAP``, or a few pages past the current one)
  with ``COUNT`` over a ``LIMIT``ed subquery; past the limit the count is reported as "more
  than" the limit, and the page links stop at the limit, which always lies beyond the current
  page, so "Next" leads on to the very last listing.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

CAP = 1000
PAGES_AHEAD = 5
# Page numbers beyond this are read as this one (past the end of any real result: the last
# page), so that no offset grows past what the database takes.
MAX_PAGE = 1_000_000


class CappedPaginator(Paginator):
    """``Paginator`` whose ``count`` stops at a limit; ``capped`` says whether there are more."""

    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.capped = False
        self.number_asked = 1

    @cached_property
    def limit(self) -> int:
        """How far to count: CAP rounded to whole pages, and at least a few pages past the
        page asked for (so its "Next" and the links after it exist)."""
        pages = max(-(-CAP // self.per_page), self.number_asked + PAGES_AHEAD)
        return pages * self.per_page

    @cached_property
    def count(self) -> int:
        limit = self.limit
        if isinstance(self.object_list, QuerySet):
            # Any limit + 1 rows will do: without the order the scan stops as soon as it has
            # them, instead of sorting every row first when no index gives the order; only
            # their ids, not the annotations (a distance computed once more for each row).
            counted = self.object_list.order_by().values("pk")[: limit + 1].count()
        elif hasattr(self.object_list, "count_upto"):
            counted = self.object_list.count_upto(limit + 1)
        else:
            counted = len(self.object_list[: limit + 1])
        self.capped = counted > limit
        return min(counted, limit)

    def get_page(self, number) -> Page:
        """The page ``number`` (the first for a value that is not a page number, the last for
        one past the end), reading its rows before any count."""
        try:
            number = min(max(int(number), 1), MAX_PAGE)
        except (TypeError, ValueError):
            number = 1
        self.number_asked = number
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if len(rows) <= self.per_page and (rows or number == 1):
            # The last page: the total is what lies before it and on it.
            self.__dict__["count"] = bottom + len(rows)
            return self._get_page(rows, number, self)
        if not rows:
            return super().get_page(number)  # past the end: the last page
        # More rows follow: the count (up to the limit) numbers the pages; this page's rows
        # are already read.
        self.count  # noqa: B018
        return self._get_page(rows[: self.per_page], number, self)
