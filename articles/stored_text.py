"""Cleaning text stored before the text fields cleaned it on saving.

Rows written before articles/models/fields.py existed (or since by
`QuerySet.update()`) may hold control characters. Machine outputs clean them
as they go out, pages show them as they are; `clean_stored_text` cleans the
rows themselves, once, after an upgrade.
"""

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q

from articles.models.fields import CleanTextMixin
from articles.purging import purge_pages_on_commit
from articles.sanitising import clean_text

# What a database regex can look for: UNWANTED_CHARACTERS but surrogates,
# which no database stores, and NUL, which PostgreSQL does not store.
STORED_CONTROLS = "[\x01-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]"


def clean_stored_text(*, dry_run: bool = False) -> dict[str, int]:
    """Clean every text field of every row that needs it; return the number
    of rows cleaned (or to clean) per model label."""
    pattern = STORED_CONTROLS
    if connection.vendor != "postgresql":
        pattern = f"[\x00{pattern[1:]}"
    cleaned = {}
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, CleanTextMixin)
        ]
        if not fields:
            continue
        needing = Q()
        for name in fields:
            needing |= Q(**{f"{name}__regex": pattern})
        rows = model._default_manager.filter(needing).values("pk", *fields)
        count = 0
        for row in rows.iterator(chunk_size=500):
            count += 1
            if not dry_run:
                # Row by row, without save(): no signal, no new version, no
                # changed modification time for a repair of invisible text.
                with transaction.atomic():
                    model._default_manager.filter(pk=row["pk"]).update(
                        **{name: clean_text(row[name]) for name in fields}
                    )
        if count:
            cleaned[model._meta.label] = count
    if cleaned and not dry_run:
        purge_pages_on_commit()
    return cleaned
