"""The body's photo and gallery blocks as readers see them.

The stored body holds only the blocks (articles/photos/body_uses.py); here
each becomes a credited figure, or a gallery of credited figures, from the
rows `load_body_media` read for this request. A block whose photo or
gallery is not among them (expired, killed, "Bildquelle prüfen", deleted,
or not recorded for the saved article) disappears with its caption.
"""

import html
import re

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles.models import Article, Gallery
from articles.photos.body_uses import NO_MEDIA, BodyMedia
from articles.sanitising import BODY_PHOTO_CROPS
from articles.templatetags.pictures import figure_html

# A whole block: the editor makes it an atom, a figure with at most a
# figcaption inside (the sanitiser keeps no other element in it).
BLOCK = re.compile(
    r'<figure\b(?P<attrs>[^>]*\bdata-block="(?P<kind>photo|gallery)"[^>]*)>'
    r"(?P<inner>.*?)</figure>",
    re.DOTALL,
)
ATTRIBUTE = re.compile(r'\b(data-photo|data-gallery|data-crop)="([^"]*)"')
FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)


def render_body(article: Article) -> SafeString:
    """`article.body_html` with its photo and gallery blocks rendered from
    `article.body_media` (none loaded: every block disappears)."""
    body = article.body_html
    if "data-block" not in body:
        return body
    media = getattr(article, "body_media", NO_MEDIA)
    return mark_safe(BLOCK.sub(lambda match: render_block(match, media), body))


def without_blocks(body: str) -> str:
    """`body` without its photo and gallery blocks (machine exports)."""
    return BLOCK.sub("", body) if "data-block" in body else body


def render_block(match: re.Match, media: BodyMedia) -> str:
    attrs = dict(ATTRIBUTE.findall(match["attrs"]))
    if match["kind"] == "photo":
        photo = media.photos.get(int(attrs.get("data-photo", 0)))
        if photo is None:
            return ""
        crop = attrs.get("data-crop", "orig")
        caption = block_caption(match["inner"]) or photo.caption
        return figure_html(
            photo.shown(),
            crop if crop in BODY_PHOTO_CROPS else "orig",
            "lead",
            caption,
            True,
            "article__photo",
            get_language(),
        )
    gallery = media.galleries.get(int(attrs.get("data-gallery", 0)))
    if gallery is None or not media.pictures[gallery.pk]:
        return ""
    return gallery_html(gallery, media.pictures[gallery.pk], heading_level=2)


def block_caption(inner: str) -> str:
    """The per-use caption as plain text (figure_html escapes it again)."""
    found = FIGCAPTION.search(inner)
    return html.unescape(strip_tags(found.group(1))).strip() if found else ""


def gallery_html(gallery: Gallery, pictures: list, *, heading_level: int) -> str:
    """A gallery as a list of credited figures (static/articles/gallery.js
    makes it browsable picture by picture)."""
    figures = [
        figure_html(
            picture.photo.shown(),
            "orig",
            "lead",
            picture.display_caption,
            True,
            "gallery__photo",
            get_language(),
        )
        for picture in pictures
    ]
    return render_to_string(
        "articles/_gallery.html",
        {
            "gallery": gallery,
            "items": figures,
            "heading_level": heading_level,
        },
    )
