"""Applying a batch of items: one transaction, new stories in bulk.

Most items of a busy feed are new stories or re-sends, so both are settled
for a whole batch at once. One query finds which of the batch's stories and
versions are stored; a re-send is counted without being parsed when its
format can name its version cheaply (`Reader.peek`). New stories are built
in Python and saved with a few bulk inserts (`apply.create_articles`).
Everything else (updates, kills, picture items, a story twice in one batch,
dry runs) takes the per-item path, `apply.apply_parsed`, with a savepoint
each. If anything in a bulk insert fails (a concurrent import created the
same story a moment ago, a value the database refuses, a photo that cannot
be published), its savepoint rolls back and those items take the per-item
path instead, so every item ends exactly as it would one by one: a bad item
is reported and skipped, the others land.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from articles.importers.apply import (
    ImportOptions,
    ImportReport,
    Skip,
    apply_parsed,
    create_articles,
    identity,
    new_article,
)
from articles.importers.detect import ParsedItem, RawItem
from articles.importers.items import ItemVersion, ParseError
from articles.models import Article
from articles.models.agency import version_key

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


def apply_batch(
    raw_items: list[RawItem],
    *,
    format: str,
    options: ImportOptions,
    report: ImportReport,
    progress: Callable[[str, str], None],
) -> None:
    """Apply `raw_items` in one transaction; `progress(reference, outcome)`
    is called for each, in order."""
    lookups = options.lookups
    batch = [
        identify(Planned(raw), format=format, options=options) for raw in raw_items
    ]
    known, existing = find_stored(batch)
    # Shared with the per-item path: it looks up only stories in this set.
    lookups.existing = existing
    for planned in batch:
        decide(planned, known, existing, format=format, options=options)
    if all(planned.outcome for planned in batch):
        # Re-sends and broken items only (a re-run): nothing to write.
        settle(batch, format=format, options=options, report=report,
               progress=progress)  # fmt: skip
        lookups.existing = None
        return
    with transaction.atomic():
        waiting = []
        for planned in batch:
            if planned.is_pending:
                waiting.append(planned)
                continue
            # This item may depend on those before it (the same story twice):
            # they are saved first.
            settle(waiting, format=format, options=options, report=report,
                   progress=progress)  # fmt: skip
            waiting = []
            outcome = apply_parsed(
                planned.parsed, format=format, options=options, report=report
            )
            progress(planned.reference, outcome)
        settle(waiting, format=format, options=options, report=report,
               progress=progress)  # fmt: skip
    lookups.existing = None


def identify(planned: Planned, *, format: str, options: ImportOptions) -> Planned:
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
    agency = options.lookups.agency(version.provider or format)
    if planned.parsed and planned.parsed.item.is_photo_only:
        return planned
    planned.version = version
    planned.key = (
        agency.pk,
        identity(version.external_id),
        version_key(version.version, version.version_created),
    )
    return planned


def find_stored(batch: list[Planned]) -> tuple[set, set]:
    """The batch's stored versions (agency id, external id, version key) and
    stories (agency id, external id), in one query.

    Read before the batch's transaction; a concurrent import may add a story
    meanwhile (its bulk insert then fails and falls back).
    """
    ids = {planned.key[1] for planned in batch if planned.key}
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


def decide(
    planned: Planned, known: set, existing: set, *, format: str, options: ImportOptions
) -> None:
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
    if options.dry_run or story in existing:
        return
    existing.add(story)  # the same story again in this batch is an update
    agency = options.lookups.agency(item.provider or format)
    try:
        planned.article = new_article(item, agency, options)
    except Skip as skip:
        planned.outcome, planned.text = "skipped", str(skip)
    except (ValidationError, ParseError) as error:
        messages = getattr(error, "messages", None) or [str(error)]
        planned.outcome, planned.text = "failed", " ".join(messages)


def settle(
    waiting: list[Planned],
    *,
    format: str,
    options: ImportOptions,
    report: ImportReport,
    progress: Callable[[str, str], None],
) -> None:
    """Bulk-insert the new stories among `waiting`, then report all of them
    in order."""
    new = [planned for planned in waiting if planned.article is not None]
    bulk_failed = False
    if new:
        try:
            with transaction.atomic():
                results = create_articles(
                    [
                        (planned.article, planned.parsed.item, planned.parsed.payload)
                        for planned in new
                    ],
                    format=format,
                    options=options,
                )
        except (DatabaseError, ValidationError, ParseError) as error:
            # One by one instead: each item then ends as it would alone.
            logger.info("bulk insert failed, applying one by one: %s", error)
            bulk_failed = True
            options.lookups.existing = None
        else:
            for planned, (outcome, note) in zip(new, results, strict=True):
                planned.outcome, planned.text = outcome, note
    for planned in waiting:
        if planned.article is not None and bulk_failed:
            outcome = apply_parsed(
                planned.parsed, format=format, options=options, report=report
            )
        elif planned.outcome == "failed":
            report.fail(planned.reference, planned.text)
            outcome = "failed"
        else:
            report.count(planned.outcome, planned.reference, planned.text)
            outcome = planned.outcome
        progress(planned.reference, outcome)
