"""The admin's navigation sidebar, rendered once per process and content.

Every admin page renders admin/app_list.html for the sidebar: some twenty
models, each with lazily translated names, `request.path|urlencode` three
times and a translated "Add" — about a tenth of the article list's time.
What it shows is a pure function of the user's app list (names, addresses,
what they may add), the page's path and the language, so the markup is
kept per those values (`memoize`); a change of any of them is a new key.
"""

from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.utils.translation import get_language

from newsroom.perf.memo import memoize

TEMPLATE = "admin/app_list.html"


def _key(request, app_list) -> tuple:
    """Every value app_list.html reads, as strings (the names are lazy);
    of the path only what it asks of it, which app and model are the
    current ones (not the path itself: every edit form has its own)."""
    path = urlencode(request.path)
    return (
        get_language(),
        tuple(
            (
                str(app["app_label"]),
                str(app["app_url"]),
                str(app["name"]),
                app["app_url"] in path,
                tuple(
                    (
                        str(model["object_name"]),
                        str(model["name"]),
                        str(model.get("admin_url") or ""),
                        str(model.get("add_url") or ""),
                        bool(model.get("view_only")),
                        bool(model.get("admin_url")) and model["admin_url"] in path,
                    )
                    for model in app["models"]
                ),
            )
            for app in app_list
        ),
    )


# The key lists what Django's admin/app_list.html reads: off with the switch.
@memoize(256, key=_key, uses_django_internals=True)
def app_list_markup(request, app_list) -> str:
    """admin/app_list.html for the sidebar (`show_changelinks` off)."""
    return render_to_string(
        TEMPLATE,
        {"app_list": app_list, "show_changelinks": False, "request": request},
    )
