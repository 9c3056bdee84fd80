"""Agency items as articles: new stories, later versions, kills, and
pictures sent on their own.

Identity (agency, external id), version order, kill and embargo, local-edit
protection and photos, inside the caller's transaction. Everything goes
through the article services, so revisions, transitions and cache purges
happen as for an editor's change. Re-running an import changes nothing.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.importers.agency_photos import AgencyPhotos
from articles.importers.items import (
    BREAKING_URGENCIES,
    AgencyItem,
    ItemStatus,
    identity,
)
from articles.importers.runs import Batch, ImportOptions, ImportRun
from articles.models import Agency, AgencyVersion, Article, Photo, Section
from articles.models.agency import agency_text, cut_text_fields, version_key
from articles.workflow import live_drafts, services

EPOCH = datetime.min.replace(tzinfo=UTC)
# dpa's notices to newsrooms ("Achtung – Verzögerung", "Hinweis"): for
# editors, never for readers, so an import never publishes them.
NOTICE_GENRES = {"achtung", "hinweis", "redaktioneller hinweis"}
KILL_REASON = gettext_lazy("Von der Agentur zurückgezogen (Kill).")
# What update_article returns when it applied the version.
APPLIED = {"updated", "embargoed", "withdrawn"}


class Skip(Exception):
    """The item is fine but must not change anything; the message says why."""


def is_notice(item: AgencyItem) -> bool:
    return any(genre.casefold() in NOTICE_GENRES for genre in item.genres)


def is_embargoed(item: AgencyItem) -> bool:
    return item.embargo_time_unknown or bool(
        item.embargo_until and item.embargo_until > timezone.now()
    )


def apply_item(item: AgencyItem, *, payload: str, batch: Batch) -> tuple[str, str]:
    """(outcome, note) of one item, inside the caller's transaction."""
    agency = batch.run.agency(item.provider)
    if item.is_photo_only:
        return apply_photo_item(item, agency=agency, batch=batch)
    external_id = identity(item.external_id)
    article = None
    if batch.may_exist(agency.pk, external_id):
        article = (
            Article.objects.select_for_update().agency_item(agency, external_id).first()
        )
    if article is None:
        return create_article(item, agency=agency, payload=payload, batch=batch)
    return update_article(article, item, payload=payload, batch=batch)


def apply_photo_item(
    item: AgencyItem, *, agency: Agency, batch: Batch
) -> tuple[str, str]:
    """A picture sent on its own: store it (once) for the photo desk."""
    [agency_photo] = item.photos
    if item.status == ItemStatus.CANCELED:
        updated = Photo.objects.agency_item(
            agency, identity(agency_photo.external_id)
        ).kill(str(KILL_REASON))
        services.purge_pages_on_commit()
        return ("withdrawn" if updated else "unchanged"), ""
    photos = AgencyPhotos(base_dir=batch.base_dir)
    photo = photos.photo(agency_photo, agency, usage_terms=item.usage_terms)
    if photo.pk is not None:
        return "unchanged", ""
    photos.save()
    return "created", ""


def create_article(
    item: AgencyItem, *, agency: Agency, payload: str, batch: Batch
) -> tuple[str, str]:
    article = new_article(item, agency, batch.run)
    services.save_article(article, by=None)
    services.record_revision(article, by=None, note=first_revision_note(item), new=True)
    agency_version(article, item, payload, batch.format, applied=True).save()
    photos = AgencyPhotos(base_dir=batch.base_dir)
    note = photos.attach(article, item, agency, new=True)
    photos.save()
    return finish_new_article(article, item, note, batch.run.options)


def new_article(item: AgencyItem, agency: Agency, run: ImportRun) -> Article:
    """The unsaved article for a story we do not have yet."""
    if item.status == ItemStatus.CANCELED:
        raise Skip(_("Kill für eine unbekannte Meldung."))
    article = Article(
        agency=agency,
        external_id=identity(item.external_id),
        section=section_for(item, agency, run),
    )
    fill(article, item)
    return article


def first_revision_note(item: AgencyItem) -> str:
    return _("Import, Agentur-Version %(v)s") % {"v": item.version}


def flag_if_breaking(article: Article, item: AgencyItem) -> None:
    """An item the agency sends as "Blitz" or "Eil" (urgency 1 or 2) is
    breaking news once the import publishes it."""
    if item.urgency in BREAKING_URGENCIES:
        services.flag_breaking_news(article, by=None, at=timezone.now())


def finish_new_article(
    article: Article, item: AgencyItem, note: str, options: ImportOptions
) -> tuple[str, str]:
    """After a new story is saved: publish it if asked; (outcome, note)."""
    note = "; ".join(filter(None, [cut_note(item), note]))
    if is_notice(item):
        note = "; ".join(
            filter(None, [_("Hinweis an die Redaktion, nicht veröffentlicht"), note])
        )
    elif options.publish and item.status == ItemStatus.USABLE:
        services.publish_article(article, by=None, at=timezone.now())
        flag_if_breaking(article, item)
    return ("embargoed" if is_embargoed(item) else "created"), note


