"""The edit screen in a real browser: two columns at 1366 px with nothing
wider than the screen, one column on a phone, the live preview following
the typing, the server's working copy offered after the browser's copy is
gone, and axe-core on the whole screen."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, WorkingCopy
from tests.browser.conftest import (
    VIEWPORTS,
    axe_violations,
    body_editor,
    log_in,
    open_form,
    save_screenshot,
    user_with_rights,
)
from tests.factories import ArticleFactory, ArticlePhotoFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Whatever sticks out to the right of the window, by element (none allowed).
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.querySelectorAll('#content *')) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      found.push(`${element.tagName}.${element.className} ${Math.round(box.right)}`);
    }
  }
  const scroll = document.documentElement.scrollWidth;
  return {scroll, width, found: found.slice(0, 10)};
}"""


@pytest.fixture
def desk(fast_passwords):
    # The desk's rights (change, publish).
    return user_with_rights(
        "carl",
        "add_article",
        "change_article",
        "view_article",
        "publish_article",
        "approve_article",
        "view_section",
        "view_author",
        "view_tag",
        "view_region",
        "view_photo",
        "view_articlephoto",
        "add_articlephoto",
        "change_articlephoto",
    )


@pytest.fixture
def article(desk):
    article = ArticleFactory(
        draft=True,
        status=Article.Status.REVIEW,
        headline="Rat beschließt neuen Radweg",
        kicker="Verkehr",
        body="<p>Der Rat hat entschieden.</p>",
    )
    ArticlePhotoFactory(article=article)
    return article


def test_two_columns_at_1366_and_the_preview_follows_the_typing(
    live_server, page, desk, article, console_errors
):
    log_in(page, live_server, desk)
    open_form(page, live_server, article)
    content = page.locator(".edit-screen__content").bounding_box()
    panel = page.locator(".edit-screen__panel").bounding_box()
    # Side by side: the panel right of the text, both starting at the top.
    assert panel["x"] >= content["x"] + content["width"]
    assert abs(panel["y"] - content["y"]) < 5
    overflow = page.evaluate(TOO_WIDE)
    assert overflow["scroll"] <= overflow["width"], overflow
    assert overflow["found"] == [], overflow
    # The steps for this state, no action drop-down.
    steps = page.locator(".publishing-panel__steps > button, .publishing-step summary")
    expect(steps).to_have_text(
        ["Freigeben", "Veröffentlichen", "Planen …", "Zurückgeben …"]
    )
    expect(page.locator("select[name='CHANGE_FORM-action']")).to_have_count(0)

    preview = page.frame_locator("iframe[name=live-preview-frame]")
    expect(preview.locator("h1")).to_have_text("Rat beschließt neuen Radweg")
    page.locator("#id_headline").fill("Radweg <b>kommt</b> doch")
    expect(preview.locator("h1")).to_have_text("Radweg <b>kommt</b> doch")
    editor = body_editor(page)
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Gebaut wird ab März.")
    expect(preview.locator(".article__body")).to_contain_text(
        "Der Rat hat entschieden. Gebaut wird ab März."
    )
    save_screenshot(page, "admin-edit-screen-1366")
    # Nothing of it was saved.
    article.refresh_from_db()
    assert article.headline == "Rat beschließt neuen Radweg"
    assert "März" not in article.body
    assert console_errors == []


def test_one_column_on_a_phone(live_server, page, desk, article, console_errors):
    page.set_viewport_size(VIEWPORTS["phone"])
    log_in(page, live_server, desk)
    open_form(page, live_server, article)
    # Both boxes from one layout: measured one after the other, the text
    # column could grow or shrink in between (its scripts still at work).
    content, panel = page.evaluate(
        "() => ['.edit-screen__content', '.edit-screen__panel'].map(selector => {"
        " const box = document.querySelector(selector).getBoundingClientRect();"
        " return {x: box.x, top: box.top, bottom: box.bottom, width: box.width}; })"
    )
    # One column: the panel under the text, both the full width.
    assert panel["top"] >= content["bottom"] - 1, (content, panel)
    assert abs(panel["x"] - content["x"]) < 1, (content, panel)
    assert abs(panel["width"] - content["width"]) < 1, (content, panel)
    save_screenshot(page, "admin-edit-screen-phone")
    assert console_errors == []


