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
from articles.public.related import ArticleTopic, related_article_rows
from teasers.badges import badge_changes_at
from teasers.fragments import RailsUnderArticles, rails_under_articles
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
    return teasers_noting_changes(list(rows))


def teasers_noting_changes(rows: list[dict]) -> list[Teaser]:
    """Teasers for `rows`; the page being built learns when they change."""
    page = page_being_built()
    teasers = article_teasers(rows, at=page.at if page else timezone.now())
    if page:
        for row in rows:
            page.changes.add(
                badge_changes_at(
                    first_published_at=row["first_published_at"],
                    updated_at=row["updated_at"],
                    at=page.at,
                    breaking_until=row.get("breaking_until"),
                )
            )
        for teaser in teasers:
            if teaser.photo:
                page.changes.add(teaser.photo.usable_until)
    return teasers


@register.inclusion_tag("teasers/_more_on_topic.html", takes_context=True)
def more_on_topic(context, topic: ArticleTopic) -> dict:
    """ "Mehr zum Thema": related articles not among the rails' teasers."""
    rails = page_rails(context)
    in_rails = {
        article_id
        for rail in rails.rails
        for article_id, _html in rail.teasers
        if article_id is not None
    }
    page = page_being_built()
    at = page.at if page else timezone.now()
    rows = related_article_rows(topic, at=at, exclude_ids=in_rails)
    if page:
        # An article going live may join the list: the rails' change time
        # includes the next one (assemble_page), at no extra query.
        page.changes.add(rails.changes_at)
    return {"teasers": teasers_noting_changes(rows)}


def page_rails(context) -> RailsUnderArticles:
    # Read once per page: "Mehr zum Thema" leaves out what the rails show.
    rails = context.render_context.get("rails_under_articles")
    if rails is None:
        rails = context.render_context["rails_under_articles"] = rails_under_articles()
    return rails


@register.simple_tag(takes_context=True)
def rails_under_article(context, article_id: int) -> SafeString:
    """The rails every article page shows, without this article's teaser.

    Their sponsored slots count an impression with every view of the page,
    cached or not (teasers/counting.py), so the page keeps their ids.
    """
    rails = page_rails(context)
    if page := page_being_built():
        page.changes.add(rails.changes_at)
        page.facts["slot_ids"] = rails.sponsored_slot_ids
    return rails.html_without(article_id)
