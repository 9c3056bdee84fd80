from django import template

from articles.public.body_photos import render_body

register = template.Library()


@register.simple_tag
def article_body(article):
    """The article's body with its photo and gallery blocks rendered from
    the rows loaded before (`load_body_media`): no query here."""
    return render_body(article)
