"""The only writers of an article's editorial state.

Every state change is one function here, used alike by the admin (form
buttons and bulk actions), the demo loader and the importers. Each checks
the permission on the server, locks the article's row and checks the rules
against the row as it is now (not as the caller's object was loaded),
writes, records who moved the article from which state to which
(`ArticleTransition`), and purges the page cache after the commit.
`user=None` is the system itself (demo, importers).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from articles.models import (
    REVISION_RELATIONS,
    Article,
    ArticleNote,
    ArticleRevision,
    ArticleTransition,
    CorrectionNote,
    NoteMention,
    Photo,
    Section,
    apply_revision_values,
    goes_live_at,
    publication_problems,
    revision_values,
)
from articles.photos.body_uses import record_body_uses
from articles.purging import purge_pages_on_commit
from articles.sanitising import clean_text
from articles.workflow.counting_marks import assign_counting_mark

Status = Article.Status

# Which state may follow which; anything else is refused.
TRANSITIONS = {
    Status.DRAFT: {Status.REVIEW, Status.APPROVED, Status.PUBLISHED},
    Status.REVIEW: {Status.DRAFT, Status.APPROVED, Status.PUBLISHED},
    Status.APPROVED: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.DRAFT, Status.WITHDRAWN},
    Status.WITHDRAWN: {Status.DRAFT},
}


def states_leading_to(to: str) -> set[str]:
    """The states from which an article may move to `to`."""
    return {state for state, targets in TRANSITIONS.items() if to in targets}


# Who may do what (issue #17). Each rule is one function here; the
# services call them after locking the row, and the admin offers a button
# or an action only where they allow it. `user=None` is the system.


def four_eyes() -> bool:
    """NEWSROOM_FOUR_EYES: approval by a second person before publication."""
    return settings.NEWSROOM_FOUR_EYES


def desk_sections(user: AbstractBaseUser) -> frozenset[int] | None:
    """The sections `user`'s desk rights are limited to; None: all.

    A user, or a group of theirs, that any section names as its desk is
    limited to the sections that name it (Section.desk_users,
    Section.desk_groups). Superusers never are. One query, remembered on
    the user object for the rest of the request.
    """
    if user.is_superuser:
        return None
    if "_desk_sections" not in user.__dict__:
        ids = Section.objects.filter(
            Q(desk_users=user) | Q(desk_groups__user=user)
        ).values_list("pk", flat=True)
        user.__dict__["_desk_sections"] = frozenset(ids) or None
    return user.__dict__["_desk_sections"]


def in_desk_sections(user: AbstractBaseUser | None, article: Article) -> bool:
    if user is None:
        return True
    sections = desk_sections(user)
    return sections is None or article.section_id in sections


def is_desk(user: AbstractBaseUser | None, article: Article | None = None) -> bool:
    """The desk: may approve or publish (in `article`'s section)."""
    if user is None:
        return True
    if not (
        user.has_perm("articles.publish_article")
        or user.has_perm("articles.approve_article")
    ):
        return False
    return article is None or in_desk_sections(user, article)


def last_author_id(article: Article) -> int | None:
    """Who changed the article's text last (its newest revision that differs
    from the one before), else who created it; None: the system (an agency
    import).

    A save that changed nothing makes nobody an author: the publishing
    panel's steps save the form first, and the desk approving must not
    become the text's last author by that (four eyes).
    """
    revisions = list(
        ArticleRevision.objects.filter(article_id=article.pk)
        .order_by("-number")
        .values("created_by_id", "data")[:LAST_AUTHOR_LOOKBACK]
    )
    for newer, older in pairwise(revisions):
        if newer["data"] != older["data"]:
            return newer["created_by_id"]
    if revisions:
        return revisions[-1]["created_by_id"]
    return article.created_by_id


# How many revisions back "who changed the text last" looks.
LAST_AUTHOR_LOOKBACK = 50


def approval_refusal(user: AbstractBaseUser | None, article: Article) -> str:
    """Why `user` may not approve `article` (beside the permission), or ""."""
    if user is None:
        return ""
    if not in_desk_sections(user, article):
        return _("„%(headline)s“ liegt nicht in Ihren Ressorts.") % {
            "headline": article.headline
        }
    if four_eyes() and last_author_id(article) == user.pk:
        return _(
            "Vier-Augen-Prinzip: „%(headline)s“ muss jemand anderes freigeben "
            "als die Person, die ihn zuletzt bearbeitet hat."
        ) % {"headline": article.headline}
    return ""


def may_approve(user: AbstractBaseUser | None, article: Article) -> bool:
    if user is not None and not user.has_perm("articles.approve_article"):
        return False
    return not approval_refusal(user, article)


def check_may_approve(user: AbstractBaseUser | None, article: Article) -> None:
    if user is not None and not user.has_perm("articles.approve_article"):
        raise PermissionDenied(_("Sie dürfen keine Artikel freigeben."))
    if refusal := approval_refusal(user, article):
        raise PermissionDenied(refusal)


def approval_stands(article: Article) -> bool:
    """Approved, and by someone other than whoever saved the text last.

    Saving the text of an approved article sends it back to review while
    four eyes are on (`prepare_save`), so the approval is of this text.
    """
    if article.status != Status.APPROVED:
        return False
    approval = (
        ArticleTransition.objects.filter(
            article_id=article.pk, to_status=Status.APPROVED
        )
        .values("by_id")
        .first()
    )
    if approval is None or approval["by_id"] is None:
        return approval is not None
    return approval["by_id"] != last_author_id(article)


def publication_refusal(user: AbstractBaseUser | None, article: Article) -> str:
    """Why `user` may not publish `article` (beside the permission), or ""."""
    if user is None:
        return ""
    if not in_desk_sections(user, article):
        return _("„%(headline)s“ liegt nicht in Ihren Ressorts.") % {
            "headline": article.headline
        }
    if article.status == Status.WITHDRAWN:
        return _(
            "„%(headline)s“ ist zurückgezogen und kann nicht veröffentlicht werden."
        ) % {"headline": article.headline}
    # Rescheduling a published article is not a new publication: four eyes
    # judge the way to the public only.
    going_live = article.status != Status.PUBLISHED
    if four_eyes() and going_live and not approval_stands(article):
        return _(
            "Vier-Augen-Prinzip: „%(headline)s“ muss erst von jemand anderem "
            "als der Person, die ihn zuletzt bearbeitet hat, freigegeben werden."
        ) % {"headline": article.headline}
    return ""


def may_publish(user: AbstractBaseUser | None, article: Article | None = None) -> bool:
    """May publish at all; with `article`: this one, now (section, four eyes)."""
    if user is not None and not user.has_perm("articles.publish_article"):
        return False
    return article is None or not publication_refusal(user, article)


def check_may_publish(
    user: AbstractBaseUser | None, article: Article | None = None
) -> None:
    if not may_publish(user):
        raise PermissionDenied(_("Sie dürfen keine Artikel veröffentlichen."))
    if article is not None and (refusal := publication_refusal(user, article)):
        if in_desk_sections(user, article):
            raise ValidationError(refusal)  # a missing approval: a rule
        raise PermissionDenied(refusal)


def check_desk_publisher(user: AbstractBaseUser | None, article: Article) -> None:
    """May publish, and in `article`'s section: for what the desk does to an
    article besides putting it live (withdraw, update, correct, return)."""
    check_may_publish(user)
    if not in_desk_sections(user, article):
        raise PermissionDenied(
            _("„%(headline)s“ liegt nicht in Ihren Ressorts.")
            % {"headline": article.headline}
        )


def may_edit(user: AbstractBaseUser | None, article: Article) -> bool:
    """The desk edits any article of its sections; reporters only their own
    drafts."""
    if is_desk(user, article):
        return True
    if not user.has_perm("articles.change_article"):
        return False
    return article.pk is None or (
        article.created_by_id == user.pk and article.status == Status.DRAFT
    )


def check_may_edit(user: AbstractBaseUser | None, article: Article) -> None:
    if not may_edit(user, article):
        raise PermissionDenied(
            _("Sie dürfen „%(headline)s“ nicht bearbeiten.")
            % {"headline": article.headline}
        )


def may_send_back(user: AbstractBaseUser | None, article: Article) -> bool:
    """The desk of the article's section returns it to its author."""
    return is_desk(user, article)


def may_add_note(user: AbstractBaseUser | None, article: Article) -> bool:
    """Whoever may change articles, on one they edit, wrote or are assigned:
    the reporter answers the desk on a story under review."""
    if user is None:
        return True
    if not user.has_perm("articles.change_article"):
        return False
    return (
        may_edit(user, article)
        or article.created_by_id == user.pk
        or article.assigned_to_id == user.pk
    )


def check_photos_ready(article: Article) -> None:
    """Every photo of a published article carries a credit and an alt text:
    its lead and closing photos, those in its body and in the galleries its
    body shows.

    The one check behind the admin form, the bulk action and imports.
    """
    photos = {
        use.photo.pk: use.photo
        for use in article.article_photos.select_related("photo__agency")
    }
    in_body = Photo.objects.filter(
        Q(body_uses__article=article)
        | Q(gallery_pictures__gallery__body_uses__article=article)
    )
    for photo in in_body.select_related("agency").distinct():
        photos.setdefault(photo.pk, photo)
    if problems := publication_problems(photos.values()):
        raise ValidationError(
            [
                _("„%(headline)s“ kann nicht veröffentlicht werden.")
                % {"headline": article.headline},
                *problems,
            ]
        )


# What the workflow's rules read and its state changes write, besides the
# text. An article object may be minutes old (a bulk action's list, a second
# tab) and the row changed since (an agency kill withdrew it, someone
# scheduled or embargoed it): `lock` re-reads these from the locked row, so
# the rules judge the article as it is, and what a service saves back is the
# row's own value, never a stale one.
WORKFLOW_FIELDS = (
    "status",
    "section_id",
    "created_by_id",
    "assigned_to_id",
    "assigned_group_id",
    "sent_back_id",
    "published_at",
    "first_published_at",
    "updated_at",
    "embargo_until",
    "embargo_time_unknown",
    "agency_status",
    "withdrawn_at",
    "withdrawal_reason",
    "preview_epoch",
    "pending_revision_id",
    "version",
)


def lock(article: Article, *, whole_row: bool = False) -> None:
    """Wait for (and block) any other writer of this article's row, then
    refresh the article's WORKFLOW_FIELDS (or `whole_row`) from it.

    Every service calls this before it checks a rule; the lock holds until
    its transaction ends.
    """
    try:
        article.refresh_from_db(
            fields=None if whole_row else WORKFLOW_FIELDS,
            from_queryset=Article.objects.select_for_update(),
        )
    except Article.DoesNotExist:
        raise ValidationError(
            _("„%(headline)s“ wurde inzwischen gelöscht.")
            % {"headline": article.headline}
        ) from None


def save_workflow_fields(article: Article, fields: tuple[str, ...]) -> None:
    """Save `fields` and move the version on, under the caller's lock.

    Only those fields: the text of an object loaded a while ago may be
    stale. The version moving on makes an edit form opened before this
    change refuse to save over it (optimistic locking); the lock made
    `article.version` the row's, so counting on from it is exact.
    """
    article.version += 1
    article.save(update_fields=[*fields, "version", "modified_at"])


# What publishing sets; the embargo stays as the row has it.
PUBLICATION_FIELDS = ("published_at", "first_published_at")


def check_transition(article: Article, to: str) -> None:
    if to not in TRANSITIONS[article.status]:
        raise ValidationError(
            _("„%(headline)s“ kann nicht von „%(from)s“ zu „%(to)s“ wechseln.")
            % {
                "headline": article.headline,
                "from": Status(article.status).label,
                "to": Status(to).label,
            }
        )


def _move(
    article: Article,
    to: str,
    *,
    by: AbstractBaseUser | None,
    comment: str = "",
    update_fields: tuple[str, ...] = (),
    sending_back: bool = False,
) -> Article:
    """Change the status along an allowed edge and record the transition.

    The caller holds the row lock (`lock`), so `article.status` is the
    row's: the edge is checked, and recorded, from the true state.
    """
    from_status = article.status
    check_transition(article, to)
    transition = ArticleTransition.objects.create(
        article=article, from_status=from_status, to_status=to, by=by, comment=comment
    )
    article.status = to
    # A draft waits on its send-back until it moves on; `send_back` sets it.
    article.sent_back = transition if sending_back else None
    save_workflow_fields(article, ("status", "sent_back", *update_fields))
    purge_pages_on_commit()
    return article


@transaction.atomic
def submit_for_review(
    article: Article, *, by: AbstractBaseUser | None, comment: str = ""
) -> Article:
    """A draft goes to the desk ("Chef vom Dienst") for review."""
    lock(article)
    # A reporter may only send an own draft: status and author as they are.
    check_may_edit(by, article)
    fields = ()
    if by is not None and article.assigned_to_id == by.pk:
        # The task assigned to the submitter is done: it is the desk's now.
        article.assigned_to = None
        fields = ("assigned_to",)
    return _move(article, Status.REVIEW, by=by, comment=comment, update_fields=fields)


@transaction.atomic
def approve_article(
    article: Article, *, by: AbstractBaseUser | None, comment: str = ""
) -> Article:
    """The desk approves an article for publication (not yet public).

    With four eyes on, not by whoever saved its text last."""
    if by is not None and not by.has_perm("articles.approve_article"):
        raise PermissionDenied(_("Sie dürfen keine Artikel freigeben."))
    lock(article)
    check_transition(article, Status.APPROVED)
    check_may_approve(by, article)
    check_photos_ready(article)
    return _move(article, Status.APPROVED, by=by, comment=comment)


@transaction.atomic
def publish_article(
    article: Article,
    *,
    by: AbstractBaseUser | None,
    at: datetime | None = None,
    comment: str = "",
) -> Article:
    """Publish `article` at `at` (default: its set time, else now).

    A time in the future schedules it: it goes live then on every page,
    without any job running.
    """
    check_may_publish(by)
    lock(article)
    if article.status == Status.WITHDRAWN:
        raise ValidationError(
            _("„%(headline)s“ ist zurückgezogen und kann nicht veröffentlicht werden.")
            % {"headline": article.headline}
        )
    # Section and four eyes, judged from the locked row.
    check_may_publish(by, article)
    check_photos_ready(article)
    now = timezone.now()
    article.published_at = at or article.published_at or now
    set_first_publication(article, now=now)
    article.full_clean()
    if passed := passed_embargo_note(article, now=now):
        # The row keeps the time; the transition says it was over.
        comment = " ".join(filter(None, [comment, passed]))
    if article.status == Status.PUBLISHED:
        # Rescheduling: same state, new time.
        save_workflow_fields(article, PUBLICATION_FIELDS)
        purge_pages_on_commit()
        return article
    article = _move(
        article,
        Status.PUBLISHED,
        by=by,
        comment=comment,
        update_fields=PUBLICATION_FIELDS,
    )
    # VG Wort's counting mark comes with the first publication and stays.
    assign_counting_mark(article, now=now)
    return article


def passed_embargo_note(article: Article, *, now: datetime) -> str:
    """A note for the history when the article's embargo was over already."""
    if article.embargo_until is None or article.embargo_until > now:
        return ""
    return _("Sperrfrist bis %(when)s war bei der Veröffentlichung abgelaufen.") % {
        "when": date_format(
            timezone.localtime(article.embargo_until), "DATETIME_FORMAT"
        )
    }


def set_first_publication(article: Article, *, now) -> None:
    """When readers first see the article: "Neu" counts from there.

    That is the later of publication time and embargo end, and it moves with
    them until the article has actually been seen.
    """
    if article.first_published_at is None or article.first_published_at > now:
        article.first_published_at = goes_live_at(
            article.published_at, article.embargo_until
        )


@transaction.atomic
def unpublish_article(
    article: Article, *, by: AbstractBaseUser | None, comment: str = ""
) -> Article:
    """Back to draft for rework: off the site, out of review.

    The desk returning someone else's article from review goes through
    `send_back`, with a reason."""
    lock(article)
    own_in_review = (
        by is not None
        and article.status == Status.REVIEW
        and article.created_by_id == by.pk
    )
    if own_in_review:
        return _move(article, Status.DRAFT, by=by, comment=comment)
    check_desk_publisher(by, article)
    if article.status in SENT_BACK_FROM and by is not None:
        return _send_back(article, user=by, reason=comment)
    return _move(article, Status.DRAFT, by=by, comment=comment)


# The states the desk returns an article from ("Zurückgeben").
SENT_BACK_FROM = (Status.REVIEW, Status.APPROVED)


@transaction.atomic
def send_back(article: Article, *, user: AbstractBaseUser, reason: str) -> Article:
    """The desk returns an article under review to whoever submitted it,
    saying why: the reason is in its history and on their dashboard
    ("Zurückgegeben von …: …"), and the article is assigned to them."""
    if not is_desk(user):
        raise PermissionDenied(_("Sie dürfen keine Artikel zurückgeben."))
    lock(article)
    return _send_back(article, user=user, reason=reason)


def _send_back(article: Article, *, user: AbstractBaseUser, reason: str) -> Article:
    """`send_back` under the caller's lock."""
    if not may_send_back(user, article):
        raise PermissionDenied(
            _("„%(headline)s“ liegt nicht in Ihren Ressorts.")
            % {"headline": article.headline}
        )
    reason = clean_text(reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Bitte einen Grund für das Zurückgeben angeben: er erscheint "
                    "bei der Autorin oder dem Autor auf der Startseite."
                )
            }
        )
    if article.status not in SENT_BACK_FROM:
        raise ValidationError(
            _(
                "„%(headline)s“ ist „%(status)s“: zurückgeben lässt sich nur ein "
                "Artikel, der in Prüfung oder freigegeben ist."
            )
            % {"headline": article.headline, "status": Status(article.status).label}
        )
    submitted = (
        ArticleTransition.objects.filter(
            article_id=article.pk, to_status=Status.REVIEW, by__isnull=False
        )
        .values("by_id")
        .first()
    )
    article.assigned_to_id = submitted["by_id"] if submitted else article.created_by_id
    article.assigned_group = None
    return _move(
        article,
        Status.DRAFT,
        by=user,
        comment=reason,
        update_fields=("assigned_to", "assigned_group"),
        sending_back=True,
    )


