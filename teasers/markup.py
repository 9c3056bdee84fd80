"""A teaser's markup (teasers/_teaser.html), memoised by the teaser value.

A teaser is a frozen value (headline, address, photo, badge, view count…),
so its markup is a pure function of it: rendered once per process and
value, as photo figures are. Pages show the same teasers again and again
(front page, rails under every article, section pages); rendering fifty of
them was half of an uncached front page. A changed teaser (a new view
count, badge or headline) is a new key.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from newsroom.perf.memo import memoize
from teasers.services import Teaser


@memoize(4096)
def teaser_html(teaser: Teaser, layout: str, lazy: bool, language: str) -> SafeString:
    return mark_safe(
        render_to_string(
            "teasers/_teaser.html",
            {"teaser": teaser, "layout": layout, "lazy": lazy},
        )
    )
