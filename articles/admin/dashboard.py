"""The editors' start page in the admin: what needs attention now."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.admin import tasks
from articles.models import Article, ArticleTransition, NoteMention, Photo

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
    """The lists of what `user` may act on, one query each whatever the
    amount of data.

    Each role sees only what it can do something about: the desk the agency
    stories and updates waiting and embargoes lacking a time, whoever edits
    articles the editorial lists, the photo desk (credit and licence are
    its to set) the photos without credit or with an ending licence.
    """
    at = at or timezone.now()
    lists = []
    if user.has_perm("articles.change_article"):
        lists += my_tasks(user)
    if user.has_perm("articles.publish_article"):
        lists += desk_lists(at)
    if user.has_perm("articles.change_article"):
        lists += article_lists(user, at)
    if user.has_perm("articles.set_photo_rights"):
        lists += photo_lists(user, at)
    return lists


def who(user) -> str:
    if user is None:
        return _("System")
    return user.get_full_name() or user.get_username()


def task_url(slug: str) -> str:
    return tasks.TASK_LISTS[slug].url()


def my_tasks(user) -> list[DashboardList]:
    """ "Meine Aufgaben": what is returned to me (with the reason), assigned
    to me or to a group of mine, and unread notes that mention me; one query each
    (the assignment and mention columns are indexed)."""
    returned = (
        Article.objects.returned_to(user)
        .select_related("section", "sent_back__by")
        .order_by("-sent_back__at", "-pk")[:ROWS]
    )
    assigned = (
        Article.objects.waiting_on(user)
        .select_related("section", "assigned_group")
        .order_by("-modified_at", "-pk")[:ROWS]
    )
    # Until read: opening the article, or "Erledigt" in the full list.
    mentions = (
        NoteMention.objects.of(user)
        .unread()
        .select_related("note__author", "note__article__section")
        .order_by("-created_at", "-pk")[:ROWS]
    )
    return [
        DashboardList(
            _("Meine Aufgaben: an mich zurückgegeben"),
            [
                article_row(
                    a,
                    _("Zurückgegeben von %(who)s: %(reason)s")
                    % {"who": who(a.sent_back.by), "reason": a.sent_back.comment},
                )
                for a in returned
            ],
            task_url(tasks.RETURNED),
        ),
        DashboardList(
            _("Meine Aufgaben: mir zugewiesen"),
            [
                article_row(
                    a,
                    f"{a.get_status_display()}"
                    + (f" · {a.assigned_group.name}" if a.assigned_group else ""),
                )
                for a in assigned
            ],
            task_url(tasks.ASSIGNED),
        ),
        DashboardList(
            _("Meine Aufgaben: Notizen, die mich erwähnen (ungelesen)"),
            [
                article_row(
                    m.note.article,
                    _("%(who)s, %(when)s: %(text)s")
                    % {
                        "who": who(m.note.author),
                        "when": when(m.note.created_at),
                        "text": m.note.text[:160],
                    },
                )
                for m in mentions
            ],
            task_url(tasks.MENTIONS),
        ),
    ]


def photo_row(photo: Photo, detail: str) -> DashboardRow:
    return DashboardRow(
        title=photo.label,
        url=reverse("admin:articles_photo_change", args=[photo.pk]),
        detail=detail,
    )


def photo_lists(user, at) -> list[DashboardList]:
    photos = Photo.objects.visible_to(user, at)
    changelist = reverse("admin:articles_photo_changelist")
    ending = photos.licence_ending(timedelta(days=7), at).order_by("licence_expires_at")
    return [
        DashboardList(
            _("Fotos ohne Bildquelle"),
            [
                photo_row(
                    photo, _("hochgeladen %(when)s") % {"when": when(photo.created_at)}
                )
                for photo in photos.credit_to_check()[:ROWS]
            ],
            f"{changelist}?bildquelle=fehlt",
        ),
        DashboardList(
            _("Fotos mit ablaufender Lizenz"),
            [
                photo_row(
                    photo,
                    _("Lizenz bis %(when)s") % {"when": when(photo.licence_expires_at)},
                )
                for photo in ending[:ROWS]
            ],
            f"{changelist}?lizenz=endet",
        ),
    ]


def desk_lists(at) -> list[DashboardList]:
    """What only the desk can settle: agency copy and embargoes."""
    articles = Article.objects.not_in_trash().select_related("section")
    changelist = reverse("admin:articles_article_changelist")
    return [
        DashboardList(
            _("Agenturmeldungen im Entwurf"),
            [
                article_row(a, when(a.created_at))
                for a in articles.agency_drafts().order_by("-created_at")[:ROWS]
            ],
            f"{changelist}?offen=agentur-entwurf",
        ),
        DashboardList(
            _("Agentur-Updates nicht übernommen (lokal bearbeitet)"),
            [
                article_row(
                    a,
                    _("Version %(number)s wartet")
                    % {"number": a.pending_agency_version},
                )
                for a in articles.with_agency_update_waiting().order_by("-modified_at")[
                    :ROWS
                ]
            ],
            f"{changelist}?offen=agentur-update",
        ),
        DashboardList(
            _("Sperrfrist ohne Zeit"),
            [
                article_row(a, a.get_status_display())
                for a in articles.embargo_time_missing().order_by("-modified_at")[:ROWS]
            ],
            f"{changelist}?offen=sperrfrist-ohne-zeit",
        ),
    ]


def article_lists(user, at) -> list[DashboardList]:
    articles = Article.objects.not_in_trash().select_related("section")
    changelist = reverse("admin:articles_article_changelist")
    drafts = articles.filter(created_by=user, status=Article.Status.DRAFT)
    in_review = articles.filter(status=Article.Status.REVIEW)
    scheduled = articles.scheduled(at).filter(
        published_at__lte=at + timedelta(hours=24)
    )
    withdrawn = (
        ArticleTransition.objects.filter(
            to_status=Article.Status.WITHDRAWN, article__deleted_at__isnull=True
        )
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