@transaction.atomic
def assign_article(
    article: Article,
    *,
    user: AbstractBaseUser | None,
    to_user: AbstractBaseUser | None = None,
    to_group: Group | None = None,
) -> Article:
    """Make a person or a group (the desk) responsible for the article
    next; neither: nobody. It shows under "Meine Aufgaben"."""
    if to_user is not None and to_group is not None:
        raise ValidationError(
            _("Bitte entweder eine Person oder eine Gruppe zuständig machen.")
        )
    if to_user is not None and not (to_user.is_active and to_user.is_staff):
        raise ValidationError(
            _("%(user)s arbeitet nicht (mehr) in der Redaktion.")
            % {"user": to_user.get_username()}
        )
    lock(article)
    check_may_edit(user, article)
    article.assigned_to = to_user
    article.assigned_group = to_group
    save_workflow_fields(article, ("assigned_to", "assigned_group"))
    return article


# "@name" in a note: Django's username characters, not after a letter (an
# e-mail address mentions nobody); a full stop ending the sentence is not
# part of the name.
MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")


def mentioned_usernames(text: str) -> set[str]:
    return {name.rstrip(".") for name in MENTION.findall(text)} - {""}


@transaction.atomic
def add_note(
    article: Article, *, user: AbstractBaseUser | None, text: str
) -> ArticleNote:
    """An internal note on the article (never public); colleagues named
    with `@username` find it on their dashboard."""
    if not may_add_note(user, article):
        raise PermissionDenied(
            _("Sie dürfen zu „%(headline)s“ keine Notiz schreiben.")
            % {"headline": article.headline}
        )
    text = clean_text(text or "").strip()
    if not text:
        raise ValidationError({"text": _("Die Notiz ist leer.")})
    limit = settings.NEWSROOM_NOTE_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(
            {
                "text": _("Die Notiz hat %(length)s Zeichen, erlaubt sind %(limit)s.")
                % {"length": len(text), "limit": limit}
            }
        )
    note = ArticleNote.objects.create(article=article, author=user, text=text)
    if names := mentioned_usernames(text):
        users = get_user_model().objects.filter(
            username__in=names, is_active=True, is_staff=True
        )
        if user is not None:
            users = users.exclude(pk=user.pk)
        NoteMention.objects.bulk_create(
            [
                NoteMention(note=note, user=mentioned, created_at=note.created_at)
                for mentioned in users
            ]
        )
    return note


