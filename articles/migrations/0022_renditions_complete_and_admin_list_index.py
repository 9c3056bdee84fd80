"""Archive scale (issue #19), continued.

- Photos whose renditions are all stored: generate_renditions selects only
  the others, through a partial index, instead of asking about every photo.
  Existing photos start as not complete: the first run after the upgrade
  checks each once (as every run did before).
- The admin's list of every article, newest first, through an index instead
  of sorting the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_article_visible_from"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="renditions_complete",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="Alle Bildvarianten erzeugt"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-published_at", "-id"], name="article_newest"),
        ),
        migrations.AddIndex(
            model_name="photo",
            index=models.Index(
                condition=models.Q(("renditions_complete", False)),
                fields=["id"],
                name="photo_missing_renditions",
            ),
        ),
    ]
