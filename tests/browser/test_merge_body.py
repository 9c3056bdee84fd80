"""In a real browser: two editors change the body (or the photos) of the
same article; the second, refused, copies the first one's new paragraph
(or photo) into their own version and saves, and the article keeps both
changes."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import (
    axe_violations,
    body_editor,
    both_open,
    save_and_continue,
    save_screenshot,
)
from tests.factories import ArticleFactory, ArticlePhotoFactory, PhotoFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def type_after(page, paragraph: str, text: str, *, new_paragraph: bool):
    editor = body_editor(page)
    editor.locator("p", has_text=paragraph).click()
    page.keyboard.press("End")
    if new_paragraph:
        page.keyboard.press("Enter")
    page.keyboard.type(text)


def test_the_second_editor_copies_a_paragraph_across_and_both_changes_stay(
    browser, live_server, page, editors, console_errors
):
    article = ArticleFactory(
        draft=True, body="<p>Erster Absatz.</p><p>Zweiter Absatz.</p>"
    )
    ben_page = both_open(browser, page, live_server, editors, article)

    type_after(page, "Erster Absatz.", "Annas neuer Absatz.", new_paragraph=True)
    save_and_continue(page)
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich")
    type_after(ben_page, "Zweiter Absatz.", " Von Ben ergänzt.", new_paragraph=False)
    type_after(ben_page, "Von Ben ergänzt.", "Bens Schluss.", new_paragraph=True)
    save_and_continue(ben_page)

    body = ben_page.locator('.merge fieldset[data-field="body"]')
    expect(body).to_contain_text("(bitte wählen)")
    taken = body.locator(".merge-block--theirs")
    expect(taken).to_have_count(2)  # Anna's new one, her "Zweiter Absatz."
    expect(taken.first).to_contain_text("Annas neuer Absatz.")
    assert axe_violations(ben_page, ".merge") == []
    ben_page.get_by_role("button", name="Absatz 2 in meine Fassung übernehmen").click()
    expect(body.locator(".merge-status")).to_have_text(
        "Absatz 2 in Ihre Fassung übernommen."
    )
    expect(body.locator('input[value="mine"]')).to_be_checked()
    editor = body_editor(ben_page)
    expect(editor.locator("p")).to_have_text(
        [
            "Erster Absatz.",
            "Annas neuer Absatz.",
            "Zweiter Absatz. Von Ben ergänzt.",
            "Bens Schluss.",
        ]
    )
    assert axe_violations(ben_page, ".merge") == []
    save_screenshot(ben_page, "merge-body-copied")
    save_and_continue(ben_page)
    expect(ben_page.locator(".messagelist")).to_contain_text("erfolgreich")

    saved = Article.objects.get(pk=article.pk).body
    assert re.findall(r"<p>(.*?)</p>", saved) == [
        "Erster Absatz.",
        "Annas neuer Absatz.",
        "Zweiter Absatz. Von Ben ergänzt.",
        "Bens Schluss.",
    ]
    ben_page.context.close()
    assert console_errors == []


def test_two_editors_change_the_photos_and_the_merge_keeps_both(
    browser, live_server, page, editors, console_errors
):
    article = ArticleFactory(draft=True, headline="Hafenfest")
    first = ArticlePhotoFactory(article=article, caption="Eins").photo
    harbour = PhotoFactory(caption="Hafen im Abendlicht", credit_line="Hans Hafen/dpa")
    ben_page = both_open(browser, page, live_server, editors, article)

    # Anna adds a photo in the chooser; Ben changes the first one's caption.
    page.get_by_role("button", name="Foto hinzufügen").click()
    dialog = page.get_by_role("dialog", name="Foto auswählen")
    search = dialog.get_by_label("Suchbegriff")
    search.fill("Abendlicht")
    search.press("Enter")
    expect(dialog.locator(".photo-choice")).to_have_count(1)
    dialog.get_by_role("button", name=re.compile("^Auswählen: Hafen")).click()
    dialog.get_by_role("button", name=re.compile("Ausgewählte übernehmen")).click()
    save_and_continue(page)
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich")
    ben_page.locator('textarea[name="article_photos-0-caption"]').fill(
        "Bens Unterschrift"
    )
    save_and_continue(ben_page)

    photos = ben_page.locator('.merge fieldset[data-field="photos"]')
    expect(photos).to_contain_text("(bitte wählen)")
    expect(photos).to_contain_text("Foto: Hans Hafen/dpa")
    expect(photos.locator(".merge-photo--only")).to_have_text(
        re.compile("Hafen im Abendlicht.*fehlt in Ihrer Fassung", re.S)
    )
    assert axe_violations(ben_page, ".merge") == []
    photos.get_by_label("In meine Fassung übernehmen").check()
    expect(photos.locator('input[value="mine"]')).to_be_checked()
    save_screenshot(ben_page, "merge-photos")
    save_and_continue(ben_page)
    expect(ben_page.locator(".messagelist")).to_contain_text("erfolgreich")

    uses = Article.objects.get(pk=article.pk).article_photos.order_by("position", "pk")
    assert [(use.photo_id, use.caption) for use in uses] == [
        (first.pk, "Bens Unterschrift"),
        (harbour.pk, ""),
    ]
    ben_page.context.close()
    assert console_errors == []
