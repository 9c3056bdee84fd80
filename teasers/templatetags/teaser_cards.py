"""Teasers in templates: cards, the teasers of article lists, and the rails
under an article.

The article pages and lists live in `articles`, which knows nothing of
teasers; their templates ask here. What a page shows here also decides when
it stops being true (a badge or a photo licence running out, the rails
changing) and which sponsored slots it shows: both go to the page being
built (articles/public/page_cache.py).
"""

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from articles.public.page_cache import page_being_built
from articles.public.related import ArticleTopic
from teasers.fragments import (
    RailsUnderArticles,
    rails_under_articles,
    teaser_changes,
    teasers_on_topic,
)
from teasers.markup import front_page_rail_html, teaser_html
from teasers.services import AssembledRail, Teaser, article_teasers

register = template.Library()


@register.simple_tag
def teaser_card(
    teaser: Teaser, *, layout: str = "teaser", lazy: bool = False, dated=False
):
    """A teaser's markup (teasers/_teaser.html); `dated`: with its date."""
    return teaser_html(teaser, layout, bool(lazy), get_language(), bool(dated))


@register.simple_tag
def front_page_rail(assembled: AssembledRail, is_first_rail: bool) -> SafeString:
    """A rail's markup on the front page (teasers/_front_page_rail.html)."""
    return front_page_rail_html(
        assembled.rail.slug,
        assembled.rail.title,
        tuple(assembled.teasers),
        bool(is_first_rail),
        get_language(),
    )


@register.simple_tag
def teasers_for(rows) -> list[Teaser]:
    """Teasers for `teaser_rows()` rows, in order, as of the page's moment."""
    return teasers_noting_changes(list(rows))


def teasers_noting_changes(rows: list[dict]) -> list[Teaser]:
    """Teasers for `rows`; the page being built learns when they change."""
    page = page_being_built()
    teasers = article_teasers(rows, at=page.at if page else timezone.now())
    if page:
        page.changes.add(teaser_changes(rows, teasers, page.at).earliest)
    return teasers


@register.inclusion_tag("teasers/_more_on_topic.html", takes_context=True)
def more_on_topic(context, topic: ArticleTopic) -> dict:
    """ "Mehr zum Thema": related articles not among the rails' teasers."""
    if settings.NEWSROOM_RELATED_ARTICLES <= 0:
        return {"teasers": []}
    on_topic = teasers_on_topic(topic, page_rails(context))
    if page := page_being_built():
        page.changes.add(on_topic.changes_at)
    return {"teasers": on_topic.html_for(topic.article_id)}


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
