"""Roles that see only what they need.

- Photos remember who uploaded them (ad operations may use their own).
- Credit, licence and kill of photos are the photo desk's: a permission of
  their own, granted to Bildredaktion (frozen, like 0002).
- Shared preview links carry a generation that withdrawing moves on.
- Failed logins are counted for throttling.

Adding the field to `articles_article` rebuilds that table on SQLite, which
drops the search index's triggers (0014): they are created again after it,
and after the field is removed when going back.
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


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Bildredaktion")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="articles", codename="set_photo_rights"
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Bildredaktion"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", codename="set_photo_rights"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_photo_external_id_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="photo",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [
                    (
                        "set_photo_rights",
                        "Kann Bildquelle, Lizenz und Sperre von Fotos setzen",
                    )
                ],
                "verbose_name": "Foto",
                "verbose_name_plural": "Fotos",
            },
        ),
        # Going back: after the field is removed.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.AddField(
            model_name="article",
            name="preview_epoch",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="Vorschau-Link-Generation"
            ),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
        migrations.AddField(
            model_name="photo",
            name="uploaded_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="Hochgeladen von",
            ),
        ),
        migrations.CreateModel(
            name="LoginFailure",
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
                    "username",
                    models.CharField(max_length=150, verbose_name="Benutzername"),
                ),
                ("address", models.CharField(max_length=64, verbose_name="Adresse")),
                (
                    "at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="Zeitpunkt"
                    ),
                ),
            ],
            options={
                "verbose_name": "Fehlgeschlagene Anmeldung",
                "verbose_name_plural": "Fehlgeschlagene Anmeldungen",
                "indexes": [
                    models.Index(
                        fields=["username", "at"], name="articles_lo_usernam_7b3a7b_idx"
                    ),
                    models.Index(
                        fields=["address", "at"], name="articles_lo_address_66871a_idx"
                    ),
                    models.Index(fields=["at"], name="articles_lo_at_a8bccb_idx"),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
