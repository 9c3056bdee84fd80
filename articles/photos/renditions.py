"""Renditions: cropped, resized, re-encoded copies of photos for the web.

A rendition is identified by (photo, version, spec). The spec names ratio,
width and format ("16x9-640.webp"); the version changes when the image file or
its focal point changes, so old URLs never show a stale crop. Each rendition
is rendered once, stored under a deterministic name and recorded in a table
with a unique constraint, so concurrent requests create one row.

Public URLs go through `articles:rendition`, which checks the photo's licence
first: an expired or killed photo stops being served.
"""

import hashlib
import io
import math
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import ExifTags, Image, ImageCms, ImageOps

from articles.models import Photo, Rendition, ShownPhoto
from articles.photos.orphans import remove_unreferenced_files
from newsroom.perf.url_formats import UrlFormat

WIDTHS = (320, 480, 640, 960, 1280, 1920)
RATIOS: dict[str, tuple[int, int] | None] = {
    "16x9": (16, 9),
    "4x3": (4, 3),
    "1x1": (1, 1),
    # Link previews (OpenGraph, Twitter cards): the article's social photo.
    "191x100": (191, 100),
    "orig": None,
}
# Asked for by few photos (an article's social photo) and only by link
# preview crawlers: made on the first request, not pre-generated for all.
ON_DEMAND_RATIOS = {"191x100"}
FORMATS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}
SAVE_OPTIONS = {
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "progressive": True, "optimize": True},
}
SRGB = ImageCms.createProfile("sRGB")
# Multi-picture JPEGs (MPO) from cameras are JPEGs: their first picture is
# what every JPEG decoder shows, and what renditions are made from.
JPEG_FORMATS = {"JPEG", "MPO"}
HIGH_BIT_DEPTH_MODES = {"I;16", "I;16L", "I;16B", "I;16N", "I", "F"}


class UnknownSpec(ValueError):
    pass


@dataclass(frozen=True)
class RenditionSpec:
    ratio: str
    width: int
    format: str

    @classmethod
    def parse(cls, text: str) -> "RenditionSpec":
        """'16x9-640.webp' → spec; only the fixed ratios, widths and formats."""
        try:
            stem, image_format = text.rsplit(".", 1)
            ratio, width = stem.rsplit("-", 1)
            spec = cls(ratio=ratio, width=int(width), format=image_format)
        except ValueError:
            raise UnknownSpec(text) from None
        if (
            spec.ratio not in RATIOS
            or spec.width not in WIDTHS
            or spec.format not in FORMATS
        ):
            raise UnknownSpec(text)
        return spec

    def __str__(self):
        return f"{self.ratio}-{self.width}.{self.format}"

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]


@dataclass(frozen=True)
class RenderedImage:
    content: bytes
    width: int
    height: int


def crop_box(
    size: tuple[int, int], ratio: tuple[int, int] | None, focal: tuple[float, float]
) -> tuple[float, float, float, float]:
    """The largest box of `ratio` inside `size`, centred on the focal point."""
    width, height = size
    if ratio is None:
        return (0.0, 0.0, float(width), float(height))
    box_width = min(width, height * ratio[0] / ratio[1])
    box_height = box_width * ratio[1] / ratio[0]
    left = min(max(focal[0] * width - box_width / 2, 0), width - box_width)
    top = min(max(focal[1] * height - box_height / 2, 0), height - box_height)
    return (left, top, left + box_width, top + box_height)


def output_size(box: tuple[float, float, float, float], width: int) -> tuple[int, int]:
    """Scale the box to `width`, never up."""
    box_width, box_height = box[2] - box[0], box[3] - box[1]
    out_width = max(1, min(width, math.floor(box_width)))
    return out_width, max(1, round(out_width * box_height / box_width))


def shown_size(photo: Photo | ShownPhoto) -> tuple[int, int]:
    return photo.width or 1, photo.height or 1


def render(
    source: BinaryIO, spec: RenditionSpec, focal: tuple[float, float] = (0.5, 0.5)
) -> RenderedImage:
    """Render `spec` from an image file: oriented, sRGB, no metadata kept."""
    with Image.open(source) as image:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        swapped = orientation in (5, 6, 7, 8)
        stored = image.size
        shown = (stored[1], stored[0]) if swapped else stored
        box = crop_box(shown, RATIOS[spec.ratio], focal)
        out_width, out_height = output_size(box, spec.width)
        if image.format in JPEG_FORMATS:
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that is still
            # at least as large as the output: most of the speed-up.
            scale = min((box[2] - box[0]) / out_width, (box[3] - box[1]) / out_height)
            image.draft(
                "RGB", (math.ceil(stored[0] / scale), math.ceil(stored[1] / scale))
            )
        icc_profile = image.info.get("icc_profile")
        if orientation != 1:
            image = ImageOps.exif_transpose(image)
        factor = image.width / shown[0]
        scaled_box = tuple(edge * factor for edge in box)
        image = to_srgb(image, icc_profile)
        resized = image.resize(
            (out_width, out_height), Image.Resampling.LANCZOS, box=scaled_box
        )
    pillow_format = FORMATS[spec.format][0]
    if pillow_format == "JPEG" and resized.mode != "RGB":
        resized = flatten(resized)
    buffer = io.BytesIO()
    # No exif=, no icc_profile=: GPS and camera data stay out of public files.
    resized.save(buffer, format=pillow_format, **SAVE_OPTIONS[pillow_format])
    return RenderedImage(buffer.getvalue(), out_width, out_height)


