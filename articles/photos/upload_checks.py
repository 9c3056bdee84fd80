"""Is an uploaded or imported file an image we accept? Checked by content.

Limits are settings (`NEWSROOM_PHOTO_MAX_BYTES`, `NEWSROOM_PHOTO_MAX_PIXELS`,
`NEWSROOM_PHOTO_MAX_FRAMES`). Each refusal names the problem so an editor or
an import report can act on it.
"""

import os
import re
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# MPO: the multi-picture JPEG of cameras (3D, depth maps, previews); its
# first picture is the photo.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "AVIF"}
# Pillow's decompression-bomb message names the image's size.
BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def too_large(size: int) -> ValidationError:
    return ValidationError(
        _("Die Datei ist %(size).1f MB groß; erlaubt sind höchstens %(max).0f MB.")
        % {"size": size / 1e6, "max": settings.NEWSROOM_PHOTO_MAX_BYTES / 1e6},
        code="too_large",
    )


def read_image_file(path: Path) -> bytes:
    """The bytes of an image file on disk, refused by its size before any
    of it is read (a multi-gigabyte file next to a feed costs nothing)."""
    max_bytes = settings.NEWSROOM_PHOTO_MAX_BYTES
    with path.open("rb") as file:
        if (size := os.fstat(file.fileno()).st_size) > max_bytes:
            raise too_large(size)
        data = file.read(max_bytes + 1)  # it may have grown meanwhile
    if len(data) > max_bytes:
        raise too_large(len(data))
    return data


def check_image_file(file) -> str:
    """Decode `file` completely within the limits; return its Pillow format."""
    if file.size is not None and file.size > settings.NEWSROOM_PHOTO_MAX_BYTES:
        raise too_large(file.size)
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                check_dimensions(image)
                if image.format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        _(
                            "Bildformat %(format)s wird nicht angenommen "
                            "(erlaubt: %(ok)s)."
                        )
                        % {
                            "format": image.format,
                            "ok": ", ".join(sorted(ACCEPTED_FORMATS)),
                        },
                        code="format",
                    )
                check_frames(image)
                if image.format in ("JPEG", "MPO"):
                    # DCT scaling still reads every byte, so truncation shows,
                    # at a fraction of the memory of a full decode.
                    image.draft("RGB", (image.width // 8, image.height // 8))
                image.load()
                return image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        raise bomb_error(bomb) from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("Die Datei ist keine Bilddatei (oder ein unbekanntes Format)."),
            code="not_an_image",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _("Die Bilddatei ist beschädigt oder unvollständig (%(error)s).")
            % {"error": error},
            code="broken",
        ) from None
    finally:
        file.seek(0)


def check_dimensions(image: Image.Image) -> None:
    max_pixels = settings.NEWSROOM_PHOTO_MAX_PIXELS
    if image.width * image.height > max_pixels:
        raise ValidationError(
            _(
                "Das Bild hat %(width)d × %(height)d Pixel (%(mp).1f Megapixel); "
                "erlaubt sind höchstens %(max).0f Megapixel."
            )
            % {
                "width": image.width,
                "height": image.height,
                "mp": image.width * image.height / 1e6,
                "max": max_pixels / 1e6,
            },
            code="too_many_pixels",
        )


def check_frames(image: Image.Image) -> None:
    # Animated GIF, WebP, PNG and AVIF and multi-picture JPEGs hold several;
    # only the first is shown. Counting reads the frames' headers, not their
    # pixels (and PNG and WebP declare the count).
    max_frames = settings.NEWSROOM_PHOTO_MAX_FRAMES
    frames = getattr(image, "n_frames", 1)
    if frames > max_frames:
        raise ValidationError(
            _(
                "Die Datei enthält %(frames)d Einzelbilder (eine Animation?); "
                "erlaubt sind höchstens %(max)d. Bitte ein einzelnes Foto "
                "hochladen."
            )
            % {"frames": frames, "max": max_frames},
            code="too_many_frames",
        )


def bomb_error(bomb: Exception) -> ValidationError:
    """Pillow refused the size: too many pixels for us too, or a bomb."""
    max_pixels = settings.NEWSROOM_PHOTO_MAX_PIXELS
    if (found := BOMB_PIXELS.search(str(bomb))) and int(found[1]) > max_pixels:
        return ValidationError(
            _(
                "Das Bild hat %(mp).1f Megapixel; erlaubt sind höchstens "
                "%(max).0f Megapixel."
            )
            % {"mp": int(found[1]) / 1e6, "max": max_pixels / 1e6},
            code="too_many_pixels",
        )
    return ValidationError(
        _("Die Datei entpackt sich zu einem riesigen Bild (Dekompressionsbombe)."),
        code="bomb",
    )


def validate_photo_file(value) -> None:
    """Model-field validator: checks new uploads, not files stored earlier."""
    if getattr(value, "_committed", True):
        return
    check_image_file(value)
