"""The editors' start page in the admin: what needs attention now."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.models import Article, ArticleTransition, Photo

ROWS = 8


@dataclass(frozen=True)
class DashboardRow:
    title: str
    url: str
    detail: str


@dataclass(frozen=True)
class DashboardList:
    title: str
    rows: list[DashboardRow]
    more_url: str = ""


def when(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def article_row(article: Article, detail: str) -> DashboardRow:
    return DashboardRow(
        title=article.headline,
        url=reverse("admin:articles_article_change", args=[article.pk]),
        detail=f"{article.section.name} · {detail}",
    )


def editor_dashboard(
    user: AbstractBaseUser, *, at: datetime | None = None
) -> list[DashboardList]:
    """The lists `user` may see, one query each whatever the amount of data."""
    at = at or timezone.now()
    lists = []
    if user.has_perm("articles.view_article"):
        lists += article_lists(user, at)
    if user.has_perm("articles.view_photo"):
        photos = (
            Photo.objects.visible_to(user, at)
            .licence_ending(timedelta(days=7), at)
            .order_by("licence_expires_at")[:ROWS]
        )
        lists.append(
            DashboardList(
                _("Fotos mit ablaufender Lizenz"),
                [
                    DashboardRow(
                        title=photo.label,
                        url=reverse("admin:articles_photo_change", args=[photo.pk]),
                        detail=_("Lizenz bis %(when)s")
                        % {"when": when(photo.licence_expires_at)},
                    )
                    for photo in photos
                ],
                reverse("admin:articles_photo_changelist") + "?lizenz=endet",
            )
        )
    return lists


def article_lists(user, at) -> list[DashboardList]:
    articles = Article.objects.select_related("section")
    changelist = reverse("admin:articles_article_changelist")
    drafts = articles.filter(created_by=user, status=Article.Status.DRAFT)
    in_review = articles.filter(status=Article.Status.REVIEW)
    scheduled = articles.scheduled(at).filter(
        published_at__lte=at + timedelta(hours=24)
    )
    withdrawn = (
        ArticleTransition.objects.filter(to_status=Article.Status.WITHDRAWN)
        .select_related("article__section", "by")
        .order_by("-at")[:ROWS]
    )
    return [
        DashboardList(
            _("Meine Entwürfe"),
            [
                article_row(a, when(a.modified_at))
                for a in drafts.order_by("-modified_at")[:ROWS]
            ],
            f"{changelist}?status=draft",
        ),
        DashboardList(
            _("Warten auf Prüfung"),
            [
                article_row(a, when(a.modified_at))
                for a in in_review.order_by("modified_at")[:ROWS]
            ],
            f"{changelist}?status=review",
        ),
        DashboardList(
            _("Geplant in den nächsten 24 Stunden"),
            [
                article_row(a, when(a.published_at))
                for a in scheduled.order_by("published_at")[:ROWS]
            ],
            f"{changelist}?status=scheduled",
        ),
        DashboardList(
            _("Mit Sperrfrist"),
            [
                article_row(
                    a, _("Sperrfrist bis %(when)s") % {"when": when(a.embargo_until)}
                )
                for a in articles.embargoed(at).order_by("embargo_until")[:ROWS]
            ],
        ),
        DashboardList(
            _("Zuletzt veröffentlicht"),
            [
                article_row(a, when(a.published_at))
                for a in articles.published(at).order_by("-published_at")[:ROWS]
            ],
            f"{changelist}?status=published",
        ),
        DashboardList(
            _("Zuletzt zurückgezogen"),
            [
                article_row(
                    t.article,
                    f"{when(t.at)}, {t.by or _('System')}: {t.comment[:80]}",
                )
                for t in withdrawn
            ],
            f"{changelist}?status=withdrawn",
        ),
    ]
