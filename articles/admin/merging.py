"""Conflicts without loss: merging an edit form field by field.

A save refused because someone saved in between (services.EditConflict)
shows, for every field where the editor's input ("mine") differs from the
saved article ("theirs"), both values with the differences marked and a
choice. Where only one side changed a field since the version the form was
opened at (the base), that side is preselected; where both did, the editor
must choose. Saving again writes exactly the merged result, checked against
the version merged against: a third save in between is a conflict again,
and a choice stays valid only for a field that third save left alone.

The base and the version merged against are read from the revisions: every
content write records one (live_drafts), so the latest revision numbered v
or lower is what a form showed at version v.
"""

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from articles.admin.diffs import HTML_FIELDS, paragraphs, word_diff
from articles.admin.photo_chooser import THUMBNAIL
from articles.models import (
    REVISION_RELATIONS,
    Article,
    ArticleRevision,
    Photo,
    decode_revision_value,
)
from articles.photos.renditions import rendition_url
from articles.sanitising import sanitise_body_html
from articles.workflow import live_drafts

MERGE_VERSION = "merge_version"
CHOICE_PREFIX = "merge-"
MINE, THEIRS = "mine", "theirs"
PHOTOS = live_drafts.PHOTOS
# The photos only "theirs" has that the editor takes into "mine".
TAKE_PHOTOS = "merge-photos-take"
# "Theirs" photo list as the merge showed it (for a merge overtaken by a
# third save: what the choice was made against).
SHOWN_PHOTOS = "merge-photos-shown"
# Form fields that are not article content.
NOT_MERGED = frozenset({"loaded_version", "substantial_update"})


@dataclass(frozen=True)
class Block:
    """A top-level block of "theirs" (a paragraph, a subhead, a list, a
    body element), to copy into the editor's own rich text."""

    html: str  # as stored (sanitised)
    text: str  # what an editor reads of it
    only_theirs: bool  # not (word for word) in "mine"


@dataclass
class FieldConflict:
    name: str
    label: str
    mine: list[str]  # the value as paragraphs of text
    theirs: list[str]
    diff: SafeString | None
    choice: str | None  # MINE, THEIRS, or None: the editor must choose
    copy_text: str | None = None  # theirs, for copying into a text input
    # Theirs block by block, for copying parts into a rich-text field.
    blocks: list[Block] = field(default_factory=list)

    @property
    def input_name(self) -> str:
        return CHOICE_PREFIX + self.name


@dataclass(frozen=True)
class PhotoCard:
    """One photo of a side of the photo list, as the merge shows it."""

    photo: int
    number: int  # its place in the list, from 1 (1 = the lead photo)
    caption: str  # in this article, else the photo's own
    credit: str
    thumbnail_url: str
    only_here: bool  # the other side does not have this photo
    changed: bool  # both have it, with another place or caption


@dataclass
class PhotoConflict:
    """The article's photos (choice, order, caption in the article) where
    "mine" and "theirs" differ: chosen as a whole, and with "mine" a photo
    only "theirs" has can be taken over (TAKE_PHOTOS)."""

    mine: list[dict]  # as a draft stores them (live_drafts.PHOTOS)
    theirs: list[dict]
    choice: str | None
    taken: frozenset[int] = frozenset()
    mine_cards: list[PhotoCard] = field(default_factory=list)
    theirs_cards: list[PhotoCard] = field(default_factory=list)
    name = PHOTOS
    input_name = CHOICE_PREFIX + PHOTOS

    @property
    def label(self) -> str:
        return _("Fotos")

    @property
    def shown_json(self) -> str:
        return json.dumps(self.theirs)

    def result(self) -> list[dict] | None:
        """The photo list to save; None while no side is chosen."""
        if self.choice is None:
            return None
        return chosen_photos(self.choice, self.mine, self.theirs, self.taken)


@dataclass
class Merge:
    """The state of a merge, for the form's panel (_live_draft.html)."""

    version: int
    fields: list[FieldConflict] = field(default_factory=list)
    photos: PhotoConflict | None = None

    @property
    def unresolved(self) -> list[FieldConflict | PhotoConflict]:
        open_fields = [conflict for conflict in self.fields if conflict.choice is None]
        if self.photos is not None and self.photos.choice is None:
            open_fields.append(self.photos)
        return open_fields


def merged_version(data) -> int | None:
    """The version a posted form was merged against, if it was."""
    try:
        return int(data.get(MERGE_VERSION, ""))
    except (TypeError, ValueError):
        return None


