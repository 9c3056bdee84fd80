"""Pages of article lists: the links between them, and a capped paginator."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


@dataclass(frozen=True)
class PageLinks:
    """What the pagination partial prints: the `<nav>` and `<link rel>`."""

    number: int
    num_pages: int
    previous_url: str = ""
    next_url: str = ""
    # The last page a capped list shows: where older articles are found.
    older_url: str = ""


def page_links(
    page: Page,
    path: str,
    params: dict[str, str] | None = None,
    *,
    older_url: str = "",
) -> PageLinks:
    """Links to the pages before and after `page` of the list at `path`.

    `params` (a search's filters) are kept on every link; page 1 is the
    list's own address, without "page".
    """
    params = params or {}

    def url(number: int) -> str:
        query = urlencode({**params, "page": number} if number > 1 else params)
        return f"?{query}" if query else path

    return PageLinks(
        number=page.number,
        num_pages=page.paginator.num_pages,
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
        older_url=older_url,
    )


class CappedPaginator(Paginator):
    """At most `max_pages` pages, and counting stops just past them.

    Counting every match of a common word in a large archive costs as much
    as the search itself, and counting a section of 50,000 articles (then
    skipping 49,980 of them for its last page) as much as the page; nobody
    reads page 500. Lists link their last page to the archive instead.
    """

    def __init__(self, object_list, per_page: int, *, max_pages: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_pages = max_pages

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
