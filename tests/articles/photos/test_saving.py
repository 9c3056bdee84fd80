import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Agency, Photo
from articles.photos.saving import resolve_agency, save_photo
from articles.photos.upload_checks import check_image_file
from tests.articles.photos.test_metadata import iim_dataset, photoshop_segment
from tests.factories import AgencyFactory, UserFactory
from tests.samples import sample_path

pytestmark = pytest.mark.django_db


def image_bytes(size=(64, 48), image_format="JPEG", **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, image_format, **save_options)
    return buffer.getvalue()


def upload(content: bytes, name="upload.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class TestUploadChecks:
    @pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
    def test_accepted_formats(self, image_format):
        assert check_image_file(upload(image_bytes(image_format=image_format))) == (
            image_format
        )

    def test_file_that_is_no_image_is_refused(self):
        with pytest.raises(ValidationError, match="keine Bilddatei"):
            check_image_file(upload(b"%PDF-1.7 not a picture", "bild.jpg"))

    def test_truncated_file_is_refused(self):
        content = image_bytes(size=(800, 600))
        with pytest.raises(ValidationError, match="beschädigt oder unvollständig"):
            check_image_file(upload(content[: len(content) // 2]))

    def test_format_is_judged_by_content_not_name(self):
        with pytest.raises(ValidationError, match="Bildformat BMP"):
            check_image_file(upload(image_bytes(image_format="BMP"), "harmlos.jpg"))

    def test_too_many_pixels_is_refused(self, settings):
        settings.NEWSROOM_PHOTO_MAX_PIXELS = 1000
        with pytest.raises(ValidationError, match=r"64 × 48 Pixel"):
            check_image_file(upload(image_bytes()))

    def test_too_many_bytes_is_refused(self, settings):
        settings.NEWSROOM_PHOTO_MAX_BYTES = 100
        with pytest.raises(ValidationError, match="höchstens 0 MB"):
            check_image_file(upload(image_bytes()))

    def test_decompression_bomb_is_refused(self, settings):
        # A tiny PNG that claims 30000 × 30000 pixels: Pillow's bomb guard
        # fires before our own pixel limit would.
        settings.NEWSROOM_PHOTO_MAX_PIXELS = 10**10
        buffer = io.BytesIO()
        Image.new("1", (30000, 30000)).save(buffer, "PNG")
        with pytest.raises(ValidationError, match="Dekompressionsbombe"):
            check_image_file(upload(buffer.getvalue(), "bomb.png"))

    def test_refused_file_stores_nothing(self, media_root):
        photo = Photo(image=upload(b"GIF89a broken", "x.gif"), alt_text="x")
        with pytest.raises(ValidationError):
            save_photo(photo)
        assert photo.pk is None
        assert not Photo.objects.exists()
        assert not list(media_root.rglob("*.gif"))

    def test_stored_name_is_generated(self):
        photo = save_photo(
            Photo(image=upload(image_bytes(), "../../etc/pass wd.jpg"), alt_text="x")
        )
        assert photo.image.name.startswith("photos/")
        assert "etc" not in photo.image.name
        assert "pass" not in photo.image.name
        assert photo.image.name.endswith(".jpg")


class TestAgencyResolution:
    @pytest.mark.parametrize(
        "credit",
        ["dpa", "DPA", "dpa/picture alliance", "Foto: dpa", "Peter Kneffel/dpa"],
    )
    def test_spellings_of_dpa_resolve_to_dpa(self, credit):
        assert resolve_agency(credit).short_name == "dpa"

    def test_alias_resolves(self):
        assert resolve_agency("Agence France-Presse").short_name == "AFP"

    def test_agency_in_the_middle_of_a_chain_resolves(self):
        assert resolve_agency("ANTHONY WALLACE/AFP/Getty Images").short_name == "AFP"

    def test_an_unknown_name_in_a_credit_creates_no_agency(self):
        # Free text in a file's metadata is no agency (issue 15, point 10).
        assert resolve_agency("Max Muster/Nordbild") is None
        assert resolve_agency("Foto: privat") is None
        assert not Agency.objects.filter(short_name__in=["Nordbild", "privat"])

    def test_no_credit_no_agency(self):
        assert resolve_agency("", "") is None
        assert Agency.objects.filter(needs_review=True).count() == 0


def sample_upload(name: str) -> SimpleUploadedFile:
    return upload(sample_path(f"photos/{name}").read_bytes(), name)


class TestPrefillFromSamples:
    def test_iptc_reference_photo_fills_every_empty_field(self):
        photo = save_photo(
            Photo(image=sample_upload("IPTC-PhotometadataRef-Std2023.2.jpg"))
        )
        assert photo.creator == "Creator1 (ref2023.2)"
        assert photo.credit_line == "Credit Line (ref2023.2)"
        assert photo.credit == "Credit Line (ref2023.2)"  # verbatim
        assert "(ref2023.2)" in photo.copyright_notice
        assert photo.source == "Source (ref2023.2)"
        assert photo.caption == "The description aka caption (ref2023.2)"
        assert photo.headline == "The Headline (ref2023.2)"
        assert photo.usage_terms == "Rights Usage Terms (ref2023.2)"
        assert (
            photo.web_statement == "https://example.com/WebStatementOfRights/ref2023.2"
        )
        assert photo.alt_text.startswith("This is the Alt Text description")
        assert (photo.width, photo.height) == (2000, 1000)
        # The credit names no agency we know: kept as text, no agency made.
        assert photo.agency is None
        assert not Agency.objects.filter(needs_review=True).exists()

    def test_editor_text_is_never_overwritten(self):
        photo = save_photo(
            Photo(
                image=sample_upload("IPTC-PhotometadataRef-Std2017.1.jpg"),
                caption="Von der Bildredaktion",
                credit_line="Max Muster/dpa",
            )
        )
        assert photo.caption == "Von der Bildredaktion"
        assert photo.credit_line == "Max Muster/dpa"
        assert photo.agency.short_name == "dpa"
        assert photo.headline == "The Headline (ref2017.1)"

    def test_canadian_press_photo_keeps_its_credit_without_inventing_an_agency(
        self,
    ):
        photo = save_photo(Photo(image=sample_upload("cp-canadian-press.jpg")))
        assert photo.creator == "Paul Chiasson"
        assert photo.credit == "The Canadian Press"
        assert photo.caption.startswith("The Montreal Police logo")
        assert photo.agency is None
        assert not Agency.objects.filter(short_name="The Canadian Press").exists()

    def test_photo_with_only_a_copyright_notice(self):
        photo = save_photo(
            Photo(image=sample_upload("digital-nature-10485007-copyright-only.jpg"))
        )
        assert photo.copyright_notice == "(c) Aprescindere | Dreamstime.com"
        assert photo.credit == ""
        assert photo.agency is None

    def test_stripped_dpa_photo_carries_nothing(self):
        photo = save_photo(
            Photo(image=sample_upload("dpa-picture-171117-99-908458-stripped.jpg"))
        )
        assert (photo.caption, photo.creator, photo.credit) == ("", "", "")
        assert photo.missing_for_publication == ["Bildquelle", "Alternativtext"]


class TestControlCharactersInMetadata:
    """Metadata comes from any camera and tool: what is stored is clean."""

    def jpeg_with_iim(self, **datasets: bytes) -> SimpleUploadedFile:
        numbers = {"caption": 120, "creator": 80, "credit_line": 110, "source": 115}
        iim = b"".join(
            iim_dataset(2, numbers[field], value) for field, value in datasets.items()
        )
        data = image_bytes()
        # Pillow cannot write IIM, so the segment goes in right after SOI.
        return upload(data[:2] + photoshop_segment(iim) + data[2:])

    def test_a_nul_in_iptc_becomes_a_clean_value(self):
        AgencyFactory(short_name="Nordbild", name="Nordbild Fotoagentur")
        photo = save_photo(
            Photo(
                image=self.jpeg_with_iim(
                    caption="Bühne\x00 am\x1b Ufer\rzweite Zeile".encode(),
                    creator=b"Anna\x00 Schmidt\x00\x00",
                    credit_line=b"Anna Schmidt/Nord\x00bild",
                )
            )
        )
        stored = Photo.objects.values("caption", "creator", "credit_line").get()
        assert stored == {
            "caption": "Bühne am Ufer\nzweite Zeile",
            "creator": "Anna Schmidt",
            "credit_line": "Anna Schmidt/Nordbild",
        }
        # The agency is looked up from the credit, cleaned too.
        assert photo.agency.short_name == "Nordbild"

    def test_a_nul_in_the_source_does_not_reach_the_agency_lookup(self):
        AgencyFactory(short_name="Nordbild", name="Nordbild Fotoagentur")
        photo = save_photo(Photo(image=self.jpeg_with_iim(source=b"Nord\x00bild")))
        assert Agency.objects.get(pk=photo.agency_id).short_name == "Nordbild"

    def test_admin_upload_with_a_nul_in_iptc_is_saved_clean(self, client):
        client.force_login(UserFactory(username="chefin", is_superuser=True))
        response = client.post(
            "/admin/articles/photo/add/",
            {
                "image": self.jpeg_with_iim(caption=b"Hafen\x00fest"),
                "alt_text": "Ein Fest",
                "focal_x": "0.5",
                "focal_y": "0.5",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Photo.objects.get().caption == "Hafenfest"
