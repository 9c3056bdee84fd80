from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from articles.public.breaking_news import breaking_news_for_page
from articles.public.context_processors import navigation_links
from newsroom.perf.memo import memoize

register = template.Library()


@register.simple_tag(takes_context=True)
def site_navigation(context) -> SafeString:
    """The sections' links, the current section's marked for screen readers."""
    return navigation_html(page_links(context), context.get("current_section_slug"))


@register.simple_tag
def breaking_news_banner() -> SafeString:
    """The "Eilmeldung" banner, while an article is flagged as one."""
    news = breaking_news_for_page()
    if news is None:
        return mark_safe("")
    return format_html(
        '<aside class="breaking-news" aria-label="{}"><div class="wrap">'
        '<a href="{}"><strong class="breaking-news__label">{}</strong> {}</a>'
        "</div></aside>",
        _("Eilmeldung"),
        news.url,
        _("Eilmeldung"),
        news.headline,
    )


@register.simple_tag(takes_context=True)
def footer_sections(context) -> SafeString:
    """The sections' links again, at the foot of every page."""
    return navigation_html(page_links(context), None)


def page_links(context) -> tuple[tuple[str, str, str], ...]:
    # Read once per page for header and footer: without the fragment cache
    # each read is a query.
    links = context.render_context.get("navigation_links")
    if links is None:
        links = context.render_context["navigation_links"] = navigation_links()
    return links


# Every page shows it; a pure function of the links and the current section.
@memoize(256)
def navigation_html(links: tuple[tuple[str, str, str], ...], current) -> SafeString:
    return mark_safe(
        "".join(
            format_html('<li><a href="{}" aria-current="page">{}</a></li>', url, name)
            if slug == current
            else format_html('<li><a href="{}">{}</a></li>', url, name)
            for slug, name, url in links
        )
    )
