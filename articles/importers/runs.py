"""An import run and its batches: the state handed down the pipeline.

An `ImportRun` lasts one command: what the operator asked for, the rows
read once for every item (agencies, category mappings, sections), the
report and the progress callback. A `Batch` lasts one transaction's items:
its run, the file they come from and which of its stories are stored. Both
are passed down as arguments; no module keeps state between runs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.db import transaction

from articles.importers.report import ImportReport
from articles.models import Agency, CategoryMapping, Section
from articles.photos.saving import agencies_by_name, provider_agency

# progress(file, item, outcome), called once for every item in order.
Progress = Callable[[str, str, str], None]


def no_progress(file: str, item: str, outcome: str) -> None:
    pass


@dataclass(frozen=True)
class ImportOptions:
    publish: bool = False
    section: str = ""
    dry_run: bool = False


class ImportRun:
    """One import: its options, its report, and the rows it reads once."""

    def __init__(
        self, options: ImportOptions | None = None, *, progress: Progress = no_progress
    ):
        self.options = options or ImportOptions()
        self.report = ImportReport()
        self.progress = progress
        self._agencies: dict[str, Agency] | None = None
        self._mappings: dict[tuple[int, str], Section] | None = None
        self._sections: dict[str, Section | None] = {}

    def record(self, file: str, reference: str, outcome: str, text: str = "") -> None:
        """Report an item's outcome with `text` (a failure's reason, else a
        note), then show it."""
        if outcome == "failed":
            self.report.fail(reference, text)
        else:
            self.report.count(outcome, reference, text)
        self.progress(file, reference, outcome)

    def agency(self, provider: str) -> Agency:
        """The agency of an item's provider ("" when the item names none:
        "Unbekannte Quelle", never the format's name)."""
        if self._agencies is None:
            self._agencies = agencies_by_name()
        name = provider or Agency.UNKNOWN_SOURCE
        if found := self._agencies.get(name.casefold()):
            return found
        # Found by a part of the name, or unknown: then created and flagged
        # for review. Remembered once that is committed (at once outside a
        # transaction; never if the savepoint it was created in rolls back).
        agency = provider_agency(provider, by_name=self._agencies)
        transaction.on_commit(partial(self._remember_agency, name, agency))
        return agency

    def _remember_agency(self, name: str, agency: Agency) -> None:
        self._agencies[name.casefold()] = agency

    def mapped_section(self, agency: Agency, names: list[str]) -> Section | None:
        if self._mappings is None:
            self._mappings = {
                (mapping.agency_id, mapping.category): mapping.section
                for mapping in CategoryMapping.objects.select_related("section")
            }
        for name in names:
            if found := self._mappings.get((agency.pk, name)):
                return found
        return None

    def section(self, slug: str) -> Section | None:
        if slug not in self._sections:
            self._sections[slug] = Section.objects.filter(slug=slug).first()
        return self._sections[slug]


@dataclass
class Batch:
    """Items of one file applied in one transaction."""

    run: ImportRun
    format: str
    file: str
    # Where the file's relative photo references are looked up (its folder).
    base_dir: Path | None = None
    # (agency id, external id) of the batch's stories that are stored or
    # being created in it; None: unknown, ask the database.
    stories: set[tuple[int, str]] | None = None

    def may_exist(self, agency_id: int, external_id: str) -> bool:
        return self.stories is None or (agency_id, external_id) in self.stories

    def record(self, reference: str, outcome: str, text: str = "") -> None:
        self.run.record(self.file, reference, outcome, text)
