"""The body's elements as readers get them: info box, fact list, quote and
the two-click embed, rendered from the stored blocks at output time.

The stored form (articles/sanitising.py, `BLOCKS`) says what an element
is; this module says how it looks, so a change of markup or of a
provider's frame address needs no change of stored bodies. An embed is
recognised again from its address (articles/embeds.py), never fetched:
until the reader clicks (static/js/embeds.js), the page holds a
placeholder with the provider's name, the privacy notice and a link to the
content, and nothing from the provider. A block whose embed is no longer
recognised is left out; a kind this module does not know (the photos of
body_photos.py) is passed through untouched for its own renderer.
"""

import re
from collections.abc import Callable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from articles.embeds import embed_of, recipient

# Start and end tags of the elements a block can be, as nh3 writes them.
TAG = re.compile(r'<(/?)(div|figure)((?:\s+[\w-]+="[^"]*")*)\s*>')
ATTRIBUTE = re.compile(r'\s+([\w-]+)="([^"]*)"')
TITLE = re.compile(r"^\s*<h3>(.*?)</h3>", re.S)
# The provider's shape: a class in site.css (no inline styles under the CSP).
RATIO_CLASSES = {
    "16 / 9": "embed--wide",
    "4 / 3": "embed--classic",
    "4 / 5": "embed--post",
    "9 / 16": "embed--tall",
    "16 / 5": "embed--audio",
}


def render_body_blocks(body: str) -> SafeString:
    """`body` (sanitised HTML) with every block in its public form."""
    if "data-block=" not in body:
        return mark_safe(body)
    out, position = [], 0
    for start, end, kind, attributes, inner in blocks(body):
        out.append(body[position:start])
        render = RENDERERS.get(kind)
        out.append(render(attributes, inner) if render else body[start:end])
        position = end
    out.append(body[position:])
    return mark_safe("".join(out))


def blocks(body: str):
    """(start, end, kind, attributes, inner HTML) of each outermost block."""
    depth, opened = 0, None
    for match in TAG.finditer(body):
        closing, tag, attributes = match.group(1), match.group(2), match.group(3)
        if opened is None:
            if closing:
                continue
            found = dict(ATTRIBUTE.findall(attributes))
            if "data-block" in found:
                opened, depth = (match, tag, found), 1
            continue
        if tag != opened[1]:
            continue
        depth += -1 if closing else 1
        if depth == 0:
            start, tag, found = opened
            yield (
                start.start(),
                match.end(),
                found["data-block"],
                found,
                body[start.end() : match.start()],
            )
            opened = None


def _titled_box(css_class: str) -> Callable[[dict, str], str]:
    def render(attributes: dict, inner: str) -> str:
        # The title is the box's heading below the headline (h1): h2.
        inner = TITLE.sub(r'<h2 class="body-box__title">\1</h2>', inner, count=1)
        return f'<div class="body-box {css_class}">{inner}</div>'

    return render


def render_quote(attributes: dict, inner: str) -> str:
    return f'<figure class="body-quote">{inner}</figure>'


def render_embed(attributes: dict, inner: str) -> str:
    embed = embed_of(
        attributes.get("data-provider", ""), attributes.get("data-url", "")
    )
    if embed is None:
        return ""
    name = embed.provider.name
    return format_html(
        '<figure class="embed {ratio}" data-embed-provider="{key}" '
        'data-embed-name="{name}" data-embed-frame="{frame}">'
        '<div class="embed__consent">'
        '<p class="embed__provider">{title}</p>'
        '<p class="embed__notice">{notice}</p>'
        '<p><a class="embed__link" href="{url}">{link}</a></p>'
        "</div></figure>",
        ratio=RATIO_CLASSES.get(embed.provider.ratio, "embed--wide"),
        key=embed.provider.key,
        name=name,
        frame=embed.frame_url,
        title=_("Eingebetteter Inhalt von %(provider)s") % {"provider": name},
        notice=_(
            "Beim Laden werden Daten an %(recipient)s übertragen, auch Ihre "
            "IP-Adresse; der Anbieter kann Cookies setzen."
        )
        % {"recipient": recipient(embed)},
        url=embed.url,
        link=_("Inhalt bei %(provider)s ansehen") % {"provider": name},
    )


RENDERERS: dict[str, Callable[[dict, str], str]] = {
    "infobox": _titled_box("body-box--info"),
    "factlist": _titled_box("body-box--facts"),
    "quote": render_quote,
    "embed": render_embed,
}
