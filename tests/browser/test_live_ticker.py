"""A reader has a live ticker open; the desk adds an entry through the
admin's compact form in a second browser; the entry appears on the reader's
page within the poll interval, without a reload, and the page's JSON-LD,
as extruct reads it from the page as it now stands, lists it as a
`liveBlogUpdate`. The ticker page passes axe-core and the Nu Html
Checker."""

import json
import time

import extruct
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import LiveEntry, LiveEntryChange
from articles.workflow import live_ticker
from tests.browser.conftest import (
    VIEWPORTS,
    axe_violations,
    body_editor,
    log_in,
    render,
    save_screenshot,
    user_with_rights,
    validation_errors,
)
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = [pytest.mark.browser]

NEW_ENTRY = "Die Hafenstraße ist wieder frei."


def live_blog_posting(page) -> dict:
    """The page's LiveBlogPosting as a search engine would read the page in
    its current state (scripts run), not as the server sent it."""
    found = extruct.extract(page.content(), syntaxes=["json-ld"])["json-ld"]
    [posting] = [data for data in found if data["@type"] == "LiveBlogPosting"]
    return posting


def iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def make_ticker():
    ticker = ArticleFactory(
        is_live_ticker=True,
        section=SectionFactory(slug="blaulicht", name="Blaulicht"),
        kicker="Liveticker",
        headline="Großbrand im Hafen: Feuerwehr im Dauereinsatz",
        teaser="Alle Entwicklungen im Liveticker.",
    )
    author = AuthorFactory(name="Clara Vogt", slug="clara-vogt")
    live_ticker.add_live_entry(
        ticker,
        by=None,
        title="Feuerwehr rückt aus",
        body="<p>Mehrere Löschzüge sind unterwegs.</p>",
        author=author,
        is_key_event=True,
    )
    live_ticker.add_live_entry(
        ticker,
        by=None,
        title="Warnung für Anwohner",
        body='<p>Fenster schließen. <a href="https://warnung.bund.de/">NINA</a></p>',
        is_pinned=True,
    )
    live_ticker.add_live_entry(
        ticker, by=None, body="<p>Die Rauchsäule ist weithin zu sehen.</p>"
    )
    return ticker


@pytest.fixture
def desk_user(fast_passwords):
    # The desk's rights (the "Chef vom Dienst" role).
    return user_with_rights(
        "cvd", "add_article", "change_article", "view_article", "publish_article"
    )


