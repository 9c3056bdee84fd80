"""Galleries in a real browser: picture by picture with the keyboard and a
swipe, a plain list without JavaScript; axe-core and the Nu HTML checker
find nothing on the gallery page and on an article with a gallery."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.body_blocks import gallery_block, photo_block, saved
from tests.browser.conftest import (
    VIEWPORTS,
    axe_violations,
    render,
    save_screenshot,
    validation_errors,
)
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    PhotoFactory,
    make_gallery,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def festival():
    """A published gallery of three pictures from two agencies, and an
    article showing it and a photo in its body."""
    dpa = AgencyFactory(short_name="dpa", name="Deutsche Presse-Agentur")
    afp = AgencyFactory(short_name="AFP", name="Agence France-Presse")
    gallery = make_gallery(
        [PhotoFactory(agency=dpa), PhotoFactory(agency=afp), PhotoFactory(agency=dpa)],
        published_at=timezone.now() - timedelta(hours=1),
    )
    article = saved(
        ArticleFactory(headline="Altstadtfest beginnt"),
        "<p>Los geht es.</p>"
        + photo_block(PhotoFactory(agency=afp), caption="Der Anstich")
        + gallery_block(gallery)
        + "<p>Bis Sonntag.</p>",
    )
    return gallery, article


def count(page):
    return page.locator(".gallery__count")


def test_the_gallery_is_browsed_picture_by_picture_by_keyboard(
    live_server, page, console_errors
):
    gallery, _article = festival()
    page.goto(live_server.url + gallery.get_absolute_url())
    expect(count(page)).to_have_text("Bild 1 von 3")
    items = page.locator(".gallery__item")
    expect(items.nth(0)).to_be_visible()
    expect(items.nth(1)).to_be_hidden()
    # Reached with Tab like any control, then the arrow keys.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('gallery__next')"):
            break
    else:
        pytest.fail("the next-picture button is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(count(page)).to_have_text("Bild 2 von 3")
    expect(items.nth(1)).to_be_visible()
    expect(items.nth(0)).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect(count(page)).to_have_text("Bild 3 von 3")
    page.keyboard.press("ArrowRight")
    expect(count(page)).to_have_text("Bild 1 von 3")
    page.keyboard.press("ArrowLeft")
    expect(count(page)).to_have_text("Bild 3 von 3")
    # Each picture in its own figure with its credit.
    expect(items.nth(2).locator(".photo__credit")).to_contain_text("Foto:")
    save_screenshot(page, "gallery-page-third-picture")
    assert console_errors == []


def test_a_sideways_swipe_shows_the_next_picture(live_server, page):
    gallery, _article = festival()
    page.goto(live_server.url + gallery.get_absolute_url())
    expect(count(page)).to_have_text("Bild 1 von 3")
    page.eval_on_selector(
        ".gallery__list",
        """list => {
            const at = (type, x) => list.dispatchEvent(new PointerEvent(type, {
                pointerType: "touch", clientX: x, clientY: 200, bubbles: true}));
            at("pointerdown", 300); at("pointerup", 120);
        }""",
    )
    expect(count(page)).to_have_text("Bild 2 von 3")


def test_without_javascript_the_gallery_is_a_plain_list(live_server, browser):
    gallery, article = festival()
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        tab = context.new_page()
        for url in (gallery.get_absolute_url(), article.get_absolute_url()):
            tab.goto(live_server.url + url)
            items = tab.locator(".gallery__item")
            expect(items).to_have_count(3)
            for index in range(3):
                expect(items.nth(index)).to_be_visible()
            expect(tab.locator(".gallery__button")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_gallery_page_and_article_with_gallery_pass_axe(
    live_server, page, viewport, console_errors
):
    gallery, article = festival()
    page.set_viewport_size(VIEWPORTS[viewport])
    found = []
    for name, url in [("gallery", gallery.get_absolute_url()),
                      ("gallery-article", article.get_absolute_url())]:  # fmt: skip
        response = page.goto(live_server.url + url)
        assert response.status == 200
        expect(count(page)).to_have_text("Bild 1 von 3")
        page.wait_for_load_state("networkidle")
        save_screenshot(page, f"{name}-{viewport}")
        found += [f"{name}: {violation}" for violation in axe_violations(page)]
    assert found == []
    assert console_errors == []


@pytest.mark.django_db
def test_gallery_page_and_article_with_gallery_are_valid_html(client, tmp_path):
    gallery, article = festival()
    pages = {
        "gallery": render(client, gallery.get_absolute_url()),
        "gallery-article": render(client, article.get_absolute_url()),
    }
    assert b'class="gallery__item"' in pages["gallery-article"]
    assert validation_errors(pages, tmp_path) == []
