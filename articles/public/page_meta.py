"""What an article page tells machines in its <head>: the canonical address,
OpenGraph and Twitter card tags for link previews, and schema.org
`NewsArticle` as JSON-LD for search engines.

Built from what the page already loaded (article with section, agency,
authors and usable photos), so it costs no query.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.models import Article, Author, LiveEntry, Photo
from articles.photos.renditions import SizedImage, sized_image

# static/img/logo.png, drawn once with Pillow: the publisher's logo.
LOGO_PATH, LOGO_WIDTH, LOGO_HEIGHT = "img/logo.png", 600, 600
# Google asks for 16:9, 4:3 and 1:1 versions of an article's image.
STRUCTURED_DATA_RATIOS = ("16x9", "4x3", "1x1")
# The social photo is cropped for what link previews show (1.91:1).
SOCIAL_RATIO = "191x100"
# What JSON must not contain verbatim inside <script>: "</script>" and
# "<!--" would end or confuse the element (as Django's json_script).
SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@dataclass(frozen=True)
class ArticleHead:
    canonical_url: str
    title: str
    description: str
    section: str
    published_at: str
    modified_at: str
    # The lead photo as a link preview shows it, else the logo.
    image: SizedImage
    image_alt: str
    has_photo: bool
    json_ld: SafeString

    @cached_property
    def html(self) -> SafeString:
        """The <head> elements; one format_html instead of some thirty
        template variables, a third of the page's rendering. Kept with the
        head, which the article page's memo keeps (article_page.py)."""
        description = self.description
        return format_html(
            HEAD_HTML,
            canonical_url=self.canonical_url,
            title=self.title,
            image_url=self.image.url,
            image_type=self.image.content_type,
            image_width=self.image.width,
            image_height=self.image.height,
            image_alt=self.image_alt,
            published_at=self.published_at,
            modified_at=self.modified_at,
            section=self.section,
            json_ld=self.json_ld,
            site_name=settings.NEWSROOM_SITE_NAME,
            og_description=format_html(
                '<meta property="og:description" content="{}">', description
            )
            if description
            else "",
            twitter_description=format_html(
                '<meta name="twitter:description" content="{}">', description
            )
            if description
            else "",
            twitter_card="summary_large_image" if self.has_photo else "summary",
        )


HEAD_HTML = """<link rel="canonical" href="{canonical_url}">
  <meta property="og:site_name" content="{site_name}">
  <meta property="og:locale" content="de_DE">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{title}">
  {og_description}
  <meta property="og:url" content="{canonical_url}">
  <meta property="og:image" content="{image_url}">
  <meta property="og:image:type" content="{image_type}">
  <meta property="og:image:width" content="{image_width}">
  <meta property="og:image:height" content="{image_height}">
  <meta property="og:image:alt" content="{image_alt}">
  <meta property="article:published_time" content="{published_at}">
  <meta property="article:modified_time" content="{modified_at}">
  <meta property="article:section" content="{section}">
  <meta name="twitter:card" content="{twitter_card}">
  <meta name="twitter:title" content="{title}">
  {twitter_description}
  <meta name="twitter:image" content="{image_url}">
  <meta name="twitter:image:alt" content="{image_alt}">
  {json_ld}"""


def article_head(
    article: Article,
    *,
    authors: list[Author],
    request: HttpRequest,
    live_entries: Sequence[LiveEntry] = (),
) -> ArticleHead:
    """The <head> data of a public article page (never of a preview); a
    live ticker's says `LiveBlogPosting` with the entries on the page."""
    url = page_url(article, request)
    logo = SizedImage(
        url=request.build_absolute_uri(static(LOGO_PATH)),
        width=LOGO_WIDTH,
        height=LOGO_HEIGHT,
        content_type="image/png",
    )
    lead = article.lead_photo_use
    photo = lead.photo if lead else None
    social = social_photo(article)
    preview_photo = social or photo
    # A social photo is cropped for link previews even when it is the lead
    # photo too (then the very same object: public_article_page reads it once).
    if social is not None:
        image = sized_image(social, SOCIAL_RATIO).absolute(request)
    elif photo is not None:
        image = sized_image(photo).absolute(request)
    else:
        image = logo
    data = news_article_data(
        article,
        authors=authors,
        url=url,
        photo=photo,
        caption=lead.display_caption if lead else "",
        logo=logo,
        request=request,
    )
    if article.is_live_ticker:
        data = live_blog_data(data, article, live_entries, url=url)
    return ArticleHead(
        canonical_url=url,
        title=article.social_headline,
        description=article.social_description,
        section=article.section.name,
        published_at=iso(article.first_seen_at),
        modified_at=iso(article.content_modified_at),
        image=image,
        image_alt=credited_alt_text(preview_photo)
        if preview_photo
        else settings.NEWSROOM_SITE_NAME,
        has_photo=preview_photo is not None,
        json_ld=json_ld_script(data),
    )


def page_url(article: Article, request: HttpRequest) -> str:
    """The page's address for machines (canonical link, JSON-LD)."""
    # An article first published elsewhere names the original (editors set
    # it); search engines then credit that address.
    return article.canonical_url or request.build_absolute_uri(
        article.get_absolute_url()
    )