@pytest.mark.django_db(transaction=True)
def test_new_entry_appears_for_the_reader_without_a_reload(
    live_server, browser, page, desk_user, settings, console_errors
):
    settings.NEWSROOM_LIVE_TICKER_POLL_SECONDS = 1
    settings.NEWSROOM_LIVE_TICKER_CACHE_SECONDS = 1
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    ticker = make_ticker()
    page.goto(live_server.url + ticker.get_absolute_url())
    stream = page.locator("[data-entries]")
    expect(stream.locator(".live-entry")).to_have_count(3)
    expect(page.locator("[data-status]")).to_have_text(
        "Neue Einträge erscheinen hier automatisch."
    )
    # A mark that a reload would wipe out.
    page.evaluate("window.noReload = true")

    desk = browser.new_context(viewport=VIEWPORTS["desktop"], locale="de-DE")
    desk.set_default_timeout(15_000)
    admin = desk.new_page()
    admin.on(
        "console",
        lambda message: (
            console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    log_in(admin, live_server, desk_user)
    desk_url = live_server.url + reverse(
        "admin:articles_article_live_ticker", args=[ticker.pk]
    )
    admin.goto(desk_url)
    editor = body_editor(admin)
    expect(editor).to_be_visible()
    expect(admin.get_by_role("toolbar", name="Textformatierung")).to_be_visible()
    assert axe_violations(admin) == []
    editor.click()
    admin.keyboard.type(NEW_ENTRY)
    admin.get_by_role("button", name="Eintrag veröffentlichen").click()
    expect(admin.locator(".messagelist .success")).to_have_text(
        "Eintrag veröffentlicht."
    )
    assert admin.url == desk_url, "the desk stays on the ticker's page"
    # The form is empty again for the next entry.
    expect(body_editor(admin)).to_have_text("")
    added_at = time.monotonic()
    save_screenshot(admin, "live-ticker-desk")
    desk.close()

    newest = stream.locator(".live-entry").first
    # The poll interval (1 s) plus the seconds a browser may keep an answer.
    expect(newest).to_contain_text(NEW_ENTRY, timeout=5_000)
    assert time.monotonic() - added_at < 5
    expect(stream.locator(".live-entry")).to_have_count(4)
    assert page.evaluate("window.noReload") is True, "the page was not reloaded"
    expect(page.locator("[data-status]")).to_have_text("1 neuer Eintrag")
    save_screenshot(page, "live-ticker-reader")

    # Still without a reload: the JSON-LD gained the entry.
    entry = LiveEntry.objects.latest("pk")
    posting = live_blog_posting(page)
    assert page.evaluate("window.noReload") is True
    newest_update = posting["liveBlogUpdate"][0]
    assert newest_update["@type"] == "BlogPosting"
    assert newest_update["articleBody"] == NEW_ENTRY
    assert newest_update["headline"] == NEW_ENTRY
    assert newest_update["datePublished"] == iso(entry.at)
    assert newest_update["url"].endswith(f"{ticker.get_absolute_url()}#{entry.anchor}")
    assert [u["articleBody"] for u in posting["liveBlogUpdate"][1:]] == [
        "Die Rauchsäule ist weithin zu sehen.",
        "Fenster schließen. NINA",
        "Mehrere Löschzüge sind unterwegs.",
    ]
    assert posting["dateModified"] == iso(entry.at)
    assert "coverageStartTime" in posting and "coverageEndTime" not in posting
    # A reload shows what the script built.
    page.reload()
    [script] = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert json.loads(script)["liveBlogUpdate"] == posting["liveBlogUpdate"]
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_corrections_and_deletions_reach_the_open_page(
    live_server, page, settings, console_errors
):
    settings.NEWSROOM_LIVE_TICKER_POLL_SECONDS = 1
    settings.NEWSROOM_LIVE_TICKER_CACHE_SECONDS = 0
    ticker = make_ticker()
    page.goto(live_server.url + ticker.get_absolute_url())
    stream = page.locator("[data-entries]")
    expect(stream.locator(".live-entry")).to_have_count(3)
    first, pinned, _newest = ticker.live_entries.order_by("pk")
    live_ticker.correct_live_entry(
        ticker, first, by=None, body="<p>Sechs Löschzüge sind im Einsatz.</p>"
    )
    live_ticker.delete_live_entry(ticker, pinned, by=None)
    expect(stream).to_contain_text("Sechs Löschzüge", timeout=5_000)
    expect(stream.locator(".live-entry")).to_have_count(2)
    expect(page.locator("[data-pinned] .live-entry")).to_have_count(0)
    posting = live_blog_posting(page)
    assert [u["articleBody"] for u in posting["liveBlogUpdate"]] == [
        "Die Rauchsäule ist weithin zu sehen.",
        "Sechs Löschzüge sind im Einsatz.",
    ]
    ticker.refresh_from_db()
    assert posting["dateModified"] == iso(ticker.updated_at)
    live_ticker.end_live_ticker(ticker, by=None)
    expect(page.locator("[data-status]")).to_have_text(
        "Der Ticker ist beendet.", timeout=5_000
    )
    ticker.refresh_from_db()
    assert live_blog_posting(page)["coverageEndTime"] == iso(ticker.live_ended_at)
    assert LiveEntryChange.objects.filter(article=ticker).count() == 6
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_older_entries_load_into_the_page(live_server, page, settings, console_errors):
    settings.NEWSROOM_LIVE_TICKER_PAGE_SIZE = 2
    ticker = make_ticker()
    page.goto(live_server.url + ticker.get_absolute_url())
    stream = page.locator("[data-entries]")
    expect(stream.locator(".live-entry")).to_have_count(2)
    assert len(live_blog_posting(page)["liveBlogUpdate"]) == 2
    page.get_by_role("link", name="Ältere Einträge").click()
    expect(stream.locator(".live-entry")).to_have_count(3)
    expect(page.get_by_role("link", name="Ältere Einträge")).to_have_count(0)
    updates = live_blog_posting(page)["liveBlogUpdate"]
    assert updates[-1]["headline"] == "Feuerwehr rückt aus" and len(updates) == 3
    assert page.url.endswith(ticker.get_absolute_url())
    assert console_errors == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.django_db(transaction=True)
def test_ticker_page_passes_axe(live_server, page, viewport, console_errors):
    page.set_viewport_size(VIEWPORTS[viewport])
    ticker = make_ticker()
    page.goto(live_server.url + ticker.get_absolute_url())
    expect(page.locator("[data-status]")).to_have_text(
        "Neue Einträge erscheinen hier automatisch."
    )
    violations = axe_violations(page)
    save_screenshot(page, f"live-ticker-{viewport}")
    assert violations == []
    assert console_errors == []


@pytest.mark.django_db
def test_ticker_pages_are_valid_html(client, settings, tmp_path):
    settings.NEWSROOM_LIVE_TICKER_PAGE_SIZE = 2
    ticker = make_ticker()
    first = ticker.live_entries.order_by("pk").first()
    running = render(client, ticker.get_absolute_url())
    older = render(client, f"{ticker.get_absolute_url()}?vor={first.pk + 1}")
    live_ticker.end_live_ticker(ticker, by=None)
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    ended = render(client, ticker.get_absolute_url())
    assert b"Ticker beendet" in ended and b"?vor=" in running
    pages = {"ticker": running, "ticker-older": older, "ticker-ended": ended}
    assert validation_errors(pages, tmp_path) == []