def create_articles(
    planned: list[tuple[Article, AgencyItem, str]], *, batch: Batch
) -> list[tuple[str, str]]:
    """Save new stories in bulk: articles, first revisions, agency versions,
    new photos and photo uses in five inserts; publishing one by one.

    `planned` holds (article, item, payload); returns (outcome, note) for
    each. The caller runs this in a savepoint and, should anything fail,
    applies the items one by one instead.
    """
    articles = [article for article, _item, _payload in planned]
    services.create_articles(
        articles, by=None, notes=[first_revision_note(item) for _a, item, _p in planned]
    )
    AgencyVersion.objects.bulk_create(
        [
            agency_version(article, item, payload, batch.format, applied=True)
            for article, item, payload in planned
        ]
    )
    photos = AgencyPhotos(base_dir=batch.base_dir)
    photos.look_up(
        (article.agency, photo)
        for article, item, _payload in planned
        for photo in item.photos
    )
    notes = [
        photos.attach(article, item, article.agency, new=True)
        for article, item, _payload in planned
    ]
    photos.save()
    return [
        finish_new_article(article, item, note, batch.run.options)
        for (article, item, _payload), note in zip(planned, notes, strict=True)
    ]


def update_article(
    article: Article, item: AgencyItem, *, payload: str, batch: Batch
) -> tuple[str, str]:
    key = version_key(item.version, item.version_created)
    if AgencyVersion.objects.filter(article=article, version_key=key).exists():
        return "unchanged", ""
    # Every received version is kept, applied or not: one insert once that
    # is known (rather than an insert and an update).
    version = agency_version(article, item, payload, batch.format, applied=False)
    outcome, note = apply_version(article, item, batch=batch)
    version.applied = outcome in APPLIED
    version.save()
    return outcome, note


def apply_version(
    article: Article, item: AgencyItem, *, batch: Batch
) -> tuple[str, str]:
    """Apply a version of a stored story unless it is older, the story was
    killed or edited here."""
    current = (article.agency_version, article.agency_version_created or EPOCH)
    if item.version_key <= current:
        return "unchanged", _("ältere Version %(v)s aufbewahrt") % {"v": item.version}
    if article.agency_status == Article.AgencyStatus.CANCELED:
        # Kept for the record, never applied: a kill blocks republication.
        return "skipped", _("Die Agentur hat die Meldung zurückgezogen (Kill).")
    if item.status == ItemStatus.CANCELED:
        kill(article, item)
        return "withdrawn", ""
    if article.locally_edited:
        return keep_local_edit(article, item, batch=batch)
    fill(article, item)
    if item.signal in ("update", "correction") and article.first_published_at:
        article.updated_at = timezone.now()
    services.save_article(article, by=None)
    services.record_revision(
        article, by=None, note=_("Agentur-Version %(v)s") % {"v": item.version}
    )
    if item.correction_note and article.first_published_at:
        services.add_correction(article, by=None, text=item.correction_note)
    photos = AgencyPhotos(base_dir=batch.base_dir)
    note = photos.attach(article, item, article.agency, new=False)
    note = "; ".join(filter(None, [cut_note(item), note]))
    photos.save()
    unpublished = article.status in (Article.Status.DRAFT, Article.Status.APPROVED)
    publishable = item.status == ItemStatus.USABLE and not is_notice(item)
    if batch.run.options.publish and publishable and unpublished:
        services.publish_article(article, by=None, at=timezone.now())
        flag_if_breaking(article, item)
    return ("embargoed" if is_embargoed(item) else "updated"), note