def mark_mentions_read(
    user: AbstractBaseUser,
    *,
    article: Article | None = None,
    mention_ids: list[int] | None = None,
) -> int:
    """Mark `user`'s unread mentions as read: those on `article` (opened),
    or those of `mention_ids` ("erledigt"); another's are never touched.
    Returns how many changed."""
    mentions = NoteMention.objects.filter(user=user, read_at__isnull=True)
    if article is not None:
        mentions = mentions.filter(note__article=article)
    if mention_ids is not None:
        mentions = mentions.filter(pk__in=mention_ids)
    return mentions.update(read_at=timezone.now())


@transaction.atomic
def withdraw_article(
    article: Article, *, by: AbstractBaseUser | None, reason: str
) -> Article:
    """Take a published article off every surface; readers get 410 Gone."""
    check_may_publish(by)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Bitte einen Grund für das Zurückziehen angeben.")}
        )
    lock(article)
    check_desk_publisher(by, article)
    # Before the withdrawal fields change: a refused article keeps its own.
    check_transition(article, Status.WITHDRAWN)
    article.withdrawn_at = timezone.now()
    article.withdrawal_reason = reason.strip()
    # Every shared preview link made so far stops working for good.
    article.preview_epoch += 1
    return _move(
        article,
        Status.WITHDRAWN,
        by=by,
        comment=article.withdrawal_reason,
        update_fields=("withdrawn_at", "withdrawal_reason", "preview_epoch"),
    )


