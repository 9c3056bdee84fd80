"""Issue 17, point 3: whoever uploads a photo changes its alt text, caption
and focal point until a published article shows it; credit and licence
stay with the photo desk. Every role × state, in the service, the photo
admin and the chooser's edit dialog."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    RIGHTS_FIELDS,
    Article,
    BodyGallery,
    BodyPhoto,
    Gallery,
    GalleryPicture,
    Photo,
)
from articles.photos.editing import (
    PHOTO_FIELDS,
    UPLOADER_FIELDS,
    change_photo,
    editable_photo_fields,
)
from articles.workflow import services
from tests.articles.admin.staff import client_for, user_in
from tests.factories import ArticleFactory, ArticlePhotoFactory, PhotoFactory

pytestmark = pytest.mark.django_db

TEXTS = PHOTO_FIELDS - set(RIGHTS_FIELDS)
ROLES = {
    "reporter": "Redakteur",
    "other_reporter": "Redakteur",
    "desk": "Chef vom Dienst",
    "photo_desk": "Bildredaktion",
    "ads": "Anzeigen",
}


def in_article(photo, **article):
    ArticlePhotoFactory(article=ArticleFactory(**article), photo=photo)


# How the photo is used; "published" and "scheduled" put it on a public page.
STATES = {
    "unused": lambda photo: None,
    "draft": lambda photo: in_article(photo, draft=True),
    "review": lambda photo: in_article(photo, status="review", published_at=None),
    "published": lambda photo: in_article(photo),
    "scheduled": lambda photo: in_article(
        photo, published_at=timezone.now() + timedelta(hours=2)
    ),
    "withdrawn": lambda photo: in_article(
        photo, status="withdrawn", withdrawn_at=timezone.now()
    ),
    # Issue #16: a photo in a published body or in a gallery it shows is on
    # a public page as much as a lead photo.
    "in a published body": lambda photo: BodyPhoto.objects.create(
        article=ArticleFactory(), photo=photo
    ),
    "in a published gallery": lambda photo: BodyGallery.objects.create(
        article=ArticleFactory(),
        gallery=GalleryPicture.objects.create(
            gallery=Gallery.objects.create(title="Altstadtfest"), photo=photo
        ).gallery,
    ),
    "in a draft's body": lambda photo: BodyPhoto.objects.create(
        article=ArticleFactory(draft=True), photo=photo
    ),
}
ON_A_PUBLISHED_ARTICLE = {
    "published",
    "scheduled",
    "in a published body",
    "in a published gallery",
}


def expected(role: str, state: str) -> frozenset[str]:
    if role == "photo_desk":
        return PHOTO_FIELDS
    if role == "desk":
        return TEXTS
    if role == "reporter" and state not in ON_A_PUBLISHED_ARTICLE:
        return UPLOADER_FIELDS
    return frozenset()


@pytest.fixture
def users():
    return {role: user_in(group, role) for role, group in ROLES.items()}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_which_fields(users, role, state):
    photo = PhotoFactory(uploaded_by=users["reporter"])
    STATES[state](photo)
    photo = Photo.objects.get(pk=photo.pk)
    assert editable_photo_fields(users[role], photo) == expected(role, state)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_the_chooser_edit_dialog_enforces_it(users, role, state):
    photo = PhotoFactory(uploaded_by=users["reporter"], alt_text="", focal_x=0.5)
    STATES[state](photo)
    client = client_for(users[role])
    url = reverse("admin:articles_photo_chooser_edit", args=[photo.pk])
    data = {
        "alt_text": "Feuerwehrleute vor einer brennenden Scheune",
        "caption": photo.caption,
        "focal_x": "0.25",
        "focal_y": "0.4",
    }
    response = client.post(url, data)
    photo.refresh_from_db()
    if expected(role, state) >= UPLOADER_FIELDS:
        assert response.status_code == 200
        assert response.json()["photo"]["alt_text"] == data["alt_text"]
        assert (photo.alt_text, photo.focal_x, photo.focal_y) == (
            data["alt_text"],
            0.25,
            0.4,
        )
    else:
        # Ad operations do not even learn of a photo no public page shows.
        shown_now = {"published", "in a published body", "in a published gallery"}
        hidden = role == "ads" and state not in shown_now
        assert response.status_code == (404 if hidden else 403)
        assert (photo.alt_text, photo.focal_x) == ("", 0.5)
        assert client.get(url).status_code == (404 if hidden else 403)


@pytest.mark.parametrize("role", ["reporter", "desk"])
def test_a_forged_credit_in_the_edit_dialog_is_refused_whole(users, role):
    photo = PhotoFactory(uploaded_by=users["reporter"], credit_line="Anna Alt/dpa")
    response = client_for(users[role]).post(
        reverse("admin:articles_photo_chooser_edit", args=[photo.pk]),
        {
            "alt_text": "Neu",
            "caption": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "credit_line": "Eigenes Foto",
            "licence_expires_at": "",
        },
    )
    assert response.status_code == 403
    photo.refresh_from_db()
    assert (photo.credit_line, photo.alt_text) == ("Anna Alt/dpa", photo.alt_text)
    assert photo.alt_text != "Neu"


def admin_post(photo: Photo, **changes) -> dict:
    data = {
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "headline": photo.headline,
        "keywords": photo.keywords,
        "focal_x": photo.focal_x,
        "focal_y": photo.focal_y,
        # Fields the uploader may not change, posted anyway.
        "credit_line": "Gefälscht",
        "creator": "Gefälscht",
        "licence_expires_at_0": "",
        "licence_expires_at_1": "",
        "instructions": "",
    }
    return data | changes


def test_the_uploader_changes_texts_in_the_photo_admin_but_not_the_credit(users):
    photo = PhotoFactory(
        uploaded_by=users["reporter"],
        credit_line="Anna Alt/dpa",
        instructions="ONE TIME USE ONLY",
        licence_expires_at=timezone.now() + timedelta(days=30),
    )
    client = client_for(users["reporter"])
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    html = client.get(url).content.decode()
    assert 'name="alt_text"' in html
    assert 'name="focal_x"' in html
    assert 'name="credit_line"' not in html  # read-only
    assert 'name="instructions"' not in html
    assert 'name="image"' not in html
    response = client.post(url, admin_post(photo, alt_text="Ein Kreisverkehr"))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.alt_text == "Ein Kreisverkehr"
    assert photo.credit_line == "Anna Alt/dpa"
    assert photo.instructions == "ONE TIME USE ONLY"
    assert photo.licence_expires_at is not None


@pytest.mark.parametrize("state", sorted(ON_A_PUBLISHED_ARTICLE))
def test_once_published_the_uploaders_post_is_refused(users, state):
    photo = PhotoFactory(uploaded_by=users["reporter"], alt_text="Alt")
    STATES[state](photo)
    client = client_for(users["reporter"])
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    assert 'name="alt_text"' not in client.get(url).content.decode()
    response = client.post(url, admin_post(photo, alt_text="Neu"))
    assert response.status_code == 403
    photo.refresh_from_db()
    assert photo.alt_text == "Alt"


def test_another_reporters_photo_stays_read_only(users):
    photo = PhotoFactory(uploaded_by=users["other_reporter"], alt_text="Alt")
    client = client_for(users["reporter"])
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    assert client.post(url, admin_post(photo, alt_text="Neu")).status_code == 403
    photo.refresh_from_db()
    assert photo.alt_text == "Alt"


def test_the_desk_changes_texts_but_not_the_credit(users):
    photo = PhotoFactory(credit_line="Anna Alt/dpa")
    in_article(photo)
    client = client_for(users["desk"])
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    response = client.post(url, admin_post(photo, alt_text="Vom Desk"))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.alt_text, photo.credit_line) == ("Vom Desk", "Anna Alt/dpa")


def test_the_service_checks_again(users):
    photo = PhotoFactory(uploaded_by=users["reporter"])
    with pytest.raises(PermissionDenied, match="Bildredaktion"):
        change_photo(photo, by=users["reporter"], credit_line="Eigenes Foto")
    change_photo(photo, by=users["reporter"], alt_text="Ein Kran")
    in_article(photo)
    with pytest.raises(PermissionDenied, match="veröffentlichter Artikel"):
        change_photo(photo, by=users["reporter"], alt_text="Zu spät")
    assert Photo.objects.get(pk=photo.pk).alt_text == "Ein Kran"


def test_the_desk_publishes_once_the_uploader_set_the_alt_text(users):
    photo = PhotoFactory(
        uploaded_by=users["reporter"], alt_text="", credit_line="Anna Alt"
    )
    article = ArticleFactory(draft=True, created_by=users["reporter"])
    ArticlePhotoFactory(article=article, photo=photo)
    with pytest.raises(Exception, match="Alternativtext"):
        services.publish_article(article, by=users["desk"])
    change_photo(photo, by=users["reporter"], alt_text="Ein Kran über dem Rathaus")
    article.refresh_from_db()
    services.publish_article(article, by=users["desk"])
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
