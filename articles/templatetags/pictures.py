from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from articles.models import Photo, ShownPhoto
from articles.photos.renditions import picture_for
from newsroom.perf.memo import memoize

register = template.Library()

# Layout widths for `sizes`, matching static/css/site.css.
SIZES = {
    "teaser": "(min-width: 72rem) 17rem, (min-width: 40rem) 45vw, 100vw",
    # The first teaser of the front page spans two columns from 60rem on.
    "feature": "(min-width: 72rem) 35rem, (min-width: 60rem) 50vw, 100vw",
    "lead": "(min-width: 48rem) 45rem, 100vw",
}
# The page's largest picture, above the fold (the front page's first teaser,
# an article's lead photo): the browser fetches it before other images, which
# brings the largest contentful paint forward.
FIRST_PAINT_LAYOUTS = {"feature", "lead"}


@register.simple_tag
def photo_figure(
    photo, *, ratio="orig", layout="lead", caption="", lazy=False, css_class=""
):
    """A photo (a Photo or a ShownPhoto) as `<figure>`: responsive `<picture>`
    plus caption and credit."""
    if isinstance(photo, Photo):
        photo = photo.shown()
    return figure_html(
        photo, ratio, layout, caption, bool(lazy), css_class, get_language()
    )


# Pages show the same photos again and again (front page, rails under every
# article, section pages); the markup is a pure function of its arguments,
# all plain values, so it is computed once per process and input
# (newsroom/perf/memo.py). Built with format_html rather than a sub-template:
# sixty figures were a third of the front page's time.
@memoize(4096)
def figure_html(
    photo: ShownPhoto,
    ratio: str,
    layout: str,
    caption: str,
    lazy: bool,
    css_class: str,
    language: str,
) -> SafeString:
    picture = picture_for(photo, ratio)
    if lazy:
        loading = ' loading="lazy"'
    elif layout in FIRST_PAINT_LAYOUTS:
        loading = ' fetchpriority="high"'
    else:
        loading = ""
    caption_html = (
        format_html('<span class="photo__caption">{}</span> ', caption)
        if caption
        else ""
    )
    # A photo without credit never shows a bare "Foto:" (saving such a photo
    # that a public page shows is refused; this covers what slips through).
    credit_html = (
        format_html(
            '<span class="photo__credit">{} {}</span>', gettext("Foto:"), photo.credit
        )
        if photo.credit.strip()
        else ""
    )
    return format_html(
        '<figure class="{figure_class}">\n'
        "  <picture>\n"
        '    <source type="image/webp" srcset="{webp}" sizes="{sizes}">\n'
        '    <img src="{src}" srcset="{jpeg}" sizes="{sizes}" width="{width}" '
        'height="{height}" alt="{alt}"{loading} decoding="async">\n'
        "  </picture>\n"
        "  <figcaption>{caption}"
        "{credit}</figcaption>\n"
        "</figure>",
        figure_class=f"photo {css_class}".strip(),
        webp=picture.webp_srcset,
        jpeg=picture.jpeg_srcset,
        sizes=SIZES[layout],
        src=picture.src,
        width=picture.width,
        height=picture.height,
        alt=photo.alt_text,
        loading=mark_safe(loading),
        caption=caption_html,
        credit=credit_html,
    )
