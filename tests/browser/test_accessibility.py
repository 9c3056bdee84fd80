"""axe-core (WCAG 2.0 and 2.1, levels A and AA) on the public pages, at phone
and desktop width, with a screenshot of each under test-artifacts/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import (
    VIEWPORTS,
    axe_violations,
    save_screenshot,
)
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_pages(live_server, page, pages: dict[str, str], viewport: str) -> list[str]:
    page.set_viewport_size(VIEWPORTS[viewport])
    found = []
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        # Lazy pictures load as a reader scrolls; the screenshot shows them.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        # Teasers far from the viewport are not drawn (content-visibility:
        # auto): drawn here, the screenshot shows them and axe checks their
        # contrast as a reader scrolling past them sees it.
        page.evaluate(
            "document.querySelectorAll('.teaser')"
            ".forEach(teaser => { teaser.style.contentVisibility = 'visible'; })"
        )
        save_screenshot(page, f"{name}-{viewport}")
        found += [f"{name}: {violation}" for violation in axe_violations(page)]
    return found


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_front_article_and_section_pages_pass_axe(
    live_server, page, newsroom, viewport
):
    # Not in a rail: "Mehr zum Thema" under the top story shows it.
    ArticleFactory(section=newsroom.city, headline="Deich hält")
    pages = {
        "front": "/",
        "article": newsroom.top_story.get_absolute_url(),
        "section": newsroom.city.get_absolute_url(),
        "author": "/autor/anna-alt/",
        "impressum": "/impressum/",
        "datenschutz": "/datenschutz/",
        "kontakt": "/kontakt/",
    }
    page.goto(live_server.url + "/")
    # What the check is meant to cover is there: badges, a sponsored teaser.
    expect(page.locator(".teaser--sponsored")).to_have_count(1)
    expect(page.locator(".badge")).to_have_text(["Top", "Neu", "Update"])
    assert check_pages(live_server, page, pages, viewport) == []
    page.goto(live_server.url + newsroom.top_story.get_absolute_url())
    expect(page.locator("#mehr-zum-thema")).to_have_count(1)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_search_page_with_results_passes_axe(live_server, page, newsroom, viewport):
    search = f"{reverse('articles:search')}?q=Hochwasser&ressort=koeln"
    pages = {"search": search}
    assert check_pages(live_server, page, pages, viewport) == []
    assert page.get_by_role("link", name=newsroom.top_story.headline).is_visible()
