"""The rails under articles, rendered once and shared by every article page;
and "Mehr zum Thema", shared by every article of a topic.

Every article page shows the same rails, minus the article the reader is on.
Rendering them per page would cost more than the article itself, so each
teaser is rendered once into its own piece of markup; a page joins the
pieces and leaves out its own article's teaser (its place stays empty rather
than being refilled, which is what keeps the markup shareable).

"Mehr zum Thema" depends on the article only through its section, tags and
regions (and the rails, whose teasers it leaves out): one more teaser than
the page shows is kept per topic, and a page leaves out its own article.
Building it (two ORM queries and the teasers' photos) was about half of an
uncached article page.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles.public.page_cache import cached_fragment
from articles.public.related import ArticleTopic, related_article_rows
from articles.purging import ChangeTimes
from teasers.badges import row_badge_changes_at
from teasers.markup import teaser_html
from teasers.services import Teaser, article_teasers, assemble_page


@dataclass(frozen=True)
class RenderedRail:
    opening: str
    # (article id or None for a sponsored teaser, the teaser's markup)
    teasers: tuple[tuple[int | None, str], ...]
    closing: str

    def html_without(self, article_id: int) -> str:
        shown = [html for shown_id, html in self.teasers if shown_id != article_id]
        return self.opening + "".join(shown) + self.closing if shown else ""


@dataclass(frozen=True)
class RailsUnderArticles:
    rails: tuple[RenderedRail, ...]
    sponsored_slot_ids: tuple[int, ...]
    changes_at: datetime | None

    def html_without(self, article_id: int) -> SafeString:
        # Every piece was rendered by the template engine, which escaped it.
        return mark_safe("".join(r.html_without(article_id) for r in self.rails))

    @property
    def article_ids(self) -> frozenset[int]:
        return frozenset(
            article_id
            for rail in self.rails
            for article_id, _html in rail.teasers
            if article_id is not None
        )


def render_rails_under_articles(at: datetime) -> RailsUnderArticles:
    page = assemble_page(at=at)
    rails = []
    for assembled in page.rails:
        opening, closing = render_to_string(
            "teasers/_rail.html", {"assembled": assembled}
        ).split("<!--teasers-->")
        rails.append(
            RenderedRail(
                opening=opening,
                teasers=tuple(
                    (
                        teaser.article_id,
                        teaser_html(teaser, "teaser", True, get_language()),
                    )
                    for teaser in assembled.teasers
                ),
                closing=closing,
            )
        )
    return RailsUnderArticles(
        rails=tuple(rails),
        sponsored_slot_ids=tuple(page.sponsored_slot_ids),
        changes_at=page.changes_at,
    )


def rails_under_articles() -> RailsUnderArticles:
    """The shared rails, from the fragment cache or rendered now."""

    def build(now: datetime):
        rails = render_rails_under_articles(now)
        return rails, rails.changes_at

    return cached_fragment("rails-under-articles", build)


def teaser_changes(rows: list[dict], teasers: list[Teaser], at: datetime):
    """When the teasers for `rows` change by themselves: a badge or a
    photo's licence running out."""
    changes = ChangeTimes(at)
    for row in rows:
        changes.add(row_badge_changes_at(row, at))
    for teaser in teasers:
        if teaser.photo:
            changes.add(teaser.photo.usable_until)
    return changes


@dataclass(frozen=True)
class TeasersOnTopic:
    # (article id, the dated teaser's markup), one more than a page shows
    teasers: tuple[tuple[int, SafeString], ...]
    changes_at: datetime | None

    def html_for(self, article_id: int) -> list[SafeString]:
        """The teasers the page of `article_id` shows: all but its own."""
        shown = [
            # Rendered by the template engine, which escaped it.
            mark_safe(html)
            for shown_id, html in self.teasers
            if shown_id != article_id
        ]
        return shown[: settings.NEWSROOM_RELATED_ARTICLES]


def teasers_on_topic(topic: ArticleTopic, rails: RailsUnderArticles) -> TeasersOnTopic:
    """ "Mehr zum Thema" for every article of `topic`'s section, tags and
    regions, without the rails' teasers; from the fragment cache or built
    now."""
    in_rails = rails.article_ids
    shared = topic.without_article()
    # The rails' articles are part of the name (a hash of ints is the same
    # in every process): rebuilt rails with other articles make a new list.
    name = (
        f"more-on-topic/{get_language()}/{shared.section_id}/"
        f"{','.join(map(str, shared.tag_ids))}/"
        f"{','.join(map(str, shared.region_ids))}/{hash(in_rails)}"
    )

    def build(now: datetime):
        # One more than a page shows: the page leaves its own article out.
        limit = settings.NEWSROOM_RELATED_ARTICLES + 1
        rows = related_article_rows(shared, at=now, exclude_ids=in_rails, limit=limit)
        teasers = article_teasers(rows, at=now)
        changes = teaser_changes(rows, teasers, now)
        # An article going live may join the list: the rails' change time
        # includes the next one (assemble_page), at no extra query.
        changes.add(rails.changes_at)
        value = TeasersOnTopic(
            teasers=tuple(
                (
                    teaser.article_id,
                    teaser_html(teaser, "teaser", True, get_language(), True),
                )
                for teaser in teasers
            ),
            changes_at=changes.earliest,
        )
        return value, changes.earliest

    return cached_fragment(name, build)