@transaction.atomic
def mark_article_updated(
    article: Article, *, by: AbstractBaseUser | None, at: datetime | None = None
) -> Article:
    """Record a substantial update: the teaser shows "Update" for a while."""
    check_may_publish(by)
    lock(article)
    check_desk_publisher(by, article)
    if article.first_published_at is None:
        raise ValidationError(
            _("„%(headline)s“ war noch nicht veröffentlicht.")
            % {"headline": article.headline}
        )
    article.updated_at = at or timezone.now()
    save_workflow_fields(article, ("updated_at",))
    purge_pages_on_commit()
    return article


@transaction.atomic
def flag_breaking_news(
    article: Article,
    *,
    by: AbstractBaseUser | None,
    at: datetime | None = None,
    minutes: int | None = None,
) -> Article:
    """Show `article` as "Eilmeldung" (banner on every page, "Eil" on its
    teaser) from `at` for `minutes` (NEWSROOM_BREAKING_NEWS_MINUTES)."""
    check_may_publish(by)
    lock(article)
    check_desk_publisher(by, article)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError(
            _("„%(headline)s“ ist nicht veröffentlicht: keine Eilmeldung möglich.")
            % {"headline": article.headline}
        )
    minutes = settings.NEWSROOM_BREAKING_NEWS_MINUTES if minutes is None else minutes
    start = max(at or timezone.now(), article.visible_from or article.published_at)
    article.breaking_until = start + timedelta(minutes=minutes)
    save_workflow_fields(article, ("breaking_until",))
    purge_pages_on_commit()
    return article


