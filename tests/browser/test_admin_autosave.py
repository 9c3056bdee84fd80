"""The article form's copy of unsaved input in the browser belongs to the
person who typed it: it goes on logout, and the next person at the same
browser can neither restore nor find it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COPIES = (
    "() => Object.keys(localStorage).filter(k => k.startsWith('newsroom:artikel:'))"
)


def type_unsaved(page, live_server, article, text):
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    page.locator("#id_headline").fill(text)
    # The copy is written a second after the last keystroke. (Polled from
    # here: wait_for_function evaluates a string, which the CSP forbids.)
    for _ in range(50):
        if page.evaluate(COPIES):
            return
        page.wait_for_timeout(100)
    raise AssertionError("no copy of the unsaved input was kept")


def test_the_owner_gets_the_copy_back(live_server, page, editors, console_errors):
    anna, _ben = editors
    article = ArticleFactory(headline="Gespeicherte Überschrift")
    log_in(page, live_server, anna)
    type_unsaved(page, live_server, article, "Ungesichert von Anna")
    assert page.evaluate(COPIES) == [f"newsroom:artikel:{anna.pk}:{article.pk}"]
    page.reload()
    offer = page.locator(".autosave-offer")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Wiederherstellen").click()
    expect(page.locator("#id_headline")).to_have_value("Ungesichert von Anna")
    assert console_errors == []


def test_logging_out_removes_the_copy(live_server, page, editors, console_errors):
    anna, ben = editors
    article = ArticleFactory(headline="Gespeicherte Überschrift")
    log_in(page, live_server, anna)
    type_unsaved(page, live_server, article, "Ungesichert von Anna")
    log_out(page)
    assert page.evaluate(COPIES) == []
    log_in(page, live_server, ben)
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    expect(page.locator(".autosave-offer")).to_be_hidden()
    expect(page.locator("#id_headline")).to_have_value("Gespeicherte Überschrift")
    assert console_errors == []


def test_the_server_clears_the_storage_on_logout_without_our_script(
    live_server, page, editors
):
    anna, _ben = editors
    log_in(page, live_server, anna)
    page.evaluate("localStorage.setItem('newsroom:artikel:1:1', '{}')")
    assert page.evaluate(COPIES) == ["newsroom:artikel:1:1"]
    # A logout the page's scripts never see (another tab, a bookmarklet).
    page.evaluate(
        """async url => {
            const token = document.querySelector('#logout-form input').value;
            const body = new URLSearchParams({csrfmiddlewaretoken: token});
            await fetch(url, {method: 'POST', body, credentials: 'same-origin'});
        }""",
        reverse("admin:logout"),
    )
    assert page.evaluate(COPIES) == []
    # (Chromium never reports the emptied page idle again: move on, as a
    # person would, so the test's end can wait for the server to be done.)
    page.goto(live_server.url + reverse("admin:login"))
    assert page.evaluate(COPIES) == []


def test_the_next_person_cannot_restore_a_copy_left_behind(
    live_server, page, editors, console_errors
):
    anna, ben = editors
    article = ArticleFactory(headline="Gespeicherte Überschrift")
    log_in(page, live_server, anna)
    type_unsaved(page, live_server, article, "Ungesichert von Anna")
    # Anna's session ends without a logout (expired, browser closed).
    page.context.clear_cookies()
    log_in(page, live_server, ben)
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    expect(page.locator(".autosave-offer")).to_be_hidden()
    expect(page.locator("#id_headline")).to_have_value("Gespeicherte Überschrift")
    assert page.evaluate(COPIES) == []
    assert console_errors == []
