"""What an import did: a count per outcome, the failures and the notes."""

from collections import Counter
from dataclasses import dataclass, field

OUTCOMES = (
    "created",
    "updated",
    "unchanged",
    "withdrawn",
    "embargoed",
    "skipped",
    "failed",
)


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: str, reference: str, note: str = "") -> None:
        self.counts[outcome] += 1
        if note:
            self.notes.append((reference, note))

    def fail(self, reference: str, reason: str) -> None:
        self.counts["failed"] += 1
        self.failures.append((reference, reason))

    @property
    def failed(self) -> int:
        return self.counts["failed"]

    def summary(self) -> str:
        return ", ".join(f"{outcome} {self.counts[outcome]}" for outcome in OUTCOMES)

    def as_json(self) -> dict:
        return {
            **{outcome: self.counts[outcome] for outcome in OUTCOMES},
            "failures": [
                {"item": item, "reason": reason} for item, reason in self.failures
            ],
            "notes": [{"item": item, "note": note} for item, note in self.notes],
        }