def content_at(article_id: int, version: int | None) -> dict | None:
    """The article's content as an edit form showed it at `version`."""
    if version is None or version < 0:
        return None
    return (
        ArticleRevision.objects.filter(article_id=article_id, number__lte=version)
        .order_by("-number")
        .values_list("data", flat=True)
        .first()
    )


def mergeable(form: forms.ModelForm) -> list[str]:
    return [name for name in form.fields if name not in NOT_MERGED]


@dataclass(frozen=True)
class Saved:
    """The article as saved now and its pending draft's data (empty without
    one): "theirs" of a merge, fields and photos alike. Read once, after the
    version check locked the row: the form's own instance was loaded before
    it, and a save committed in between would not be in it."""

    article: Article
    draft: dict


def saved_now(article_id: int) -> Saved:
    article = Article.objects.get(pk=article_id)
    return Saved(article, live_drafts.pending_data(article))


def saved_values(form: forms.ModelForm, names: list[str], saved: Saved) -> dict:
    """Each field's value as the article is saved now (its pending draft,
    if any, as the edit form shows it), as the form field cleans it."""
    article, draft = saved.article, saved.draft
    values = {}
    for name in names:
        form_field = form.fields[name]
        if name in draft:
            raw = decode_revision_value(name, draft[name])
        elif name in REVISION_RELATIONS:
            raw = list(getattr(article, name).values_list("pk", flat=True))
        else:
            raw = Article._meta.get_field(name).value_from_object(article)
        values[name] = as_cleaned(form_field, raw)
    return values


def as_cleaned(form_field: forms.Field, raw):
    """A stored value (ids for related rows) as `form_field` cleans it."""
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return form_field.queryset.filter(pk__in=raw or [])
    if isinstance(form_field, forms.ModelChoiceField):
        return form_field.queryset.filter(pk=raw).first() if raw else None
    if isinstance(form_field, forms.CharField):
        return raw or ""
    return raw


def comparable(name: str, value):
    """A value reduced to what matters for equality: ids for rows, the
    sanitised markup for the body, "" for nothing."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return sorted(
            item.pk if isinstance(item, models.Model) else item for item in value
        )
    if value is None:
        return ""
    if isinstance(value, datetime):
        # The form's time inputs have no microseconds (Django's initial
        # drops them too).
        return value.replace(microsecond=0)
    if name in HTML_FIELDS:
        return sanitise_body_html(value)
    if isinstance(value, str):
        return value.strip()
    return value


def readable(name: str, value) -> str:
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, bool):
        return _("Ja") if value else _("Nein")
    if value is None:
        return ""
    if name in HTML_FIELDS:
        return sanitise_body_html(value)
    return str(value)


# Elements without an end tag: they never open a level.
VOID = frozenset({"br", "hr", "img", "wbr", "source", "col", "input"})
SPACE = re.compile(r"\s+")


class _TopLevel(HTMLParser):
    """Where each top-level element (or run of text) of `markup` starts
    and ends."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.markup = markup
        self.line_starts = [0]
        for line in markup.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.depth = 0
        self.start: int | None = None
        self.spans: list[tuple[int, int]] = []
        self.feed(markup)
        self.close()

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.start = self.position()
        if tag in VOID:
            if self.depth == 0:
                self.spans.append(
                    (self.start, self.position() + len(self.get_starttag_text() or ""))
                )
            return
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            start = self.position()
            self.spans.append((start, start + len(self.get_starttag_text() or "")))

    def handle_endtag(self, tag):
        if tag in VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0 and self.start is not None:
            end = self.markup.find(">", self.position()) + 1
            self.spans.append((self.start, end or len(self.markup)))
            self.start = None

    def handle_data(self, data):
        if self.depth == 0 and data.strip():
            start = self.position()
            end = self.markup.find("<", start)
            self.spans.append((start, len(self.markup) if end < 0 else end))


def top_level_blocks(markup: str) -> list[str]:
    """The top-level elements of sanitised HTML, each as its own markup."""
    return [markup[start:end] for start, end in _TopLevel(markup or "").spans]


def block_text(markup: str) -> str:
    """A block's text, whitespace folded: what "the same paragraph" means."""
    return SPACE.sub(" ", html.unescape(strip_tags(markup))).strip()


