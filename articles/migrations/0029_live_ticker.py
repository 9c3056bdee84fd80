"""Live tickers: the article's flag and end time, its entries and their
history (articles/models/live_ticker.py).

Adding a field with a default to `articles_article` rebuilds that table on
SQLite, which drops the search index's triggers (0014): they are created
again after the fields are added, and after they are removed when going
back (as 0023).
"""

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
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
        ("articles", "0028_photo_keywords_newest_first_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Going back: after the fields are removed.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.AddField(
            model_name="article",
            name="is_live_ticker",
            field=models.BooleanField(
                default=False,
                help_text="Der Artikel ist ein Liveticker: Vorspann und Text oben, darunter Einträge mit Uhrzeit, die neuesten zuerst.",
                verbose_name="Liveticker",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="live_ended_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="Ticker beendet am"
            ),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
        migrations.CreateModel(
            name="LiveEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        verbose_name="Zeit",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="Kurztitel"
                    ),
                ),
                (
                    "body",
                    models.TextField(
                        help_text="Unerlaubte Elemente und Attribute werden entfernt.",
                        verbose_name="Text",
                    ),
                ),
                (
                    "is_key_event",
                    models.BooleanField(
                        default=False,
                        help_text="Erscheint in der Zusammenfassung über dem Ticker.",
                        verbose_name="Wichtiges Ereignis",
                    ),
                ),
                (
                    "is_pinned",
                    models.BooleanField(
                        default=False,
                        help_text="Steht über allen anderen Einträgen, bis es gelöst wird.",
                        verbose_name="Oben angeheftet",
                    ),
                ),
                (
                    "modified_at",
                    models.DateTimeField(
                        auto_now=True, verbose_name="Zuletzt geändert"
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="live_entries",
                        to="articles.article",
                        verbose_name="Liveticker",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="live_entries",
                        to="articles.author",
                        verbose_name="Autor",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Angelegt von",
                    ),
                ),
            ],
            options={
                "verbose_name": "Liveticker-Eintrag",
                "verbose_name_plural": "Liveticker-Einträge",
                "ordering": ["-pk"],
                "indexes": [
                    models.Index(fields=["article", "-id"], name="live_entry_newest"),
                    models.Index(
                        condition=models.Q(("is_key_event", True)),
                        fields=["article", "-id"],
                        name="live_entry_key_events",
                    ),
                    models.Index(
                        condition=models.Q(("is_pinned", True)),
                        fields=["article", "-id"],
                        name="live_entry_pinned",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LiveEntryChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "entry_id",
                    models.PositiveBigIntegerField(
                        blank=True, null=True, verbose_name="Eintrag"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("added", "hinzugefügt"),
                            ("corrected", "korrigiert"),
                            ("deleted", "gelöscht"),
                            ("ended", "Ticker beendet"),
                            ("reopened", "Ticker fortgesetzt"),
                        ],
                        max_length=20,
                        verbose_name="Änderung",
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="am"
                    ),
                ),
                ("data", models.JSONField(default=dict, verbose_name="Inhalt")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="live_entry_changes",
                        to="articles.article",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="durch",
                    ),
                ),
            ],
            options={
                "verbose_name": "Änderung am Liveticker",
                "verbose_name_plural": "Änderungen am Liveticker",
                "ordering": ["-pk"],
                "indexes": [
                    models.Index(fields=["article", "-id"], name="live_change_newest")
                ],
            },
        ),
    ]
