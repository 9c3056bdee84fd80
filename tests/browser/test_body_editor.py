"""A reporter writes a body with the rich-text editor, by typing and with the
toolbar, without any HTML; the preview shows what was written. The edit
form with the editor passes axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import axe_violations, log_in, open_form, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COPIES = (
    "() => Object.keys(localStorage).filter(k => k.startsWith('newsroom:artikel:'))"
)
INLINE_STYLE_REFUSED = (
    "Applying inline style violates the following Content Security Policy "
    "directive 'style-src 'self' 'nonce-"
)


def test_reporter_writes_subhead_bold_link_and_list_without_html(
    live_server, page, reporter, draft, console_errors
):
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    toolbar = page.get_by_role("toolbar", name="Textformatierung")

    editor.click()
    toolbar.get_by_role("button", name="Zwischenüberschrift").click()
    page.keyboard.type("Was der Rat beschlossen hat")
    page.keyboard.press("Enter")
    page.keyboard.type("Der Rat stimmte ")
    toolbar.get_by_role("button", name="Fett").click()
    page.keyboard.type("einstimmig")
    toolbar.get_by_role("button", name="Fett").click()
    page.keyboard.type(" zu.")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Aufzählung").click()
    page.keyboard.type("Baubeginn im Frühjahr")
    page.keyboard.press("Enter")
    page.keyboard.type("Mehr bei der Stadt")
    # The last three words become a link through the dialog. (Last: the
    # dialog and Tiptap hand the focus and selection back a frame apart, so
    # typing on right after it would race with them.)
    for _ in range(len("bei der Stadt")):
        page.keyboard.press("Shift+ArrowLeft")
    toolbar.get_by_role("button", name="Link einfügen").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Adresse (URL)").fill("https://www.stadt-koeln.de/radweg")
    dialog.get_by_role("button", name="Übernehmen").click()
    expect(editor.get_by_role("link", name="bei der Stadt")).to_have_count(1)
    save_screenshot(page, "body-editor-reporter")

    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)

    body = Article.objects.get(pk=draft.pk).body
    assert "<h2>Was der Rat beschlossen hat</h2>" in body
    assert "<strong>einstimmig</strong>" in body
    # External links get rel from the sanitiser, as every link always did.
    assert (
        '<a href="https://www.stadt-koeln.de/radweg" rel="noopener noreferrer">'
        "bei der Stadt</a>"
    ) in body
    assert "<ul><li><p>Baubeginn im Frühjahr</p></li><li><p>Mehr <a" in body

    page.goto(
        live_server.url + reverse("admin:articles_article_preview", args=[draft.pk])
    )
    shown = page.locator(".article__body")
    expect(shown.get_by_role("heading", level=2)).to_have_text(
        "Was der Rat beschlossen hat"
    )
    expect(shown.locator("strong")).to_have_text("einstimmig")
    expect(shown.get_by_role("link", name="bei der Stadt")).to_have_attribute(
        "href", "https://www.stadt-koeln.de/radweg"
    )
    expect(shown.get_by_role("listitem")).to_have_text(
        ["Baubeginn im Frühjahr", "Mehr bei der Stadt"]
    )
    assert console_errors == []


def test_reopening_keeps_the_structure_and_counters_guide(
    live_server, page, reporter, draft, console_errors
):
    Article.objects.filter(pk=draft.pk).update(
        body="<h2>Zwischentitel</h2><p>Ein <em>kursiver</em> Satz.</p>"
        "<blockquote><p>Zitat</p></blockquote>"
        "<table><tbody><tr><th>Jahr</th><td>2026</td></tr></tbody></table>"
    )
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    expect(editor.get_by_role("heading", level=2)).to_have_text("Zwischentitel")
    expect(editor.locator("em")).to_have_text("kursiver")
    expect(editor.locator("blockquote")).to_have_text("Zitat")
    expect(editor.locator("table td")).to_have_text("2026")

    headline = page.locator("#id_headline")
    headline.fill("A" * 95)
    expect(page.locator("#id_headline_counter")).to_have_text(
        "95 / 90 Zeichen – 5 mehr als empfohlen"
    )
    page.locator("#id_teaser").fill("Kurz.")
    expect(page.locator("#id_teaser_counter")).to_have_text("5 / 300 Zeichen")
    assert console_errors == []


def test_edit_form_with_the_editor_passes_axe(
    live_server, page, reporter, draft, console_errors
):
    log_in(page, live_server, reporter)
    open_form(page, live_server, draft)
    # The autocompletes are named on "load" (body_editor.js), after the
    # editor and the edit screen's scripts: wait for it.
    expect(
        page.locator("#id_agency + .select2 .select2-selection--single")
    ).to_have_attribute("aria-labelledby", re.compile("id_agency_label"))
    save_screenshot(page, "admin-article-form")
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
    assert console_errors == []


# Read at the moment the editor reports ready (a window listener runs after
# the page's own document listeners): its writing area must have its name
# then, not only once the toolbar has come.
NAME_AT_READY = """
window.addEventListener("prose-editor:ready", (event) => {
  const area = event.detail.editor.view.dom;
  const id = area.getAttribute("aria-labelledby");
  window.nameAtReady = id && document.getElementById(id)?.textContent.trim();
});
"""


def test_the_writing_area_has_its_name_as_soon_as_the_editor_is_ready(
    live_server, page, reporter, draft, console_errors
):
    log_in(page, live_server, reporter)
    page.add_init_script(NAME_AT_READY)
    open_form(page, live_server, draft)
    assert page.evaluate("window.nameAtReady") == "Text:"
    assert console_errors == []


WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>'
    '<h1 style="font-family:Calibri">Sitzung des Rates</h1>'
    '<p class="MsoNormal" style="margin:0cm"><span style="font-size:12pt">Der '
    '<b><span style="color:red">Haushalt</span></b> steht.</span><o:p></o:p></p>'
    '<ul><li class="MsoListParagraph">Schulen</li><li>Straßen</li></ul>'
    '<img src="file:///C:/Users/rita/bild.png"><script>alert(1)</script>'
    '<p><font face="Arial"><a href="https://www.stadt-koeln.de/" '
    'style="color:blue" target="_blank">Stadt Köln</a></font></p></body></html>'
)


def test_pasting_from_word_keeps_the_structure_and_drops_the_rest(
    live_server, page, reporter, draft, console_errors
):
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    editor.click()
    # What a browser hands over on Ctrl+V from Word: HTML and plain text.
    editor.evaluate(
        """(area, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Sitzung des Rates");
            area.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD_PASTE,
    )
    expect(editor.locator("strong, b")).to_have_text("Haushalt")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)

    body = Article.objects.get(pk=draft.pk).body
    # No level-1 heading in the body (the headline is the page's h1): the
    # editor turns it into a paragraph; no styles, classes, fonts, images.
    assert body == (
        "<p>Sitzung des Rates</p><p>Der <strong>Haushalt</strong> steht.</p>"
        "<ul><li><p>Schulen</p></li><li><p>Straßen</p></li></ul>"
        '<p><a href="https://www.stadt-koeln.de/" rel="noopener noreferrer">'
        "Stadt Köln</a></p>"
    )
    # The browser reports the pasted styles it refused to apply (the
    # policy has no 'unsafe-inline'); nothing else may go wrong.
    refused_styles = [e for e in console_errors if e.startswith(INLINE_STYLE_REFUSED)]
    assert len(refused_styles) >= 1
    assert [e for e in console_errors if e not in refused_styles] == []


def test_the_unsaved_copy_of_the_body_comes_back_into_the_editor(
    live_server, page, reporter, draft, console_errors
):
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    editor.click()
    page.keyboard.type("Noch nicht gesichert")
    # The copy is written a second after the last keystroke.
    for _ in range(50):
        if page.evaluate(COPIES):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("no copy of the unsaved body was kept")
    editor = open_form(page, live_server, draft)
    expect(editor).to_have_text("")
    page.locator(".autosave-offer").get_by_role(
        "button", name="Wiederherstellen"
    ).click()
    expect(editor).to_have_text("Noch nicht gesichert")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert Article.objects.get(pk=draft.pk).body == "<p>Noch nicht gesichert</p>"
    assert console_errors == []
