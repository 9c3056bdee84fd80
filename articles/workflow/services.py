"""The only writers of an article's editorial state.

Every state change is one function here, used alike by the admin (form
buttons and bulk actions), the demo loader and the importers. Each checks
the permission on the server, locks the article's row and checks the rules
against the row as it is now (not as the caller's object was loaded),
writes, records who moved the article from which state to which
(`ArticleTransition`), and purges the page cache after the commit.
`user=None` is the system itself (demo, importers).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from articles.models import (
    REVISION_RELATIONS,
    Article,
    ArticleRevision,
    ArticleTransition,
    CorrectionNote,
    apply_revision_values,
    goes_live_at,
    revision_values,
)
from articles.purging import purge_pages_on_commit

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


def may_publish(user: AbstractBaseUser | None) -> bool:
    return user is None or user.has_perm("articles.publish_article")


def check_may_publish(user: AbstractBaseUser | None) -> None:
    if not may_publish(user):
        raise PermissionDenied(_("Sie dürfen keine Artikel veröffentlichen."))


def may_edit(user: AbstractBaseUser | None, article: Article) -> bool:
    """Editors edit any article; reporters only their own drafts."""
    if may_publish(user):
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


def check_photos_ready(article: Article) -> None:
    """Every photo of a published article carries a credit and an alt text.

    The one check behind the admin form, the bulk action and imports.
    """
    problems = []
    for use in article.article_photos.select_related("photo__agency"):
        if missing := use.photo.missing_for_publication:
            problems.append(
                _("Foto „%(photo)s“ fehlt: %(missing)s")
                % {"photo": use.photo.label, "missing": ", ".join(missing)}
            )
    if problems:
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
    "created_by_id",
    "published_at",
    "first_published_at",
    "updated_at",
    "embargo_until",
    "embargo_time_unknown",
    "agency_status",
    "withdrawn_at",
    "withdrawal_reason",
    "preview_epoch",
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
) -> Article:
    """Change the status along an allowed edge and record the transition.

    The caller holds the row lock (`lock`), so `article.status` is the
    row's: the edge is checked, and recorded, from the true state.
    """
    from_status = article.status
    check_transition(article, to)
    article.status = to
    save_workflow_fields(article, ("status", *update_fields))
    ArticleTransition.objects.create(
        article=article, from_status=from_status, to_status=to, by=by, comment=comment
    )
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
    return _move(article, Status.REVIEW, by=by, comment=comment)


@transaction.atomic
def approve_article(
    article: Article, *, by: AbstractBaseUser | None, comment: str = ""
) -> Article:
    """The desk approves an article for publication (not yet public)."""
    check_may_publish(by)
    lock(article)
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
    return _move(
        article,
        Status.PUBLISHED,
        by=by,
        comment=comment,
        update_fields=PUBLICATION_FIELDS,
    )


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
    """Back to draft for rework: off the site, out of review."""
    lock(article)
    own_in_review = (
        by is not None
        and article.status == Status.REVIEW
        and article.created_by_id == by.pk
    )
    if not own_in_review:
        check_may_publish(by)
    return _move(article, Status.DRAFT, by=by, comment=comment)


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
            "Ihre Eingaben stehen unverändert im Formular; speichern Sie erneut, "
            "überschreiben Sie die andere Fassung (sie bleibt im Verlauf)."
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


def prepare_save(
    article: Article, *, by: AbstractBaseUser | None, substantial: bool = False
) -> None:
    """Check and set what every save of an edit sets (no database write)."""
    check_may_edit(by, article)
    if article.pk is None and by is not None:
        article.created_by = by
    if by is not None and article.external_id:
        # Later agency versions must not silently overwrite this edit.
        article.locally_edited = True
    article.version += 1
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
    check_may_publish(by)
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
TRANSITION_BY_KEY = {
    t.key: t
    for t in (SUBMIT, APPROVE, PUBLISH, SCHEDULE, SEND_BACK, WITHDRAW, UNPUBLISH)
}


def allowed_transitions(
    user: AbstractBaseUser | None, article: Article
) -> list[Transition]:
    """The steps `user` may take with `article` from its state, in the
    order the panel shows them.

    Built from the checks the services themselves run (`may_edit`,
    `may_publish`, the TRANSITIONS table), so a button is offered exactly
    where its service would accept the request; the service checks again
    when the button is pressed. Rules about the content (photo credits, an
    embargo) are the service's to report, with their reason.
    """
    status = article.status
    allowed = []
    if may_edit(user, article) and Status.REVIEW in TRANSITIONS[status]:
        allowed.append(SUBMIT)
    if not may_publish(user):
        return allowed
    if Status.APPROVED in TRANSITIONS[status]:
        allowed.append(APPROVE)
    if Status.PUBLISHED in TRANSITIONS[status] or article.is_scheduled:
        # A scheduled article can still be published at once.
        allowed.append(PUBLISH)
    if Status.PUBLISHED in TRANSITIONS[status] or status == Status.PUBLISHED:
        # Planning a published article moves its time (rescheduling).
        allowed.append(SCHEDULE)
    if status in (Status.REVIEW, Status.APPROVED):
        allowed.append(SEND_BACK)
    if Status.WITHDRAWN in TRANSITIONS[status]:
        allowed.append(WITHDRAW)
    if status in (Status.PUBLISHED, Status.WITHDRAWN):
        allowed.append(UNPUBLISH)
    return allowed


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
    """ "Zurückgeben": back to draft with the desk's reason in the history.

    The reason-keeping `send_back` (issue #17, desk-workflow) is used once
    it exists; until then the return to draft records the reason as the
    transition's comment.
    """
    send_back = globals().get("send_back")
    if send_back is not None:
        return send_back(article, user=by, reason=reason)
    return unpublish_article(article, by=by, comment=reason.strip())
