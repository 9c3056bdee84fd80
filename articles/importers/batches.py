"""Applying a batch of items: one transaction, new stories in bulk.

Most items of a busy feed are new stories or re-sends, so both are settled
for a whole batch at once. One query finds which of the batch's stories and
versions are stored; a re-send is counted without being parsed when its
format can name its version cheaply (`Reader.peek`). New stories are built
in Python and saved with a few bulk inserts (`stories.create_articles`).
Everything else (updates, kills, picture items, a story twice in one batch,
dry runs) takes the per-item path, `apply_parsed`, with a savepoint each.
If anything in a bulk insert fails (a concurrent import created the same
story a moment ago, a value the database refuses, a photo that cannot be
published), its savepoint rolls back and those items take the per-item
path instead, so every item ends exactly as it would one by one: a bad item
is reported and skipped, the others land.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from articles.importers.detect import ParsedItem, RawItem
from articles.importers.items import ItemVersion, ParseError, identity
from articles.importers.runs import Batch
from articles.importers.stories import Skip, apply_item, create_articles, new_article
from articles.models import Article
from articles.models.agency import version_key
from articles.photos.saving import new_photo_files

logger = logging.getLogger(__name__)


@dataclass
class Planned:
    """One item of a batch and what will happen to it."""

    raw: RawItem
    parsed: ParsedItem | None = None
    version: ItemVersion | None = None
    # (agency id, external id as stored, version key)
    key: tuple[int, str, str] | None = None
    outcome: str = ""  # decided without the per-item path
    text: str = ""  # the note, or the reason of a failure
    article: Article | None = None  # a new story for the bulk insert

    @property
    def reference(self) -> str:
        if self.parsed is not None:
            return self.parsed.reference
        return self.version.external_id

    @property
    def is_pending(self) -> bool:
        """Waits for the bulk insert, or is settled already."""
        return bool(self.outcome or self.article)


def apply_batch(raw_items: list[RawItem], batch: Batch) -> None:
    """Apply `raw_items` in one transaction, recording each in order."""
    planned_items = [identify(Planned(raw), batch) for raw in raw_items]
    known, batch.stories = find_stored(planned_items)
    for planned in planned_items:
        decide(planned, known, batch)
    if all(planned.outcome for planned in planned_items):
        # Re-sends and broken items only (a re-run): nothing to write.
        settle(planned_items, batch)
        return
    with new_photo_files(), transaction.atomic():
        waiting = []
        for planned in planned_items:
            if planned.is_pending:
                waiting.append(planned)
                continue
            # This item may depend on those before it (the same story twice):
            # they are saved first.
            settle(waiting, batch)
            waiting = []
            apply_parsed(planned.parsed, batch)
        settle(waiting, batch)


def identify(planned: Planned, batch: Batch) -> Planned:
    """Find the item's identity and version, from a peek where the format
    allows, else by parsing it."""
    version = planned.raw.peek()
    if version is None:
        planned.parsed = planned.raw.parse()
        item = planned.parsed.item
        if item is None:
            return planned
        version = ItemVersion(
            item.provider, item.external_id, item.version, item.version_created
        )
    # Looked up before the batch's transaction: an agency new to the run is
    # created and remembered once, not once per item.
    agency = batch.run.agency(version.provider)
    if planned.parsed and planned.parsed.item.is_photo_only:
        return planned
    planned.version = version
    planned.key = (
        agency.pk,
        identity(version.external_id),
        version_key(version.version, version.version_created),
    )
    return planned


def find_stored(planned_items: list[Planned]) -> tuple[set, set]:
    """The batch's stored versions (agency id, external id, version key) and
    stories (agency id, external id), in one query.

    Read before the batch's transaction; a concurrent import may add a story
    meanwhile (its bulk insert then fails and falls back).
    """
    ids = {planned.key[1] for planned in planned_items if planned.key}
    rows = (
        Article.objects.filter(external_id__in=ids)
        .order_by()
        .values_list("agency_id", "external_id", "agency_versions__version_key")
    )
    known, existing = set(), set()
    for agency_id, external_id, key in rows:
        existing.add((agency_id, external_id))
        if key is not None:
            known.add((agency_id, external_id, key))
    return known, existing


def decide(planned: Planned, known: set, batch: Batch) -> None:
    """Settle what needs no database (re-sends, broken items, kills of
    unknown stories) or plan a bulk insert; else leave it to the per-item
    path."""
    # Known versions are settled whether the key was peeked or parsed.
    if planned.key in known:
        planned.outcome = "unchanged"
        return
    if planned.parsed is None:
        planned.parsed = planned.raw.parse()
    parsed = planned.parsed
    if parsed.error:
        planned.outcome, planned.text = "failed", parsed.error
        return
    item = parsed.item
    if item.is_photo_only or planned.key is None:
        return
    story = planned.key[:2]
    if batch.run.options.dry_run or story in batch.stories:
        return
    batch.stories.add(story)  # the same story again in this batch is an update
    agency = batch.run.agency(item.provider)
    try:
        planned.article = new_article(item, agency, batch.run)
    except Skip as skip:
        planned.outcome, planned.text = "skipped", str(skip)
    except (ValidationError, ParseError) as error:
        planned.outcome, planned.text = "failed", reason_of(error)
    except Exception as error:  # one item never stops a run
        logger.exception("import of %s failed", planned.reference)
        planned.outcome, planned.text = "failed", unexpected(error)


def settle(waiting: list[Planned], batch: Batch) -> None:
    """Bulk-insert the new stories among `waiting`, then record all of them
    in order."""
    new = [planned for planned in waiting if planned.article is not None]
    bulk_failed = False
    if new:
        try:
            with new_photo_files(), transaction.atomic():
                results = create_articles(
                    [
                        (planned.article, planned.parsed.item, planned.parsed.payload)
                        for planned in new
                    ],
                    batch=batch,
                )
        except Exception as error:
            # One by one instead: each item then ends as it would alone.
            logger.info("bulk insert failed, applying one by one: %s", error)
            bulk_failed = True
            batch.stories = None
        else:
            for planned, (outcome, note) in zip(new, results, strict=True):
                planned.outcome, planned.text = outcome, note
    for planned in waiting:
        if planned.article is not None and bulk_failed:
            apply_parsed(planned.parsed, batch)
        else:
            batch.record(planned.reference, planned.outcome, planned.text)


def apply_parsed(parsed: ParsedItem, batch: Batch) -> None:
    """Apply one item in a savepoint of its own and record its outcome."""
    if parsed.error:
        batch.record(parsed.reference, "failed", parsed.error)
        return
    for attempt in (1, 2):
        try:
            dry_run = batch.run.options.dry_run
            with new_photo_files(discard=dry_run), transaction.atomic():
                outcome, note = apply_item(
                    parsed.item, payload=parsed.payload, batch=batch
                )
                if dry_run:
                    transaction.set_rollback(True)
        except Skip as skip:
            batch.record(parsed.reference, "skipped", str(skip))
        except IntegrityError as error:
            # Another import created the same story a moment ago: the second
            # attempt finds it and treats this as an update or a re-send.
            # Failing again, it is a value the database refuses.
            if attempt == 1:
                batch.stories = None
                continue
            batch.record(parsed.reference, "failed", refused_by_database(error))
        except (ValidationError, ParseError) as error:
            batch.record(parsed.reference, "failed", reason_of(error))
        except DatabaseError as error:
            # Rolled back to the item's savepoint: the batch goes on.
            batch.record(parsed.reference, "failed", refused_by_database(error))
        except Exception as error:  # one item never stops a run
            logger.exception("import of %s failed", parsed.reference)
            batch.record(parsed.reference, "failed", unexpected(error))
        else:
            batch.record(parsed.reference, outcome, note)
        return


def reason_of(error: ValidationError | ParseError) -> str:
    messages = getattr(error, "messages", None) or [str(error)]
    return " ".join(messages)


def refused_by_database(error: DatabaseError) -> str:
    first_line = (str(error).strip().splitlines() or [""])[0]
    return _("Die Datenbank hat die Meldung abgelehnt (%(error)s).") % {
        "error": f"{type(error).__name__}: {first_line[:200]}"
    }


def unexpected(error: Exception) -> str:
    return _("Unerwarteter Fehler bei dieser Meldung (%(error)s).") % {
        "error": f"{type(error).__name__}: {str(error)[:200]}"
    }
