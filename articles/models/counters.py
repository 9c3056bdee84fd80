"""Counter fields that no save of the row writes back.

View, impression and click counts grow in the database only by
`flush_counts` (teasers/counting.py), as `UPDATE … SET n = n + k`. An object
loaded before a flush and saved after it (an editor's change form, open for
minutes; a service working on a copy) would write its stale count back and
erase what the flush added. So saving an existing row writes every loaded
field except the counters; only a save that names a counter in
`update_fields` writes it (the demo loader seeding its numbers).
"""

from django.db import models


class KeepsCounters(models.Model):
    """A model whose COUNTER_FIELDS only `flush_counts` writes."""

    COUNTER_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, **kwargs):
        updating = self.pk is not None and not (
            self._state.adding or kwargs.get("force_insert")
        )
        if updating and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = self.fields_saved_without_counters()
        super().save(**kwargs)

    def fields_saved_without_counters(self) -> list[str]:
        """The fields a full save of this (loaded) object writes."""
        deferred = self.get_deferred_fields()
        return [
            field.name
            for field in self._meta.concrete_fields
            if not field.primary_key
            and not field.generated
            and field.name not in self.COUNTER_FIELDS
            and field.attname not in deferred
        ]
