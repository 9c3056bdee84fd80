"""The only writers of a live ticker's entries and its end.

Adding, correcting and deleting an entry, ending and reopening the ticker:
each checks the right to edit the article (`services.check_may_edit`: the
desk on any ticker, a reporter only on an own draft, so nothing a reporter
writes goes live unseen), locks the article's row so that concurrent desks
write one after the other, records the change in the ticker's history
(`LiveEntryChange`, whose ids are also what readers' pages poll for), and
purges the page cache after the commit.

A new, corrected or deleted entry on a ticker readers already saw is its
newest update: the article's `updated_at` and `modified_at` move to it, so
the feeds, the sitemaps, the JSON-LD's `dateModified`, the polling
endpoint's ETag and the page's "Aktualisiert" follow the last change (a
correction or deletion is news, too, to readers and to the feeds that
listed the entry). The article's edit `version` stays: an editor fixing
the intro while the desk tickers must not be told someone else saved the
article.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from articles.models import Article, Author, LiveEntry, LiveEntryChange
from articles.purging import purge_pages_on_commit
from articles.sanitising import sanitise_body_html
from articles.workflow.services import check_may_edit, lock

Action = LiveEntryChange.Action


def _check_ticker(article: Article, by: AbstractBaseUser | None) -> None:
    lock(article)
    # What the rules below read, as the locked row has it.
    article.refresh_from_db(fields=["is_live_ticker", "live_ended_at"])
    check_may_edit(by, article)
    if not article.is_live_ticker:
        raise ValidationError(
            _("„%(headline)s“ ist kein Liveticker.") % {"headline": article.headline}
        )


def _clean_body(body: str) -> str:
    body = sanitise_body_html(body or "")
    if not strip_tags(body).strip():
        raise ValidationError({"body": _("Der Eintrag hat keinen Text.")})
    return body


def entry_values(entry: LiveEntry) -> dict:
    """What the history keeps of an entry."""
    return {
        "title": entry.title,
        "body": entry.body,
        "author": entry.author_id,
        "is_key_event": entry.is_key_event,
        "is_pinned": entry.is_pinned,
        "at": entry.at.isoformat(),
    }


def _record(article, action, *, by, entry=None) -> LiveEntryChange:
    return LiveEntryChange.objects.create(
        article=article,
        entry_id=entry.pk if entry else None,
        action=action,
        by=by,
        data=entry_values(entry) if entry else {},
    )


def _note_update(article: Article, at) -> None:
    """A ticker readers saw changes: its feeds and sitemap entries follow."""
    if article.first_published_at is not None:
        article.updated_at = at
        article.save(update_fields=["updated_at", "modified_at"])


def default_author(user: AbstractBaseUser | None) -> Author | None:
    """The writer's author profile, if the account has one."""
    if user is None:
        return None
    return Author.objects.filter(user=user).first()


@transaction.atomic
def add_live_entry(
    article: Article,
    *,
    by: AbstractBaseUser | None,
    body: str,
    title: str = "",
    author: Author | None = None,
    is_key_event: bool = False,
    is_pinned: bool = False,
) -> LiveEntry:
    """A new entry on top of the ticker, timed now."""
    _check_ticker(article, by)
    if article.live_ended_at is not None:
        raise ValidationError(
            _(
                "Der Ticker „%(headline)s“ ist beendet. Zum Weiterschreiben "
                "erst „Ticker fortsetzen“ wählen."
            )
            % {"headline": article.headline}
        )
    entry = LiveEntry(
        article=article,
        title=(title or "").strip(),
        body=_clean_body(body),
        author=author if author is not None else default_author(by),
        is_key_event=is_key_event,
        is_pinned=is_pinned,
        created_by=by,
    )
    entry.full_clean(exclude=["article", "author", "created_by"])
    entry.save()
    _record(article, Action.ADDED, by=by, entry=entry)
    _note_update(article, entry.at)
    purge_pages_on_commit()
    return entry


def _entry_of(article: Article, entry: LiveEntry) -> LiveEntry:
    try:
        return LiveEntry.objects.select_for_update().get(
            pk=entry.pk, article_id=article.pk
        )
    except LiveEntry.DoesNotExist:
        raise ValidationError(_("Dieser Eintrag wurde inzwischen gelöscht.")) from None


@transaction.atomic
def correct_live_entry(
    article: Article,
    entry: LiveEntry,
    *,
    by: AbstractBaseUser | None,
    body: str,
    title: str = "",
    is_key_event: bool = False,
    is_pinned: bool = False,
) -> LiveEntry:
    """Correct an entry's text, title or marks; its time and author stay."""
    _check_ticker(article, by)
    current = _entry_of(article, entry)
    current.title = (title or "").strip()
    current.body = _clean_body(body)
    current.is_key_event = is_key_event
    current.is_pinned = is_pinned
    current.full_clean(exclude=["article", "author", "created_by"])
    current.save()
    _record(article, Action.CORRECTED, by=by, entry=current)
    _note_update(article, timezone.now())
    purge_pages_on_commit()
    return current


@transaction.atomic
def delete_live_entry(
    article: Article, entry: LiveEntry, *, by: AbstractBaseUser | None
) -> None:
    """Remove an entry; the history keeps what it said."""
    _check_ticker(article, by)
    current = _entry_of(article, entry)
    _record(article, Action.DELETED, by=by, entry=current)
    current.delete()
    _note_update(article, timezone.now())
    purge_pages_on_commit()


@transaction.atomic
def end_live_ticker(article: Article, *, by: AbstractBaseUser | None) -> Article:
    """ "Ticker beendet": readers' pages stop looking for entries, the teaser
    loses "Live", and the coverage has its end time."""
    _check_ticker(article, by)
    if article.live_ended_at is not None:
        raise ValidationError(_("Der Ticker ist schon beendet."))
    article.live_ended_at = timezone.now()
    article.save(update_fields=["live_ended_at", "modified_at"])
    _record(article, Action.ENDED, by=by)
    purge_pages_on_commit()
    return article


@transaction.atomic
def reopen_live_ticker(article: Article, *, by: AbstractBaseUser | None) -> Article:
    """Continue an ended ticker (the story goes on after all)."""
    _check_ticker(article, by)
    article.live_ended_at = None
    article.save(update_fields=["live_ended_at", "modified_at"])
    _record(article, Action.REOPENED, by=by)
    purge_pages_on_commit()
    return article
