"""Pages of article lists: the links between them (the capped paginator
they count with is newsroom/pagination.py)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page


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
