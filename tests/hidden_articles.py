"""Articles the public must never see, one of each kind, for tests of every
public surface (pages, feeds, sitemaps, the ninjs export)."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

HIDDEN_KINDS = {
    "draft": {"draft": True},
    "scheduled": {"scheduled": True},
    "embargoed": {"embargo_until": timezone.now() + timedelta(days=365)},
    "embargo without time": {"embargo_time_unknown": True},
    "withheld": {"agency_status": Article.AgencyStatus.WITHHELD},
    "withdrawn": {"status": Article.Status.WITHDRAWN},
}


def create_hidden_articles(**fields) -> list[Article]:
    """One hidden article of each kind, its headline naming the kind."""
    return [
        ArticleFactory(headline=f"Geheim: {kind}", **overrides, **fields)
        for kind, overrides in HIDDEN_KINDS.items()
    ]
