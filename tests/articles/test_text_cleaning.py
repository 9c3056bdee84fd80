"""Text is stored without control characters, whichever way it enters."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles.admin.forms import ArticleAdminForm
from articles.models import Article, CorrectionNote, Photo, Section
from articles.sanitising import clean_text
from articles.stored_text import clean_stored_text
from articles.workflow import services
from teasers.models import SponsoredSlot
from tests.articles.admin.article_form import edit_form
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    RailFactory,
    SectionFactory,
    SponsoredSlotFactory,
    UserFactory,
)
from tests.teasers.test_admin import slot_form

pytestmark = pytest.mark.django_db

# NUL, a C0 control, escape, DEL, C1 controls, a lone surrogate, U+FFFE.
HOSTILE = "Hafen\x00fest\x01 am\x1b Rhein\x7f\x9b\ud800\ufffe"
CLEAN = "Hafenfest am Rhein"
# What a browser can send: no surrogates.
TYPED = HOSTILE.replace("\ud800", "")


class TestCleanText:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (HOSTILE, CLEAN),
            (
                "Zeile 1\r\nZeile 2\rZeile 3\nZeile 4",
                "Zeile 1\nZeile 2\nZeile 3\nZeile 4",
            ),
            ("Spalte\tSpalte", "Spalte\tSpalte"),
            # Separators from word processors and old feeds keep words apart.
            ("Wort\x0bWort\x0cWort\x1fWort\x85Wort", "Wort Wort Wort Wort Wort"),
            (
                "„Grüße“ – 50 € · 😀 \u00a0\u00ad\u200b",
                "„Grüße“ – 50 € · 😀 \u00a0\u00ad\u200b",
            ),
            ("", ""),
        ],
    )
    def test_cleans(self, text, expected):
        assert clean_text(text) == expected

    def test_unchanged_text_is_the_same_object(self):
        text = "Nichts zu tun."
        assert clean_text(text) is text


def stored(model, pk, field):
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()


def test_save_stores_clean_text_on_either_database():
    article = ArticleFactory(
        headline=HOSTILE, kicker=HOSTILE, teaser=f"{HOSTILE}\r\nZweite Zeile"
    )
    assert stored(Article, article.pk, "headline") == CLEAN
    assert stored(Article, article.pk, "kicker") == CLEAN
    assert stored(Article, article.pk, "teaser") == f"{CLEAN}\nZweite Zeile"
    # The saved object holds what its row holds.
    assert article.headline == CLEAN


def test_the_body_is_cleaned_too():
    article = ArticleFactory(body=f"<p>{HOSTILE}</p>")
    assert stored(Article, article.pk, "body") == f"<p>{CLEAN}</p>"


def test_services_and_update_fields_saves_clean():
    article = ArticleFactory(draft=True)
    article.headline = HOSTILE
    services.save_article(article, by=None)
    assert stored(Article, article.pk, "headline") == CLEAN
    article.dateline = HOSTILE
    article.save(update_fields=["dateline"])
    assert stored(Article, article.pk, "dateline") == CLEAN
    services.add_correction(article, by=None, text=HOSTILE)
    assert CorrectionNote.objects.get().text == CLEAN


def test_bulk_creates_store_clean_text():
    section = SectionFactory()
    [article] = Article.objects.bulk_create(
        [Article(headline=HOSTILE, section=section, slug="x")]
    )
    assert stored(Article, article.pk, "headline") == CLEAN
    [section] = Section.objects.bulk_create([Section(name=HOSTILE, slug="neu")])
    assert Section.objects.get(slug="neu").name == CLEAN


def test_full_clean_cleans_before_it_validates():
    # 200 characters of headline and five control characters: too long only
    # until they are gone.
    article = Article(
        headline="x" * 200 + "\x00\x01\x02\x03\x04", section=SectionFactory()
    )
    article.full_clean()
    assert article.headline == "x" * 200


def test_a_photo_kill_reason_is_cleaned():
    photo = PhotoFactory()
    Photo.objects.filter(pk=photo.pk).kill(HOSTILE)
    assert stored(Photo, photo.pk, "kill_reason") == CLEAN


def test_form_fields_remove_a_nul_instead_of_refusing_it():
    form = ArticleAdminForm(
        data={"headline": f"  {HOSTILE}  ", "section": SectionFactory().pk}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["headline"] == CLEAN


def test_editor_form_stores_clean_text(client):
    editor = UserFactory(username="cvd")
    editor.groups.add(Group.objects.get(name="Chef vom Dienst"))
    client.force_login(editor)
    article = ArticleFactory(draft=True)
    data = edit_form(client, article) | {
        "headline": TYPED,
        "teaser": "Erste Zeile\x00\r\nZweite Zeile\x1b",
    }
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(Article, article.pk, "headline") == CLEAN
    assert stored(Article, article.pk, "teaser") == "Erste Zeile\nZweite Zeile"
    # The revision records the stored text.
    assert article.revisions.first().data["headline"] == CLEAN


def test_ad_operations_form_stores_clean_text(client):
    user = UserFactory(username="anzeigen")
    user.groups.add(Group.objects.get(name="Anzeigen"))
    client.force_login(user)
    data = slot_form(
        RailFactory(),
        advertiser=TYPED,
        headline=TYPED,
        kicker="\x00Winter",
        teaser="Text\x9b",
        target_url="https://autohaus.example/\x00winter",
    )
    response = client.post(reverse("admin:teasers_sponsoredslot_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    slot = SponsoredSlot.objects.values().get()
    assert (slot["advertiser"], slot["headline"]) == (CLEAN, CLEAN)
    assert (slot["kicker"], slot["teaser"]) == ("Winter", "Text")
    assert slot["target_url"] == "https://autohaus.example/winter"


def test_text_stored_before_the_cleaning_is_cleaned_once():
    article = ArticleFactory(headline="Hafenfest", teaser="Musik")
    clean = ArticleFactory(headline="Sauber")
    slot = SponsoredSlotFactory(advertiser="Autohaus")
    stored_dirt = "\x1b\x7f\x9b\ufffe" + (
        "" if connection.vendor == "postgresql" else "\x00"
    )
    Article.objects.filter(pk=article.pk).update(
        headline=f"Hafen{stored_dirt}fest", teaser=f"Mu\r\nsik{stored_dirt}"
    )
    SponsoredSlot.objects.filter(pk=slot.pk).update(advertiser=f"Auto{stored_dirt}haus")
    modified_at = stored(Article, article.pk, "modified_at")

    assert clean_stored_text(dry_run=True) == {
        "articles.Article": 1,
        "teasers.SponsoredSlot": 1,
    }
    assert stored(Article, article.pk, "headline") == f"Hafen{stored_dirt}fest"

    out = StringIO()
    call_command("clean_stored_text", verbosity=2, stdout=out)
    assert "teasers.SponsoredSlot: 1" in out.getvalue()
    assert "2 row(s) cleaned." in out.getvalue()
    assert stored(Article, article.pk, "headline") == "Hafenfest"
    assert stored(Article, article.pk, "teaser") == "Mu\nsik"
    assert stored(SponsoredSlot, slot.pk, "advertiser") == "Autohaus"
    assert stored(Article, article.pk, "modified_at") == modified_at
    assert stored(Article, clean.pk, "headline") == "Sauber"
    assert clean_stored_text() == {}
