"""What a reader does in a real browser, against the live test server."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from teasers.counting import flush_counts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_front_page_to_article_to_section(live_server, page, newsroom, console_errors):
    story = newsroom.top_story
    page.goto(live_server.url + "/")
    expect(page.locator(".teaser").first).to_contain_text("Top")

    page.get_by_role("link", name=story.headline).click()
    expect(page).to_have_url(live_server.url + story.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(story.headline)
    expect(page.locator("figure.article__lead figcaption")).to_contain_text(
        "Foto: Oliver Berg/dpa"
    )

    page.locator(".article__meta").get_by_role("link", name="Köln").click()
    expect(page).to_have_url(live_server.url + newsroom.city.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Köln")
    navigation = page.get_by_role("navigation", name="Ressorts")
    expect(navigation.get_by_role("link", name="Köln")).to_have_attribute(
        "aria-current", "page"
    )

    navigation.get_by_role("link", name="Sport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sport")
    expect(page.get_by_role("link", name=newsroom.new_story.headline)).to_be_visible()
    assert console_errors == []


def test_search_with_a_section_filter_finds_the_article(
    live_server, page, newsroom, console_errors
):
    # GET /suche/ with the text field `q` and the section select `ressort`.
    page.goto(live_server.url + reverse("articles:search"))
    form = page.locator("form:has([name=q]):has(select[name=ressort])")
    form.locator("[name=q]").fill("Hochwasser")
    form.locator("select[name=ressort]").select_option(newsroom.city.slug)
    form.locator("[name=q]").press("Enter")

    expect(page).to_have_url(re.compile(r"/suche/\?.*ressort=koeln"))
    expect(page.get_by_role("link", name=newsroom.top_story.headline)).to_be_visible()
    # "Hochwasser stoppt das Derby" matches the words but is in Sport.
    expect(page.get_by_role("link", name=newsroom.new_story.headline)).to_have_count(0)
    assert console_errors == []


def test_sponsored_click_is_counted_and_lands_on_the_target(
    live_server, page, newsroom, console_errors
):
    slot = newsroom.slot
    clicks_before = slot.click_count
    page.goto(live_server.url + "/")
    sponsored = page.locator(".teaser--sponsored")
    expect(sponsored).to_have_count(1)
    expect(sponsored.locator("p").first).to_have_text(re.compile("Anzeige", re.I))
    link = sponsored.get_by_role("link", name=slot.headline)
    expect(link).to_have_attribute("href", re.compile(r"^/anzeige/[^/]+/$"))
    expect(link).to_have_attribute("rel", "sponsored noopener")

    with page.expect_response(re.compile(r"/anzeige/")) as click:
        link.click()
    assert click.value.status == 302
    expect(page).to_have_url(slot.target_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Promi & Show")
    page.wait_for_load_state("networkidle")  # the server is done with the page

    # Counts wait in the buffer until the job flushes finished minutes.
    flush_counts(at=timezone.now() + timedelta(minutes=3))
    slot.refresh_from_db()
    assert slot.click_count == clicks_before + 1
    assert console_errors == []


def test_first_tab_reaches_the_skip_link_and_enter_moves_to_the_content(
    live_server, page, newsroom
):
    page.goto(live_server.url + newsroom.top_story.get_absolute_url())
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#inhalt")).to_be_focused()
    # The next Tab continues inside the content, not in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
