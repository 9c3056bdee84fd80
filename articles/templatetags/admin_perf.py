"""The admin's two hot spots at archive scale, the same HTML faster
(newsroom/perf/): `{% result_rows cl %}` is Django's `{% result_list cl %}`
with the rows worked out per column instead of per cell, and
`{% nav_app_list %}` the navigation sidebar's app list, kept per content."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils.safestring import SafeString, mark_safe

from newsroom.perf import admin_nav, admin_rows

register = template.Library()


@register.tag(name="result_rows")
def result_rows_tag(parser, token):
    return InclusionAdminNode(
        "result_rows",
        parser,
        token,
        func=admin_rows.result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )


@register.simple_tag(takes_context=True)
def nav_app_list(context) -> SafeString:
    # The rendered template, safe as render_to_string()'s output is.
    return mark_safe(
        admin_nav.app_list_markup(context["request"], context["available_apps"])
    )