def copyable_blocks(mine: str, theirs: str) -> list[Block]:
    """Theirs block by block, marking those that mine lacks."""
    in_mine = {block_text(b) or b for b in top_level_blocks(mine)}
    blocks = []
    for markup in top_level_blocks(theirs):
        shown = " ".join(paragraphs(markup, is_html=True))
        key = block_text(markup) or markup
        blocks.append(Block(markup, shown, only_theirs=key not in in_mine))
    return blocks


def preselected(base: dict | None, name: str, mine, theirs) -> str | None:
    """The side that changed the field since `base`, when only one did."""
    if base is None or name not in base:
        return None
    before = comparable(name, decode_revision_value(name, base[name]))
    if comparable(name, mine) == before:
        return THEIRS
    if comparable(name, theirs) == before:
        return MINE
    return None


def find_conflicts(
    form: forms.ModelForm,
    saved: Saved,
    *,
    current_version: int,
    base: dict | None,
    shown: dict | None = None,
    shown_version: int | None = None,
) -> tuple[Merge, dict]:
    """The fields where the form's cleaned input differs from the saved
    article, with the choice posted (valid if `shown`, the content the
    choice was made against, still holds for the field) or preselected;
    and the saved values."""
    names = [name for name in mergeable(form) if name in form.cleaned_data]
    theirs = saved_values(form, names, saved)
    merge = Merge(version=current_version)
    for name in names:
        mine = form.cleaned_data[name]
        if comparable(name, mine) == comparable(name, theirs[name]):
            continue
        choice = form.data.get(CHOICE_PREFIX + name)
        if choice not in (MINE, THEIRS):
            choice = None
        elif shown_version != current_version and not (
            shown is not None
            and name in shown
            and comparable(name, decode_revision_value(name, shown[name]))
            == comparable(name, theirs[name])
        ):
            # Someone changed this field again since the choice was made.
            choice = None
        is_html = name in HTML_FIELDS
        mine_text, theirs_text = readable(name, mine), readable(name, theirs[name])
        widget = form.fields[name].widget
        copyable = not is_html and isinstance(widget, (forms.TextInput, forms.Textarea))
        merge.fields.append(
            FieldConflict(
                name=name,
                label=str(form.fields[name].label or name),
                mine=paragraphs(mine_text, is_html=is_html),
                theirs=paragraphs(theirs_text, is_html=is_html),
                diff=word_diff(theirs_text, mine_text, is_html=is_html),
                choice=choice or preselected(base, name, mine, theirs[name]),
                copy_text=strip_tags(theirs_text) if copyable else None,
                blocks=copyable_blocks(mine_text, theirs_text) if is_html else [],
            )
        )
    return merge, theirs


def apply_choices(form: forms.ModelForm, merge: Merge, theirs: dict) -> None:
    """Write the merged result into the form's cleaned data."""
    for conflict in merge.fields:
        if conflict.choice == THEIRS:
            form.cleaned_data[conflict.name] = theirs[conflict.name]


def apply_shown_choices(form: forms.ModelForm, shown: dict) -> None:
    """The choices of a merge whose save was overtaken, as its result: the
    fields where "theirs" was chosen take the values then shown."""
    for name in mergeable(form):
        chosen = form.data.get(CHOICE_PREFIX + name) == THEIRS
        if chosen and name in shown and name in form.cleaned_data:
            form.cleaned_data[name] = as_cleaned(
                form.fields[name], decode_revision_value(name, shown[name])
            )


# The photo list: not a form field but the photo inline, merged as one.


def photo_key(uses: list[dict]) -> list[tuple]:
    """A photo list reduced to what makes two lists differ: photo and
    caption in order, and the position numbers too. Readers see only the
    order, but the numbers place a photo taken from "theirs" among "mine"
    (chosen_photos): a list renumbered since the merge was shown is not the
    list its choice was made against."""
    ordered = sorted(uses, key=lambda use: use["position"])
    return [(use["photo"], use["caption"].strip(), use["position"]) for use in ordered]


def chosen_photos(
    choice: str, mine: list[dict], theirs: list[dict], taken
) -> list[dict]:
    """The merged photo list: theirs, or mine plus the photos taken from
    theirs (at their place there)."""
    if choice == THEIRS:
        return list(theirs)
    have = {use["photo"] for use in mine}
    added = [
        use for use in theirs if use["photo"] in taken and use["photo"] not in have
    ]
    return sorted([*mine, *added], key=lambda use: use["position"])


