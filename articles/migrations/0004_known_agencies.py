"""The agencies a German newsroom receives, with the spellings credits use.

Frozen here on purpose; the photo desk edits them in the admin afterwards.
Existing rows (e.g. from the demo) keep their values and gain the aliases.
"""

from django.db import migrations

AGENCIES = [
    (
        "dpa",
        "Deutsche Presse-Agentur",
        "Deutsche Presse-Agentur GmbH\ndpa-infocom\npicture alliance/dpa\ndpa picture alliance",
    ),
    ("AFP", "Agence France-Presse", "Agence France Presse"),
    ("AP", "The Associated Press", "Associated Press\nAP Photo"),
    ("Reuters", "Thomson Reuters", "REUTERS"),
    ("epa", "European Pressphoto Agency", "EPA-EFE\nepa-efe"),
    ("KNA", "Katholische Nachrichten-Agentur", ""),
    ("epd", "Evangelischer Pressedienst", ""),
]


def add_agencies(apps, schema_editor):
    Agency = apps.get_model("articles", "Agency")
    for short_name, name, aliases in AGENCIES:
        agency, created = Agency.objects.get_or_create(
            short_name=short_name, defaults={"name": name, "aliases": aliases}
        )
        if not created and not agency.aliases:
            agency.aliases = aliases
            agency.save(update_fields=["aliases"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_photo_licences_and_renditions")]

    operations = [migrations.RunPython(add_agencies, migrations.RunPython.noop)]
