"""Galleries (Bildergalerie) and what article bodies show (#16).

Reporters, the Chef vom Dienst and the photo desk make and edit galleries;
deleting one is for the Chef vom Dienst and the photo desk (a gallery in
use is protected anyway). Frozen like 0002: later role changes get their
own migration.
"""

import django.db.models.deletion
from django.db import migrations, models

ROLES = {
    "Redakteur": ["add_gallery", "change_gallery", "view_gallery"],
    "Chef vom Dienst": [
        "add_gallery",
        "change_gallery",
        "delete_gallery",
        "view_gallery",
    ],
    "Bildredaktion": [
        "add_gallery",
        "change_gallery",
        "delete_gallery",
        "view_gallery",
    ],
}
# The pictures are edited inside the gallery's form.
PICTURES = [
    "add_gallerypicture",
    "change_gallerypicture",
    "delete_gallerypicture",
    "view_gallerypicture",
]


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
                content_type__app_label="articles", codename__in=codenames + PICTURES
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles",
                codename__in=ROLES[group.name] + PICTURES,
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0032_trash"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Gallery",
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
                ("title", models.CharField(max_length=200, verbose_name="Titel")),
                (
                    "slug",
                    models.SlugField(
                        blank=True, max_length=200, verbose_name="Kurzname (Adresse)"
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        help_text="Ein, zwei Sätze über der Galerie auf ihrer eigenen Seite.",
                        verbose_name="Beschreibung",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(
                        blank=True,
                        db_index=True,
                        help_text="Leer: Die Galerie hat keine eigene öffentliche Seite und erscheint nur in den Artikeln, die sie zeigen (mit deren Veröffentlichung).",
                        null=True,
                        verbose_name="Eigene Seite veröffentlicht ab",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="Angelegt am"),
                ),
                (
                    "modified_at",
                    models.DateTimeField(
                        auto_now=True, verbose_name="Zuletzt gespeichert"
                    ),
                ),
            ],
            options={
                "verbose_name": "Bildergalerie",
                "verbose_name_plural": "Bildergalerien",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="BodyPhoto",
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
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="body_photos",
                        to="articles.article",
                    ),
                ),
                (
                    "photo",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="body_uses",
                        to="articles.photo",
                    ),
                ),
            ],
            options={
                "verbose_name": "Foto im Artikeltext",
                "verbose_name_plural": "Fotos im Artikeltext",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "photo"),
                        name="body_photo_once_per_article",
                        violation_error_message="Dieses Foto steht schon einmal im Text des Artikels.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="BodyGallery",
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
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="body_galleries",
                        to="articles.article",
                    ),
                ),
                (
                    "gallery",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="body_uses",
                        to="articles.gallery",
                    ),
                ),
            ],
            options={
                "verbose_name": "Galerie im Artikeltext",
                "verbose_name_plural": "Galerien im Artikeltext",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "gallery"),
                        name="body_gallery_once_per_article",
                        violation_error_message="Diese Galerie steht schon einmal im Text des Artikels.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="GalleryPicture",
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
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, verbose_name="Position"
                    ),
                ),
                (
                    "caption",
                    models.TextField(
                        blank=True,
                        help_text="Leer lassen, um die Bildunterschrift des Fotos zu verwenden.",
                        verbose_name="Bildunterschrift in dieser Galerie",
                    ),
                ),
                (
                    "gallery",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pictures",
                        to="articles.gallery",
                        verbose_name="Galerie",
                    ),
                ),
                (
                    "photo",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="gallery_pictures",
                        to="articles.photo",
                        verbose_name="Foto",
                    ),
                ),
            ],
            options={
                "verbose_name": "Galeriebild",
                "verbose_name_plural": "Galeriebilder",
                "ordering": ["position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("gallery", "photo"),
                        name="photo_once_per_gallery",
                        violation_error_message="Dieses Foto ist schon in der Galerie; jedes Foto nur einmal.",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
