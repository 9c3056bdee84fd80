"""Reader paths in a real browser: the header search, teaser dates as
readers say them, the rails under an article on phones."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.factories import (
    ArticleFactory,
    RailFactory,
    RailItemFactory,
    SectionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teaser_dates_read_relative_in_the_browser(live_server, page, console_errors):
    section = SectionFactory(name="Köln", slug="koeln")
    now = timezone.now()
    yesterday = timezone.localdate(now) - timedelta(days=1)
    ArticleFactory(
        section=section, headline="Frisch", published_at=now - timedelta(minutes=5)
    )
    ArticleFactory(
        section=section,
        headline="Von gestern",
        published_at=timezone.make_aware(datetime.combine(yesterday, time(18, 30))),
    )
    ArticleFactory(
        section=section,
        headline="Alt",
        published_at=timezone.make_aware(datetime(2025, 3, 12, 18, 30)),
    )
    page.goto(live_server.url + section.get_absolute_url())

    def date_of(headline):
        return page.locator(".teaser", has_text=headline).locator("time")

    expect(date_of("Frisch")).to_have_text(re.compile(r"vor [56] Min\."))
    expect(date_of("Von gestern")).to_have_text("gestern, 18:30")
    expect(date_of("Alt")).to_have_text("12.03.2025")
    assert console_errors == []


def test_the_header_search_finds_an_article(live_server, page):
    article = ArticleFactory(headline="Hochwasser erreicht die Altstadt")
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Suchbegriff").fill("Hochwasser")
    page.get_by_role("search").get_by_role("button", name="Suchen").click()
    expect(page).to_have_url(re.compile(r"/suche/\?q=Hochwasser"))
    expect(page.get_by_role("link", name=article.headline)).to_be_visible()


def test_phones_see_two_rails_of_four_under_an_article(live_server, page):
    article = ArticleFactory(headline="Gelesen wird hier")
    for number in range(3):
        rail = RailFactory(
            slug=f"leiste-{number}", title=f"Leiste {number}", order=number
        )
        for position in range(6):
            RailItemFactory(rail=rail, position=position + 1)
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(live_server.url + article.get_absolute_url())
    rails = page.locator(".rails-under-article .rail")
    expect(rails).to_have_count(3)
    expect(rails.nth(2)).to_be_hidden()
    for number in range(2):
        teasers = rails.nth(number).locator(".teaser")
        expect(teasers).to_have_count(6)
        expect(teasers.nth(3)).to_be_visible()
        expect(teasers.nth(4)).to_be_hidden()
    expect(page.get_by_role("link", name="Mehr Nachrichten")).to_have_attribute(
        "href", "/"
    )
    page.set_viewport_size(VIEWPORTS["desktop"])
    expect(rails.nth(2)).to_be_visible()
    expect(rails.nth(0).locator(".teaser").nth(5)).to_be_visible()
