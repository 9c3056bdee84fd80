"""Optional search and social fields of an article (page_meta.py uses them).

Adding fields to `articles_article` rebuilds that table on SQLite, which
drops the search index's triggers (0014): they are created again after the
fields are added, and after they are removed when going back (as 0016).
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

# Frozen like this migration: 0014 never changes.
search = import_module("articles.migrations.0014_article_search")


def recreate_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in search.SQLITE_DROP:
        if statement.startswith("DROP TRIGGER"):
            schema_editor.execute(statement)
    for statement in search.SQLITE_CREATE:
        if statement.startswith("CREATE TRIGGER"):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_renditions_complete_and_admin_list_index"),
    ]

    operations = [
        # Going back: after the fields are removed.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.AddField(
            model_name="article",
            name="canonical_url",
            field=models.URLField(
                blank=True,
                help_text="Nur wenn der Text zuerst anderswo erschien: die absolute Adresse des Originals.",
                max_length=500,
                verbose_name="Kanonische Adresse",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="meta_description",
            field=models.TextField(
                blank=True,
                help_text="Text unter dem Titel in Suchergebnissen; sonst der Vorspann.",
                verbose_name="Meta-Beschreibung",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="noindex",
            field=models.BooleanField(
                default=False,
                help_text="Die Seite bleibt öffentlich, Suchmaschinen sollen sie nicht führen.",
                verbose_name="Nicht in Suchmaschinen (noindex)",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="seo_title",
            field=models.CharField(
                blank=True,
                help_text="Titel in Suchergebnissen, wenn er anders lauten soll.",
                max_length=200,
                verbose_name="SEO-Titel",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="social_photo",
            field=models.ForeignKey(
                blank=True,
                help_text="Im Format 1,91:1 zugeschnitten, mit Bildnachweis; sonst das erste Foto.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="articles.photo",
                verbose_name="Bild für soziale Netzwerke",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="social_teaser",
            field=models.TextField(
                blank=True, verbose_name="Text für soziale Netzwerke"
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="social_title",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="Titel für soziale Netzwerke"
            ),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
    ]
