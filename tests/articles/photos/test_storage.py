"""Originals and renditions on the file system and on an S3 object store.

Every web machine must see the same media, so the code reaches them only
through Django's storage API. Each test runs on MEDIA_ROOT and on a bucket
of a local S3 API server (moto's server mode, spoken to over HTTP by the
production backend, django-storages), and checks what the store holds with
the store's own means (the folder, boto3), not through Django.
"""

import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from articles.models import Photo, Rendition
from articles.photos.renditions import (
    RenditionSpec,
    all_specs,
    get_rendition,
    rendition_url,
)
from tests.factories import ArticlePhotoFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db


class FolderMedia:
    def __init__(self, root: Path):
        self.root = root

    def names(self) -> set[str]:
        if not self.root.exists():
            return set()
        return {
            path.relative_to(self.root).as_posix()
            for path in self.root.rglob("*")
            if path.is_file()
        }

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()


class BucketMedia:
    def __init__(self, client, bucket: str, media_root: Path):
        self.client, self.bucket, self.media_root = client, bucket, media_root

    def names(self) -> set[str]:
        # Nothing may land on this machine's disk instead.
        assert not self.media_root.exists() or not any(self.media_root.rglob("*"))
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket
        )
        return {entry["Key"] for page in pages for entry in page.get("Contents", ())}

    def read(self, name: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()


@pytest.fixture(params=["filesystem", "s3"])
def media(request, media_root):
    """Where media go: MEDIA_ROOT, or a bucket of the local S3 server."""
    if request.param == "s3":
        client, bucket = request.getfixturevalue("s3_media")
        return BucketMedia(client, bucket, media_root)
    return FolderMedia(media_root)


def jpeg_bytes(size=(800, 450)) -> bytes:
    """Left half red, right half blue: shows where a crop was taken."""
    image = Image.new("RGB", size, (220, 0, 0))
    image.paste((0, 0, 220), (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def real_photo(**fields) -> Photo:
    return PhotoFactory(image=ContentFile(jpeg_bytes(), name="foto.jpg"), **fields)


def test_an_uploaded_original_lands_in_the_store(client, media):
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    data = jpeg_bytes()
    response = client.post(
        "/admin/articles/photo/add/",
        {
            "image": SimpleUploadedFile("foto.jpg", data),
            "alt_text": "Zwei Farbflächen",
            "creator": "Lisa Lokal",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (800, 450)
    assert media.names() == {photo.image.name}
    assert media.read(photo.image.name) == data


def test_renditions_are_rendered_from_the_store_into_it(media):
    photo = real_photo()
    call_command("generate_renditions", stdout=StringIO())
    renditions = list(Rendition.objects.filter(photo=photo))
    assert sorted(r.spec for r in renditions) == sorted(map(str, all_specs(photo)))
    assert media.names() == {photo.image.name} | {r.file.name for r in renditions}
    square = next(r for r in renditions if r.spec == "1x1-320.jpg")
    with Image.open(io.BytesIO(media.read(square.file.name))) as image:
        assert (image.format, image.size) == ("JPEG", (320, 320))
        # The centred square takes both halves: red left, blue right.
        red, _green, blue = image.convert("RGB").getpixel((10, 160))
        assert red > 150 and blue < 80
        red, _green, blue = image.convert("RGB").getpixel((310, 160))
        assert blue > 150 and red < 80


def test_photo_addresses_are_served_from_the_store(client, media):
    photo = ArticlePhotoFactory(photo=real_photo()).photo
    spec = RenditionSpec("16x9", 480, "webp")
    response = client.get(rendition_url(photo, spec))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "public" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(body)) as image:
        assert (image.format, image.size) == ("WEBP", (480, 270))
    [rendition] = Rendition.objects.all()
    assert media.read(rendition.file.name) == body
    # Served again from the store, not rendered a second time.
    again = client.get(rendition_url(photo, spec))
    assert b"".join(again.streaming_content) == body
    assert Rendition.objects.count() == 1


def test_an_old_photo_address_redirects_to_the_current_crop(client, media):
    photo = ArticlePhotoFactory(photo=real_photo()).photo
    spec = RenditionSpec("1x1", 320, "jpg")
    old_address = rendition_url(photo, spec)
    assert client.get(old_address).status_code == 200
    photo.focal_x = 0.9
    photo.save()
    response = client.get(old_address)
    assert response.status_code == 302
    assert response["Location"] == rendition_url(photo, spec) != old_address
    served = client.get(response["Location"])
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        # The square now sits on the right, blue half.
        red, _green, blue = image.convert("RGB").getpixel((160, 160))
        assert blue > 150 and red < 80


def test_orphaned_renditions_are_removed_from_the_store(media):
    photo = real_photo()
    old = get_rendition(photo, RenditionSpec("1x1", 320, "jpg"))
    stray = default_storage.save("renditions/999/x/1x1-320.jpg", ContentFile(b"x"))
    photo.focal_x = 0.9
    photo.save()
    current = get_rendition(photo, RenditionSpec("1x1", 320, "jpg"))
    assert {old.file.name, stray, current.file.name} <= media.names()
    out = StringIO()
    call_command("remove_orphaned_renditions", stdout=out)
    assert "2 orphaned rendition file(s) removed" in out.getvalue()
    assert list(Rendition.objects.all()) == [current]
    assert media.names() == {photo.image.name, current.file.name}


def test_the_orphan_sweep_of_an_empty_store_finds_nothing(media):
    out = StringIO()
    call_command("remove_orphaned_renditions", stdout=out)
    assert "0 orphaned rendition file(s) removed" in out.getvalue()


def test_imported_photo_files_land_in_the_store(tmp_path, media):
    inbox = tmp_path / "eingang"  # apart from MEDIA_ROOT, which is in tmp_path
    inbox.mkdir()
    data = jpeg_bytes((640, 480))
    (inbox / "bild.jpg").write_bytes(data)
    out = StringIO()
    call_command("import_photos", str(inbox), stdout=out)
    assert "created 1" in out.getvalue()
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (640, 480)
    assert media.names() == {photo.image.name}
    assert media.read(photo.image.name) == data
