"""A paginator that stops counting past its last page (public lists, search,
the ninjs export and the admin's article list share it)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """At most `max_pages` pages, and counting stops just past them.

    Counting every match of a common word in a large archive costs as much
    as the search itself, and counting a section of 50,000 articles (then
    skipping 49,980 of them for its last page) as much as the page; nobody
    reads page 500. Lists link their last page to the archive instead.
    """

    def __init__(
        self, object_list, per_page: int, *, max_pages: int, rows=None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.max_pages = max_pages
        # Pages of ids and the rows fetched for them (`rows(ids)`): see page().
        self.rows = rows

    @property
    def limit(self) -> int:
        return self.per_page * self.max_pages

    @cached_property
    def found(self) -> int:
        """Matches, counted up to one more than the pages can show."""
        # Order is irrelevant to a count, and ranking is the expensive part.
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, self.limit)

    @property
    def is_capped(self) -> bool:
        return self.found > self.limit

    def page(self, number):
        """The page; with `rows`, `object_list` is the ordered ids (count and
        slice read the index alone, nothing but the ids of the skipped rows)
        and the page's rows are fetched by those ids in the same query
        (a deferred join: `rows(ids)` filters by the sliced subquery)."""
        page = super().page(number)
        if self.rows is not None:
            page.object_list = self.rows(page.object_list)
        return page