class EditConflict(ValidationError):
    """Someone saved the article after the editor loaded it."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message, code="edit_conflict")
        self.current_version = current_version


def check_not_changed_since(article_id: int, loaded_version: int) -> None:
    """Refuse to save over a version newer than the one the form was loaded from.

    Locks the row for the rest of the transaction, so the check and the save
    that follows cannot be overtaken by another save (PostgreSQL row lock;
    SQLite writes are serialised by its IMMEDIATE transactions).
    """
    current = Article.objects.select_for_update().only("version").get(pk=article_id)
    if current.version == loaded_version:
        return
    latest = (
        ArticleRevision.objects.filter(article_id=article_id)
        .select_related("created_by")
        .first()
    )
    who = _("jemand")
    when = ""
    transition = (
        ArticleTransition.objects.filter(article_id=article_id)
        .select_related("by")
        .first()
    )
    # A state change moves the version too; name whichever came last.
    if transition and (latest is None or transition.at > latest.created_at):
        latest_user, latest_at = transition.by, transition.at
    elif latest:
        latest_user, latest_at = latest.created_by, latest.created_at
    else:
        latest_user, latest_at = None, None
    if latest_user:
        who = latest_user.get_full_name() or latest_user.get_username()
    if latest_at:
        when = date_format(timezone.localtime(latest_at), "DATETIME_FORMAT")
    raise EditConflict(
        _(
            "%(who)s hat diesen Artikel am %(when)s gespeichert (Fassung "
            "%(version)s), nachdem Sie ihn geöffnet haben (Fassung %(loaded)s). "
            "Nichts ist überschrieben; Ihre Eingaben stehen unverändert im "
            "Formular."
        )
        % {
            "who": who,
            "when": when,
            "version": current.version,
            "loaded": loaded_version,
        },
        current_version=current.version,
    )


def save_article(
    article: Article, *, by: AbstractBaseUser | None, substantial: bool = False
) -> Article:
    """Save an edit of the article's own fields; the caller records the revision
    (after related objects are saved) with `record_revision`."""
    prepare_save(article, by=by, substantial=substantial)
    article.save()
    # What the body's photo and gallery blocks name: public pages show
    # those only, and the photo rules ask these rows (body_uses.py).
    record_body_uses(article)
    purge_pages_on_commit()
    return article


def create_articles(
    articles: list[Article], *, by: AbstractBaseUser | None, notes: list[str]
) -> list[Article]:
    """Save new articles and their first revisions in two bulk inserts.

    `save_article` + `record_revision(new=True)` for many new articles at
    once (agency imports); `notes[i]` is the note of `articles[i]`'s revision.
    """
    for article in articles:
        prepare_save(article, by=by)
        article.fill_derived_fields()
    Article.objects.bulk_create(articles)
    ArticleRevision.objects.bulk_create(
        [
            new_revision(article, by=by, note=note, new=True)
            for article, note in zip(articles, notes, strict=True)
        ]
    )
    purge_pages_on_commit()
    return articles


def text_changed(article: Article) -> bool:
    """Whether `article`'s text differs from its stored row (a save that
    changes nothing, as the publishing panel's steps make, keeps an
    approval)."""
    values = revision_values(article)
    names = {Article._meta.get_field(name).attname: name for name in values}
    stored = Article.objects.filter(pk=article.pk).values(*names).first()
    return stored is None or any(
        stored[attname] != values[name] for attname, name in names.items()
    )


def prepare_save(
    article: Article, *, by: AbstractBaseUser | None, substantial: bool = False
) -> None:
    """Check and set what every save of an edit sets (no database write,
    except the transition back to review of an approved article whose text
    changes while four eyes are on)."""
    check_may_edit(by, article)
    if article.pk is not None and by is not None and desk_sections(by) is not None:
        # Moving an article out of its section needs rights in both.
        stored = Article.objects.filter(pk=article.pk).values("section_id").first()
        if stored and stored["section_id"] != article.section_id:
            check_may_edit(
                by,
                Article(
                    pk=article.pk,
                    headline=article.headline,
                    section_id=stored["section_id"],
                    status=article.status,
                    created_by_id=article.created_by_id,
                ),
            )
    if (
        four_eyes()
        and article.pk is not None
        and article.status == Status.APPROVED
        and text_changed(article)
    ):
        # The approval was of the text as it was: this one needs its own.
        ArticleTransition.objects.create(
            article=article,
            from_status=Status.APPROVED,
            to_status=Status.REVIEW,
            by=by,
            comment=_("Nach der Freigabe geändert: erneute Freigabe nötig."),
        )
        article.status = Status.REVIEW
    if article.pk is None and by is not None:
        article.created_by = by
    if by is not None and article.external_id:
        # Later agency versions must not silently overwrite this edit.
        article.locally_edited = True
    article.version += 1
    # The form showed a live article's pending change (live_drafts) and this
    # save carries it, or replaces it: no draft waits any more.
    article.pending_revision = None
    if substantial and article.first_published_at:
        article.updated_at = timezone.now()
    if article.status == Status.PUBLISHED and article.published_at:
        # A rescheduled time set in the form moves "Neu" along with it.
        set_first_publication(article, now=timezone.now())


def snapshot(article: Article, *, new: bool = False) -> dict:
    """The content a revision keeps, as JSON-ready values.

    `new`: the article was just created, so it has no authors, regions or
    tags yet (saves three queries per imported story).
    """
    data = revision_values(article)
    for name in REVISION_RELATIONS:
        related = [] if new else getattr(article, name).values_list("pk", flat=True)
        data[name] = sorted(related)
    return data


def record_revision(
    article: Article, *, by: AbstractBaseUser | None, note: str = "", new: bool = False
) -> ArticleRevision:
    revision = new_revision(article, by=by, note=note, new=new)
    revision.save()
    return revision


def new_revision(
    article: Article, *, by: AbstractBaseUser | None, note: str, new: bool
) -> ArticleRevision:
    """The unsaved revision of the article as it is now."""
    return ArticleRevision(
        # Ids, not objects: the article is saved, and assigning ids skips the
        # related-object checks (this runs for every imported story).
        article_id=article.pk,
        number=article.version,
        created_by_id=by and by.pk,
        data=snapshot(article, new=new),
        note=note,
    )


@transaction.atomic
def restore_revision(
    article: Article, revision: ArticleRevision, *, by: AbstractBaseUser | None
) -> ArticleRevision:
    """Make an old revision current again, as a new revision."""
    # The whole row: the restore saves every field, so all but the
    # revision's own values must be the row's (status, times, counts), not
    # those of an object loaded before a state change.
    lock(article, whole_row=True)
    check_may_edit(by, article)
    data = revision.data
    apply_revision_values(article, data)
    save_article(article, by=by)
    for name in REVISION_RELATIONS:
        related = getattr(article, name)
        # Rows deleted since (a tag, an author) cannot come back.
        still_there = related.model.objects.filter(pk__in=data[name])
        related.set(still_there)
    return record_revision(
        article,
        by=by,
        note=_("Wiederhergestellt aus Fassung %(number)s")
        % {"number": revision.number},
    )


@transaction.atomic
def add_correction(
    article: Article, *, by: AbstractBaseUser | None, text: str
) -> CorrectionNote:
    """A "Korrektur: …" note at the end of a published article."""
    check_desk_publisher(by, article)
    if not text.strip():
        raise ValidationError({"text": _("Die Korrektur ist leer.")})
    note = CorrectionNote.objects.create(article=article, text=text.strip())
    purge_pages_on_commit()
    return note


@transaction.atomic
def schedule_article(
    article: Article, *, by: AbstractBaseUser | None, at: datetime, comment: str = ""
) -> Article:
    """Publish `article` so that it goes live at `at`, which must be ahead."""
    if at <= timezone.now():
        raise ValidationError(
            {"published_at": _("Zum Planen bitte eine Zeit in der Zukunft angeben.")}
        )
    return publish_article(article, by=by, at=at, comment=comment)


@dataclass(frozen=True)
class Transition:
    """A step the edit form's publishing panel offers as a button."""

    key: str
    label: str
    # "" (a plain button), "reason" (a required text) or "time" (a future time)
    needs: str = ""

    @property
    def needs_input(self) -> bool:
        return bool(self.needs)


