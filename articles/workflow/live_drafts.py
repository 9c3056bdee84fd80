"""Live + Entwurf: changes to a live article that readers do not see yet.

Saving a live article (one the public can see now) does not touch its row:
the change is kept as a draft revision (`ArticleRevision.is_draft`) that
`Article.pending_revision` points at, and the public page, feeds, search and
the ninjs export keep reading the row. Someone allowed to publish publishes
the draft (it becomes the row, a revision and a cache purge) or discards it.
Agency updates to a locally edited live story arrive as such a draft too.

A draft holds everything of the edit form that readers see, not only the
text: the photos with their captions in this article (`photos`), the
publishing fields (HELD_FIELDS: times, embargo, "Top"), corrections added
with it and whether publishing it is an "Update". Each takes effect when
the draft is published, never before. Photos and publishing fields are held
only where the draft changes them, so publishing it leaves alone what
changed on the row meanwhile (an agency's embargo, a new time).

Every write here moves the article's version on and records a revision, so
"the content an edit form showed at version v" is always the latest revision
numbered v or lower: the conflict merge (articles/admin/merging.py) reads
the version an editor loaded from there.
"""

import copy
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import (
    REVISION_RELATIONS,
    Article,
    ArticlePhoto,
    ArticleRevision,
    Photo,
    apply_revision_values,
    decode_revision_value,
    publication_problems,
    revision_values,
)
from articles.workflow import services

Status = Article.Status

# What an agency draft carries beyond the text: publishing it makes the
# agency's version the applied one.
AGENCY_VERSION_KEYS = ("agency_version", "agency_version_created")

# The article's own fields a draft holds beyond a revision's text and
# filing: the byline an agency update brings (the edit form has no field
# for it), and what readers see of its timing and placement.
HELD_FIELDS = (
    "byline",
    "is_top",
    "is_live_ticker",
    "published_at",
    "embargo_until",
    "embargo_time_unknown",
    "updated_at",
)
# The article's photos as the draft has them, in order:
# [{"photo": id, "position": n, "caption": "…"}].
PHOTOS = "photos"
# Corrections ("Korrektur: …") added with the draft, as their texts.
NEW_CORRECTIONS = "new_corrections"
# Publishing the draft marks the article as updated ("Update").
SUBSTANTIAL = "substantial_update"


def is_live(article: Article, at: datetime | None = None) -> bool:
    """Readers see this article now: an edit must not reach them unpublished."""
    return article.status == Status.PUBLISHED and article.is_public(at)


def may_propose_changes(user: AbstractBaseUser | None, article: Article) -> bool:
    """May save a draft of this live article: whoever may edit it, and a
    reporter their own live article (the desk publishes the change)."""
    if services.may_edit(user, article):
        return True
    return (
        user is not None
        and user.has_perm("articles.change_article")
        and article.pk is not None
        and article.created_by_id == user.pk
        and article.status == Status.PUBLISHED
    )


def may_discard(user: AbstractBaseUser | None, draft: ArticleRevision) -> bool:
    """The desk discards any draft; its author their own."""
    return services.may_publish(user) or (
        user is not None and draft.created_by_id == user.pk
    )


def draft_values(
    article: Article,
    relations: dict[str, list[int]],
    *,
    photos: list[dict] | None = None,
    new_corrections: list[str] | tuple = (),
    substantial: bool = False,
) -> dict:
    """A draft's data: the article's REVISION_FIELDS as they will be saved
    (sanitised body, derived slug), the related rows' ids, those of its
    HELD_FIELDS that differ from the row, and `photos` (default: as the
    pending draft or the live article has them, see photo_uses) if they
    differ from the live ones."""
    # The same derivation save() applies, on a copy: the object itself
    # stays as the caller has it.
    shadow = copy.copy(article)
    shadow.fill_derived_fields()
    data = revision_values(shadow)
    for name in REVISION_RELATIONS:
        data[name] = sorted(relations[name])
    # Only what the draft changes: a state change of the row meanwhile (an
    # agency's embargo, the desk's "Update" or new time) is not undone by
    # publishing a draft that left the field alone.
    live = (
        Article.objects.filter(pk=article.pk).values(*HELD_FIELDS).first()
        if article.pk
        else None
    ) or {}
    data |= {
        name: value
        for name, value in held_values(shadow).items()
        if not same_value(getattr(shadow, name), live.get(name))
    }
    photos = photo_uses(article) if photos is None else photos
    if article.pk is None or photos != live_photo_uses(article):
        data[PHOTOS] = photos
    if new_corrections:
        data[NEW_CORRECTIONS] = [text.strip() for text in new_corrections]
    if substantial:
        data[SUBSTANTIAL] = True
    return data


