"""The front page skips rendering the teasers below the first rail until the
reader scrolls near them (`content-visibility: auto` in static/css/site.css,
for Lighthouse's total blocking time). What a reader must not notice: a
clipped focus outline, an anchor that misses its rail, a back button that
loses the place on the page."""

import io
import math

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.factories import RailFactory, RailItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_BLUE = (31, 95, 191)  # --focus in site.css


def later_rail_teasers(page):
    return page.locator("#leiste-neueste .teaser")


@pytest.fixture
def long_front_page(newsroom):
    """Three rails, the last one long enough on a phone for the second to be
    scrolled to the top of the screen."""
    region = RailFactory(title="Aus der Region", slug="region", order=2)
    for number in range(12):
        RailItemFactory(
            rail=region,
            position=number + 1,
            article__section=newsroom.city,
            article__headline=f"Nachricht {number + 1} aus dem Kreis",
        )
    return newsroom


def is_focus_blue(pixel) -> bool:
    return all(abs(a - b) <= 24 for a, b in zip(pixel[:3], FOCUS_BLUE, strict=True))


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_keyboard_focus_outline_of_a_skipped_teaser_is_whole(
    live_server, page, newsroom, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + "/")
    teaser = later_rail_teasers(page).first
    # The test is about the contained teasers: make sure this one is one.
    assert teaser.evaluate("e => getComputedStyle(e).contentVisibility") == "auto"

    # From the first rail's last link, Tab reaches the next rail's first
    # teaser as a keyboard reader gets there.
    page.locator(".rail").first.locator(".teaser__headline a").last.focus()
    page.keyboard.press("Tab")
    link = teaser.locator(".teaser__headline a")
    expect(link).to_be_focused()
    # In the middle of the viewport: a clip beyond it would make Chromium
    # lay the page out again at another size for the screenshot.
    teaser.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(100)  # the outline is painted with the next frame

    # The outline is 3px wide, 2px off the card: the pixel 3.5px outside
    # the middle of each side is blue. The card's first column touches the
    # rail's left edge, where a rail-wide containment used to cut it off.
    box = teaser.bounding_box()
    x, y = math.floor(box["x"]) - 8, math.floor(box["y"]) - 8
    clip = {
        "x": x,
        "y": y,
        "width": math.ceil(box["width"]) + 16,
        "height": math.ceil(box["height"]) + 16,
    }
    shot = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    left, top = box["x"] - x, box["y"] - y
    right, bottom = left + box["width"], top + box["height"]
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    sides = {
        "left": (left - 3.5, middle_y),
        "right": (right + 3.5, middle_y),
        "top": (middle_x, top - 3.5),
        "bottom": (middle_x, bottom + 3.5),
    }
    for side, (px, py) in sides.items():
        pixel = shot.getpixel((math.floor(px), math.floor(py)))
        assert is_focus_blue(pixel), (side, pixel)


def test_anchor_jump_lands_on_a_rail_below_skipped_teasers(
    live_server, page, long_front_page
):
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(live_server.url + "/#leiste-neueste")
    page.wait_for_load_state("load")
    rail = page.locator("#leiste-neueste")
    top = rail.evaluate("e => e.getBoundingClientRect().top")
    assert abs(top) <= 2, top
    expect(rail.get_by_role("heading", name="Neueste Nachrichten")).to_be_in_viewport()


def test_back_button_returns_to_the_teaser_the_reader_left_from(
    live_server, page, long_front_page
):
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(live_server.url + "/")
    teaser = page.locator("#leiste-region .teaser").nth(6)
    teaser.scroll_into_view_if_needed()
    link = teaser.locator(".teaser__headline a")
    headline = link.text_content().strip()
    page.wait_for_timeout(200)  # let the teasers above render once
    assert page.evaluate("window.scrollY") > VIEWPORTS["phone"]["height"]

    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(headline)
    page.go_back()
    page.wait_for_load_state("load")
    # Playwright's Chromium has no back-forward cache: the page is built
    # anew and the browser restores the scroll position, with the teasers
    # above at their first guessed height until drawn.
    expect(page.get_by_role("link", name=headline, exact=True)).to_be_in_viewport()
