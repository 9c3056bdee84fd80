"""In a real browser: two editors change the body of the same article; the
second, refused, copies the first one's new paragraph into their own body
and saves, and the article keeps both changes."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.workflow import services
from tests.browser.conftest import (
    VIEWPORTS,
    axe_violations,
    log_in,
    open_form,
    save_and_continue,
    save_screenshot,
)
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def type_after(page, paragraph: str, text: str, *, new_paragraph: bool):
    editor = page.get_by_role("textbox", name="Text")
    editor.locator("p", has_text=paragraph).click()
    page.keyboard.press("End")
    if new_paragraph:
        page.keyboard.press("Enter")
    page.keyboard.type(text)


def test_the_second_editor_copies_a_paragraph_across_and_both_changes_stay(
    browser, live_server, page, editors, console_errors
):
    anna, ben = editors
    article = ArticleFactory(
        draft=True, body="<p>Erster Absatz.</p><p>Zweiter Absatz.</p>"
    )
    services.save_article(article, by=anna)
    services.record_revision(article, by=anna)
    ben_page = browser.new_context(viewport=VIEWPORTS["desktop"]).new_page()
    log_in(page, live_server, anna)
    log_in(ben_page, live_server, ben)
    open_form(page, live_server, article)
    open_form(ben_page, live_server, article)

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
    editor = ben_page.get_by_role("textbox", name="Text")
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
