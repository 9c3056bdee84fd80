"""The front page as an RSS 2.0 or Atom feed.

The front-page feed is the front page: the teasers `assemble_page` decides,
in page order, sponsored ones included. Those are labelled like on the page
("Anzeige: " before the title, the category "Anzeige") and link through
their signed click address.
"""

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from articles.models import Article, item_urn
from articles.public.feeds import FeedContent, FeedEntry, article_entry
from teasers.services import Teaser, assemble_page


def front_page_feed(at: datetime) -> FeedContent:
    """The front page's teasers at `at` as feed entries, in page order."""
    page = assemble_page(at=at)
    # Once per article or slot, where the page shows it first.
    teasers: dict[tuple, Teaser] = {}
    for assembled in page.rails:
        for teaser in assembled.teasers:
            teasers.setdefault((teaser.article_id, teaser.slot_id), teaser)
    # The visibility rule once more: a feed never trusts a caller's list.
    articles = (
        Article.objects.published(at)
        .filter(pk__in=[teaser.article_id for teaser in teasers.values()])
        .for_feed()
        .in_bulk()
    )
    entries = []
    for teaser in teasers.values():
        if teaser.is_sponsored:
            entries.append(sponsored_entry(teaser))
        elif article := articles.get(teaser.article_id):
            entries.append(
                article_entry(
                    article,
                    photo=teaser.photo,
                    title=teaser.headline,
                    description=teaser.teaser,
                )
            )
    return FeedContent(
        title=settings.NEWSROOM_SITE_NAME,
        link="/",
        description=_("Nachrichten aus der Region und aller Welt"),
        entries=entries,
        changes_at=page.changes_at,
    )


def sponsored_entry(teaser: Teaser) -> FeedEntry:
    return FeedEntry(
        guid=item_urn("anzeige", teaser.slot_id),
        title=f"{teaser.label}: {teaser.headline}",
        url=teaser.url,
        description=teaser.teaser,
        published_at=teaser.starts_at,
        updated_at=teaser.starts_at,
        author=teaser.advertiser,
        categories=(teaser.label,),
        photo=teaser.photo,
    )
