"""Working together at the desk (issue #17).

- Approving is a permission of its own (`approve_article`), separate from
  publishing, so a desk can be set up with four eyes. Granted to "Chef vom
  Dienst", who approved until now through the publish permission (frozen,
  like 0002).
- Articles are assigned to a person or a group, and remember the
  send-back they wait on.
- Sections may limit a group's or a user's desk rights.
- Internal notes on articles, and who they mention.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ROLES = {"Chef vom Dienst": ["approve_article"]}


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
        ("articles", "0029_live_ticker"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-published_at", "-pk"],
                "permissions": [
                    ("publish_article", "Kann Artikel veröffentlichen"),
                    ("approve_article", "Kann Artikel freigeben"),
                ],
                "verbose_name": "Artikel",
                "verbose_name_plural": "Artikel",
            },
        ),
        migrations.AddField(
            model_name="article",
            name="assigned_group",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assigned_articles",
                to="auth.group",
                verbose_name="Zuständige Gruppe",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="assigned_to",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assigned_articles",
                to=settings.AUTH_USER_MODEL,
                verbose_name="Zuständig",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="sent_back",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="articles.articletransition",
                verbose_name="Zurückgegeben",
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="desk_groups",
            field=models.ManyToManyField(
                blank=True,
                help_text="Gruppen, deren Desk-Rechte (Freigeben, Veröffentlichen, Zurückgeben) auf die Ressorts beschränkt sind, die sie hier nennen, z. B. ein Sport-Desk nur für Sport.",
                related_name="desk_sections",
                to="auth.group",
                verbose_name="Desk-Gruppen dieses Ressorts",
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="desk_users",
            field=models.ManyToManyField(
                blank=True,
                help_text="Einzelne Personen, deren Desk-Rechte auf die Ressorts beschränkt sind, die sie hier nennen.",
                related_name="desk_sections",
                to=settings.AUTH_USER_MODEL,
                verbose_name="Desk-Personen dieses Ressorts",
            ),
        ),
        migrations.CreateModel(
            name="ArticleNote",
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
                ("text", models.TextField(verbose_name="Notiz")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="am"
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notes",
                        to="articles.article",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="von",
                    ),
                ),
            ],
            options={
                "verbose_name": "Interne Notiz",
                "verbose_name_plural": "Interne Notizen",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="NoteMention",
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
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "note",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentions",
                        to="articles.articlenote",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "Erwähnung",
                "verbose_name_plural": "Erwähnungen",
                "indexes": [
                    models.Index(fields=["user", "-created_at"], name="mention_newest")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("note", "user"),
                        name="one_mention_per_note_and_user",
                        violation_error_message="Diese Person ist in der Notiz schon erwähnt.",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
