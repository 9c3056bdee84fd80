"""`{{ article.body_html|body_blocks }}`: the body with its elements in their
public form (articles/public/body_blocks.py), on the article page and in the
editors' preview alike."""

from django import template
from django.utils.safestring import SafeString

from articles.public.body_blocks import render_body_blocks

register = template.Library()


@register.filter
def body_blocks(body: str) -> SafeString:
    return render_body_blocks(body)
