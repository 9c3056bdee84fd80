"""Pictures of every kind cameras, scanners and tools write become proper
renditions, and refused uploads say why. Images are drawn here with Pillow."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Photo
from articles.photos.renditions import RenditionSpec, get_rendition, render
from articles.photos.saving import save_photo
from articles.photos.upload_checks import check_image_file
from tests.factories import UserFactory

WIDTH = 256
JPEG = RenditionSpec("orig", 320, "jpg")
WEBP = RenditionSpec("orig", 320, "webp")


def encoded(image: Image.Image, image_format: str, **options) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    buffer.seek(0)
    return buffer


def gradient(mode: str, top: float) -> Image.Image:
    """Black on the left to the mode's white (`top`) on the right."""
    image = Image.new(mode, (WIDTH, 8))
    values = [x * top / (WIDTH - 1) for x in range(WIDTH)]
    if mode != "F":
        values = [round(value) for value in values]
    image.putdata(values * 8)
    return image


def greys(rendered) -> list[int]:
    """Grey at the left edge, a quarter, the middle and the right edge."""
    with Image.open(io.BytesIO(rendered.content)) as image:
        grey = image.convert("L")
        y = grey.height // 2
        return [grey.getpixel((x, y)) for x in (0, 64, 128, WIDTH - 1)]


def assert_gradient(rendered) -> None:
    left, quarter, middle, right = greys(rendered)
    assert left < 8
    assert 50 < quarter < 80
    assert 115 < middle < 140
    assert right > 247


