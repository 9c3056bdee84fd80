"""A reporter puts a photo and a gallery into the body with the toolbar (the
number fallback while the photo chooser is not on the page), saves, reopens
and edits the photo's caption; the preview shows both, every photo
credited."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, BodyGallery, BodyPhoto
from tests.browser.conftest import axe_violations, log_in, open_form, save_screenshot
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    PhotoFactory,
    make_gallery,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reporter(reporter):
    # Beside writing: seeing the photos and galleries that go into the body.
    reporter.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_photo", "view_gallery"],
        )
    )
    return reporter


def test_reporter_inserts_a_photo_and_a_gallery_and_edits_them_again(
    live_server, page, reporter, console_errors
):
    afp = AgencyFactory(short_name="AFP", name="Agence France-Presse")
    photo = PhotoFactory(agency=afp, creator="Jean Dupont", caption="Archivbild")
    gallery = make_gallery([PhotoFactory(), PhotoFactory()], title="Stadtfest")
    draft = ArticleFactory(draft=True, created_by=reporter, body="<p>Anfang.</p>")
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    toolbar = page.get_by_role("toolbar", name="Textformatierung")

    editor.locator("p").click()
    page.keyboard.press("End")
    toolbar.get_by_role("button", name="Foto einfügen").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Foto (Nummer)").fill(str(photo.pk))
    dialog.get_by_label("Ausschnitt").select_option("Breit (16:9)")
    dialog.get_by_label("Bildunterschrift in diesem Artikel").fill("Der Anstich")
    dialog.get_by_role("button", name="Einfügen").click()
    card = editor.locator(".newsroom-block--photo")
    expect(card).to_contain_text("Foto: Jean Dupont/AFP")

    toolbar.get_by_role("button", name="Bildergalerie einfügen").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Bildergalerie (Nummer)").fill(str(gallery.pk))
    dialog.get_by_role("button", name="Einfügen").click()
    expect(editor.locator(".newsroom-block--gallery")).to_contain_text("Stadtfest")
    save_screenshot(page, "body-editor-photo-and-gallery")

    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    body = Article.objects.get(pk=draft.pk).body
    assert (
        f'<figure data-block="photo" data-photo="{photo.pk}" data-crop="16x9">'
        "<figcaption>Der Anstich</figcaption></figure>"
    ) in body
    assert f'<figure data-block="gallery" data-gallery="{gallery.pk}"></figure>' in body
    assert BodyPhoto.objects.filter(article=draft, photo=photo).exists()
    assert BodyGallery.objects.filter(article=draft, gallery=gallery).exists()

    # Reopened: the cards are there; the photo's dialog edits it in place.
    card = editor.locator(".newsroom-block--photo")
    expect(card).to_contain_text("Der Anstich")
    card.get_by_role("button", name="Bearbeiten").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Foto (Nummer)")).to_have_value(str(photo.pk))
    dialog.get_by_label("Bildunterschrift in diesem Artikel").fill("Fassanstich")
    dialog.get_by_role("button", name="Übernehmen").click()
    expect(card).to_contain_text("Fassanstich")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    body = Article.objects.get(pk=draft.pk).body
    assert "<figcaption>Fassanstich</figcaption>" in body
    assert body.count("data-block=") == 2
    # The editor with its cards (the whole form: test_body_editor.py).
    expect(editor.locator(".newsroom-block--gallery")).to_contain_text("2 Bilder")
    violations = axe_violations(page, within=".prose-editor")
    assert violations == [], "\n".join(violations)

    page.goto(
        live_server.url + reverse("admin:articles_article_preview", args=[draft.pk])
    )
    shown = page.locator(".article__body")
    expect(shown.locator(".article__photo figcaption")).to_contain_text(
        "Fassanstich Foto: Jean Dupont/AFP"
    )
    expect(shown.locator(".gallery__count")).to_have_text("Bild 1 von 2")
    expect(shown.locator(".gallery .photo__credit")).to_have_count(2)
    assert console_errors == []
