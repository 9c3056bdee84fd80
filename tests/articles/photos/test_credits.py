"""Issue 15, points 6 and 13: a shown photo keeps its credit, and the same
file is stored once whichever way it comes in."""

import hashlib
import io
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Photo
from articles.photos.saving import save_photo
from articles.templatetags.pictures import photo_figure
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    SponsoredSlotFactory,
    UserFactory,
)
from tests.samples import sample_path

pytestmark = pytest.mark.django_db

CREDIT_FIELDS = {"creator": "", "credit_line": "", "agency": None}


def without_credit(photo: Photo, **fields) -> Photo:
    for name, value in {**CREDIT_FIELDS, **fields}.items():
        setattr(photo, name, value)
    return photo


def photo_form(photo: Photo, **overrides) -> dict:
    data = {
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "headline": "",
        "instructions": "",
        "creator": photo.creator,
        "agency": photo.agency_id or "",
        "credit_line": photo.credit_line,
        "copyright_notice": photo.copyright_notice,
        "source": photo.source,
        "usage_terms": "",
        "restrictions": "",
        "web_statement": "",
        "licence_expires_at_0": "",
        "licence_expires_at_1": "",
        "killed_at_0": "",
        "killed_at_1": "",
        "kill_reason": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    return {**data, **overrides}


class TestAShownPhotoKeepsItsCredit:
    def test_the_photo_of_a_published_article_cannot_lose_its_credit(self):
        use = ArticlePhotoFactory(article__headline="Hafenfest in Köln")
        with pytest.raises(ValidationError, match="Artikel „Hafenfest in Köln“"):
            save_photo(without_credit(use.photo))
        assert Photo.objects.get().credit == "Peter Kneffel/dpa"

    def test_a_draft_s_photo_may_lose_it_until_the_draft_is_published(self):
        use = ArticlePhotoFactory(article=ArticleFactory(draft=True))
        save_photo(without_credit(use.photo))
        assert Photo.objects.get().credit == ""

    def test_the_admin_refuses_it_with_a_german_message_naming_the_article(
        self, client
    ):
        use = ArticlePhotoFactory(article__headline="Hafenfest in Köln")
        client.force_login(UserFactory(username="bildchefin", is_superuser=True))
        url = reverse("admin:articles_photo_change", args=[use.photo.pk])
        response = client.post(
            url, photo_form(use.photo, creator="", agency="", credit_line="")
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ohne Bildquelle kann dieses Foto nicht gespeichert werden" in html
        assert "Artikel „Hafenfest in Köln“" in html
        assert Photo.objects.get().credit == "Peter Kneffel/dpa"

    def test_a_running_sponsored_slot_s_photo_needs_a_credit_or_its_copyright(self):
        slot = SponsoredSlotFactory(
            headline="Traumreise gewinnen", advertiser="Traumlos", photo=PhotoFactory()
        )
        with pytest.raises(ValidationError, match="Anzeige „Traumreise gewinnen“"):
            save_photo(without_credit(slot.photo))
        # The copyright notice is enough for an advertisement.
        save_photo(without_credit(slot.photo, copyright_notice="© Traumlos GmbH"))
        # Not for an article that shows it too.
        ArticlePhotoFactory(photo=slot.photo, article__headline="Bericht")
        with pytest.raises(ValidationError, match="Artikel „Bericht“"):
            save_photo(slot.photo)

    def test_an_ended_slot_no_longer_holds_the_credit(self):
        slot = SponsoredSlotFactory(
            photo=PhotoFactory(),
            starts_at=timezone.now() - timezone.timedelta(days=3),
            ends_at=timezone.now() - timezone.timedelta(days=1),
        )
        save_photo(without_credit(slot.photo))
        assert Photo.objects.get().credit == ""

    def test_a_slot_refuses_a_photo_without_credit_and_copyright(self):
        photo = PhotoFactory(**CREDIT_FIELDS)
        slot = SponsoredSlotFactory.build(photo=photo, rail=SponsoredSlotFactory().rail)
        with pytest.raises(ValidationError) as error:
            slot.full_clean()
        assert "keine Bildquelle und keinen Copyright-Vermerk" in " ".join(
            error.value.message_dict["photo"]
        )
        photo.copyright_notice = "© Traumlos GmbH"
        photo.save()
        slot.full_clean()

    def test_a_slot_s_photo_is_credited_with_its_copyright_notice(self, client):
        photo = PhotoFactory(**CREDIT_FIELDS, copyright_notice="© Traumlos GmbH")
        SponsoredSlotFactory(photo=photo)
        html = client.get(reverse("teasers:front_page")).content.decode()
        assert '<span class="photo__credit">Foto: © Traumlos GmbH</span>' in html

    def test_a_photo_without_credit_never_shows_an_empty_foto(self):
        photo = PhotoFactory(**CREDIT_FIELDS)
        html = photo_figure(photo)
        assert "<figure" in html
        assert "Foto:" not in html and "photo__credit" not in html
        assert "Foto: Peter Kneffel/dpa" in photo_figure(PhotoFactory())


def jpeg(color: str = "navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(buffer, "JPEG")
    return buffer.getvalue()


class TestTheSameFileIsOnePhoto:
    def test_an_upload_of_a_file_in_the_trash_says_where_it_is(self, client):
        client.force_login(UserFactory(username="bildchefin", is_superuser=True))
        first = save_photo(
            Photo(
                image=SimpleUploadedFile("a.jpg", jpeg()),
                caption="Rathaus im Nebel",
                alt_text="Rathaus",
                creator="Anna Alt",
            )
        )
        Photo.objects.filter(pk=first.pk).update(deleted_at=timezone.now())
        response = client.post(
            reverse("admin:articles_photo_add"),
            {
                **photo_form(first, caption="", creator="Anna Alt"),
                "image": SimpleUploadedFile("anderer-name.jpg", jpeg()),
            },
        )
        html = response.content.decode()
        assert "Dieses Bild liegt im Papierkorb („Rathaus im Nebel“)" in html
        assert Photo.objects.count() == 1

    def test_an_upload_of_a_stored_file_is_refused_with_a_link(self, client):
        client.force_login(UserFactory(username="bildchefin", is_superuser=True))
        first = save_photo(
            Photo(
                image=SimpleUploadedFile("a.jpg", jpeg()),
                caption="Rathaus im Nebel",
                alt_text="Rathaus",
                creator="Anna Alt",
            )
        )
        response = client.post(
            reverse("admin:articles_photo_add"),
            {
                **photo_form(first, caption="", creator="Anna Alt"),
                "image": SimpleUploadedFile("anderer-name.jpg", jpeg()),
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Dieses Bild gibt es schon" in html
        link = reverse("admin:articles_photo_change", args=[first.pk])
        assert f'<a href="{link}">Rathaus im Nebel</a>' in html
        assert Photo.objects.count() == 1

    def test_another_file_uploads_and_keeps_its_hash(self, client):
        client.force_login(UserFactory(username="bildchefin", is_superuser=True))
        save_photo(Photo(image=SimpleUploadedFile("a.jpg", jpeg()), creator="A"))
        response = client.post(
            reverse("admin:articles_photo_add"),
            {
                **photo_form(Photo(creator="B", alt_text="Anderes")),
                "image": SimpleUploadedFile("b.jpg", jpeg("olive")),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Photo.objects.count() == 2
        assert all(len(photo.content_hash) == 64 for photo in Photo.objects.all())

    def test_import_photos_recognises_an_admin_upload(self, tmp_path):
        data = sample_path("photos/cp-canadian-press.jpg").read_bytes()
        uploaded = save_photo(Photo(image=SimpleUploadedFile("cp.jpg", data)))
        inbox = tmp_path / "eingang"
        inbox.mkdir()
        (inbox / "umbenannt.jpg").write_bytes(data)
        out = StringIO()
        call_command("import_photos", str(inbox), stdout=out)
        assert "unchanged 1" in out.getvalue()
        assert list(Photo.objects.all()) == [uploaded]

    def test_an_upload_recognises_a_photo_from_import_photos(self, client, tmp_path):
        data = sample_path("photos/cp-canadian-press.jpg").read_bytes()
        inbox = tmp_path / "eingang"
        inbox.mkdir()
        (inbox / "cp.jpg").write_bytes(data)
        call_command("import_photos", str(inbox), stdout=StringIO())
        imported = Photo.objects.get()
        client.force_login(UserFactory(username="bildchefin", is_superuser=True))
        response = client.post(
            reverse("admin:articles_photo_add"),
            {
                **photo_form(Photo(alt_text="Logo")),
                "image": SimpleUploadedFile("hochgeladen.jpg", data),
            },
        )
        assert "Dieses Bild gibt es schon" in response.content.decode()
        assert list(Photo.objects.all()) == [imported]


def test_every_saved_photo_records_the_hash_of_its_bytes():
    photo = PhotoFactory(agency=AgencyFactory())
    photo.image.open("rb")
    assert photo.content_hash == hashlib.sha256(photo.image.read()).hexdigest()