def to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert to 8-bit sRGB (with alpha kept) so every browser shows true
    colours."""
    if image.mode in HIGH_BIT_DEPTH_MODES:
        image = to_8_bit(image)
    # A transparent colour (PNG's tRNS: grey, RGB or palette) is alpha too.
    if image.mode in ("P", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
    if icc_profile:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            if "srgb" not in ImageCms.getProfileDescription(profile).casefold():
                output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
                return ImageCms.profileToProfile(
                    image, profile, SRGB, outputMode=output_mode
                )
        except (OSError, ImageCms.PyCMSError):
            pass  # A broken profile must not cost the picture.
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    return image


def to_8_bit(image: Image.Image) -> Image.Image:
    """Grey of 16 or 32 bits per pixel (or floating point) as 8-bit grey.

    Pillow's own conversion clips instead of scaling: every value above 255
    would be white, and a 0-to-1 float picture black.
    """
    if image.mode.startswith("I;16"):
        top = 65535.0
    else:
        # "I" and "F" say nothing of their range: 32-bit TIFFs and 16-bit
        # sources decoded as "I" hold 0-65535, float pictures usually 0-1.
        _low, high = image.getextrema()
        top = next(
            (limit for limit in (1.0, 255.0, 65535.0) if high <= limit), float(high)
        )
        if not math.isfinite(top):
            top = 65535.0  # a float picture holding infinity or NaN
    grey = image.convert("F").point(lambda value: value * (255.0 / top))
    grey = grey.convert("L")
    if "transparency" in image.info:
        # Pillow knows which value the transparent one is.
        alpha = image.convert("RGBA").getchannel("A")
        return Image.merge("LA", (grey, alpha))
    return grey


def flatten(image: Image.Image) -> Image.Image:
    """JPEG has no alpha: put transparent images on white."""
    image = image.convert("RGBA")
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def rendition_version(photo: Photo | ShownPhoto) -> str:
    image_name = photo.image_name if isinstance(photo, ShownPhoto) else photo.image.name
    key = f"{image_name}:{photo.focal_x:.3f}:{photo.focal_y:.3f}"
    return hashlib.sha256(key.encode()).hexdigest()[:10]


def rendition_name(photo: Photo, version: str, spec: RenditionSpec) -> str:
    return f"renditions/{photo.pk}/{version}/{spec}"


def get_rendition(photo: Photo, spec: RenditionSpec) -> Rendition:
    """The stored rendition of `photo` for `spec`, rendered on first use."""
    version = rendition_version(photo)
    existing = Rendition.objects.filter(photo=photo, version=version, spec=str(spec))
    if rendition := existing.first():
        return rendition
    with photo.image.open("rb") as source:
        rendered = render(source, spec, (photo.focal_x, photo.focal_y))
    name = rendition_name(photo, version, spec)
    stored_name = default_storage.save(name, ContentFile(rendered.content))
    try:
        with transaction.atomic():
            return Rendition.objects.create(
                photo=photo,
                version=version,
                spec=str(spec),
                file=stored_name,
                width=rendered.width,
                height=rendered.height,
            )
    except IntegrityError:
        # Another request rendered the same one a moment earlier: keep
        # theirs and drop our copy.
        if stored_name != name:
            default_storage.delete(stored_name)
        return existing.get()


RENDITION_ADDRESS = UrlFormat("articles:rendition", "int", "str", "str")


def rendition_url(photo: Photo, spec: RenditionSpec) -> str:
    return rendition_url_prefix(photo) + str(spec)


def rendition_url_prefix(photo: Photo | ShownPhoto) -> str:
    """The image view's address for `photo` up to the spec.

    A page lists a dozen specs per photo; one address format per photo keeps the
    front page's 600 image URLs cheap.
    """
    url = RENDITION_ADDRESS(photo.pk, rendition_version(photo), "spec")
    return url.removesuffix("spec")


@dataclass(frozen=True)
class Picture:
    """What a `<picture>` element needs; building it makes no query."""

    webp_srcset: str
    jpeg_srcset: str
    src: str
    width: int
    height: int


def widths_for(box: tuple[float, float, float, float]) -> list[int]:
    """The fixed widths below the box's width, plus one rendered at its own."""
    widths = [width for width in WIDTHS if width < math.floor(box[2] - box[0])]
    if len(widths) < len(WIDTHS):
        widths.append(WIDTHS[len(widths)])
    return widths


