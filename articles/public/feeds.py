"""RSS 2.0 and Atom feeds: their entries, their writers, the section feed.

An entry carries the article's absolute address, the moment readers could
first see it, the teaser as description, who wrote it, the section as a
category and the lead photo with its credit. The photo goes out twice: as an
`<enclosure>` (RSS 2.0; in Atom a `rel="enclosure"` link), which every reader
understands, and as Media RSS `<media:content>` with `<media:credit>` and
`<media:description>`, which carries size, credit and alt text and is what
feed readers and aggregators use for the entry's picture.

The front-page feed is built from these parts by `teasers` (teasers/feeds.py),
which decides the front page.
"""

from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from articles.models import Article, ArticlePhoto, Section, ShownPhoto
from articles.photos.renditions import SizedImage, sized_image
from articles.purging import ChangeTimes
from articles.sanitising import clean_text

# Entries of a section feed; readers poll often, so the newest suffice.
SECTION_FEED_LENGTH = 30
MEDIA_RSS = "http://search.yahoo.com/mrss/"


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    title: str
    url: str
    description: str
    published_at: datetime
    updated_at: datetime
    author: str = ""
    categories: tuple[str, ...] = ()
    photo: ShownPhoto | None = None


@dataclass(frozen=True)
class FeedContent:
    title: str
    link: str
    description: str
    entries: list[FeedEntry]
    # The next moment the feed changes by itself (for the page cache).
    changes_at: datetime | None = None


def section_feed(section: Section, at: datetime) -> FeedContent:
    """The newest articles of `section` visible at `at`."""
    articles = list(
        Article.objects.published(at)
        .in_section(section)
        .newest_first()
        .for_feed()[:SECTION_FEED_LENGTH]
    )
    photos = ArticlePhoto.objects.lead_photos([a.pk for a in articles], at)
    changes = ChangeTimes(at)
    changes.add(Article.objects.next_visibility_change(at))
    for photo in photos.values():
        changes.add(photo.usable_until)
    return FeedContent(
        title=f"{settings.NEWSROOM_SITE_NAME} – {section.name}",
        link=section.get_absolute_url(),
        description=_("Aktuelle Nachrichten aus dem Ressort %(name)s")
        % {"name": section.name},
        entries=[article_entry(a, photo=photos.get(a.pk)) for a in articles],
        changes_at=changes.earliest,
    )


def article_entry(
    article: Article,
    *,
    photo: ShownPhoto | None,
    title: str = "",
    description: str = "",
) -> FeedEntry:
    """An article from `for_feed()`; `title` and `description` override."""
    return FeedEntry(
        guid=article.urn,
        title=title or article.headline,
        url=article.get_absolute_url(),
        description=description or article.teaser,
        published_at=article.first_seen_at,
        updated_at=article.last_changed_at,
        author=article.credited_to,
        categories=(article.section.name,),
        photo=photo,
    )


def clean_values(values: dict) -> None:
    """Clean the text in a feed's or an entry's values, in place."""
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = clean_text(value)
        elif isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
            values[name] = type(value)(map(clean_text, value))


class PlainTextMixin:
    """No control character reaches the XML, whatever a row holds.

    Django's feed writer raises on them (XML 1.0 cannot carry them): one in
    a headline stored before text was cleaned on saving would be a 500.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        clean_values(self.feed)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        clean_values(self.items[-1])


class MediaRssMixin:
    """Media RSS (`media:content`, `media:credit`) for the entries' photos."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image, photo = item.get("image"), item.get("photo")
        if image is None:
            return
        handler.startElement(
            "media:content",
            {
                "url": image.url,
                "type": image.content_type,
                "medium": "image",
                "width": str(image.width),
                "height": str(image.height),
            },
        )
        handler.addQuickElement("media:credit", clean_text(photo.credit))
        if photo.alt_text:
            handler.addQuickElement(
                "media:description", clean_text(photo.alt_text), {"type": "plain"}
            )
        handler.endElement("media:content")


class MediaRss201Feed(PlainTextMixin, MediaRssMixin, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}


class MediaAtomFeed(PlainTextMixin, MediaRssMixin, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}


class RssFeed(Feed):
    """A `FeedContent` as RSS 2.0; one instance per request."""

    feed_type = MediaRss201Feed
    language = "de"
    item_guid_is_permalink = False

    def __init__(self, content: FeedContent):
        self.content = content
        self.images: dict[str, SizedImage] = {}

    def get_object(self, request, *args, **kwargs):
        self.images = {
            entry.guid: sized_image(entry.photo).absolute(request)
            for entry in self.content.entries
            if entry.photo
        }
        return self.content

    def title(self, content):
        return content.title

    def link(self, content):
        return content.link

    def description(self, content):
        return content.description

    def items(self, content):
        return content.entries

    def item_title(self, entry):
        # RSS readers treat titles as HTML (Django's default escapes too);
        # quotes stay as typed, so plain-text readers show no "&quot;".
        return escape(entry.title, quote=False)

    def item_description(self, entry):
        return escape(entry.description, quote=False)

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        return entry.guid

    def item_pubdate(self, entry):
        return entry.published_at

    def item_updateddate(self, entry):
        return entry.updated_at

    def item_author_name(self, entry):
        return entry.author or None

    def item_categories(self, entry):
        return entry.categories

    def item_enclosures(self, entry):
        image = self.images.get(entry.guid)
        if image is None:
            return []
        # The size in bytes is unknown until the rendition exists; the RSS
        # Advisory Board's profile asks for 0 then.
        return [Enclosure(image.url, "0", image.content_type)]

    def item_extra_kwargs(self, entry):
        return {"image": self.images.get(entry.guid), "photo": entry.photo}


class AtomFeed(RssFeed):
    feed_type = MediaAtomFeed

    def subtitle(self, content):
        return content.description

    def author_name(self, content):
        # Atom wants an author for every entry; the site stands for all.
        return settings.NEWSROOM_SITE_NAME

    def item_title(self, entry):
        # Atom titles are plain text.
        return entry.title
