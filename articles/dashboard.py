"""The editors' start page in the admin: what needs attention now."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleTransition, Photo

ROWS = 8


@dataclass
class DashboardList:
    title: str
    rows: list
    more_url: str = ""


def editor_dashboard(user, *, at: datetime | None = None) -> list[DashboardList]:
    """Seven short lists, one query each whatever the amount of data."""
    at = at or timezone.now()
    articles = Article.objects.select_related("section", "created_by")
    changelist = "/admin/articles/article/"

    def first(queryset: QuerySet) -> list:
        return list(queryset[:ROWS])

    return [
        DashboardList(
            _("Meine Entwürfe"),
            first(
                articles.filter(created_by=user, status=Article.Status.DRAFT).order_by(
                    "-modified_at"
                )
            ),
            f"{changelist}?status=draft",
        ),
        DashboardList(
            _("Warten auf Prüfung"),
            first(
                articles.filter(status=Article.Status.REVIEW).order_by("modified_at")
            ),
            f"{changelist}?status=review",
        ),
        DashboardList(
            _("Geplant in den nächsten 24 Stunden"),
            first(
                articles.scheduled(at)
                .filter(published_at__lte=at + timedelta(hours=24))
                .order_by("published_at")
            ),
            f"{changelist}?status=scheduled",
        ),
        DashboardList(
            _("Mit Sperrfrist"),
            first(articles.embargoed(at).order_by("embargo_until")),
        ),
        DashboardList(
            _("Zuletzt veröffentlicht"),
            first(articles.published(at).order_by("-published_at")),
            f"{changelist}?status=published",
        ),
        DashboardList(
            _("Zuletzt zurückgezogen"),
            first(
                ArticleTransition.objects.filter(to_status=Article.Status.WITHDRAWN)
                .select_related("article", "by")
                .order_by("-at")
            ),
            f"{changelist}?status=withdrawn",
        ),
        DashboardList(
            _("Fotos mit ablaufender Lizenz"),
            first(
                Photo.objects.licence_ending(timedelta(days=7), at).order_by(
                    "licence_expires_at"
                )
            ),
            "/admin/articles/photo/?lizenz=endet",
        ),
    ]
