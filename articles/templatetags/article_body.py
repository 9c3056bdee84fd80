from django import template

from articles.public.body_blocks import render_body_blocks
from articles.public.body_photos import render_body

register = template.Library()


@register.simple_tag
def article_body(article):
    """The article's body with its blocks in their public form: photos and
    galleries from the rows loaded before (`load_body_media`), then info
    boxes, quotes, fact lists and embeds; no query here."""
    return render_body_blocks(render_body(article))
