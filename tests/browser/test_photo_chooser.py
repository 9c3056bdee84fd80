"""Issue 17: a reporter picks a photo in the chooser by searching, sets its
alt text and focal point, saves; the desk can then publish without the
photo desk. Keyboard use and axe-core on the chooser and the forms."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, ArticlePhoto, Photo
from articles.workflow import services
from teasers.demo import draw_demo_photo
from tests.browser.conftest import (
    PASSWORD,
    REPORTER,
    axe_violations,
    log_in,
    role,
    save_screenshot,
)
from tests.factories import ArticleFactory, PhotoFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# As migrations 0002 and 0011 leave the desk role.
DESK = [*REPORTER, "publish_article", "change_photo", "delete_article"]


def user_with(name: str, codenames: list[str]):
    user = UserFactory(username=name, password=PASSWORD, is_staff=True)
    user.groups.add(role(f"Rolle {name}", *codenames))
    return user


@pytest.fixture
def people(fast_passwords):
    return user_with("reporterin", REPORTER), user_with("cvd", DESK)


def test_reporter_picks_edits_and_saves_a_photo_then_the_desk_publishes(
    live_server, page, people, console_errors
):
    reporter, desk = people
    mine = PhotoFactory(
        image=draw_demo_photo("feuerwehr", size=(960, 540)),
        caption="Feuerwehr löscht Scheune in Musterdorf",
        alt_text="",
        creator="Anna Alt",
        agency=None,
        uploaded_by=reporter,
    )
    PhotoFactory(
        image=draw_demo_photo("kanzler", size=(640, 360)),
        caption="Kanzler besucht die Feuerwache",
        instructions="ONE TIME USE ONLY",
        restrictions="Sperrvermerk: nicht für Social Media",
    )
    PhotoFactory(image=draw_demo_photo("rhein", size=(640, 360)), caption="Rhein")
    article = ArticleFactory(
        draft=True, created_by=reporter, headline="Großbrand in Musterdorf"
    )
    log_in(page, live_server, reporter)
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    add = page.get_by_role("button", name="Foto hinzufügen")
    expect(add).to_be_visible()
    # The chooser and its cards alone: the rest of the article form is the
    # edit screen's (issue #17) to check.
    assert axe_violations(page, "[data-photo-cards]") == []

    # Keyboard: the chooser opens with focus in its search field.
    add.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Foto auswählen")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Suchbegriff")).to_be_focused()
    expect(dialog.locator(".photo-choice")).to_have_count(3)
    expect(dialog).to_contain_text("ONE TIME USE ONLY")
    assert axe_violations(page, "dialog.photo-chooser") == []
    # Focus stays in the dialog, however far one tabs.
    for _ in range(40):
        page.keyboard.press("Tab")
        assert page.evaluate(
            "() => document.querySelector('dialog[open]')"
            ".contains(document.activeElement)"
        )
    # The upload tab, by arrow key.
    dialog.get_by_role("tab", name="Suchen").focus()
    page.keyboard.press("ArrowRight")
    expect(dialog.get_by_role("tab", name="Hochladen")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(dialog.get_by_label("Bilddatei (Pflichtfeld)")).to_be_visible()
    assert axe_violations(page, "dialog.photo-chooser") == []
    page.keyboard.press("ArrowLeft")

    search = dialog.get_by_label("Suchbegriff")
    search.fill("Scheune")
    search.press("Enter")
    expect(dialog.locator(".photo-choice")).to_have_count(1)
    expect(dialog).to_contain_text("Foto: Anna Alt")
    expect(dialog).to_contain_text("Alternativtext fehlt")
    save_screenshot(page, "photo-chooser")
    dialog.get_by_role("button", name=re.compile("^Auswählen: Feuerwehr")).click()
    dialog.get_by_role("button", name=re.compile("Ausgewählte übernehmen")).click()
    expect(dialog).to_have_count(0)

    card = page.locator("[data-photo-card]").filter(has_text="Feuerwehr löscht")
    expect(card).to_contain_text("Foto: Anna Alt")
    expect(card).to_contain_text("Alternativtext fehlt")
    assert axe_violations(page, "[data-photo-cards]") == []
    card.get_by_role("button", name="Alternativtext und Ausschnitt bearbeiten").click()
    editor = page.get_by_role("dialog", name=re.compile("Foto bearbeiten"))
    expect(editor.get_by_label("Alternativtext")).to_be_focused()
    expect(editor).to_contain_text("Bildquelle, Lizenz und Einschränkungen setzt")
    assert axe_violations(page, "dialog.photo-chooser") == []
    editor.get_by_label("Alternativtext").fill(
        "Feuerwehrleute löschen eine brennende Scheune"
    )
    image = editor.locator("[data-focal-image]")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(editor.get_by_label("Bildmittelpunkt waagerecht")).to_have_value(
        re.compile(r"^0\.2[45]\d?$")
    )
    save_screenshot(page, "photo-chooser-edit")
    editor.get_by_role("button", name="Speichern").click()
    expect(editor).to_have_count(0)
    expect(card).not_to_contain_text("Alternativtext fehlt")

    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert list(
        ArticlePhoto.objects.filter(article=article).values_list("photo", flat=True)
    ) == [mine.pk]
    mine = Photo.objects.get(pk=mine.pk)
    assert mine.alt_text == "Feuerwehrleute löschen eine brennende Scheune"
    assert abs(mine.focal_x - 0.25) < 0.02 and abs(mine.focal_y - 0.75) < 0.02
    assert mine.credit == "Anna Alt"

    # The desk publishes; nobody of the photo desk was needed.
    services.publish_article(Article.objects.get(pk=article.pk), by=desk)
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    # Now a published article shows it: the reporter's edits end.
    page.reload()
    expect(
        card.get_by_role("button", name="Alternativtext und Ausschnitt bearbeiten")
    ).to_be_hidden()
    assert console_errors == []


def test_escape_closes_the_chooser_and_returns_focus(
    live_server, page, people, console_errors
):
    reporter, _desk = people
    PhotoFactory(image=draw_demo_photo("rhein", size=(640, 360)))
    article = ArticleFactory(draft=True, created_by=reporter)
    log_in(page, live_server, reporter)
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    add = page.get_by_role("button", name="Foto hinzufügen")
    add.click()
    dialog = page.get_by_role("dialog", name="Foto auswählen")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(add).to_be_focused()
    expect(page.locator("[data-photo-card]:not(template *)")).to_have_count(0)
    assert console_errors == []
