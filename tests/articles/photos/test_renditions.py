import io
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image, ImageCms

from articles.models import Photo, Rendition
from articles.photos.renditions import (
    RenditionSpec,
    UnknownSpec,
    crop_box,
    get_rendition,
    picture_for,
    render,
    rendition_url,
)
from articles.photos.saving import save_photo
from tests.factories import (
    ArticlePhotoFactory,
    PhotoFactory,
    SponsoredSlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def jpeg(image: Image.Image, **options) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, **options)
    buffer.seek(0)
    return buffer


def halves(size=(1600, 900)) -> Image.Image:
    """Left half red, right half blue: shows where a crop was taken."""
    image = Image.new("RGB", size, (220, 0, 0))
    image.paste((0, 0, 220), (size[0] // 2, 0, size[0], size[1]))
    return image


class TestSpec:
    def test_round_trip(self):
        assert str(RenditionSpec.parse("16x9-640.webp")) == "16x9-640.webp"

    @pytest.mark.parametrize(
        "text", ["16x9-641.webp", "3x2-640.webp", "16x9-640.bmp", "../../etc", "x"]
    )
    def test_only_fixed_specs_exist(self, text):
        with pytest.raises(UnknownSpec):
            RenditionSpec.parse(text)


class TestRender:
    def test_crop_to_ratio_and_width(self):
        out = render(jpeg(halves()), RenditionSpec("1x1", 320, "jpg"))
        with Image.open(io.BytesIO(out.content)) as image:
            assert image.size == (out.width, out.height) == (320, 320)
            assert image.format == "JPEG"

    def test_crop_centres_on_the_focal_point(self):
        spec = RenditionSpec("1x1", 320, "webp")
        right = render(jpeg(halves()), spec, focal=(0.95, 0.5))
        left = render(jpeg(halves()), spec, focal=(0.05, 0.5))
        with Image.open(io.BytesIO(right.content)) as image:
            red, _, blue = image.convert("RGB").getpixel((160, 160))
            assert blue > 150 and red < 60
        with Image.open(io.BytesIO(left.content)) as image:
            red, _, blue = image.convert("RGB").getpixel((160, 160))
            assert red > 150 and blue < 60

    def test_crop_box_stays_inside_the_image(self):
        assert crop_box((1600, 900), (1, 1), (1.0, 0.0)) == (700.0, 0.0, 1600.0, 900.0)

    def test_never_upscales(self):
        out = render(jpeg(halves((200, 100))), RenditionSpec("orig", 1920, "webp"))
        assert (out.width, out.height) == (200, 100)

    def test_exif_orientation_is_applied_and_metadata_stripped(self):
        exif = Image.Exif()
        exif[0x0112] = 6  # rotate 90° clockwise when shown
        exif[0x013B] = "Fotograf"
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPS
        source = jpeg(halves((400, 200)), exif=exif)
        out = render(source, RenditionSpec("orig", 320, "jpg"))
        with Image.open(io.BytesIO(out.content)) as image:
            assert image.size == (200, 400)  # portrait, as shown; not upscaled
            # Turned clockwise: the red left half is now on top.
            assert image.getpixel((100, 20))[0] > 150
            assert image.getpixel((100, 380))[2] > 150
            assert not image.getexif()
            assert "icc_profile" not in image.info

    def test_colour_profile_is_converted_to_srgb(self):
        # A CMYK JPEG with an embedded profile comes out as plain sRGB.
        cmyk = Image.new("CMYK", (400, 300), (0, 255, 255, 0))  # red ink
        source = io.BytesIO()
        cmyk.save(source, "JPEG", quality=95)
        source.seek(0)
        out = render(source, RenditionSpec("orig", 320, "webp"))
        with Image.open(io.BytesIO(out.content)) as image:
            assert image.mode == "RGB"
            red, green, blue = image.getpixel((10, 10))
            assert red > 200 and green < 60 and blue < 60

    def test_srgb_profile_passes_through(self):
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        out = render(
            jpeg(halves(), icc_profile=srgb), RenditionSpec("16x9", 320, "jpg")
        )
        with Image.open(io.BytesIO(out.content)) as image:
            assert "icc_profile" not in image.info

    def test_transparent_png_becomes_white_jpeg(self):
        source = io.BytesIO()
        Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(source, "PNG")
        source.seek(0)
        out = render(source, RenditionSpec("orig", 320, "jpg"))
        with Image.open(io.BytesIO(out.content)) as image:
            assert image.getpixel((5, 5)) == (255, 255, 255)


class TestStoredRenditions:
    def test_rendered_once_under_a_deterministic_name(self):
        photo = PhotoFactory()
        spec = RenditionSpec("16x9", 320, "webp")
        first = get_rendition(photo, spec)
        second = get_rendition(photo, spec)
        assert first.pk == second.pk
        assert Rendition.objects.count() == 1
        assert first.file.name.endswith(f"/{photo.pk}/{first.version}/16x9-320.webp")

    def test_database_allows_one_row_per_spec(self):
        from django.db import IntegrityError, transaction

        rendition = get_rendition(PhotoFactory(), RenditionSpec("1x1", 320, "jpg"))
        with pytest.raises(IntegrityError), transaction.atomic():
            Rendition.objects.create(
                photo=rendition.photo,
                version=rendition.version,
                spec=rendition.spec,
                file="x",
                width=1,
                height=1,
            )

    def test_moving_the_focal_point_gives_new_urls(self):
        photo = PhotoFactory()
        before = rendition_url(photo, RenditionSpec("1x1", 320, "jpg"))
        photo.focal_x = 0.1
        assert rendition_url(photo, RenditionSpec("1x1", 320, "jpg")) != before


class TestPictureMarkup:
    def test_srcset_covers_fixed_widths_up_to_the_source(self):
        photo = PhotoFactory(image__width=1000, image__height=500)
        picture = picture_for(photo, "orig")
        assert [part.split()[-1] for part in picture.webp_srcset.split(", ")] == [
            "320w",
            "480w",
            "640w",
            "960w",
            "1000w",
        ]
        assert (picture.width, picture.height) == (1000, 500)
        assert "/orig-640.jpg" in picture.src

    def test_article_page_uses_picture_with_webp_and_dimensions(self, client):
        from tests.factories import ArticlePhotoFactory

        use = ArticlePhotoFactory(photo__image__width=1280, photo__image__height=720)
        html = client.get(use.article.get_absolute_url()).content.decode()
        lead = html[html.index('<figure class="photo article__lead">') :]
        lead = lead[: lead.index("</figure>")]
        assert '<source type="image/webp" srcset="' in lead
        assert 'width="1280" height="720"' in lead
        assert 'loading="lazy"' not in lead  # the lead is above the fold
        assert 'fetchpriority="high"' in lead  # the largest paint: fetched first
        assert "Foto: Peter Kneffel/dpa" in lead

    def test_only_the_front_page_feature_picture_is_fetched_first(self, client):
        from tests.factories import ArticlePhotoFactory, RailItemFactory

        for rail_order in (0, 1):
            for _ in range(3):
                RailItemFactory(
                    rail__slug=f"leiste-{rail_order}",
                    rail__order=rail_order,
                    article=ArticlePhotoFactory().article,
                )
        html = client.get("/").content.decode()
        images = re.findall(r"<img [^>]*>", html)
        assert len(images) == 6
        assert 'fetchpriority="high"' in images[0]
        assert not any('fetchpriority="high"' in image for image in images[1:])


class TestRenditionView:
    def test_serves_the_image_with_a_cache_lifetime(self, client):
        photo = ArticlePhotoFactory().photo  # shown by a published article
        response = client.get(rendition_url(photo, RenditionSpec("16x9", 320, "webp")))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        assert "max-age=86400" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]

    def test_cache_lifetime_ends_with_the_licence(self, client):
        photo = ArticlePhotoFactory(
            photo__licence_expires_at=timezone.now() + timedelta(minutes=10)
        ).photo
        response = client.get(rendition_url(photo, RenditionSpec("16x9", 320, "jpg")))
        max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert 500 < max_age <= 600

    @pytest.mark.parametrize(
        "fields",
        [
            {"licence_expires_at": timezone.now() - timedelta(minutes=1)},
            {"killed_at": timezone.now() - timedelta(minutes=1)},
        ],
        ids=["expired", "killed"],
    )
    def test_unusable_photo_is_not_served_publicly(self, client, fields):
        photo = PhotoFactory(**fields)
        url = rendition_url(photo, RenditionSpec("16x9", 320, "jpg"))
        assert client.get(url).status_code == 404
        desk = UserFactory(username="bildredaktion")
        desk.groups.add(Group.objects.get(name="Bildredaktion"))
        client.force_login(desk)
        staff = client.get(url)
        assert staff.status_code == 200
        assert "no-store" in staff["Cache-Control"]

    def test_unknown_spec_answers_404(self, client):
        photo = PhotoFactory()
        assert client.get(f"/bild/{photo.pk}/abc/16x9-333.webp").status_code == 404

    def test_old_version_redirects_to_the_current_crop(self, client):
        photo = ArticlePhotoFactory().photo
        spec = RenditionSpec("1x1", 320, "jpg")
        old = rendition_url(photo, spec)
        photo.focal_x = 0.2
        photo.save()
        response = client.get(old)
        assert response.status_code == 302
        assert response["Location"] == rendition_url(photo, spec)

    @pytest.mark.parametrize(
        "article",
        [
            {"draft": True},
            {"scheduled": True},
            {"embargo_until": timezone.now() + timedelta(hours=1)},
        ],
        ids=["draft", "scheduled", "embargoed"],
    )
    def test_photo_of_an_unpublished_story_is_reachable_only_by_its_exact_address(
        self, client, article
    ):
        photo = ArticlePhotoFactory(
            **{f"article__{key}": value for key, value in article.items()}
        ).photo
        spec = RenditionSpec("16x9", 320, "jpg")
        exact = client.get(rendition_url(photo, spec))  # as a preview shows it
        assert exact.status_code == 200
        assert "no-store" in exact["Cache-Control"]
        # No redirect tells a guesser the current address.
        guessed = f"/bild/{photo.pk}/0000000000/{spec}"
        assert client.get(guessed).status_code == 404

    def test_photo_of_a_running_sponsored_slot_is_public(self, client):
        photo = SponsoredSlotFactory(photo=PhotoFactory()).photo
        response = client.get(rendition_url(photo, RenditionSpec("16x9", 320, "jpg")))
        assert "public" in response["Cache-Control"]

    def test_originals_are_not_served(self, client):
        photo = PhotoFactory()
        assert client.get(f"/media/{photo.image.name}").status_code == 404


class TestCommands:
    def test_generate_is_resumable_and_has_a_dry_run(self):
        photo = PhotoFactory(image__width=500, image__height=400)
        out = StringIO()
        call_command("generate_renditions", "--dry-run", stdout=out)
        assert Rendition.objects.count() == 0
        assert "would create" in out.getvalue()
        call_command("generate_renditions", stdout=StringIO())
        created = Rendition.objects.filter(photo=photo).count()
        # 4 ratios × (320, 480, one at source width where smaller) × 2 formats
        assert created > 0
        out = StringIO()
        call_command("generate_renditions", stdout=out)
        assert "0 renditions created" in out.getvalue()
        assert Rendition.objects.count() == created

    def test_a_run_with_nothing_to_do_reads_no_photo(self, count_queries):
        photos = PhotoFactory.create_batch(3, image__width=400, image__height=300)
        call_command("generate_renditions", stdout=StringIO())
        assert (
            count_queries(
                lambda: call_command("generate_renditions", stdout=StringIO())
            )
            == 1
        )  # the photos still missing renditions: none
        # A moved focal point needs new crops: that photo is read again.
        photos[1].focal_x = 0.8
        photos[1].save(update_fields=["focal_x"])
        out = StringIO()
        call_command("generate_renditions", stdout=out)
        assert out.getvalue().startswith("1 photos:")
        assert "0 renditions created" not in out.getvalue()
        assert Photo.objects.filter(renditions_complete=False).count() == 0

    def test_expired_photos_are_not_pre_generated(self):
        PhotoFactory(killed_at=timezone.now())
        call_command("generate_renditions", stdout=StringIO())
        assert not Rendition.objects.exists()

    def test_orphans_are_removed(self, media_root):
        photo = PhotoFactory()
        old = get_rendition(photo, RenditionSpec("1x1", 320, "jpg"))
        stray = media_root / "renditions" / "999" / "x" / "1x1-320.jpg"
        stray.parent.mkdir(parents=True)
        stray.write_bytes(b"stray")
        photo.focal_x = 0.9
        photo.save()
        current = get_rendition(photo, RenditionSpec("1x1", 320, "jpg"))
        out = StringIO()
        call_command("remove_orphaned_renditions", stdout=out)
        assert "2 orphaned" in out.getvalue()
        assert list(Rendition.objects.all()) == [current]
        assert not stray.exists()
        assert not (media_root / old.file.name).exists()
        assert (media_root / current.file.name).exists()


def test_photo_upload_through_admin_form_reports_broken_file(client, media_root):
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    response = client.post(
        "/admin/articles/photo/add/",
        {
            "image": SimpleUploadedFile("kaputt.jpg", b"\xff\xd8\xff\xe0 broken"),
            "alt_text": "x",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Photo.objects.exists()


def test_admin_upload_prefills_size_and_saves(client):
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    buffer = jpeg(halves((640, 360)))
    response = client.post(
        "/admin/articles/photo/add/",
        {
            "image": SimpleUploadedFile("foto.jpg", buffer.getvalue()),
            "alt_text": "Zwei Farbflächen",
            "creator": "Lisa Lokal",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (640, 360)
    assert photo.credit == "Lisa Lokal"


def test_save_photo_records_displayed_size_of_rotated_photo():
    exif = Image.Exif()
    exif[0x0112] = 6
    photo = save_photo(
        Photo(
            image=SimpleUploadedFile(
                "r.jpg", jpeg(halves((400, 200)), exif=exif).read()
            ),
            alt_text="x",
        )
    )
    assert (photo.width, photo.height) == (200, 400)