SUBMIT = Transition("submit", _lazy("Zur Prüfung"))
APPROVE = Transition("approve", _lazy("Freigeben"))
PUBLISH = Transition("publish", _lazy("Veröffentlichen"))
SCHEDULE = Transition("schedule", _lazy("Planen"), needs="time")
SEND_BACK = Transition("send_back", _lazy("Zurückgeben"), needs="reason")
WITHDRAW = Transition("withdraw", _lazy("Zurückziehen"), needs="reason")
# Off the site (or out of the withdrawal) and back into the newsroom's work.
UNPUBLISH = Transition("unpublish", _lazy("Zurück in den Entwurf"))
# What the desk does to a published article besides putting it live.
BREAKING = Transition("breaking", _lazy("Eilmeldung"))
UPDATE = Transition("update", _lazy("Aktualisierung („Update“)"))
TRANSITION_BY_KEY = {
    t.key: t
    for t in (
        SUBMIT,
        APPROVE,
        PUBLISH,
        SCHEDULE,
        SEND_BACK,
        WITHDRAW,
        UNPUBLISH,
        BREAKING,
        UPDATE,
    )
}


def allowed_transitions(
    user: AbstractBaseUser | None, article: Article
) -> list[Transition]:
    """The steps `user` may take with `article` from its state, in the
    order the panel shows them.

    Built from the checks the services themselves run (`may_edit`,
    `may_approve`, `may_publish` with the article: sections and four eyes,
    `may_send_back`, the TRANSITIONS table), so a button is offered exactly
    where its service would accept the request; the service checks again
    when the button is pressed. Rules about the content (photo credits, an
    embargo) are the service's to report, with their reason.
    """
    status = article.status
    publisher = may_publish(user) and in_desk_sections(user, article)
    publishes = may_publish(user, article)
    offered = [
        (SUBMIT, may_edit(user, article) and Status.REVIEW in TRANSITIONS[status]),
        (APPROVE, may_approve(user, article)
                  and Status.APPROVED in TRANSITIONS[status]),
        # A scheduled article can still be published at once.
        (PUBLISH, publishes and (Status.PUBLISHED in TRANSITIONS[status]
                                 or article.is_scheduled)),
        # Planning a published article moves its time (rescheduling).
        (SCHEDULE, publishes and (Status.PUBLISHED in TRANSITIONS[status]
                                  or status == Status.PUBLISHED)),
        (SEND_BACK, status in SENT_BACK_FROM and may_send_back(user, article)),
        (WITHDRAW, publisher and Status.WITHDRAWN in TRANSITIONS[status]),
        (UNPUBLISH, publisher and status in (Status.PUBLISHED, Status.WITHDRAWN)),
        # A scheduled article's banner starts when the article goes live.
        (BREAKING, publisher and status == Status.PUBLISHED),
        # "Update" only on what readers have already seen.
        (UPDATE, publisher and status == Status.PUBLISHED
                 and article.first_published_at is not None
                 and not article.is_scheduled),
    ]  # fmt: skip
    return [transition for transition, allowed in offered if allowed]


