"""What an import did: a count per outcome, the failures and the notes.

A run may meet a million broken items: the report counts every one but
keeps the text of only the first NEWSROOM_IMPORT_REPORT_MAX_FAILURES
failures (and as many notes), so its memory stays the same.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

OUTCOMES = (
    "created",
    "updated",
    "unchanged",
    "withdrawn",
    "embargoed",
    "skipped",
    "failed",
)


def report_limit() -> int:
    return settings.NEWSROOM_IMPORT_REPORT_MAX_FAILURES


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    # How many failures and notes were counted beyond those listed.
    failures_omitted: int = 0
    notes_omitted: int = 0
    limit: int = field(default_factory=report_limit)

    def count(self, outcome: str, reference: str, note: str = "") -> None:
        self.counts[outcome] += 1
        if not note:
            return
        if len(self.notes) < self.limit:
            self.notes.append((reference, note))
        else:
            self.notes_omitted += 1

    def fail(self, reference: str, reason: str) -> None:
        self.counts["failed"] += 1
        if len(self.failures) < self.limit:
            self.failures.append((reference, reason))
        else:
            self.failures_omitted += 1

    @property
    def failed(self) -> int:
        return self.counts["failed"]

    def summary(self) -> str:
        return ", ".join(f"{outcome} {self.counts[outcome]}" for outcome in OUTCOMES)

    def omitted(self) -> list[str]:
        """Lines that say what the lists leave out."""
        lines = []
        if self.failures_omitted:
            lines.append(
                _(
                    "… und %(count)s weitere Fehler, nicht aufgeführt "
                    "(NEWSROOM_IMPORT_REPORT_MAX_FAILURES = %(limit)s)."
                )
                % {"count": self.failures_omitted, "limit": self.limit}
            )
        if self.notes_omitted:
            lines.append(
                _("… und %(count)s weitere Hinweise, nicht aufgeführt.")
                % {"count": self.notes_omitted}
            )
        return lines

    def as_json(self) -> dict:
        return {
            **{outcome: self.counts[outcome] for outcome in OUTCOMES},
            "failures": [
                {"item": item, "reason": reason} for item, reason in self.failures
            ],
            "failures_omitted": self.failures_omitted,
            "notes": [{"item": item, "note": note} for item, note in self.notes],
            "notes_omitted": self.notes_omitted,
        }
