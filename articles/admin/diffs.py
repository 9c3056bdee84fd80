"""What changed between two versions of an article's fields, word by word.

Editors read text, not markup: an HTML field is compared as its paragraphs'
text, and removed and added words are marked inside the running text
(`<del>`, `<ins>`), so a changed comma does not turn a whole paragraph red.
"""

import difflib
import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from articles.embeds import BY_KEY, stored_embeds
from articles.photos.body_uses import describe_blocks

# Fields stored as sanitised HTML; every other field is plain text.
HTML_FIELDS = frozenset({"body"})

PARAGRAPH = "\n"
# Where a paragraph (or a line within one) ends in sanitised HTML.
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|figcaption)>|<br\s*/?>", re.I)
WORD = re.compile(r"\S+\s*")


# The body elements (articles/sanitising.py BLOCKS) have no text of their
# own to say what they are; the diff names them in a line of their own.
BLOCK_START = re.compile(r'<(?:div|figure) data-block="(infobox|factlist|quote)">')
QUOTE_SOURCE = re.compile(r"</blockquote><figcaption>")


def readable_blocks(text: str) -> str:
    """Body elements as lines an editor can read: "[Info-Kasten]" before
    the box's text, "[Einbettung: YouTube, https://…]" for an embed, "– "
    before who said a quote."""
    if "data-block=" not in text:
        return text
    names = {
        "infobox": _("Info-Kasten"),
        "factlist": _("Faktenliste"),
        "quote": _("Zitat"),
    }
    text = BLOCK_START.sub(lambda m: f"<p>[{names[m.group(1)]}]</p>", text)
    text = QUOTE_SOURCE.sub("</blockquote><figcaption>– ", text)
    out, position = [], 0
    for match, attributes in stored_embeds(text):
        provider = BY_KEY.get(attributes.get("data-provider", ""))
        name = provider.name if provider else attributes.get("data-provider", "?")
        label = _("Einbettung")
        line = f"[{label}: {name}, {attributes.get('data-url', '')}]"
        out += [text[position : match.start()], f"<p>{escape(line)}</p>"]
        position = match.end()
    return "".join([*out, text[position:]])


def paragraphs(value, *, is_html: bool) -> list[str]:
    """The text of a field's value as paragraphs, without markup."""
    if isinstance(value, list):
        return [", ".join(str(item) for item in value)] if value else []
    text = str(value if value is not None else "")
    if is_html:
        text = describe_blocks(readable_blocks(text))
        text = html.unescape(strip_tags(BLOCK_END.sub("\n", text)))
    return [line.strip() for line in text.splitlines() if line.strip()]


def tokens(value, *, is_html: bool) -> list[str]:
    words = []
    for number, paragraph in enumerate(paragraphs(value, is_html=is_html)):
        if number:
            words.append(PARAGRAPH)
        words += [word.rstrip() + " " for word in WORD.findall(paragraph)]
    return words


def word_diff(before, after, *, is_html: bool = False) -> SafeString | None:
    """`before` and `after` as one text with `<del>`/`<ins>` marks, or None
    if their text is the same."""
    old, new = tokens(before, is_html=is_html), tokens(after, is_html=is_html)
    if old == new:
        return None
    marked: list[tuple[str, str]] = []  # (kind, token): "", "del" or "ins"
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            marked += [("", token) for token in old[i1:i2]]
            continue
        marked += [("del", token) for token in old[i1:i2]]
        marked += [("ins", token) for token in new[j1:j2]]
    return mark_safe(render(marked))


def render(marked: list[tuple[str, str]]) -> str:
    """Paragraphs of runs of equal kind; a removed paragraph break shows
    as "¶" where it was."""
    rendered, paragraph, run_kind, run = [], [], "", []

    def close_run():
        if run:
            text = escape("".join(run).rstrip() if run_kind else "".join(run))
            paragraph.append(f"<{run_kind}>{text}</{run_kind}> " if run_kind else text)
            run.clear()

    for kind, token in marked:
        if token == PARAGRAPH and kind != "del":
            close_run()
            rendered.append(f"<p>{''.join(paragraph).strip()}</p>")
            paragraph.clear()
            continue
        if token == PARAGRAPH:
            token = "¶ "
        if kind != run_kind:
            close_run()
            run_kind = kind
        run.append(token)
    close_run()
    rendered.append(f"<p>{''.join(paragraph).strip()}</p>")
    return "".join(rendered)


def field_changes(before: dict, after: dict, *, labels: dict) -> list[tuple]:
    """(label, marked text) of each field that differs, in label order."""
    changes = []
    for name, label in labels.items():
        diff = word_diff(before.get(name), after.get(name), is_html=name in HTML_FIELDS)
        if diff is not None:
            changes.append((label, diff))
    return changes
