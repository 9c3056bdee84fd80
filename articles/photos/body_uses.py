"""The photos and galleries an article's body shows, and their record.

A body refers to them by blocks the body editor makes and the sanitiser
lets through (articles/sanitising.py, BODY_PHOTO_CROPS):

    <figure data-block="photo" data-photo="12" data-crop="16x9">
      <figcaption>caption for this use</figcaption></figure>
    <figure data-block="gallery" data-gallery="3"></figure>

The body keeps only ids: credit, licence, kill and the gallery's pictures
are read from their current rows when the page is rendered
(articles/public/body_photos.py). `record_body_uses` keeps `BodyPhoto` and
`BodyGallery` equal to what the saved body names; every save of an edit
calls it (workflow.services.save_article), and public pages show only what
they record, so "does a public page show this photo?" is one query.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import (
    Article,
    BodyGallery,
    BodyPhoto,
    Gallery,
    GalleryPicture,
    Photo,
)

# A block's opening tag as the sanitiser writes it; each attribute is read
# from it on its own, whatever their order.
BLOCK_TAG = re.compile(r'<figure\b[^>]*\bdata-block="(photo|gallery)"[^>]*>')
PHOTO_ID = re.compile(r'\bdata-photo="(\d{1,18})"')
GALLERY_ID = re.compile(r'\bdata-gallery="(\d{1,18})"')


@dataclass(frozen=True)
class BodyReferences:
    # ("photo" | "gallery", id) in the order of the body's blocks.
    blocks: tuple[tuple[str, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.blocks)

    @property
    def photo_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(pk for kind, pk in self.blocks if kind == "photo"))

    @property
    def gallery_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(pk for kind, pk in self.blocks if kind == "gallery"))


def body_references(html: str) -> BodyReferences:
    """The photo and gallery blocks a body holds, in order."""
    if "data-block" not in html:
        return BodyReferences()
    blocks = []
    for match in BLOCK_TAG.finditer(html):
        pattern = PHOTO_ID if match.group(1) == "photo" else GALLERY_ID
        if found := pattern.search(match.group(0)):
            blocks.append((match.group(1), int(found.group(1))))
    return BodyReferences(tuple(blocks))


CROP = re.compile(r'\bdata-crop="([^"]*)"')


def describe_blocks(html: str) -> str:
    """`html` with each photo and gallery block's opening tag as a line a
    person reads ("[Foto Nr. 12, Ausschnitt 16x9]"): the revision diff
    compares text, and a changed photo must show there."""
    if "data-block" not in html:
        return html

    def describe(match: re.Match) -> str:
        tag = match.group(0)
        if match.group(1) == "gallery":
            found = GALLERY_ID.search(tag)
            label = _("Bildergalerie Nr. %(id)s") % {"id": found and found.group(1)}
        else:
            found, crop = PHOTO_ID.search(tag), CROP.search(tag)
            label = _("Foto Nr. %(id)s") % {"id": found and found.group(1)}
            if crop and crop.group(1) != "orig":
                label += ", " + _("Ausschnitt %(crop)s") % {"crop": crop.group(1)}
        return f"<p>[{label}]</p><figure>"

    return BLOCK_TAG.sub(describe, html)


def check_body_references(html: str) -> BodyReferences:
    """The body's references, if each names an existing photo and gallery;
    else a ValidationError naming the missing ones (a form shows it)."""
    refs = body_references(html)
    missing = []
    if refs.photo_ids:
        found = set(
            Photo.objects.filter(pk__in=refs.photo_ids).values_list("pk", flat=True)
        )
        missing += [
            _("Foto Nr. %(id)s") % {"id": pk}
            for pk in refs.photo_ids
            if pk not in found
        ]
    if refs.gallery_ids:
        found = set(
            Gallery.objects.filter(pk__in=refs.gallery_ids).values_list("pk", flat=True)
        )
        missing += [
            _("Bildergalerie Nr. %(id)s") % {"id": pk}
            for pk in refs.gallery_ids
            if pk not in found
        ]
    if missing:
        raise ValidationError(
            _("Der Text verweist auf etwas, das es nicht (mehr) gibt: %(missing)s.")
            % {"missing": ", ".join(missing)},
            code="missing_body_media",
        )
    return refs


def record_body_uses(article: Article) -> None:
    """Make `BodyPhoto`/`BodyGallery` name exactly what the saved body
    names (ids that no longer exist are left out)."""
    refs = body_references(article.body)
    _sync(
        BodyPhoto,
        "photo_id",
        article,
        set(Photo.objects.filter(pk__in=refs.photo_ids).values_list("pk", flat=True))
        if refs.photo_ids
        else set(),
    )
    _sync(
        BodyGallery,
        "gallery_id",
        article,
        set(
            Gallery.objects.filter(pk__in=refs.gallery_ids).values_list("pk", flat=True)
        )
        if refs.gallery_ids
        else set(),
    )


def _sync(model, field: str, article: Article, wanted: set[int]) -> None:
    rows = model.objects.filter(article=article)
    have = set(rows.values_list(field, flat=True))
    if have - wanted:
        rows.filter(**{f"{field}__in": have - wanted}).delete()
    if wanted - have:
        model.objects.bulk_create(
            [model(article=article, **{field: pk}) for pk in wanted - have],
            ignore_conflicts=True,
        )


@dataclass(frozen=True)
class BodyMedia:
    """The usable photos and galleries a body shows at a moment, loaded in
    a fixed number of queries; what the page renders them from."""

    refs: BodyReferences
    photos: dict[int, Photo]
    galleries: dict[int, Gallery]
    # Each gallery's usable pictures, in order (photo and agency loaded).
    pictures: dict[int, list]

    def photos_in_order(self) -> list[Photo]:
        """Every photo the body shows, as a reader meets them: photos and
        gallery pictures in the order of their blocks (a repeat counts
        once per showing)."""
        shown = []
        for kind, pk in self.refs.blocks:
            if kind == "photo" and pk in self.photos:
                shown.append(self.photos[pk])
            elif kind == "gallery" and pk in self.galleries:
                shown += [picture.photo for picture in self.pictures[pk]]
        return shown

    def rows(self) -> list:
        """Every row the body's blocks are rendered from (the article
        page's memo key)."""
        rows = []
        for photo in self.photos.values():
            rows += [photo, *([photo.agency] if photo.agency_id else [])]
        for pk, gallery in self.galleries.items():
            rows.append(gallery)
            for picture in self.pictures[pk]:
                rows += [picture, picture.photo]
                if picture.photo.agency_id:
                    rows.append(picture.photo.agency)
        return rows

    def usable_until(self) -> list:
        """When each photo shown stops being usable (None: never)."""
        return [photo.usable_until for photo in self.photos_in_order()]