def keep_local_edit(
    article: Article, item: AgencyItem, *, batch: Batch
) -> tuple[str, str]:
    """Keep the editor's text, but follow the agency's holds.

    A live story gets the agency's version as its pending change ("Live +
    Entwurf"): its text and byline, and its photos (stored now, attached
    only when the draft is published), for the desk to publish or discard;
    readers keep the edited story until then. A draft the desk saved is
    not replaced.

    Local-edit protection protects text, never a takedown: a "withheld"
    hides the story at once (a later "usable" lifts that hold again), and
    an embargo the agency sets or extends applies too. An embargo the
    agency drops does not lift one the editors keep.
    """
    proposed = live_drafts.takes_agency_version(article)
    if proposed:
        photos = AgencyPhotos(base_dir=batch.base_dir)
        photo_note = photos.attach(article, item, article.agency, new=False)
        live_drafts.propose_agency_version(
            article,
            agency_text(item.__dict__),
            item=item,
            new_photos=photos.save_photos_only(),
        )
    article.pending_agency_version = item.version
    if proposed:
        note = _(
            "lokal bearbeitet: Agentur-Version %(v)s als unveröffentlichte "
            "Änderungen gespeichert"
        ) % {"v": item.version}
        note = "; ".join(filter(None, [note, photo_note]))
    else:
        note = _(
            "lokal bearbeitet: Agentur-Version %(v)s gespeichert, nicht übernommen"
        ) % {"v": item.version}
    changed = take_agency_holds(article, item)
    if not changed:
        article.save(update_fields=["pending_agency_version", "modified_at"])
        services.purge_pages_on_commit()
        return "skipped", note
    # A state change: an edit form opened before it must not save over it.
    # The caller locked the row (apply_item), so the version is the row's.
    services.save_workflow_fields(article, ("pending_agency_version", *changed))
    services.purge_pages_on_commit()
    if item.status == ItemStatus.WITHHELD:
        note = _("%(note)s; die Agentur hält die Meldung zurück: sie ist offline") % {
            "note": note
        }
    elif {"embargo_until", "embargo_time_unknown"} & set(changed):
        note = _("%(note)s; Sperrfrist der Agentur übernommen") % {"note": note}
    return "skipped", note


def take_agency_holds(article: Article, item: AgencyItem) -> list[str]:
    """Set the agency's status and any longer embargo; the fields changed."""
    changed = []
    if item.status != article.agency_status:
        article.agency_status = item.status
        changed.append("agency_status")
    if item.embargo_time_unknown and not article.embargo_time_unknown:
        article.embargo_time_unknown = True
        changed.append("embargo_time_unknown")
    current = article.embargo_until
    longer = current is None or (item.embargo_until or current) > current
    if is_embargoed(item) and item.embargo_until and longer:
        article.embargo_until = item.embargo_until
        changed.append("embargo_until")
    return changed


def fill(article: Article, item: AgencyItem) -> None:
    """Copy the agency's fields; the body is sanitised when the article saves."""
    headline = article.headline
    for name, value in agency_text(item.__dict__).items():
        setattr(article, name, value)
    # A version without a headline keeps the one before (or shows the id).
    article.headline = article.headline or headline or item.external_id[:200]
    article.embargo_until = item.embargo_until
    article.embargo_time_unknown = item.embargo_time_unknown
    article.agency_version = item.version
    article.agency_version_created = item.version_created
    article.agency_status = item.status
    article.pending_agency_version = None


def cut_note(item: AgencyItem) -> str:
    """The warning naming the fields longer than the article keeps."""
    if cut := cut_text_fields(item.__dict__):
        return _("gekürzt, länger als vorgesehen: %(fields)s") % {
            "fields": ", ".join(cut)
        }
    return ""


def agency_version(
    article: Article, item: AgencyItem, payload: str, format: str, *, applied: bool
) -> AgencyVersion:
    return AgencyVersion(
        article_id=article.pk,  # saved already; the id skips related checks
        version=item.version,
        version_key=version_key(item.version, item.version_created),
        version_created=item.version_created,
        format=format,
        status=item.status,
        signal=item.signal,
        payload=payload,
        fields=item.as_fields(),
        applied=applied,
    )


def kill(article: Article, item: AgencyItem) -> None:
    """Off every surface now, photos too, and never republished by an import."""
    reason = str(KILL_REASON)
    if item.correction_note:
        reason = f"{reason} {item.correction_note}"
    article.agency_status = Article.AgencyStatus.CANCELED
    article.save(update_fields=["agency_status", "modified_at"])
    if article.status == Article.Status.PUBLISHED:
        services.withdraw_article(article, by=None, reason=reason)
    # The agency's own photos of the story; pictures from elsewhere stay.
    Photo.objects.filter(uses__article=article, agency_id=article.agency_id).exclude(
        external_id=""
    ).kill(reason)
    services.purge_pages_on_commit()


def section_for(item: AgencyItem, agency: Agency, run: ImportRun) -> Section:
    if run.options.section:
        if found := run.section(run.options.section):
            return found
        raise ValidationError(
            _("Ressort „%(slug)s“ gibt es nicht.") % {"slug": run.options.section}
        )
    names = [*item.desks, *item.categories]
    if mapped := run.mapped_section(agency, names):
        return mapped
    if default := run.section(settings.NEWSROOM_IMPORT_DEFAULT_SECTION):
        return default
    raise ValidationError(
        _(
            "Kein Ressort: keine Zuordnung für %(names)s und kein Standard-Ressort "
            "„%(slug)s“ (NEWSROOM_IMPORT_DEFAULT_SECTION)."
        )
        % {
            "names": ", ".join(names) or "–",
            "slug": settings.NEWSROOM_IMPORT_DEFAULT_SECTION,
        }
    )
