"""In a real browser: the desk edits a live article and readers see nothing of
it until "Änderungen veröffentlichen"; two editors save the same article and
the second merges field by field, keeping both changes."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import (
    VIEWPORTS,
    axe_violations,
    both_open,
    log_in,
    open_form,
    save_and_continue,
    save_screenshot,
)
from tests.factories import ArticleFactory, ArticlePhotoFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_readers_see_the_desk_s_change_only_once_it_is_published(
    browser, live_server, page, editors, console_errors
):
    anna, _ben = editors
    article = ArticleFactory(headline="Live-Überschrift")
    reader = browser.new_context(viewport=VIEWPORTS["desktop"]).new_page()
    public_url = live_server.url + article.get_absolute_url()
    reader.goto(public_url)
    expect(reader.locator("h1")).to_contain_text("Live-Überschrift")

    log_in(page, live_server, anna)
    open_form(page, live_server, article)
    expect(page.locator(".live-draft")).to_contain_text("„Speichern“ legt Ihre")
    page.locator("#id_headline").fill("Überschrift im Entwurf")
    save_and_continue(page)
    panel = page.locator(".live-draft")
    expect(panel.locator("h2")).to_have_text("Live – mit unveröffentlichten Änderungen")
    expect(panel.locator("ins")).to_contain_text("Überschrift im Entwurf")
    expect(page.locator("#id_headline")).to_have_value("Überschrift im Entwurf")
    assert axe_violations(page, ".live-draft") == []
    save_screenshot(page, "live-draft-form")

    reader.reload()
    expect(reader.locator("h1")).to_contain_text("Live-Überschrift")
    assert Article.objects.get(pk=article.pk).headline == "Live-Überschrift"

    page.get_by_role("button", name="Änderungen veröffentlichen").click()
    expect(page.locator(".messagelist")).to_contain_text("Änderungen veröffentlicht")
    expect(page.locator(".live-draft h2")).to_have_text("Live")
    reader.reload()
    expect(reader.locator("h1")).to_contain_text("Überschrift im Entwurf")
    reader.context.close()
    assert console_errors == []


def test_the_second_editor_merges_field_by_field_and_both_changes_stay(
    browser, live_server, page, editors, console_errors
):
    article = ArticleFactory(
        draft=True, headline="Original", teaser="Alter Vorspann", kicker="Dach"
    )
    ben_page = both_open(browser, page, live_server, editors, article)

    page.locator("#id_headline").fill("Annas Überschrift")
    page.locator("#id_kicker").fill("Annas Dach")
    save_and_continue(page)
    ben_page.locator("#id_teaser").fill("Bens Vorspann")
    ben_page.locator("#id_kicker").fill("Bens Dach")
    save_and_continue(ben_page)

    merge = ben_page.locator(".merge")
    expect(merge).to_contain_text("Zusammenführen mit Fassung")
    expect(ben_page.locator(".errorlist.nonfield")).to_contain_text(
        "hat diesen Artikel am"
    )
    # Only Anna changed the headline, only Ben the teaser: preselected.
    headline = merge.locator('fieldset[data-field="headline"]')
    expect(headline.locator('input[value="theirs"]')).to_be_checked()
    expect(
        merge.locator('fieldset[data-field="teaser"] input[value="mine"]')
    ).to_be_checked()
    kicker = merge.locator('fieldset[data-field="kicker"]')
    expect(kicker).to_contain_text("(bitte wählen)")
    expect(kicker.locator("del")).to_contain_text("Annas")
    assert axe_violations(ben_page, ".merge") == []
    save_screenshot(ben_page, "merge-form")

    # Saving without a choice for the kicker is refused, nothing is lost.
    save_and_continue(ben_page)
    expect(ben_page.locator(".errorlist.nonfield")).to_contain_text(
        "Bitte wählen Sie für jedes markierte Feld eine Fassung: Dachzeile"
    )
    assert Article.objects.get(pk=article.pk).teaser == "Alter Vorspann"

    # Copy Anna's kicker into his field and add to it.
    kicker = ben_page.locator('.merge fieldset[data-field="kicker"]')
    kicker.get_by_role(
        "button", name="Gespeicherten Text in mein Feld kopieren"
    ).click()
    expect(ben_page.locator("#id_kicker")).to_have_value("Annas Dach")
    expect(kicker.locator('input[value="mine"]')).to_be_checked()
    ben_page.locator("#id_kicker").fill("Annas Dach, von Ben ergänzt")
    save_and_continue(ben_page)
    expect(ben_page.locator(".messagelist")).to_contain_text("erfolgreich")

    saved = Article.objects.get(pk=article.pk)
    assert (saved.headline, saved.teaser, saved.kicker) == (
        "Annas Überschrift",
        "Bens Vorspann",
        "Annas Dach, von Ben ergänzt",
    )
    ben_page.context.close()
    assert console_errors == []


def test_a_photo_caption_changed_on_a_live_article_waits_for_publishing(
    browser, live_server, page, editors, console_errors
):
    anna, _ben = editors
    article = ArticleFactory(headline="Mit Bild")
    ArticlePhotoFactory(article=article, caption="Live-Unterschrift")
    reader = browser.new_context(viewport=VIEWPORTS["desktop"]).new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    expect(reader.locator("figcaption").first).to_contain_text("Live-Unterschrift")

    log_in(page, live_server, anna)
    open_form(page, live_server, article)
    page.locator("#id_article_photos-0-caption").fill("Entwurfs-Unterschrift")
    # The live preview shows the unsaved caption.
    preview = page.frame_locator("iframe.live-preview__frame")
    expect(preview.locator("figcaption").first).to_contain_text("Entwurfs-Unterschrift")
    save_and_continue(page)
    panel = page.locator(".live-draft")
    expect(panel.locator("h2")).to_have_text("Live – mit unveröffentlichten Änderungen")
    expect(panel.locator(".live-draft-diff")).to_contain_text("Fotos")
    expect(panel.locator(".live-draft-diff ins")).to_contain_text(
        "Entwurfs-Unterschrift"
    )
    expect(page.locator("#id_article_photos-0-caption")).to_have_value(
        "Entwurfs-Unterschrift"
    )
    reader.reload()
    expect(reader.locator("figcaption").first).to_contain_text("Live-Unterschrift")

    page.get_by_role("button", name="Änderungen veröffentlichen").click()
    expect(page.locator(".messagelist")).to_contain_text("Änderungen veröffentlicht")
    reader.reload()
    expect(reader.locator("figcaption").first).to_contain_text("Entwurfs-Unterschrift")
    reader.context.close()
    assert console_errors == []
