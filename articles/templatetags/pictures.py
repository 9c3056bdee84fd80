from django import template

from articles.renditions import picture_for

register = template.Library()

# Layout widths for `sizes`, matching static/css/site.css.
SIZES = {
    "teaser": "(min-width: 72rem) 17rem, (min-width: 40rem) 45vw, 100vw",
    # The first teaser of the front page spans two columns from 60rem on.
    "feature": "(min-width: 72rem) 35rem, (min-width: 60rem) 50vw, 100vw",
    "lead": "(min-width: 48rem) 45rem, 100vw",
}


@register.inclusion_tag("articles/_figure.html")
def photo_figure(
    photo, *, ratio="orig", layout="lead", caption="", lazy=False, css_class=""
):
    """A photo as `<figure>`: responsive `<picture>` plus caption and credit."""
    return {
        "photo": photo,
        "picture": picture_for(photo, ratio),
        "sizes": SIZES[layout],
        "caption": caption,
        "lazy": lazy,
        "class": css_class,
    }