def posted_photo_list(raw: str | None) -> list[dict] | None:
    """A photo list as SHOWN_PHOTOS posts it; None if it is not one."""
    try:
        uses = json.loads(raw or "")
    except ValueError:
        return None
    if not isinstance(uses, list):
        return None
    cleaned = []
    for use in uses:
        if not isinstance(use, dict):
            return None
        photo, position, caption = (
            use.get("photo"),
            use.get("position"),
            use.get("caption"),
        )
        if not (isinstance(photo, int) and isinstance(position, int)):
            return None
        cleaned.append(
            {"photo": photo, "position": position, "caption": str(caption or "")}
        )
    return cleaned


def posted_taken(data) -> frozenset[int]:
    return frozenset(
        int(value) for value in data.getlist(TAKE_PHOTOS) if value.isdigit()
    )


def shown_photo_result(mine: list[dict], data) -> list[dict]:
    """The photo list a merge overtaken by a third save had chosen (`mine`
    itself if it chose nothing)."""
    choice = data.get(CHOICE_PREFIX + PHOTOS)
    shown = posted_photo_list(data.get(SHOWN_PHOTOS))
    if choice not in (MINE, THEIRS) or shown is None:
        return mine
    return chosen_photos(choice, mine, shown, posted_taken(data))


def find_photo_conflict(
    saved: Saved,
    mine: list[dict],
    data,
    *,
    base: dict | None,
    current_version: int,
    shown_version: int | None,
) -> PhotoConflict | None:
    """The photo list where the form's ("mine") differs from the saved one
    (the pending draft's, if any, as the edit form shows it), with the
    posted choice and photos taken (valid while "theirs" is still the list
    they were made against) or the side that alone changed it since `base`;
    None where both lists are the same.

    "Mine" is always the list the form posts, also in a merge overtaken by
    a third save: a save of the page as shown posts that list with the
    choices shown, so a photo taken before must be offered (ticked) again,
    not shown inside "mine" (the save would drop it). Only the preselection
    counts the overtaken merge's chosen list as "mine", as offer_merge does
    its chosen field values."""
    theirs = live_drafts.photo_uses(saved.article, saved.draft)
    if photo_key(mine) == photo_key(theirs):
        return None
    choice = data.get(CHOICE_PREFIX + PHOTOS)
    taken = posted_taken(data)
    if choice not in (MINE, THEIRS):
        choice = None
    chosen = mine
    if shown_version != current_version:
        if shown_version is not None:
            chosen = shown_photo_result(mine, data)
        shown = posted_photo_list(data.get(SHOWN_PHOTOS))
        if shown is None or photo_key(shown) != photo_key(theirs):
            # Someone changed the photos again since the choice was made.
            choice, taken = None, frozenset()
    if choice is None and photo_key(chosen) == photo_key(theirs):
        # The overtaken merge chose the list saved now.
        choice = THEIRS
    elif choice is None and base is not None and PHOTOS in base:
        before = photo_key(base[PHOTOS])
        if photo_key(chosen) == before:
            choice = THEIRS
        elif photo_key(theirs) == before:
            choice = MINE
    only_theirs = {use["photo"] for use in theirs} - {use["photo"] for use in mine}
    conflict = PhotoConflict(
        mine=mine, theirs=theirs, choice=choice, taken=taken & only_theirs
    )
    conflict.mine_cards, conflict.theirs_cards = photo_cards(mine, theirs)
    return conflict


def photo_cards(mine: list[dict], theirs: list[dict]):
    """Both sides as cards, each marked where it differs from the other."""
    photos = Photo.objects.select_related("agency").in_bulk(
        {use["photo"] for use in (*mine, *theirs)}
    )

    def cards(side: list[dict], other: list[dict]) -> list[PhotoCard]:
        ordered = sorted(side, key=lambda use: use["position"])
        elsewhere = {
            use["photo"]: (number, use["caption"].strip())
            for number, use in enumerate(
                sorted(other, key=lambda use: use["position"]), start=1
            )
        }
        shown = []
        for number, use in enumerate(ordered, start=1):
            photo = photos.get(use["photo"])
            there = elsewhere.get(use["photo"])
            shown.append(
                PhotoCard(
                    photo=use["photo"],
                    number=number,
                    caption=use["caption"] or (photo.caption if photo else ""),
                    credit=photo.credit if photo else "",
                    thumbnail_url=rendition_url(photo, THUMBNAIL) if photo else "",
                    only_here=there is None,
                    changed=there is not None
                    and there != (number, use["caption"].strip()),
                )
            )
        return shown

    return cards(mine, theirs), cards(theirs, mine)