def social_photo(article: Article) -> Photo | None:
    """The photo chosen for link previews, while it may be shown: an
    expired or killed one falls back to the lead photo like everywhere."""
    if article.social_photo_id is None:
        return None
    photo = article.social_photo
    return photo if photo.is_usable() else None


def credited_alt_text(photo: Photo) -> str:
    """The alt text with the photo's credit: OpenGraph and Twitter cards
    have no credit of their own, and a preview shows the photo elsewhere."""
    credit = photo.credit
    if not credit:
        return photo.alt_text
    return f"{photo.alt_text} (Foto: {credit})" if photo.alt_text else credit


def news_article_data(
    article: Article,
    *,
    authors: list[Author],
    url: str,
    photo: Photo | None,
    caption: str,
    logo: SizedImage,
    request: HttpRequest,
) -> dict:
    """schema.org NewsArticle, as Google's article guidelines describe it."""
    publisher = {
        "@type": "Organization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": request.build_absolute_uri(reverse("teasers:front_page")),
        "logo": {
            "@type": "ImageObject",
            "url": logo.url,
            "width": logo.width,
            "height": logo.height,
        },
    }
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.search_title,
        "datePublished": iso(article.first_seen_at),
        "dateModified": iso(article.content_modified_at),
        "inLanguage": "de-DE",
        "articleSection": article.section.name,
        "isAccessibleForFree": True,
        "author": article_authors(article, authors) or publisher,
        "publisher": publisher,
    }
    if description := article.search_description:
        data["description"] = description
    if photo is not None:
        data["image"] = [
            image_object(photo, ratio, caption=caption, request=request)
            for ratio in STRUCTURED_DATA_RATIOS
        ]
    return data


def live_blog_data(
    news_article: dict, article: Article, entries: Sequence[LiveEntry], *, url: str
) -> dict:
    """schema.org LiveBlogPosting: the article's NewsArticle data, the
    coverage's start (when readers first saw the ticker) and end (once the
    desk ended it; a running ticker has no end yet), and the entries on the
    page as `liveBlogUpdate`, newest first."""
    data = {**news_article, "@type": "LiveBlogPosting"}
    data["coverageStartTime"] = iso(article.first_seen_at)
    data.update(live_blog_changes(article))
    data["liveBlogUpdate"] = [live_blog_update(entry, url=url) for entry in entries]
    return data


def live_blog_update(entry: LiveEntry, *, url: str) -> dict:
    """One entry as a `liveBlogUpdate` of the page at `url`: the page's
    JSON-LD and the ticker's endpoint (whose answers the page's script
    merges into it) both build it here."""
    address = live_blog_update_id(entry, url=url)
    update = {
        "@type": "BlogPosting",
        "@id": address,
        "url": address,
        "headline": entry.title or truncate_words(entry.body_text, 12),
        "datePublished": iso(entry.at),
        "articleBody": entry.body_text,
    }
    if entry.author_id:
        update["author"] = {"@type": "Person", "name": entry.author.name}
    return update


def live_blog_update_id(entry: LiveEntry, *, url: str) -> str:
    return f"{url}#{entry.anchor}"


def live_blog_changes(article: Article) -> dict:
    """What of a ticker's `LiveBlogPosting` changes with its entries."""
    changes = {"dateModified": iso(article.content_modified_at)}
    if article.live_ended_at:
        changes["coverageEndTime"] = iso(article.live_ended_at)
    return changes


def truncate_words(text: str, words: int) -> str:
    return Truncator(text).words(words, truncate="…")


def article_authors(article: Article, authors: list[Author]) -> list[dict]:
    """The authors as people, else the agency as an organisation."""
    if authors:
        return [{"@type": "Person", "name": author.name} for author in authors]
    if article.agency_id:
        return [{"@type": "Organization", "name": article.agency.name}]
    if article.byline:
        return [{"@type": "Person", "name": article.byline}]
    return []


def image_object(
    photo: Photo, ratio: str, *, caption: str, request: HttpRequest
) -> dict:
    """A photo with the rights information Google shows in image results."""
    image = sized_image(photo, ratio).absolute(request)
    data = {
        "@type": "ImageObject",
        "url": image.url,
        "contentUrl": image.url,
        "width": image.width,
        "height": image.height,
        "caption": caption,
        "creditText": photo.credit,
        "copyrightNotice": photo.copyright_line,
    }
    if photo.creator:
        data["creator"] = {"@type": "Person", "name": photo.creator}
    elif photo.agency_id:
        data["creator"] = {"@type": "Organization", "name": photo.agency.name}
    if photo.agency_id:
        data["copyrightHolder"] = {"@type": "Organization", "name": photo.agency.name}
    return data


def json_ld_script(data: dict) -> SafeString:
    """`data` as a JSON-LD <script> that no value can break out of."""
    text = json.dumps(data, ensure_ascii=False)
    # str.replace, not str.translate: a third of the page's head time.
    for character, escaped in SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


def iso(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""
