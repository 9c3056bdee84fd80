"""Teasers in templates: cards, the teasers of article lists, and the rails
under an article.

The article pages and lists live in `articles`, which knows nothing of
teasers; their templates ask here. What a page shows here also decides when
it stops being true (a badge or a photo licence running out, the rails
changing) and which sponsored slots it shows: both go to the page being
built (articles/public/page_cache.py).
"""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from articles.public.page_cache import page_being_built
from teasers.badges import badge_changes_at
from teasers.fragments import rails_under_articles
from teasers.markup import teaser_html
from teasers.services import Teaser, article_teasers

register = template.Library()


@register.simple_tag
def teaser_card(
    teaser: Teaser, *, layout: str = "teaser", lazy: bool = False, dated=False
):
    """A teaser's markup (teasers/_teaser.html); `dated`: with its date."""
    return teaser_html(teaser, layout, bool(lazy), get_language(), bool(dated))


@register.simple_tag
def teasers_for(rows) -> list[Teaser]:
    """Teasers for `teaser_rows()` rows, in order, as of the page's moment."""
    rows = list(rows)
    page = page_being_built()
    teasers = article_teasers(rows, at=page.at if page else timezone.now())
    if page:
        for row in rows:
            page.changes.add(
                badge_changes_at(
                    first_published_at=row["first_published_at"],
                    updated_at=row["updated_at"],
                    at=page.at,
                )
            )
        for teaser in teasers:
            if teaser.photo:
                page.changes.add(teaser.photo.usable_until)
    return teasers


@register.simple_tag
def rails_under_article(article_id: int) -> SafeString:
    """The rails every article page shows, without this article's teaser.

    Their sponsored slots count an impression with every view of the page,
    cached or not (teasers/counting.py), so the page keeps their ids.
    """
    rails = rails_under_articles()
    if page := page_being_built():
        page.changes.add(rails.changes_at)
        page.facts["slot_ids"] = rails.sponsored_slot_ids
    return rails.html_without(article_id)