def take_transition(
    article: Article,
    key: str,
    *,
    by: AbstractBaseUser | None,
    reason: str = "",
    at: datetime | None = None,
) -> Article:
    """Run the panel button `key` for `article`: refused unless
    `allowed_transitions` offers it to `by` now, and then checked once more
    by the service it calls (under the row lock)."""
    if key not in {t.key for t in allowed_transitions(by, article)}:
        label = TRANSITION_BY_KEY[key].label if key in TRANSITION_BY_KEY else key
        raise PermissionDenied(
            _("„%(step)s“ ist für „%(headline)s“ im Status „%(status)s“ nicht erlaubt.")
            % {
                "step": label,
                "headline": article.headline,
                "status": Status(article.status).label,
            }
        )
    needs = TRANSITION_BY_KEY[key].needs
    if needs == "reason" and not reason.strip():
        raise ValidationError(
            _("„%(step)s“ braucht einen Grund.")
            % {"step": TRANSITION_BY_KEY[key].label}
        )
    if needs == "time" and at is None:
        raise ValidationError(_("Zum Planen bitte Datum und Uhrzeit angeben."))
    match key:
        case "submit":
            return submit_for_review(article, by=by)
        case "approve":
            return approve_article(article, by=by)
        case "publish":
            return publish_now(article, by=by)
        case "schedule":
            return schedule_article(article, by=by, at=at)
        case "send_back":
            return send_back_to_author(article, by=by, reason=reason)
        case "withdraw":
            return withdraw_article(article, by=by, reason=reason)
        case "unpublish":
            return unpublish_article(article, by=by)
        case "breaking":
            return flag_breaking_news(article, by=by)
        case "update":
            return mark_article_updated(article, by=by)
    raise AssertionError(key)  # every offered key has its case above


def publish_now(article: Article, *, by: AbstractBaseUser | None) -> Article:
    """Publish at once: a publication time ahead is brought forward to now
    ("Planen" is the button for later); a past one stays, as it was."""
    now = timezone.now()
    at = now if article.published_at is None or article.published_at > now else None
    return publish_article(article, by=by, at=at)


def send_back_to_author(
    article: Article, *, by: AbstractBaseUser | None, reason: str
) -> Article:
    """ "Zurückgeben": back to its author with the desk's reason, which is in
    the history and on the author's dashboard (`send_back`)."""
    return send_back(article, user=by, reason=reason)