def png_16_bit_rgb() -> io.BytesIO:
    """A 16-bit RGB PNG (Pillow writes none): red rises, blue falls."""
    rows = b"".join(
        b"\x00"
        + b"".join(struct.pack(">HHH", x * 257, 0, 65535 - x * 257) for x in range(256))
        for _ in range(8)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 256, 8, 16, 2, 0, 0, 0)
    return io.BytesIO(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class TestHighBitDepth:
    @pytest.mark.parametrize("spec", [JPEG, WEBP], ids=str)
    @pytest.mark.parametrize(
        ("mode", "top", "image_format"),
        [
            ("I;16", 65535, "PNG"),
            ("I;16", 65535, "TIFF"),
            ("I", 65535, "TIFF"),
            ("I", 255, "TIFF"),
            ("F", 1.0, "TIFF"),
            ("F", 65535.0, "TIFF"),
        ],
    )
    def test_grey_of_many_bits_keeps_its_tones(self, spec, mode, top, image_format):
        source = encoded(gradient(mode, top), image_format)
        with Image.open(source) as opened:
            assert opened.mode == mode
        source.seek(0)
        assert_gradient(render(source, spec))

    def test_16_bit_rgb_png_keeps_its_colours(self):
        rendered = render(png_16_bit_rgb(), JPEG)
        with Image.open(io.BytesIO(rendered.content)) as image:
            left, right = image.getpixel((2, 4)), image.getpixel((253, 4))
        assert left[0] < 10 and left[2] > 245
        assert right[0] > 245 and right[2] < 10

    def test_16_bit_grey_with_a_transparent_value_is_white_there(self):
        image = gradient("I;16", 65535)
        image.info["transparency"] = 0
        source = encoded(image, "PNG", transparency=0)
        left, quarter, _middle, _right = greys(render(source, JPEG))
        assert left > 247  # transparent: on white
        assert 50 < quarter < 80


class TestModes:
    def test_cmyk_jpeg_shows_its_colours(self):
        cyan = Image.new("CMYK", (64, 48), (255, 0, 0, 0))
        rendered = render(encoded(cyan, "JPEG"), JPEG)
        with Image.open(io.BytesIO(rendered.content)) as image:
            red, green, blue = image.getpixel((32, 24))
        assert red < 20 and green > 235 and blue > 235

    @pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
    def test_grey_with_alpha_is_put_on_white(self, image_format):
        image = Image.new("LA", (64, 48), (0, 0))
        image.paste((40, 255), (32, 0, 64, 48))
        rendered = render(encoded(image, image_format), JPEG)
        with Image.open(io.BytesIO(rendered.content)) as out:
            grey = out.convert("L")
            assert grey.getpixel((8, 24)) > 247
            assert abs(grey.getpixel((56, 24)) - 40) < 8

    @pytest.mark.parametrize(
        ("mode", "colour", "transparent"),
        [
            ("L", 0, 0),
            ("RGB", (0, 0, 0), (0, 0, 0)),
            ("P", 0, 0),
        ],
    )
    def test_a_transparent_colour_is_put_on_white(self, mode, colour, transparent):
        image = Image.new(mode, (64, 48), colour)
        if mode == "P":
            image.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
            image.paste(1, (32, 0, 64, 48))
        else:
            image.paste(200 if mode == "L" else (200, 30, 30), (32, 0, 64, 48))
        rendered = render(encoded(image, "PNG", transparency=transparent), JPEG)
        with Image.open(io.BytesIO(rendered.content)) as out:
            assert out.convert("L").getpixel((8, 24)) > 247  # was black
            assert out.convert("L").getpixel((56, 24)) < 230  # the colour

    def test_bilevel_images_render(self):
        image = Image.new("1", (64, 48), 0)
        image.paste(1, (32, 0, 64, 48))
        rendered = render(encoded(image, "PNG"), JPEG)
        with Image.open(io.BytesIO(rendered.content)) as out:
            assert out.convert("L").getpixel((8, 24)) < 10
            assert out.convert("L").getpixel((56, 24)) > 245


def upload(buffer: io.BytesIO, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, buffer.getvalue())


def mpo() -> io.BytesIO:
    """A camera's multi-picture JPEG: the photo, then a second (blue) one."""
    first = Image.new("RGB", (320, 240), "red")
    return encoded(
        first,
        "MPO",
        save_all=True,
        append_images=[Image.new("RGB", (320, 240), "blue")],
    )


class TestMultiPictureJpeg:
    def test_is_accepted(self):
        assert check_image_file(upload(mpo(), "DSCF0001.MPO")) == "MPO"

    def test_renders_its_first_picture(self):
        rendered = render(mpo(), RenditionSpec("orig", 320, "jpg"))
        with Image.open(io.BytesIO(rendered.content)) as image:
            red, _green, blue = image.getpixel((160, 120))
        assert red > 240 and blue < 20

    @pytest.mark.django_db
    def test_is_saved_as_a_jpeg_with_the_first_picture_s_size(self):
        photo = save_photo(Photo(image=upload(mpo(), "DSCF0001.MPO"), alt_text="x"))
        assert photo.image.name.endswith(".jpg")
        assert (photo.width, photo.height) == (320, 240)
        rendition = get_rendition(photo, RenditionSpec("4x3", 320, "webp"))
        with rendition.file.open("rb") as file, Image.open(file) as image:
            assert image.getpixel((160, 120))[0] > 240


def animation(frames: int, image_format: str = "GIF") -> io.BytesIO:
    pictures = [Image.new("P", (16, 16), number % 2) for number in range(frames)]
    for picture in pictures:
        picture.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    return encoded(pictures[0], image_format, save_all=True, append_images=pictures[1:])


class TestFrames:
    @pytest.mark.parametrize("image_format", ["GIF", "PNG", "WEBP"])
    def test_too_many_frames_are_refused(self, settings, image_format):
        settings.NEWSROOM_PHOTO_MAX_FRAMES = 10
        with pytest.raises(Exception, match="enthält 11 Einzelbilder") as refused:
            check_image_file(upload(animation(11, image_format), "a.gif"))
        assert refused.value.code == "too_many_frames"

    def test_an_animation_within_the_limit_is_accepted(self, settings):
        settings.NEWSROOM_PHOTO_MAX_FRAMES = 10
        assert check_image_file(upload(animation(10), "a.gif")) == "GIF"


@pytest.mark.django_db
class TestRefusedUploadsSayWhy:
    """Through the admin's upload form, on either database."""

    @pytest.fixture
    def post(self, client):
        client.force_login(UserFactory(username="chefin", is_superuser=True))

        def post(content: bytes, name: str) -> str:
            response = client.post(
                "/admin/articles/photo/add/",
                {
                    "image": SimpleUploadedFile(name, content),
                    "alt_text": "x",
                    "focal_x": "0.5",
                    "focal_y": "0.5",
                },
            )
            assert response.status_code == 200
            assert not Photo.objects.exists()
            return " ".join(response.context["adminform"].form.errors["image"])

        return post

    def test_too_many_pixels(self, post, settings):
        settings.NEWSROOM_PHOTO_MAX_PIXELS = 1000
        image = encoded(Image.new("RGB", (64, 48), "red"), "JPEG").getvalue()
        message = post(image, "gross.jpg")
        assert "64 × 48 Pixel" in message and "höchstens 0 Megapixel" in message

    def test_more_pixels_than_pillow_opens(self, post, settings):
        # 20000 × 20000 = 400 megapixels in a few kilobytes: Pillow refuses
        # to open it at all.
        settings.NEWSROOM_PHOTO_MAX_PIXELS = 50_000_000
        image = encoded(Image.new("1", (20000, 20000)), "PNG").getvalue()
        message = post(image, "riesig.png")
        assert "400.0 Megapixel" in message
        assert "höchstens 50 Megapixel" in message

    def test_too_large(self, post, settings):
        settings.NEWSROOM_PHOTO_MAX_BYTES = 100
        image = encoded(Image.new("RGB", (64, 48), "red"), "JPEG").getvalue()
        assert "höchstens 0 MB" in post(image, "gross.jpg")

    def test_too_many_frames(self, post, settings):
        settings.NEWSROOM_PHOTO_MAX_FRAMES = 3
        message = post(animation(4).getvalue(), "animiert.gif")
        assert "enthält 4 Einzelbilder" in message
        assert "höchstens 3" in message

    def test_not_an_image(self, post):
        message = post(b"%PDF-1.7 kein Bild", "foto.jpg")
        assert "keine Bilddatei" in message