def same_value(a, b) -> bool:
    """Equal as the edit form can tell: its time inputs have no
    microseconds."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a.replace(microsecond=0) == b.replace(microsecond=0)
    return a == b


def held_values(article: Article) -> dict:
    """The article's HELD_FIELDS as JSON-ready values."""
    return revision_values(article, HELD_FIELDS)


def apply_held_values(article: Article, data: dict) -> None:
    """Set the article's HELD_FIELDS from a draft (those it holds)."""
    apply_revision_values(article, data, HELD_FIELDS)


def held_from_data(data: dict) -> dict:
    """A draft's HELD_FIELDS as the article's values (datetimes parsed);
    only those it holds (drafts saved before they held them hold none)."""
    shadow = Article()
    apply_held_values(shadow, data)
    return {name: getattr(shadow, name) for name in HELD_FIELDS if name in data}


def pending_data(article: Article) -> dict:
    """The pending draft's data; empty without one."""
    if article.pending_revision_id is None:
        return {}
    return ArticleRevision.objects.get(pk=article.pending_revision_id).data


def live_photo_uses(article: Article) -> list[dict]:
    """The live article's photos as a draft stores them."""
    return [
        {"photo": use.photo_id, "position": use.position, "caption": use.caption}
        for use in article.article_photos.order_by("position", "pk")
    ]


def photo_uses(article: Article, data: dict | None = None) -> list[dict]:
    """The article's photos as its editors see them: the pending draft's
    (if it holds photos), else the live ones. `data`: the pending draft's
    data where the caller has read it already."""
    if data is None:
        data = pending_data(article)
    return data[PHOTOS] if PHOTOS in data else live_photo_uses(article)


def set_photo_uses(article: Article, uses: list[dict]) -> list[Photo]:
    """Make the article's photos exactly `uses` (a draft's PHOTOS); returns
    the photos it did not show before. A photo deleted for good since
    cannot come back (one in the trash stays hidden, as for any draft)."""
    existing = {use.photo_id: use for use in article.article_photos.all()}
    photos = Photo.objects.in_bulk([use["photo"] for use in uses])
    article.article_photos.exclude(photo_id__in=list(photos)).delete()
    added = []
    for wanted in uses:
        photo = photos.get(wanted["photo"])
        if photo is None:
            continue
        use = existing.get(photo.pk)
        if use is None:
            ArticlePhoto.objects.create(
                article=article,
                photo=photo,
                position=wanted["position"],
                caption=wanted["caption"],
            )
            added.append(photo)
        elif (use.position, use.caption) != (wanted["position"], wanted["caption"]):
            use.position, use.caption = wanted["position"], wanted["caption"]
            use.save(update_fields=["position", "caption"])
    return added


def current_relations(article: Article) -> dict[str, list[int]]:
    return {
        name: list(getattr(article, name).values_list("pk", flat=True))
        for name in REVISION_RELATIONS
    }


