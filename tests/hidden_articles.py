"""Articles the public must never see, one of each kind, for tests of every
public surface (pages, rails, feeds, sitemaps, search, the ninjs export):
drafts, in review, scheduled, embargoed, without an embargo time, withheld,
withdrawn, and in the trash."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory


def hidden_variants() -> dict[str, dict]:
    """ArticleFactory overrides per hidden kind; built per call, as the
    embargo is relative to now."""
    return {
        "draft": {"draft": True},
        "in-review": {"status": Article.Status.REVIEW},
        "scheduled": {"scheduled": True},
        "embargoed": {"embargo_until": timezone.now() + timedelta(hours=1)},
        "embargo-time-unknown": {"embargo_time_unknown": True},
        "withheld": {"agency_status": Article.AgencyStatus.WITHHELD},
        "withdrawn": {"status": Article.Status.WITHDRAWN},
        # Published, then deleted: in the trash ("Papierkorb").
        "trashed": {"deleted_at": timezone.now() - timedelta(minutes=5)},
        "trashed-draft": {"draft": True, "deleted_at": timezone.now()},
    }


HIDDEN = list(hidden_variants())


def create_hidden_articles(**fields) -> list[Article]:
    """One hidden article of each kind, its headline naming the kind."""
    return [
        ArticleFactory(headline=f"Geheim: {kind}", **overrides, **fields)
        for kind, overrides in hidden_variants().items()
    ]
