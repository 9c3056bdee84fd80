"""Photo metadata (alt text, credit, licence) belongs to the photo desk.

Reporters keep adding photos; changing a stored photo, which may already be
on a published page, is for Bildredaktion and the desk (frozen, like 0002).
"""

from django.db import migrations


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Redakteur"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", codename="change_photo"
            )
        )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Redakteur"):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", codename="change_photo"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_agency_imports"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(revoke, grant)]
