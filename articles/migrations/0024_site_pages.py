"""Impressum, Datenschutz, Kontakt: the model, and the Chef vom Dienst may
keep them (frozen role lists, like 0002)."""

from django.db import migrations, models

ROLES = {"Chef vom Dienst": ["add_sitepage", "change_sitepage", "view_sitepage"]}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="articles", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_article_seo_and_social_fields"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="SitePage",
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
                    "kind",
                    models.CharField(
                        choices=[
                            ("impressum", "Impressum"),
                            ("datenschutz", "Datenschutzerklärung"),
                            ("kontakt", "Kontakt"),
                        ],
                        help_text="Bestimmt die Adresse, z. B. /impressum/.",
                        max_length=20,
                        unique=True,
                        verbose_name="Seite",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="Überschrift")),
                (
                    "body",
                    models.TextField(
                        help_text="HTML wie im Artikeltext (Absätze, Zwischenüberschriften, Listen, Links); alles andere wird beim Speichern entfernt.",
                        verbose_name="Text",
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, verbose_name="Geändert"),
                ),
            ],
            options={
                "verbose_name": "Seite (Impressum, Datenschutz, Kontakt)",
                "verbose_name_plural": "Seiten (Impressum, Datenschutz, Kontakt)",
                "ordering": ["kind"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