NO_MEDIA = BodyMedia(BodyReferences(), {}, {}, {})


def load_body_media(
    article: Article, at: datetime | None = None, *, recorded: bool = True
) -> BodyMedia:
    """The usable photos and galleries `article.body` shows at `at`, in at
    most three queries, also set as `article.body_media`.

    `recorded`: only what `BodyPhoto`/`BodyGallery` record for the saved
    article (public pages); previews of an unsaved or older text pass
    False and get what the text names.
    """
    at = at or timezone.now()
    refs = body_references(article.body)
    media = NO_MEDIA
    if refs:
        photos = Photo.objects.none()
        if refs.photo_ids:
            photos = Photo.objects.usable(at).filter(pk__in=refs.photo_ids)
            if recorded:
                photos = photos.filter(body_uses__article_id=article.pk)
        galleries = []
        if refs.gallery_ids:
            found = Gallery.objects.filter(pk__in=refs.gallery_ids)
            if recorded:
                found = found.filter(body_uses__article_id=article.pk)
            galleries = found.prefetch_related(
                Prefetch(
                    "pictures",
                    queryset=GalleryPicture.objects.usable(at),
                    to_attr="usable_pictures",
                )
            )
        galleries = {gallery.pk: gallery for gallery in galleries}
        media = BodyMedia(
            refs=refs,
            photos={photo.pk: photo for photo in photos.select_related("agency")},
            galleries=galleries,
            pictures={pk: g.usable_pictures for pk, g in galleries.items()},
        )
    article.body_media = media
    return media
