"""Agency photos: found by their identity, else loaded, checked and saved.

A photo is looked up by (agency, identity) and otherwise downloaded (or
read beside its file), checked and saved with the photos and article uses
of the same write (`AgencyPhotos`): a story applied on its own, or a
batch's new stories together. Nothing is written for a photo that fails
its check; the story's text still comes.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from articles.importers.fetch import fetch_image
from articles.importers.items import AgencyItem, AgencyPhoto, ParseError, identity
from articles.models import Agency, Article, ArticlePhoto, Photo
from articles.photos.saving import check_photo, insert_checked_photos
from articles.photos.upload_checks import read_image_file


class AgencyPhotos:
    """The photos and photo uses of one write, saved together by `save()`."""

    def __init__(self, *, base_dir: Path | None):
        # Where relative photo references are looked up (the file's folder).
        self.base_dir = base_dir
        # (agency id, identity) → the stored or new photo; None: not stored.
        self.found: dict[tuple[int, str], Photo | None] = {}
        self.new: list[Photo] = []
        self.uses: list[dict] = []

    def look_up(self, photos: Iterable[tuple[Agency, AgencyPhoto]]) -> None:
        """Find which of these photos are stored, in a query per agency."""
        wanted = defaultdict(set)
        for agency, agency_photo in photos:
            key = (agency.pk, identity(agency_photo.external_id))
            if key not in self.found:
                self.found[key] = None
                wanted[agency.pk].add(key[1])
        for agency_id, external_ids in wanted.items():
            for photo in Photo.objects.filter(
                agency_id=agency_id, external_id__in=external_ids
            ).exclude(external_id=""):
                self.found[(agency_id, photo.external_id)] = photo

    def photo(
        self, agency_photo: AgencyPhoto, agency: Agency, *, usage_terms: str = ""
    ) -> Photo:
        """The photo with this agency identity: the stored one, else a new
        one, loaded and checked (ParseError, ValidationError) and saved with
        `save()`; `photo.pk` tells which."""
        key = (agency.pk, identity(agency_photo.external_id))
        self.look_up([(agency, agency_photo)])
        if photo := self.found[key]:
            return photo
        data = self.photo_bytes(agency_photo)
        digest = hashlib.sha256(agency_photo.external_id.encode()).hexdigest()[:12]
        photo = new_photo(agency_photo, agency, usage_terms=usage_terms)
        photo.image = ContentFile(data, name=f"{digest}.jpg")
        # Looked up by its identity just above, the agency from the run.
        check_photo(photo, known_identity=True)
        self.new.append(photo)
        self.found[key] = photo
        return photo

    def attach(
        self, article: Article, item: AgencyItem, agency: Agency, *, new: bool
    ) -> str:
        """Attach the item's photos to `article`, lead photo first; a photo
        that cannot be loaded is left out and named in the returned note.

        `new`: the article was just created, so it uses no photos yet.
        """
        self.look_up((agency, agency_photo) for agency_photo in item.photos)
        used = set()
        if not new:
            used = set(article.article_photos.values_list("photo_id", flat=True))
        attached, problems = set(), []
        for position, agency_photo in enumerate(
            sorted(item.photos, key=lambda photo: not photo.is_lead)
        ):
            problems.extend(cut_warnings(agency_photo))
            try:
                photo = self.photo(agency_photo, agency)
            except (ParseError, ValidationError) as error:
                messages = getattr(error, "messages", None) or [str(error)]
                problems.append(
                    _("Bild %(id)s nicht übernommen: %(reason)s")
                    % {"id": agency_photo.external_id, "reason": " ".join(messages)}
                )
                continue
            key = (agency.pk, identity(agency_photo.external_id))
            if key in attached or (photo.pk is not None and photo.pk in used):
                continue
            attached.add(key)
            self.uses.append(
                {
                    "article": article,
                    "photo": photo,  # saved only with the others
                    "position": position,
                    "caption": agency_photo.caption,
                }
            )
        return "; ".join(problems)

    def save(self) -> None:
        """Save the new photos, then the uses, in an insert each."""
        insert_checked_photos(self.new)
        ArticlePhoto.objects.bulk_create([ArticlePhoto(**use) for use in self.uses])
        self.new, self.uses = [], []

    def save_photos_only(self) -> list[dict]:
        """Save the new photos, not the uses: those are returned as a draft
        of a live article holds them (live_drafts.PHOTOS), to take effect
        when it is published."""
        insert_checked_photos(self.new)
        held = [
            {
                "photo": use["photo"].pk,
                "position": use["position"],
                "caption": use["caption"],
            }
            for use in self.uses
        ]
        self.new, self.uses = [], []
        return held

    def photo_bytes(self, agency_photo: AgencyPhoto) -> bytes:
        url = agency_photo.url
        if url.startswith(("http://", "https://")):
            return fetch_image(url)[0]
        if not url or self.base_dir is None:
            raise ParseError(
                _("Bild „%(id)s“ hat keine ladbare Adresse.")
                % {"id": agency_photo.external_id}
            )
        base = self.base_dir.resolve()
        path = (base / url).resolve()
        if base not in path.parents or not path.is_file():
            raise ParseError(
                _("Bilddatei „%(url)s“ liegt nicht neben der Meldung.")
                % {"url": url[:80]}
            )
        return read_image_file(path)


def new_photo(agency_photo: AgencyPhoto, agency: Agency, *, usage_terms: str) -> Photo:
    """The unsaved photo for an agency picture, without its file."""
    caption = agency_photo.caption
    return Photo(
        # No credit in the feed (the agency's name alone is none): imported,
        # but shown nowhere until the photo desk has entered one.
        credit_needs_review=not (agency_photo.credit_line or agency_photo.creator),
        agency=agency,
        external_id=identity(agency_photo.external_id),
        caption=caption,
        # Agency pictures carry no alt text; the caption's first sentence is
        # the closest description (the photo desk can refine it).
        alt_text=caption.split(". ")[0][:250],
        creator=fitted("creator", agency_photo.creator),
        credit_line=fitted("credit_line", agency_photo.credit_line),
        usage_terms=agency_photo.usage_terms or usage_terms,
        copyright_notice=fitted("copyright_notice", agency_photo.copyright_notice),
        source=agency.short_name,
    )


def fitted(field: str, text: str) -> str:
    """`text` cut to the Photo field's length."""
    return text[: Photo._meta.get_field(field).max_length]


# AgencyPhoto fields that Photo fields of limited length keep.
LIMITED_PHOTO_FIELDS = ("creator", "credit_line", "copyright_notice")


def cut_warnings(agency_photo: AgencyPhoto) -> list[str]:
    """A warning for each credit field longer than its column (then cut)."""
    warnings = []
    for name in LIMITED_PHOTO_FIELDS:
        field = Photo._meta.get_field(name)
        if len(getattr(agency_photo, name)) > field.max_length:
            warnings.append(
                _("Bild %(id)s: %(field)s länger als %(limit)s Zeichen, gekürzt")
                % {
                    "id": agency_photo.external_id,
                    "field": field.verbose_name,
                    "limit": field.max_length,
                }
            )
    return warnings
