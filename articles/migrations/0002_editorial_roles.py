"""Editorial roles as groups, so demo users and real staff share one setup.

The permission lists are frozen here on purpose: a migration must mean the
same thing forever. Later changes to the roles get a migration of their own.
"""

from django.db import migrations

ROLES = {
    "Redakteur": [
        "articles.view_section",
        "articles.view_agency",
        "articles.view_author",
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_photo",
        "articles.change_photo",
        "articles.view_photo",
        "articles.add_articlephoto",
        "articles.change_articlephoto",
        "articles.delete_articlephoto",
        "articles.view_articlephoto",
    ],
    "Chef vom Dienst": [
        "articles.add_section",
        "articles.change_section",
        "articles.view_section",
        "articles.view_agency",
        "articles.add_author",
        "articles.change_author",
        "articles.view_author",
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.publish_article",
        "articles.add_photo",
        "articles.change_photo",
        "articles.view_photo",
        "articles.add_articlephoto",
        "articles.change_articlephoto",
        "articles.delete_articlephoto",
        "articles.view_articlephoto",
        "teasers.add_rail",
        "teasers.change_rail",
        "teasers.view_rail",
        "teasers.add_railitem",
        "teasers.change_railitem",
        "teasers.delete_railitem",
        "teasers.view_railitem",
        "teasers.view_sponsoredslot",
    ],
    "Bildredaktion": [
        "articles.add_agency",
        "articles.change_agency",
        "articles.view_agency",
        "articles.view_article",
        "articles.add_photo",
        "articles.change_photo",
        "articles.delete_photo",
        "articles.view_photo",
        "articles.change_articlephoto",
        "articles.view_articlephoto",
    ],
    "Anzeigen": [
        "teasers.add_sponsoredslot",
        "teasers.change_sponsoredslot",
        "teasers.delete_sponsoredslot",
        "teasers.view_sponsoredslot",
        "teasers.view_rail",
        "articles.add_photo",
        "articles.view_photo",
        "articles.view_agency",
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; the groups
    # need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permission_names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for permission_name in permission_names:
            app_label, codename = permission_name.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("teasers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