@transaction.atomic
def save_draft(
    article: Article,
    *,
    by: AbstractBaseUser | None,
    data: dict,
    note: str = "",
    loaded_version: int | None = None,
) -> ArticleRevision:
    """Keep `data` (see draft_values) as the live article's pending change;
    the row, and with it every public page, stays as it is.

    `loaded_version`: the version the editor's form showed; a newer one is
    an edit conflict (services.EditConflict).
    """
    if loaded_version is not None:
        services.check_not_changed_since(article.pk, loaded_version)
    services.lock(article)
    if not may_propose_changes(by, article):
        raise PermissionDenied(
            _("Sie dürfen „%(headline)s“ nicht bearbeiten.")
            % {"headline": article.headline}
        )
    if not is_live(article):
        raise ValidationError(
            _("„%(headline)s“ ist nicht live: Änderungen werden direkt gespeichert.")
            % {"headline": article.headline}
        )
    article.version += 1
    draft = ArticleRevision.objects.create(
        article_id=article.pk,
        number=article.version,
        created_by_id=by and by.pk,
        data=data,
        note=note or _("Entwurf, nicht veröffentlicht"),
        is_draft=True,
    )
    article.pending_revision = draft
    article.modified_at = timezone.now()
    changes = {
        "pending_revision": draft,
        "version": article.version,
        "modified_at": article.modified_at,
    }
    if by is not None and article.external_id and not article.locally_edited:
        # Later agency versions must not overwrite this edit either.
        article.locally_edited = changes["locally_edited"] = True
    # An update of these columns, not save(): the object holds the draft's
    # text, and saving it would let the row's signals act on text readers
    # do not see (a changed slug would record a redirect to an address
    # that does not exist yet).
    Article.objects.filter(pk=article.pk).update(**changes)
    return draft


def pending_draft(article: Article) -> ArticleRevision:
    """The draft waiting on `article` (locked by the caller)."""
    if article.pending_revision_id is None:
        raise ValidationError(
            _("„%(headline)s“ hat keine unveröffentlichten Änderungen.")
            % {"headline": article.headline}
        )
    return ArticleRevision.objects.get(pk=article.pending_revision_id)


@transaction.atomic
def publish_draft(
    article: Article,
    *,
    by: AbstractBaseUser | None,
    loaded_version: int | None = None,
    substantial: bool = False,
) -> ArticleRevision:
    """Make the live article's pending change what readers see: the row takes
    the draft's content, a revision records it, the pages are purged after
    the commit. Returns the new revision.

    `loaded_version`: the version the publisher saw; a draft changed since
    is not published unseen (services.EditConflict).
    """
    services.check_may_publish(by)
    if loaded_version is not None:
        services.check_not_changed_since(article.pk, loaded_version)
    # The whole row: every field is saved, so all but the draft's content
    # must be the row's (status, times, counts).
    services.lock(article, whole_row=True)
    draft = pending_draft(article)
    apply_revision_values(article, draft.data)
    apply_held_values(article, draft.data)
    if all(key in draft.data for key in AGENCY_VERSION_KEYS):
        article.agency_version = draft.data["agency_version"]
        article.agency_version_created = decode_revision_value(
            "agency_version_created", draft.data["agency_version_created"]
        )
        if article.pending_agency_version == article.agency_version:
            article.pending_agency_version = None
    substantial = substantial or bool(draft.data.get(SUBSTANTIAL))
    services.save_article(article, by=by, substantial=substantial)
    for name in REVISION_RELATIONS:
        related = getattr(article, name)
        # Rows deleted since (a tag, an author) cannot come back.
        related.set(related.model.objects.filter(pk__in=draft.data[name]))
    if PHOTOS in draft.data:
        added = set_photo_uses(article, draft.data[PHOTOS])
        check_photos_ready(article, added)
    for text in draft.data.get(NEW_CORRECTIONS, []):
        services.add_correction(article, by=by, text=text)
    author = draft.created_by
    return services.record_revision(
        article,
        by=by,
        note=_("Änderungen aus Fassung %(number)s veröffentlicht (Entwurf von %(who)s)")
        % {
            "number": draft.number,
            "who": (author.get_full_name() or author.get_username())
            if author
            else _("der Agentur"),
        },
    )


