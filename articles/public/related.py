""" "Mehr zum Thema": the published articles nearest to one article.

Chosen by shared tags or regions first, then by section, newest first
within each, in at most two queries (each an ordered LIMIT over the
`visible_from` indexes), whatever the archive's size.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from articles.models import TEASER_FIELDS, Article


@dataclass(frozen=True)
class ArticleTopic:
    """What relates other articles to one: its section, tags and regions
    (`article_id` None: any article of this topic)."""

    article_id: int | None
    section_id: int
    tag_ids: tuple[int, ...]
    region_ids: tuple[int, ...]

    def without_article(self) -> "ArticleTopic":
        """The topic shared by every article with these section, tags and
        regions."""
        return replace(self, article_id=None)


def related_article_rows(
    topic: ArticleTopic, *, at: datetime, exclude_ids=frozenset(), limit=None
) -> list[dict]:
    """Up to `limit` (default NEWSROOM_RELATED_ARTICLES) `teaser_rows()`
    rows related to `topic`'s article, leaving out the article and
    `exclude_ids` (the teasers the page already shows)."""
    if limit is None:
        limit = settings.NEWSROOM_RELATED_ARTICLES
    if limit <= 0:
        return []
    left_out = {*exclude_ids}
    if topic.article_id is not None:
        left_out.add(topic.article_id)
    candidates = Article.objects.published(at).exclude(pk__in=left_out)
    rows = []
    if topic.tag_ids or topic.region_ids:
        through_tags = Article.tags.through.objects.filter(tag_id__in=topic.tag_ids)
        through_regions = Article.regions.through.objects.filter(
            region_id__in=topic.region_ids
        )
        rows = list(
            candidates.filter(
                Q(pk__in=through_tags.values("article_id"))
                | Q(pk__in=through_regions.values("article_id"))
            )
            .newest_first()
            .values(*TEASER_FIELDS)[:limit]
        )
    if len(rows) < limit:
        rows += (
            candidates.filter(section_id=topic.section_id)
            .exclude(pk__in=[row["id"] for row in rows])
            .newest_first()
            .values(*TEASER_FIELDS)[: limit - len(rows)]
        )
    return rows
