from django import template
from django.utils.safestring import SafeString

from articles.public.site_frame import SiteFrame, site_frame

register = template.Library()


@register.simple_tag(takes_context=True)
def site_head_links(context) -> SafeString:
    """The icon and the style sheet, in the head."""
    return page_frame(context).head_links


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    """The skip link, the header (logo, sections, search) and the banner."""
    return page_frame(context).header


@register.simple_tag(takes_context=True)
def site_footer(context) -> SafeString:
    """The footer (the sections again, archive, search, the site pages) and
    the script that shows times relative to now."""
    return page_frame(context).footer


def page_frame(context) -> SiteFrame:
    # Read once per page for header and footer; or read by the view, whose
    # memoised document it is part of (articles/public/article_page.py).
    frame = context.get("site_frame") or context.render_context.get("site_frame")
    if frame is None:
        frame = context.render_context["site_frame"] = site_frame(
            context.get("current_section_slug")
        )
    return frame
