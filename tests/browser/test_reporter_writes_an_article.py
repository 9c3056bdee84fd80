"""Issue #16, "Done when": a reporter (the reporter role's rights) writes an
article in the body editor by typing and with the toolbar (subhead, bold, a
link through the link dialog, a list; no HTML typed), inserts a photo picked
in the photo chooser through the editor's own photo button, a gallery, an
info box and a YouTube embed, saves, and the preview shows all of them with
every photo credited."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, BodyGallery, BodyPhoto
from teasers.demo import draw_demo_photo
from tests.browser.conftest import (
    ARTIFACTS,
    PASSWORD,
    REPORTER,
    click_after,
    double_click,
    log_in,
    open_form,
    role,
    save_screenshot,
)
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    PhotoFactory,
    UserFactory,
    make_gallery,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Migration 0033 adds galleries to the reporter role.
GALLERIES = [
    "add_gallery",
    "change_gallery",
    "view_gallery",
    "add_gallerypicture",
    "change_gallerypicture",
    "delete_gallerypicture",
    "view_gallerypicture",
]


@pytest.fixture
def reporter(fast_passwords):
    user = UserFactory(username="rita", password=PASSWORD, is_staff=True)
    user.groups.add(role("Redakteur", *REPORTER, *GALLERIES))
    return user


def test_reporter_writes_an_article_with_every_kind_of_element(
    live_server, page, reporter, console_errors
):
    dpa = AgencyFactory(short_name="dpa", name="Deutsche Presse-Agentur")
    afp = AgencyFactory(short_name="AFP", name="Agence France-Presse")
    anstich = PhotoFactory(
        image=draw_demo_photo("anstich", size=(960, 540)),
        caption="Fassanstich auf dem Marktplatz",
        alt_text="Die Oberbürgermeisterin sticht ein Fass an",
        creator="Anna Schmidt",
        agency=dpa,
    )
    PhotoFactory(
        image=draw_demo_photo("rathaus", size=(640, 360)),
        caption="Das Rathaus am Abend",
        agency=afp,
    )
    gallery = make_gallery(
        [
            PhotoFactory(creator="Jean Dupont", agency=afp),
            PhotoFactory(creator="Marie Klein", agency=dpa),
        ],
        title="Das Stadtfest in Bildern",
    )
    draft = ArticleFactory(
        draft=True, created_by=reporter, headline="Stadtfest beginnt", body=""
    )
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    toolbar = page.get_by_role("toolbar", name="Textformatierung")
    # The editor replaces the text area once its scripts ran (later on
    # this page, which has the photo chooser too).
    expect(page.locator(".prose-editor .ProseMirror")).to_be_visible()

    # A subhead and bold text (the link comes last).
    editor.click()
    toolbar.get_by_role("button", name="Zwischenüberschrift").click()
    page.keyboard.type("Was geplant ist")
    page.keyboard.press("Enter")
    page.keyboard.type("Das Fest beginnt ")
    toolbar.get_by_role("button", name="Fett").click()
    page.keyboard.type("am Freitag")
    toolbar.get_by_role("button", name="Fett").click()
    page.keyboard.type(". Mehr bei der Stadt")
    page.keyboard.press("Enter")

    # An info box, and a YouTube video: it goes after the box the cursor
    # is in.
    toolbar.get_by_role("button", name="Info-Kasten einfügen").click()
    page.keyboard.type("Anreise")
    page.keyboard.press("Enter")
    page.keyboard.type("Busse fahren bis Mitternacht.")
    toolbar.get_by_role("button", name="Inhalt einbetten (YouTube, X, Karte …)").click()
    dialog = page.get_by_role("dialog", name="Inhalt einbetten")
    dialog.get_by_label("Adresse (URL) des Inhalts").fill(
        "https://www.youtube.com/watch?v=jNQXAC9IVRw"
    )
    dialog.get_by_role("button", name="Einbetten").click()
    expect(editor.locator(".body-embed")).to_contain_text("Einbettung: YouTube")

    # Back after the first paragraph with the mouse (a click at the end of
    # its last word: "End" would stop where the line wraps), a list; Enter
    # on an empty point ends it.
    first = editor.locator("p").filter(has_text="Das Fest beginnt")
    click_after(page, first, "Stadt")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Aufzählung").click()
    page.keyboard.type("Fassanstich um 18 Uhr")
    page.keyboard.press("Enter")
    page.keyboard.type("Feuerwerk am Sonntag")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")

    # The photo: the editor's button, then the photo chooser.
    toolbar.get_by_role("button", name="Foto einfügen").click()
    photo_dialog = page.locator("dialog.prose-editor-dialog[open]")
    photo_dialog.get_by_role("button", name="Foto auswählen …").click()
    chooser = page.get_by_role("dialog", name="Foto auswählen")
    expect(chooser.locator(".photo-choice")).to_have_count(4)
    search = chooser.get_by_label("Suchbegriff")
    search.fill("Fassanstich")
    search.press("Enter")
    expect(chooser.locator(".photo-choice")).to_have_count(1)
    expect(chooser).to_contain_text("Foto: Anna Schmidt/dpa")
    save_screenshot(page, "body-editor-photo-chooser")
    # The editor guide's picture (docs/images/editor-fotoauswahl.jpg).
    chooser.screenshot(path=ARTIFACTS / "screenshots" / "editor-fotoauswahl.png")
    chooser.get_by_role("button", name=re.compile("^Auswählen: Fassanstich")).click()
    expect(chooser).to_have_count(0)
    expect(photo_dialog.get_by_label("Foto (Nummer)")).to_have_value(str(anstich.pk))
    photo_dialog.get_by_label("Ausschnitt").select_option("Breit (16:9)")
    photo_dialog.get_by_label("Bildunterschrift in diesem Artikel").fill(
        "Der Anstich am Freitag"
    )
    photo_dialog.get_by_role("button", name="Einfügen").click()
    expect(editor.locator(".newsroom-block--photo")).to_contain_text(
        "Foto: Anna Schmidt/dpa"
    )

    # The gallery after the photo (the element just inserted).
    toolbar.get_by_role("button", name="Bildergalerie einfügen").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Bildergalerie (Nummer)").fill(str(gallery.pk))
    dialog.get_by_role("button", name="Einfügen").click()
    expect(editor.locator(".newsroom-block--gallery")).to_contain_text("2 Bilder")
    save_screenshot(page, "body-editor-every-element")

    # Last, a link through its dialog on words written before, selected
    # as a person does: a double click on the first word, a shift-click at
    # the end of the last.
    double_click(page, first, "bei")
    page.keyboard.down("Shift")
    click_after(page, first, "Stadt")
    page.keyboard.up("Shift")
    toolbar.get_by_role("button", name="Link einfügen").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Adresse (URL)").fill("https://www.stadt-koeln.de/stadtfest")
    dialog.get_by_role("button", name="Übernehmen").click()
    expect(editor.get_by_role("link", name="bei der Stadt")).to_have_count(1)
    save_screenshot(page, "body-editor-every-element")

    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    body = Article.objects.get(pk=draft.pk).body
    assert body == (
        "<h2>Was geplant ist</h2>"
        "<p>Das Fest beginnt <strong>am Freitag</strong>. Mehr "
        '<a href="https://www.stadt-koeln.de/stadtfest" rel="noopener noreferrer">'
        "bei der Stadt</a></p>"
        "<ul><li><p>Fassanstich um 18 Uhr</p></li>"
        "<li><p>Feuerwerk am Sonntag</p></li></ul>"
        f'<figure data-block="photo" data-photo="{anstich.pk}" data-crop="16x9">'
        "<figcaption>Der Anstich am Freitag</figcaption></figure>"
        f'<figure data-block="gallery" data-gallery="{gallery.pk}"></figure>'
        '<div data-block="infobox"><h3>Anreise</h3>'
        "<p>Busse fahren bis Mitternacht.</p></div>"
        '<div data-block="embed" data-provider="youtube" data-id="jNQXAC9IVRw" '
        'data-url="https://www.youtube.com/watch?v=jNQXAC9IVRw"></div>'
    ), body
    assert BodyPhoto.objects.filter(article=draft, photo=anstich).exists()
    assert BodyGallery.objects.filter(article=draft, gallery=gallery).exists()

    page.goto(
        live_server.url + reverse("admin:articles_article_preview", args=[draft.pk])
    )
    shown = page.locator(".article__body")
    expect(shown.get_by_role("heading", name="Was geplant ist")).to_have_count(1)
    expect(shown.locator("strong")).to_have_text("am Freitag")
    expect(shown.get_by_role("link", name="bei der Stadt")).to_have_attribute(
        "href", "https://www.stadt-koeln.de/stadtfest"
    )
    expect(shown.locator("ul > li")).to_have_text(
        ["Fassanstich um 18 Uhr", "Feuerwerk am Sonntag"]
    )
    expect(shown.locator(".article__photo figcaption")).to_contain_text(
        "Der Anstich am Freitag Foto: Anna Schmidt/dpa"
    )
    expect(shown.locator(".gallery .photo__credit")).to_have_text(
        ["Foto: Jean Dupont/AFP", "Foto: Marie Klein/dpa"]
    )
    # Every photo shown carries its credit.
    figures = shown.locator("figure:has(img)")
    expect(figures).to_have_count(3)
    expect(shown.locator("figure:has(img) .photo__credit")).to_have_count(3)
    expect(shown.locator(".body-box--info")).to_contain_text("Anreise")
    expect(shown.locator(".embed__provider")).to_have_text(
        "Eingebetteter Inhalt von YouTube"
    )
    expect(page.locator(".article__credits")).to_have_text("Fotos: dpa, AFP")
    save_screenshot(page, "preview-every-element")
    assert console_errors == []
