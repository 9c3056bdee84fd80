"""Issue 17: the photo chooser's search, filters, pages and upload tab, and
the article form's photo cards."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Photo
from articles.photos.choosing import PageKey
from tests.articles.admin.article_form import management_forms
from tests.articles.admin.staff import client_for, user_in
from tests.articles.photos.test_metadata import iim_dataset, photoshop_segment
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHOOSER = "admin:articles_photo_chooser"
UPLOAD = "admin:articles_photo_chooser_upload"


def jpeg(color=(200, 40, 40), size=(64, 48), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def results(response) -> list[dict]:
    return [
        {k: v for k, v in choice.items() if k != "json"}
        for choice in response.context["results"]
    ]


def ids(response) -> list[int]:
    return [choice["id"] for choice in response.context["results"]]


@pytest.fixture
def reporter():
    return user_in("Redakteur", "reporterin")


@pytest.fixture
def reporter_client(reporter):
    return client_for(reporter)


def test_search_covers_caption_creator_credit_agency_and_keywords(reporter_client):
    dpa = AgencyFactory(short_name="dpa", name="Deutsche Presse-Agentur")
    by_caption = PhotoFactory(caption="Feuerwehr löscht Scheune", agency=None)
    by_creator = PhotoFactory(creator="Oliver Berg", caption="x", agency=None)
    by_credit = PhotoFactory(credit_line="Stadtwerke Bonn", caption="y", agency=None)
    by_agency = PhotoFactory(agency=dpa, caption="z", creator="")
    by_keyword = PhotoFactory(keywords="Rhein, Hochwasser", caption="w", agency=None)
    PhotoFactory(caption="Nichts davon", agency=None)

    def found(text):
        response = reporter_client.get(
            reverse(CHOOSER), {"q": text, "teil": "ergebnisse"}
        )
        assert response.status_code == 200
        return set(ids(response))

    assert found("feuerwehr") == {by_caption.pk}
    assert found("berg") == {by_creator.pk}
    assert found("Stadtwerke") == {by_credit.pk}
    assert found("Presse-Agentur") == {by_agency.pk}
    assert found("hochwasser") == {by_keyword.pk}
    # Every word must match, in any field.
    assert found("Rhein Hochwasser") == {by_keyword.pk}
    assert found("Rhein Scheune") == set()


def test_results_show_credit_licence_end_and_the_agencys_restrictions(
    reporter_client,
):
    ends = timezone.now() + timedelta(days=3)
    photo = PhotoFactory(
        caption="Kanzler in Köln",
        credit_line="Peter Kneffel/dpa",
        instructions="ONE TIME USE ONLY",
        restrictions="Sperrvermerk: nicht für Social Media",
        licence_expires_at=ends,
    )
    response = reporter_client.get(reverse(CHOOSER))
    [choice] = results(response)
    assert choice["id"] == photo.pk
    assert choice["credit"] == "Peter Kneffel/dpa"
    assert choice["restrictions"] == (
        "ONE TIME USE ONLY · Sperrvermerk: nicht für Social Media"
    )
    assert choice["licence_expires_at"]
    assert choice["thumbnail_url"].endswith("/orig-320.jpg")
    html = response.content.decode()
    assert "ONE TIME USE ONLY" in html
    assert "Foto: Peter Kneffel/dpa" in html
    assert 'role="tablist"' in html and "Hochladen" in html


def test_usable_now_leaves_out_expired_killed_and_uncredited_photos(
    reporter_client,
):
    now = timezone.now()
    usable = PhotoFactory()
    PhotoFactory(licence_expires_at=now - timedelta(minutes=1))
    PhotoFactory(killed_at=now - timedelta(minutes=1))
    PhotoFactory(creator="", credit_line="", agency=None)
    PhotoFactory(credit_needs_review=True)
    response = reporter_client.get(
        reverse(CHOOSER), {"nutzbar": "1", "teil": "ergebnisse"}
    )
    assert ids(response) == [usable.pk]
    everything = reporter_client.get(reverse(CHOOSER), {"teil": "ergebnisse"})
    assert len(ids(everything)) == 5


def test_agency_and_date_filters(reporter_client):
    dpa, afp = AgencyFactory(short_name="dpa"), AgencyFactory(short_name="AFP")
    old = PhotoFactory(agency=dpa)
    Photo.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    new = PhotoFactory(agency=dpa)
    PhotoFactory(agency=afp)
    today = timezone.localdate()
    response = reporter_client.get(
        reverse(CHOOSER), {"agentur": dpa.pk, "teil": "ergebnisse"}
    )
    assert ids(response) == [new.pk, old.pk]
    response = reporter_client.get(
        reverse(CHOOSER),
        {
            "agentur": dpa.pk,
            "von": str(today - timedelta(days=1)),
            "teil": "ergebnisse",
        },
    )
    assert ids(response) == [new.pk]
    response = reporter_client.get(
        reverse(CHOOSER),
        {"bis": str(today - timedelta(days=9)), "teil": "ergebnisse"},
    )
    assert ids(response) == [old.pk]


def test_an_invalid_filter_is_named_and_ignored(reporter_client):
    photo = PhotoFactory()
    response = reporter_client.get(
        reverse(CHOOSER), {"von": "gestern", "teil": "ergebnisse"}
    )
    assert ids(response) == [photo.pk]
    assert "Eingegangen ab" in response.content.decode()


def test_pages_follow_keys_newest_first_without_gaps_or_repeats(
    reporter_client, settings
):
    settings.NEWSROOM_PHOTO_CHOOSER_PAGE_SIZE = 2
    photos = [PhotoFactory() for _ in range(5)]
    # Two photos with the same time: the id breaks the tie.
    same = timezone.now() - timedelta(hours=1)
    Photo.objects.filter(pk__in=[photos[1].pk, photos[2].pk]).update(created_at=same)
    expected = [
        photo.pk
        for photo in sorted(
            Photo.objects.all(), key=lambda p: (p.created_at, p.pk), reverse=True
        )
    ]
    seen, key, pages = [], "", 0
    while True:
        params = {"teil": "ergebnisse"} | ({"nach": key} if key else {})
        response = reporter_client.get(reverse(CHOOSER), params)
        seen += ids(response)
        pages += 1
        key = response.context["next_key"]
        if not key:
            break
    assert seen == expected
    assert pages == 3


def test_a_broken_page_key_starts_at_the_first_page():
    assert PageKey.parse("kaputt") is None
    assert PageKey.parse("2026-01-01T00:00:00~5") is None  # no time zone
    key = PageKey(timezone.now(), 7)
    assert PageKey.parse(str(key)) == key


@pytest.mark.parametrize("archive", [5, 40])
def test_a_results_page_costs_the_same_queries_at_any_archive_size(
    reporter_client, reporter, archive, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_PHOTO_CHOOSER_PAGE_SIZE = 2
    for number in range(archive):
        PhotoFactory(caption=f"Rathaus {number}", uploaded_by=reporter)
    first = reporter_client.get(reverse(CHOOSER), {"q": "Rathaus"})
    key = first.context["next_key"]
    # session, user, the user's permissions and group permissions (checked
    # once, then cached), the page of photos (agency and published flag in
    # the same query), and for the dialog the agencies of the filter.
    with django_assert_max_num_queries(6):
        response = reporter_client.get(
            reverse(CHOOSER), {"q": "Rathaus", "nach": key, "teil": "ergebnisse"}
        )
    assert len(ids(response)) == 2
    with django_assert_max_num_queries(7):
        reporter_client.get(reverse(CHOOSER), {"q": "Rathaus"})


def test_the_chooser_needs_the_right_to_see_photos():
    client = client_for(user_in("Anzeigen", "werbung"))
    assert client.get(reverse(CHOOSER)).status_code == 200  # view_photo
    nobody = client_for(UserFactory(username="gast", is_staff=True))
    assert nobody.get(reverse(CHOOSER)).status_code == 403


def test_the_chooser_hides_photos_of_unpublished_stories_from_ad_operations():
    draft = ArticleFactory(status="draft", published_at=None)
    secret = ArticlePhotoFactory(article=draft).photo
    public = ArticlePhotoFactory(article=ArticleFactory()).photo
    response = client_for(user_in("Anzeigen", "werbung")).get(
        reverse(CHOOSER), {"teil": "ergebnisse"}
    )
    assert secret.pk not in ids(response)
    assert public.pk in ids(response)


# --- upload tab -----------------------------------------------------------


def upload(client, data: bytes, name="foto.jpg", **fields):
    return client.post(
        reverse(UPLOAD),
        {"image": SimpleUploadedFile(name, data, "image/jpeg"), **fields},
    )


def test_upload_stores_the_photo_and_returns_it_chosen(reporter_client, reporter):
    response = upload(
        reporter_client,
        jpeg(),
        caption="Neuer Kreisel an der B 9",
        alt_text="Ein Kreisverkehr mit Blumen",
    )
    assert response.status_code == 201
    photo = Photo.objects.get()
    assert photo.uploaded_by == reporter
    assert len(photo.content_hash) == 64
    chosen = response.json()["photo"]
    assert chosen["id"] == photo.pk
    assert chosen["caption"] == "Neuer Kreisel an der B 9"
    # Its own upload, on no published page: the uploader may edit it.
    assert chosen["edit_url"] == reverse(
        "admin:articles_photo_chooser_edit", args=[photo.pk]
    )


def test_the_same_bytes_again_offer_the_stored_photo(reporter_client):
    data = jpeg(color=(10, 120, 200))
    first = upload(reporter_client, data, caption="Erstes Mal")
    assert first.status_code == 201
    again = upload(reporter_client, data, name="anderer-name.jpg", caption="Kopie")
    assert again.status_code == 409
    body = again.json()
    assert body["duplicate"]["id"] == first.json()["photo"]["id"]
    assert body["duplicate"]["caption"] == "Erstes Mal"
    assert "gibt es schon" in body["message"]
    assert Photo.objects.count() == 1
    # Other bytes are another photo.
    assert upload(reporter_client, jpeg(color=(200, 120, 10))).status_code == 201


def test_a_duplicate_of_a_photo_hidden_from_the_uploader_is_not_shown():
    data = jpeg(color=(1, 2, 3))
    draft = ArticleFactory(status="draft", published_at=None)
    secret = PhotoFactory(
        image=SimpleUploadedFile("a.jpg", data), caption="Geheimes Treffen"
    )
    ArticlePhotoFactory(article=draft, photo=secret)
    response = upload(client_for(user_in("Anzeigen", "werbung")), data)
    assert response.status_code == 409
    body = response.json()
    assert "duplicate" not in body
    assert "Geheimes Treffen" not in response.content.decode()
    assert Photo.objects.count() == 1


def test_upload_refuses_a_file_that_is_no_image_by_name(reporter_client):
    response = upload(reporter_client, b"%PDF-1.7 kein Bild", name="foto.jpg")
    assert response.status_code == 400
    messages = json.dumps(response.json()["errors"], ensure_ascii=False)
    assert "keine Bilddatei" in messages
    assert not Photo.objects.exists()


def test_upload_needs_the_right_to_add_photos():
    client = client_for(user_in("Bildredaktion", "bild"))
    assert upload(client, jpeg()).status_code == 201
    client = client_for(UserFactory(username="leser", is_staff=True))
    assert upload(client, jpeg(color=(9, 9, 9))).status_code == 403


def test_upload_is_post_only(reporter_client):
    assert reporter_client.get(reverse(UPLOAD)).status_code == 405


def test_the_admin_add_form_offers_the_stored_photo(reporter_client):
    data = jpeg(color=(50, 60, 70))
    stored = PhotoFactory(image=SimpleUploadedFile("a.jpg", data), caption="Da")
    response = reporter_client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": SimpleUploadedFile("b.jpg", data, "image/jpeg"),
            "caption": "Nochmal",
            "alt_text": "",
            "headline": "",
            "keywords": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Bild gibt es schon" in html
    assert reverse("admin:articles_photo_change", args=[stored.pk]) in html
    assert Photo.objects.count() == 1


# --- the article form's cards -----------------------------------------------


def test_the_article_form_shows_photos_as_cards(
    count_queries, django_assert_max_num_queries
):
    desk = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory()
    for number in range(3):
        ArticlePhotoFactory(
            article=article,
            position=number,
            photo=PhotoFactory(
                caption=f"Bild {number}",
                credit_line=f"Fotograf {number}/dpa",
                instructions="ONE TIME USE ONLY" if number == 1 else "",
            ),
        )
    client = client_for(desk)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.get(url)
    response = client.get(url)
    html = response.content.decode()
    assert html.count("data-photo-card>") == 3 + 1  # and the empty card
    assert "Foto: Fotograf 1/dpa" in html
    assert "ONE TIME USE ONLY" in html
    assert 'class="photo-choice__thumb"' in html
    assert reverse(CHOOSER) in html

    many = ArticleFactory()
    for number in range(8):
        ArticlePhotoFactory(article=many, position=number)
    few_url = url
    many_url = reverse("admin:articles_article_change", args=[many.pk])
    client.get(many_url)
    few = count_queries(lambda: client.get(few_url))
    # Three photos or eight: the cards' photos are read in one query.
    with django_assert_max_num_queries(few):
        client.get(many_url)


def test_a_chosen_photo_saves_with_the_article(reporter, reporter_client):
    article = ArticleFactory(draft=True, created_by=reporter)
    photo = PhotoFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = reporter_client.post(
        url,
        {
            "headline": article.headline,
            "section": article.section_id,
            "body": article.body,
            "loaded_version": article.version,
            **management_forms(),
            "article_photos-TOTAL_FORMS": 1,
            "article_photos-0-photo": photo.pk,
            "article_photos-0-position": 0,
            "article_photos-0-caption": "",
        },
    )
    assert response.status_code == 302
    assert list(article.article_photos.values_list("photo_id", flat=True)) == [photo.pk]


def test_a_card_without_a_photo_names_the_problem(reporter, reporter_client):
    article = ArticleFactory(draft=True, created_by=reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = reporter_client.post(
        url,
        {
            "headline": article.headline,
            "section": article.section_id,
            "body": article.body,
            "loaded_version": article.version,
            **management_forms(),
            "article_photos-TOTAL_FORMS": 1,
            "article_photos-0-photo": "",
            "article_photos-0-position": 0,
            "article_photos-0-caption": "Nur Text",
        },
    )
    assert response.status_code == 200
    assert "Bitte ein Foto auswählen." in response.content.decode()


def test_uploaded_iptc_keywords_are_found(reporter_client):
    iim = iim_dataset(2, 25, b"Feuerwehr") + iim_dataset(2, 25, b"Scheunenbrand")
    data = jpeg(color=(90, 30, 30))
    data = data[:2] + photoshop_segment(iim) + data[2:]
    assert upload(reporter_client, data, caption="Einsatz").status_code == 201
    photo = Photo.objects.get()
    assert photo.keywords == "Feuerwehr, Scheunenbrand"
    response = reporter_client.get(
        reverse(CHOOSER), {"q": "scheunenbrand", "teil": "ergebnisse"}
    )
    assert ids(response) == [photo.pk]