def check_photos_ready(article: Article, photos: list[Photo]) -> None:
    """Photos a published draft adds carry a credit and an alt text (the
    photo desk may have changed them since the draft was saved)."""
    if problems := publication_problems(photos):
        raise ValidationError(
            [
                _("„%(headline)s“: Änderungen nicht veröffentlicht.")
                % {"headline": article.headline},
                *problems,
            ]
        )


@transaction.atomic
def restore_as_draft(
    article: Article, revision: ArticleRevision, *, by: AbstractBaseUser | None
) -> ArticleRevision:
    """Restoring an old revision of a live article: its text and filing
    become the pending draft (publishable like any other); readers keep the
    live text. What the revision does not hold (photos, times) stays as the
    pending draft or the live article has it."""
    services.lock(article, whole_row=True)
    shown = copy.copy(article)
    waiting = article.pending_revision_id and pending_draft(article)
    base = dict(waiting.data) if waiting else {}
    apply_revision_values(shown, base)
    apply_held_values(shown, base)
    relations = current_relations(article) | {
        name: base[name] for name in REVISION_RELATIONS if name in base
    }
    apply_revision_values(shown, revision.data)
    apply_held_values(shown, revision.data)
    relations |= {
        name: revision.data[name]
        for name in REVISION_RELATIONS
        if name in revision.data
    }
    data = draft_values(
        shown,
        relations,
        photos=revision.data.get(PHOTOS, base.get(PHOTOS)),
    )
    return save_draft(
        article,
        by=by,
        data=data,
        note=_("Wiederhergestellt aus Fassung %(number)s, nicht veröffentlicht")
        % {"number": revision.number},
    )


@transaction.atomic
def discard_draft(
    article: Article, *, by: AbstractBaseUser | None, loaded_version: int | None = None
) -> ArticleRevision:
    """Drop the live article's pending change; the live text stays.

    Recorded as a revision of the live content, so the history says who
    discarded it and the form's content at every version stays on record.
    """
    if loaded_version is not None:
        services.check_not_changed_since(article.pk, loaded_version)
    services.lock(article, whole_row=True)
    draft = pending_draft(article)
    if not may_discard(by, draft):
        raise PermissionDenied(
            _("Nur der Desk oder wer den Entwurf gespeichert hat, darf ihn verwerfen.")
        )
    article.pending_revision = None
    services.save_workflow_fields(article, ("pending_revision",))
    return services.record_revision(
        article,
        by=by,
        note=_("Unveröffentlichte Änderungen aus Fassung %(number)s verworfen")
        % {"number": draft.number},
    )


def takes_agency_version(article: Article) -> bool:
    """An agency update to this locally edited story may become its draft:
    it is live, and no draft of the desk waits (their work is not replaced
    unseen; the version stays stored and the article marked, as before)."""
    if not is_live(article):
        return False
    waiting = article.pending_revision_id and pending_draft(article)
    return not (waiting and waiting.created_by_id is not None)


def propose_agency_version(
    article: Article, text: dict, *, item, new_photos: list[dict] = ()
) -> ArticleRevision:
    """An agency update to a locally edited live story, as its draft
    (check takes_agency_version first). The caller holds the row lock.

    `text`: the article's fields as the agency sends them (agency_text),
    its byline among them. `new_photos`: the item's photos the live article
    does not show yet, as a draft holds them (PHOTOS): what the import
    would attach, beside the photos readers see now.
    """
    proposal = copy.copy(article)
    headline = proposal.headline
    for name, value in text.items():
        setattr(proposal, name, value)
    proposal.headline = proposal.headline or headline
    photos = sorted(
        [*live_photo_uses(article), *new_photos], key=lambda use: use["position"]
    )
    data = draft_values(proposal, current_relations(article), photos=photos)
    data["agency_version"] = item.version
    data["agency_version_created"] = (
        item.version_created.isoformat() if item.version_created else None
    )
    return save_draft(
        article,
        by=None,
        data=data,
        note=_("Agentur-Version %(v)s, nicht veröffentlicht") % {"v": item.version},
    )
