"""The live ticker's services: the only writers of entries and the end."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Article, LiveEntry, LiveEntryChange
from articles.workflow import live_ticker
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

Action = LiveEntryChange.Action


def user_in(group: str, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def desk():
    return user_in("Chef vom Dienst", "cvd")


@pytest.fixture
def reporter():
    return user_in("Redakteur", "reporter")


@pytest.fixture
def ticker():
    return ArticleFactory(is_live_ticker=True, headline="Hochwasser im Liveticker")


def test_desk_adds_entry_with_author_history_and_update_time(
    desk, ticker, django_capture_on_commit_callbacks
):
    profile = AuthorFactory(name="Clara Vogt", user=desk)
    before = Article.objects.get(pk=ticker.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        entry = live_ticker.add_live_entry(
            ticker,
            by=desk,
            body=(
                "<p>Pegel bei 8,10 m<script>alert(1)</script> "
                '<a href="javascript:x">x</a></p>'
            ),
            title=" Neuer Höchststand ",
            is_key_event=True,
        )
    assert callbacks, "the page cache is purged on commit"
    entry.refresh_from_db()
    assert entry.title == "Neuer Höchststand"
    assert "<script" not in entry.body and "javascript:" not in entry.body
    assert entry.author == profile and entry.created_by == desk
    assert entry.is_key_event and not entry.is_pinned
    change = LiveEntryChange.objects.get()
    assert (change.action, change.entry_id, change.by) == (Action.ADDED, entry.pk, desk)
    assert change.data["title"] == "Neuer Höchststand"
    ticker.refresh_from_db()
    # Feeds and sitemaps follow the last entry; an open edit form does not
    # conflict with it.
    assert ticker.updated_at == entry.at
    assert ticker.modified_at >= entry.at
    assert ticker.version == before.version


def test_correct_and_delete_are_in_the_history(desk, ticker):
    entry = live_ticker.add_live_entry(ticker, by=desk, body="<p>Pegel 8,10 m</p>")
    at = entry.at
    live_ticker.correct_live_entry(
        ticker, entry, by=desk, body="<p>Pegel 8,01 m</p>", is_pinned=True
    )
    entry.refresh_from_db()
    assert entry.body == "<p>Pegel 8,01 m</p>" and entry.is_pinned
    assert entry.at == at, "a correction keeps the entry's time"
    live_ticker.delete_live_entry(ticker, entry, by=desk)
    assert not LiveEntry.objects.exists()
    history = list(LiveEntryChange.objects.order_by("pk"))
    assert [c.action for c in history] == [
        Action.ADDED,
        Action.CORRECTED,
        Action.DELETED,
    ]
    assert history[2].data["body"] == "<p>Pegel 8,01 m</p>", "the deleted text is kept"
    with pytest.raises(ValidationError, match="inzwischen gelöscht"):
        live_ticker.correct_live_entry(ticker, entry, by=desk, body="<p>x</p>")


def test_history_rows_are_never_changed(desk, ticker):
    live_ticker.add_live_entry(ticker, by=desk, body="<p>Eins</p>")
    change = LiveEntryChange.objects.get()
    change.action = Action.DELETED
    with pytest.raises(ValueError):
        change.save()


def test_empty_entry_is_refused_in_german(desk, ticker):
    with pytest.raises(ValidationError, match="keinen Text"):
        live_ticker.add_live_entry(ticker, by=desk, body="<p> <br></p>")
    assert not LiveEntry.objects.exists() and not LiveEntryChange.objects.exists()


def test_only_a_ticker_takes_entries(desk):
    article = ArticleFactory()
    with pytest.raises(ValidationError, match="kein Liveticker"):
        live_ticker.add_live_entry(article, by=desk, body="<p>Eins</p>")


def test_ended_ticker_takes_no_entries_until_reopened(desk, ticker):
    live_ticker.end_live_ticker(ticker, by=desk)
    ticker.refresh_from_db()
    assert ticker.live_ended_at is not None and not ticker.is_running_ticker
    with pytest.raises(ValidationError, match="beendet"):
        live_ticker.add_live_entry(ticker, by=desk, body="<p>Nachtrag</p>")
    with pytest.raises(ValidationError, match="schon beendet"):
        live_ticker.end_live_ticker(ticker, by=desk)
    live_ticker.reopen_live_ticker(ticker, by=desk)
    live_ticker.add_live_entry(ticker, by=desk, body="<p>Nachtrag</p>")
    actions = list(
        LiveEntryChange.objects.order_by("pk").values_list("action", flat=True)
    )
    assert actions == [Action.ENDED, Action.REOPENED, Action.ADDED]


def test_stale_object_cannot_write_to_an_ended_ticker(desk, ticker):
    stale = Article.objects.get(pk=ticker.pk)
    live_ticker.end_live_ticker(ticker, by=desk)
    with pytest.raises(ValidationError, match="beendet"):
        live_ticker.add_live_entry(stale, by=desk, body="<p>Zu spät</p>")


def test_reporter_may_not_write_on_a_published_ticker(reporter, ticker):
    for action in (
        lambda: live_ticker.add_live_entry(ticker, by=reporter, body="<p>x</p>"),
        lambda: live_ticker.end_live_ticker(ticker, by=reporter),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert not LiveEntryChange.objects.exists()


def test_reporter_prepares_entries_on_an_own_draft(reporter):
    draft = ArticleFactory(draft=True, is_live_ticker=True, created_by=reporter)
    entry = live_ticker.add_live_entry(draft, by=reporter, body="<p>Vorbereitet</p>")
    draft.refresh_from_db()
    # Nobody saw it yet: not an update.
    assert draft.updated_at is None
    live_ticker.delete_live_entry(draft, entry, by=reporter)
    other = ArticleFactory(draft=True, is_live_ticker=True)
    with pytest.raises(PermissionDenied):
        live_ticker.add_live_entry(other, by=reporter, body="<p>x</p>")


def test_entry_of_another_ticker_cannot_be_touched(desk, ticker):
    other = ArticleFactory(is_live_ticker=True)
    entry = live_ticker.add_live_entry(other, by=desk, body="<p>Fremd</p>")
    with pytest.raises(ValidationError):
        live_ticker.delete_live_entry(ticker, entry, by=desk)
    assert LiveEntry.objects.filter(pk=entry.pk).exists()
