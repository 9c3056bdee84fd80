"""Photo credits and duplicates, longer agency headlines (issue 15).

- `Photo.credit_needs_review`: an agency photo imported without any credit
  is shown nowhere until the photo desk has entered one.
- `Photo.content_hash`: uploads and `import_photos` recognise a file that is
  stored already. Existing rows stay empty (hashing every stored file would
  make this migration as slow as the archive is large); photos that
  `import_photos` stored are still found by their `sha256:` identity.
- Agencies that earlier imports named after a wire format ("ninjs", "nitf",
  …) for items without a provider are merged into the one "Unbekannte
  Quelle", so a re-sent item finds its story there instead of creating a
  second one. A row whose id the unknown source holds already stays put.
- Article headline 200 → 300 and kicker 120 → 200 characters, what agencies
  send. Altering `articles_article` rebuilds the table on SQLite, which
  drops the search triggers: they are created again, as in 0016.
"""

from importlib import import_module

from django.db import migrations, models

# Frozen like this migration: 0016 never changes.
recreate_search_triggers = import_module(
    "articles.migrations.0016_roles_previews_logins"
).recreate_search_triggers


# What `ImportRun.agency` used to create for items without a provider: the
# format's name, or "Web" when nothing was left of it.
FORMAT_AGENCIES = ["digitalwires", "ninjs", "newsml", "nitf", "rss", "Web"]
UNKNOWN_SOURCE = "Unbekannte Quelle"


def merge_format_agencies(apps, schema_editor):
    Agency = apps.get_model("articles", "Agency")
    formats = list(
        Agency.objects.filter(short_name__in=FORMAT_AGENCIES, needs_review=True)
    )
    if not formats:
        return
    unknown, _ = Agency.objects.get_or_create(
        short_name=UNKNOWN_SOURCE,
        defaults={"name": UNKNOWN_SOURCE, "needs_review": True},
    )
    for model_name, key in [
        ("Article", "external_id"),
        ("Photo", "external_id"),
        ("CategoryMapping", "category"),
    ]:
        model = apps.get_model("articles", model_name)
        for agency in formats:
            taken = model.objects.filter(agency=unknown).exclude(**{key: ""})
            taken = taken.values(key)
            model.objects.filter(agency=agency).exclude(**{f"{key}__in": taken}).update(
                agency=unknown
            )
    for agency in formats:
        in_use = any(
            apps.get_model("articles", name).objects.filter(agency=agency).exists()
            for name in ("Article", "Photo")
        )
        if not in_use:
            agency.delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_german_field_names")]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="content_hash",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                verbose_name="Prüfsumme",
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="credit_needs_review",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Beim Import wurde keine Bildquelle gefunden: Das Foto "
                    "erscheint auf keiner öffentlichen Seite, bis die "
                    "Bildredaktion die Quelle einträgt und diesen Haken entfernt."
                ),
                verbose_name="Bildquelle prüfen",
            ),
        ),
        migrations.AlterField(
            model_name="agency",
            name="needs_review",
            field=models.BooleanField(
                default=False,
                help_text="Automatisch beim Import angelegt: bitte prüfen.",
                verbose_name="Prüfen",
            ),
        ),
        # Going back: after the columns are narrowed again.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.AlterField(
            model_name="article",
            name="headline",
            field=models.CharField(max_length=300, verbose_name="Überschrift"),
        ),
        migrations.AlterField(
            model_name="article",
            name="kicker",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="Dachzeile"
            ),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
        # Last: on PostgreSQL no table may be altered after rows were updated
        # in the same transaction (their deferred foreign-key checks pend).
        migrations.RunPython(merge_format_agencies, migrations.RunPython.noop),
    ]
