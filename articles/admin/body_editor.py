"""The body's rich-text editor in the admin: django-prose-editor (ProseMirror
and Tiptap, its own static files, no build step).

The editor is only the way in. What is stored is still what
`articles.sanitising.sanitise_body_html` lets through on every save, so
agency imports, old bodies and a forged post without the editor end up in
the same allow-list; the extensions below produce nothing outside it
(tests/articles/admin/test_body_editor.py compares the two).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.forms import Media
from django.http import HttpRequest, JsonResponse
from django.urls import reverse_lazy
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.embeds import EmbedRefused, recognise

# What a reporter can make: paragraphs, subheads, bold, italic, links, lists,
# quotes, simple tables, line breaks. Pasting from Word or a web page keeps
# exactly these and drops the rest (ProseMirror parses the paste into this
# schema).
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    # No "open in a new window": links open in the same tab, and the
    # sanitiser sets rel="noopener noreferrer" on every link, as before.
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # The body elements (static/articles/body_blocks.js, registered in
    # settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
    "InfoBox": True,
    "FactList": True,
    "BlockTitle": True,
    "PullQuote": True,
    "QuoteText": True,
    "QuoteSource": True,
    "Embed": True,
    # A photo and a gallery as blocks (static/articles/body_photos.js;
    # stored form and output: articles/photos/body_uses.py,
    # articles/public/body_photos.py).
    "NewsroomPhoto": True,
    "NewsroomGallery": True,
    # Plain buttons, no drop-downs: every action is one tab stop away and
    # has its own label for screen readers.
    "Menu": {
        "groups": [
            {"group": "blockType -lists"},
            {"group": "lists"},
            {"group": "nodes -blockType -lists"},
            {"group": "marks"},
            {"group": "link"},
            {"group": "table"},
            {"group": "bodyBlocks"},
            {"group": "history"},
        ]
    },
}


class BodyEditorWidget(AdminProseEditorWidget):
    @property
    def media(self):
        # How the body elements look in the editor.
        return super().media + Media(css={"all": ["articles/body_blocks.css"]})


def body_widget() -> AdminProseEditorWidget:
    return BodyEditorWidget(
        config={"extensions": BODY_EXTENSIONS},
        preset="configurable",
        # Where the embed dialog asks whether an address can be embedded.
        attrs={
            "data-embed-check-url": reverse_lazy("admin:articles_article_embed_check")
        },
    )


def embed_check(model_admin, request: HttpRequest) -> JsonResponse:
    """The embed dialog's question "can this address be embedded?",
    answered from the address alone (articles/embeds.py), as the save will.
    """
    if not (
        request.user.has_perm("articles.change_article")
        or request.user.has_perm("articles.add_article")
    ):
        raise PermissionDenied
    # A refusal is an answer, not a failed request (200 either way).
    url = request.GET.get("url", "")
    if not url.strip():
        return JsonResponse({"error": _("Bitte eine Adresse eingeben.")})
    try:
        embed = recognise(url)
    except EmbedRefused as refused:
        return JsonResponse({"error": str(refused)})
    return JsonResponse(
        {
            "provider": embed.provider.key,
            "name": embed.provider.name,
            "id": embed.id,
            "url": embed.url,
        }
    )


def editor_csp() -> dict:
    """The site's policy, plus the request's nonce for the editor's two
    inline elements.

    The editor loads as JavaScript modules through an inline
    `<script type="importmap">`, and Tiptap looks for its `<style>` (an empty
    one in change_form.html stops it from injecting its own; the rules are
    in admin.css). The admin puts the nonce on both; only the edit form's
    response allows it. Still no 'unsafe-inline'; admin pages are never
    cached, so a nonce per response is safe.
    """
    policy = dict(settings.SECURE_CSP)
    policy["script-src"] = [*policy["script-src"], CSP.NONCE]
    policy["style-src"] = [*policy["style-src"], CSP.NONCE]
    return policy
