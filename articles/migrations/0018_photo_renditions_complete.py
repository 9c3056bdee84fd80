"""Photos whose renditions are all stored (issue #19): generate_renditions
selects only the others, through a partial index, instead of asking about
every photo. Existing photos start as not complete: the first run after the
upgrade checks each once (as every run did before)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_article_visible_from"),
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
            model_name="photo",
            index=models.Index(
                condition=models.Q(("renditions_complete", False)),
                fields=["id"],
                name="photo_missing_renditions",
            ),
        ),
    ]
