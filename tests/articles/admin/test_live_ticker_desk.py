"""The live ticker's desk in the admin: the compact form adds an entry and
comes back to the same page; entries are corrected and deleted, the ticker
ended and reopened, each through the services and in the history; every
role and state is checked on the server; the page's queries do not grow
with the ticker."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from articles.models import LiveEntry, LiveEntryChange
from articles.workflow import live_ticker
from tests.articles.admin.staff import client_for, user_in
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    user = user_in("Chef vom Dienst", "cvd")
    client = client_for(user)
    client.user = user
    return client


@pytest.fixture
def reporter():
    user = user_in("Redakteur", "reporter")
    client = client_for(user)
    client.user = user
    return client


@pytest.fixture
def ticker():
    return ArticleFactory(is_live_ticker=True, headline="Wahlabend im Liveticker")


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


def test_desk_adds_an_entry_and_stays_on_the_page(desk, ticker):
    profile = AuthorFactory(name="Clara Vogt", user=desk.user)
    desk_url = url("live_ticker", ticker.pk)
    page = desk.get(desk_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="body"' in html and "Eintrag veröffentlichen" in html
    assert "Ticker beenden" in html
    # The body editor loads: its inline import map carries the response's nonce.
    nonce = re.search(r'<script type="importmap" nonce="([^"]+)"', html).group(1)
    assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
    response = desk.post(
        desk_url,
        {"body": "<p>Erste Hochrechnung: 31 Prozent</p>", "is_key_event": "on"},
    )
    assert response.status_code == 302 and response["Location"] == desk_url
    entry = LiveEntry.objects.get()
    assert entry.is_key_event and entry.author == profile
    assert entry.created_by == desk.user
    after = desk.get(desk_url)
    assert "Eintrag veröffentlicht." in [
        str(m) for m in get_messages(after.wsgi_request)
    ]
    assert "Erste Hochrechnung" in after.content.decode()
    # The history names who added it.
    assert "hinzugefügt" in after.content.decode()


def test_empty_entry_shows_the_german_error_on_the_form(desk, ticker):
    response = desk.post(url("live_ticker", ticker.pk), {"body": "<p></p>"})
    assert response.status_code == 200
    assert "Der Eintrag hat keinen Text." in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_desk_corrects_and_deletes_entries(desk, ticker):
    entry = live_ticker.add_live_entry(ticker, by=None, body="<p>31 Prozent</p>")
    form = desk.get(url("live_entry_correct", ticker.pk, entry.pk))
    assert "31 Prozent" in form.content.decode()
    assert '<script type="importmap" nonce="' in form.content.decode()
    response = desk.post(
        url("live_entry_correct", ticker.pk, entry.pk),
        {"body": "<p>32 Prozent</p>", "title": "Korrigiert", "is_pinned": "on"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.body, entry.title, entry.is_pinned) == (
        "<p>32 Prozent</p>",
        "Korrigiert",
        True,
    )
    delete = url("live_entry_delete", ticker.pk, entry.pk)
    assert desk.get(delete).status_code == 405
    assert desk.post(delete).status_code == 302
    assert not LiveEntry.objects.exists()
    actions = list(LiveEntryChange.objects.order_by("pk").values_list("action", "by"))
    assert actions == [
        ("added", None),
        ("corrected", desk.user.pk),
        ("deleted", desk.user.pk),
    ]


def test_desk_ends_and_reopens_the_ticker(desk, ticker):
    assert desk.post(url("live_ticker_end", ticker.pk)).status_code == 302
    ticker.refresh_from_db()
    assert ticker.live_ended_at is not None
    html = desk.get(url("live_ticker", ticker.pk)).content.decode()
    assert "Ticker fortsetzen" in html and 'name="body"' not in html
    # Ending twice is refused with a message, not an error page.
    again = desk.post(url("live_ticker_end", ticker.pk), follow=True)
    assert "Der Ticker ist schon beendet." in again.content.decode()
    desk.post(url("live_ticker_reopen", ticker.pk))
    ticker.refresh_from_db()
    assert ticker.live_ended_at is None


def test_reporter_sees_a_published_ticker_but_writes_nothing(reporter, ticker):
    entry = live_ticker.add_live_entry(ticker, by=None, body="<p>Eins</p>")
    page = reporter.get(url("live_ticker", ticker.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="body"' not in html and "Korrigieren" not in html
    for address in (
        url("live_ticker", ticker.pk),
        url("live_entry_correct", ticker.pk, entry.pk),
        url("live_entry_delete", ticker.pk, entry.pk),
        url("live_ticker_end", ticker.pk),
        url("live_ticker_reopen", ticker.pk),
    ):
        assert reporter.post(address, {"body": "<p>x</p>"}).status_code == 403
    assert (
        reporter.get(url("live_entry_correct", ticker.pk, entry.pk)).status_code == 403
    )
    assert LiveEntryChange.objects.count() == 1


def test_reporter_prepares_an_own_draft_ticker(reporter):
    draft = ArticleFactory(draft=True, is_live_ticker=True, created_by=reporter.user)
    response = reporter.post(url("live_ticker", draft.pk), {"body": "<p>Vorab</p>"})
    assert response.status_code == 302
    assert LiveEntry.objects.filter(article=draft).count() == 1


def test_staff_without_article_rights_and_anonymous_are_refused(ticker):
    nobody = client_for(UserFactory(username="praktikant"))
    assert nobody.get(url("live_ticker", ticker.pk)).status_code == 403
    assert nobody.post(url("live_ticker", ticker.pk), {"body": "x"}).status_code == 403
    anonymous = Client().get(url("live_ticker", ticker.pk))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert not LiveEntry.objects.exists()


def test_post_without_csrf_token_is_refused(ticker):
    user = user_in("Chef vom Dienst", "cvd")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url("live_ticker", ticker.pk), {"body": "<p>x</p>"})
    assert response.status_code == 403 and not LiveEntry.objects.exists()


def test_plain_article_has_no_desk_and_foreign_entries_are_404(desk, ticker):
    plain = ArticleFactory()
    assert desk.get(url("live_ticker", plain.pk)).status_code == 404
    other = ArticleFactory(is_live_ticker=True)
    entry = live_ticker.add_live_entry(other, by=None, body="<p>Fremd</p>")
    assert desk.post(url("live_entry_delete", ticker.pk, entry.pk)).status_code == 404
    assert desk.get(url("live_ticker", ticker.pk) + "?vor=abc").status_code == 404


def test_edit_form_links_the_desk_only_for_tickers(desk, ticker):
    link = url("live_ticker", ticker.pk)
    assert link in desk.get(url("change", ticker.pk)).content.decode()
    plain = ArticleFactory()
    assert "liveticker" not in desk.get(url("change", plain.pk)).content.decode()


def test_desk_page_queries_do_not_grow_with_the_ticker(desk, count_queries):
    counts = []
    for size in (10, 1000):
        ticker = ArticleFactory(is_live_ticker=True)
        LiveEntry.objects.bulk_create(
            LiveEntry(article=ticker, body=f"<p>{n}</p>", author=AuthorFactory())
            if n % 100 == 0
            else LiveEntry(article=ticker, body=f"<p>{n}</p>")
            for n in range(size)
        )
        LiveEntryChange.objects.bulk_create(
            LiveEntryChange(article=ticker, action="added", by=desk.user)
            for _ in range(size)
        )
        address = url("live_ticker", ticker.pk)
        counts.append(count_queries(lambda address=address: desk.get(address)))
    assert counts[0] == counts[1] <= 20, counts
