"""The articles app's models, one module per subject (re-exported here)."""

from articles.models.agency import AgencyVersion, CategoryMapping
from articles.models.articles import (
    ARCHIVE_YEARS,
    TEASER_FIELDS,
    Article,
    ArticlePhoto,
    ArticlePhotoQuerySet,
    ArticleQuerySet,
    article_url,
    first_seen_at,
    goes_live_at,
    item_urn,
    validate_archive_day,
)
from articles.models.counters import KeepsCounters
from articles.models.counting_marks import CountingMark
from articles.models.galleries import (
    BodyGallery,
    BodyPhoto,
    Gallery,
    GalleryPicture,
    GalleryQuerySet,
)
from articles.models.live_ticker import LiveEntry, LiveEntryChange
from articles.models.logins import LoginFailure
from articles.models.photos import (
    RIGHTS_FIELDS,
    Photo,
    PhotoQuerySet,
    PhotoUse,
    Rendition,
    ShownPhoto,
    photo_upload_to,
    register_photo_use_finder,
    usable_photo_q,
)
from articles.models.redirects import AddressRedirect, is_local_path
from articles.models.search import ArticleSearchDocument, ArticleSearchEntry
from articles.models.site_pages import SitePage
from articles.models.taxonomy import (
    RESERVED_SECTION_SLUGS,
    Agency,
    Author,
    Region,
    Section,
    Tag,
    german_slugify,
    validate_section_slug,
)
from articles.models.workflow import (
    REVISION_FIELDS,
    REVISION_RELATIONS,
    ArticleNote,
    ArticleRevision,
    ArticleTransition,
    CorrectionNote,
    JobMark,
    NoteMention,
    apply_revision_values,
    revision_values,
)
from articles.models.working_copies import WorkingCopy

__all__ = [
    "ARCHIVE_YEARS",
    "RESERVED_SECTION_SLUGS",
    "REVISION_FIELDS",
    "REVISION_RELATIONS",
    "RIGHTS_FIELDS",
    "TEASER_FIELDS",
    "AddressRedirect",
    "Agency",
    "AgencyVersion",
    "Article",
    "ArticleNote",
    "ArticlePhoto",
    "ArticlePhotoQuerySet",
    "ArticleQuerySet",
    "ArticleRevision",
    "ArticleSearchDocument",
    "ArticleSearchEntry",
    "ArticleTransition",
    "Author",
    "BodyGallery",
    "BodyPhoto",
    "CategoryMapping",
    "CorrectionNote",
    "CountingMark",
    "Gallery",
    "GalleryPicture",
    "GalleryQuerySet",
    "JobMark",
    "KeepsCounters",
    "LiveEntry",
    "LiveEntryChange",
    "LoginFailure",
    "NoteMention",
    "Photo",
    "PhotoQuerySet",
    "PhotoUse",
    "Region",
    "Rendition",
    "Section",
    "ShownPhoto",
    "SitePage",
    "Tag",
    "WorkingCopy",
    "apply_revision_values",
    "article_url",
    "first_seen_at",
    "german_slugify",
    "goes_live_at",
    "is_local_path",
    "item_urn",
    "photo_upload_to",
    "register_photo_use_finder",
    "revision_values",
    "usable_photo_q",
    "validate_archive_day",
    "validate_section_slug",
]
