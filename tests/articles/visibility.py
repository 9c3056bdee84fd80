"""Article states the public must never see, as ArticleFactory overrides."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article


def hidden_variants() -> dict[str, dict]:
    """Built per call: the times are relative to now."""
    soon = timezone.now() + timedelta(hours=1)
    return {
        "draft": {"draft": True},
        "in-review": {"status": Article.Status.REVIEW},
        "scheduled": {"scheduled": True},
        "embargoed": {"embargo_until": soon},
        "embargo-time-unknown": {"embargo_time_unknown": True},
        "withheld": {"agency_status": Article.AgencyStatus.WITHHELD},
        "withdrawn": {"status": Article.Status.WITHDRAWN},
    }


HIDDEN = list(hidden_variants())
