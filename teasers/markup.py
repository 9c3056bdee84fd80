"""A teaser's markup (teasers/_teaser.html), memoised by the teaser value.

A teaser is a frozen value (headline, address, photo, badge, view count…),
so its markup is a pure function of it: rendered once per process and
value, as photo figures are. Pages show the same teasers again and again
(front page, rails under every article, section pages); rendering fifty of
them was half of an uncached front page. A changed teaser (a new view
count, badge or headline) is a new key.

A front-page rail's markup (teasers/_front_page_rail.html) is memoised
the same way, by its title, address and teasers: joining its teasers'
memoised pieces through the template's loop was most of the front page's
rendering.

The date a dated teaser shows is absolute ("12.03.2025, 18:30 Uhr"), so
neither this memo nor the page cache can freeze a relative time; the
reader's browser turns it into "vor 5 Min." (static/js/relative_times.js).
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from newsroom.perf.memo import memoize
from teasers.services import Teaser


@memoize(4096)
def teaser_html(
    teaser: Teaser, layout: str, lazy: bool, language: str, dated: bool = False
) -> SafeString:
    return mark_safe(
        render_to_string(
            "teasers/_teaser.html",
            {"teaser": teaser, "layout": layout, "lazy": lazy, "dated": dated},
        )
    )


@memoize(256)
def front_page_rail_html(
    slug: str,
    title: str,
    teasers: tuple[Teaser, ...],
    is_first_rail: bool,
    language: str,
) -> SafeString:
    """One rail of the front page: the first rail's first teaser is the
    feature, and only the first rail's photos load at once."""
    return mark_safe(
        render_to_string(
            "teasers/_front_page_rail.html",
            {
                "slug": slug,
                "title": title,
                "teasers": teasers,
                "is_first_rail": is_first_rail,
                "lazy": not is_first_rail,
            },
        )
    )