def picture_for(photo: Photo | ShownPhoto, ratio: str = "orig") -> Picture:
    box = crop_box(shown_size(photo), RATIOS[ratio], (photo.focal_x, photo.focal_y))
    widths = widths_for(box)
    prefix = rendition_url_prefix(photo)

    def srcset(image_format: str) -> str:
        return ", ".join(
            f"{prefix}{RenditionSpec(ratio, width, image_format)} "
            f"{output_size(box, width)[0]}w"
            for width in widths
        )

    fallback = widths[min(2, len(widths) - 1)]
    width, height = output_size(box, widths[-1])
    return Picture(
        webp_srcset=srcset("webp"),
        jpeg_srcset=srcset("jpg"),
        src=f"{prefix}{RenditionSpec(ratio, fallback, 'jpg')}",
        width=width,
        height=height,
    )


@dataclass(frozen=True)
class SizedImage:
    """One rendition as machine clients need it: address and pixel size."""

    url: str  # a path on this site until absolute() is asked for
    width: int
    height: int
    content_type: str

    def absolute(self, request) -> "SizedImage":
        return replace(self, url=request.build_absolute_uri(self.url))


def sized_image(
    photo: Photo | ShownPhoto, ratio: str = "16x9", max_width: int = 1280
) -> SizedImage:
    """The largest JPEG of `ratio` up to `max_width` that pages also use.

    JPEG because every feed reader and link preview shows it; 16:9 at 1280
    pixels is what link previews (OpenGraph, Twitter cards) ask for.
    No query: the size follows from the photo's recorded dimensions.
    """
    box = crop_box(shown_size(photo), RATIOS[ratio], (photo.focal_x, photo.focal_y))
    width = [width for width in widths_for(box) if width <= max_width][-1]
    spec = RenditionSpec(ratio, width, "jpg")
    out_width, out_height = output_size(box, width)
    return SizedImage(
        url=rendition_url(photo, spec),
        width=out_width,
        height=out_height,
        content_type=spec.content_type,
    )


def all_specs(photo: Photo) -> list[RenditionSpec]:
    """Every spec pages may ask of `photo` (what pre-generation renders),
    but the ratios made on demand."""
    focal = (photo.focal_x, photo.focal_y)
    return [
        RenditionSpec(ratio, width, image_format)
        for ratio, shape in RATIOS.items()
        if ratio not in ON_DEMAND_RATIOS
        for width in widths_for(crop_box(shown_size(photo), shape, focal))
        for image_format in FORMATS
    ]


@dataclass
class RenditionRun:
    created: int = 0
    existing: int = 0
    failed: list[str] = field(default_factory=list)


def generate_renditions(
    photos, *, dry_run: bool = False, progress=lambda photo, done, total: None
) -> RenditionRun:
    """Render every missing spec of `photos`; already stored ones are skipped.

    Safe to stop and run again: each rendition is committed on its own. A
    photo whose renditions are all stored is marked `renditions_complete`.
    """
    run = RenditionRun()
    total = len(photos)
    for done, photo in enumerate(photos, start=1):
        failed_before = len(run.failed)
        version = rendition_version(photo)
        stored = set(
            photo.renditions.filter(version=version).values_list("spec", flat=True)
        )
        for spec in all_specs(photo):
            if str(spec) in stored:
                run.existing += 1
                continue
            try:
                if not dry_run:
                    get_rendition(photo, spec)
            except (OSError, ValueError) as error:
                run.failed.append(f"Foto {photo.pk} {spec}: {error}")
            else:
                run.created += 1
        if not dry_run and len(run.failed) == failed_before:
            # Unless the photo changed meanwhile (its version with it).
            Photo.objects.filter(
                pk=photo.pk,
                image=photo.image.name,
                focal_x=photo.focal_x,
                focal_y=photo.focal_y,
            ).update(renditions_complete=True)
        progress(photo, done, total)
    return run


def remove_orphaned_renditions(*, dry_run: bool = False) -> list[str]:
    """Delete renditions of old versions and files no rendition row knows."""
    removed = []
    current = {photo.pk: rendition_version(photo) for photo in Photo.objects.all()}
    for rendition in Rendition.objects.iterator(chunk_size=1000):
        if current.get(rendition.photo_id) != rendition.version:
            removed.append(rendition.file.name)
            if not dry_run:
                rendition.file.delete(save=False)
                rendition.delete()
    # Listed already (a dry run leaves them in place) or still referred to.
    skip = set(removed) | set(Rendition.objects.values_list("file", flat=True))
    removed += remove_unreferenced_files(
        default_storage, "renditions", lambda _folder: skip, dry_run=dry_run
    )
    return removed