def test_a_panel_button_saves_and_takes_its_step(
    live_server, page, desk, article, console_errors
):
    log_in(page, live_server, desk)
    open_form(page, live_server, article)
    page.locator("#id_kicker").fill("Verkehrswende")
    # "Zurückgeben" without a reason: the browser asks for one first.
    page.locator(".publishing-step summary", has_text="Zurückgeben").click()
    page.get_by_role("button", name="Zurückgeben", exact=True).click()
    expect(page.locator("#id__reason_send_back")).to_be_focused()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    page.locator("#id__reason_send_back").fill("Quelle für das Zitat fehlt")
    page.get_by_role("button", name="Zurückgeben", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("„Zurückgeben“ ausgeführt")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.kicker == "Verkehrswende"
    assert article.transitions.first().comment == "Quelle für das Zitat fehlt"
    assert console_errors == []


def test_the_server_copy_comes_back_on_another_browser(
    live_server, page, browser, desk, article, settings, console_errors
):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    log_in(page, live_server, desk)
    open_form(page, live_server, article)
    page.locator("#id_headline").fill("Ungespeichert auf dem Server")
    for _ in range(60):
        if WorkingCopy.objects.filter(user=desk, article=article).exists():
            break
        page.wait_for_timeout(100)
    copy = WorkingCopy.objects.get(user=desk, article=article)
    assert copy.data["headline"] == "Ungespeichert auf dem Server"
    # Another computer: no copy in that browser.
    other = browser.new_context(viewport=VIEWPORTS["desktop"], locale="de-DE")
    try:
        tab = other.new_page()
        log_in(tab, live_server, desk)
        open_form(tab, live_server, article)
        offer = tab.locator(".autosave-offer")
        expect(offer).to_contain_text("Ungespeicherte Änderungen vom")
        offer.get_by_role("button", name="Wiederherstellen").click()
        expect(tab.locator("#id_headline")).to_have_value(
            "Ungespeichert auf dem Server"
        )
        preview = tab.frame_locator("iframe[name=live-preview-frame]")
        expect(preview.locator("h1")).to_have_text("Ungespeichert auf dem Server")
        # Discarding removes it from the server.
        tab.reload()
        offer = tab.locator(".autosave-offer")
        expect(offer).to_contain_text("Ungespeicherte Änderungen vom")
        offer.get_by_role("button", name="Verwerfen").click()
        expect(offer).to_be_hidden()
        for _ in range(50):
            if not WorkingCopy.objects.exists():
                break
            tab.wait_for_timeout(100)
        assert not WorkingCopy.objects.exists()
    finally:
        other.close()
    article.refresh_from_db()
    assert article.headline == "Rat beschließt neuen Radweg"
    # The first tab's input as loaded again: its autosave (every second
    # here) stops, and the page can go quiet before the database is emptied.
    page.locator("#id_headline").fill("Rat beschließt neuen Radweg")
    assert console_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_edit_screen_passes_axe(
    live_server, page, desk, article, viewport, console_errors
):
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, live_server, desk)
    open_form(page, live_server, article)
    # With the inputs of the steps open, and the preview loaded.
    for summary in page.locator(".publishing-step summary").all():
        summary.click()
    preview = page.frame_locator("iframe[name=live-preview-frame]")
    expect(preview.locator("h1")).to_have_text("Rat beschließt neuen Radweg")
    # The autocompletes are named on "load" (body_editor.js): wait for it.
    expect(
        page.locator("#id_agency + .select2 .select2-selection--single")
    ).to_have_attribute("aria-labelledby", re.compile("id_agency_label"))
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
    assert console_errors == []
