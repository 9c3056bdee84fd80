"""Archive scale (issue #19): indexes the visibility rule and the search can use.

1. `Article.visible_from`, the moment readers may see an article (the later
   of publication time and embargo end; NULL while nothing shows it), filled
   from the existing rows in batches of BATCH ids, each batch committed on
   its own (the migration is not atomic), then three partial indexes on
   published rows.
2. PostgreSQL: the search document moves from an expression index over the
   article row (0014) to a table of its own, `articles_article_search`
   (article id, weighted German tsvector) with a GIN index, kept in step by
   a trigger that fires only when headline, kicker, teaser or body change:
   counter updates and status changes never recompute or rewrite it, and
   the planner has statistics on the stored document. Filled in batches.
   SQLite keeps its FTS5 table (0014).

The old expression index is dropped first, so that filling visible_from
does not recompute the search document of every row.
"""

from importlib import import_module

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations, models, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest

BATCH = 10_000
OLD_POSTGRESQL_INDEX = "article_search_document"

SEARCH_TABLE = "articles_article_search"
# The weighted document of 0014, now stored (articles/fulltext.py).
DOCUMENT = (
    "setweight(to_tsvector('german', coalesce({row}.headline, '')), 'A') || "
    "setweight(to_tsvector('german', coalesce({row}.kicker, '')), 'B') || "
    "setweight(to_tsvector('german', coalesce({row}.teaser, '')), 'B') || "
    "setweight(to_tsvector('german', coalesce({row}.body, '')), 'C')"
)
POSTGRESQL_CREATE = [
    # No foreign key: Django's flush (TRUNCATE of its own tables, in
    # transactional tests) could not empty articles_article past it. A
    # trigger removes a deleted article's document instead; a document left
    # by a TRUNCATE joins no article and is overwritten if its id returns.
    f"CREATE TABLE {SEARCH_TABLE} ("
    "article_id integer PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE FUNCTION articles_article_search_update() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"INSERT INTO {SEARCH_TABLE} (article_id, document) "
    f"VALUES (NEW.id, {DOCUMENT.format(row='NEW')}) "
    "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER articles_article_search_insert AFTER INSERT ON "
    "articles_article FOR EACH ROW EXECUTE FUNCTION "
    "articles_article_search_update()",
    # Only the indexed columns: counters and workflow fields never touch it.
    "CREATE TRIGGER articles_article_search_change AFTER UPDATE OF "
    "headline, kicker, teaser, body ON articles_article FOR EACH ROW "
    "EXECUTE FUNCTION articles_article_search_update()",
    "CREATE FUNCTION articles_article_search_delete() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"DELETE FROM {SEARCH_TABLE} WHERE article_id = OLD.id; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER articles_article_search_delete AFTER DELETE ON "
    "articles_article FOR EACH ROW EXECUTE FUNCTION "
    "articles_article_search_delete()",
]
POSTGRESQL_INDEX = (
    f"CREATE INDEX article_search_document_gin ON {SEARCH_TABLE} USING gin (document)"
)
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS articles_article_search_insert ON articles_article",
    "DROP TRIGGER IF EXISTS articles_article_search_change ON articles_article",
    "DROP TRIGGER IF EXISTS articles_article_search_delete ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_update()",
    "DROP FUNCTION IF EXISTS articles_article_search_delete()",
    f"DROP TABLE IF EXISTS {SEARCH_TABLE}",
]


def batches(Article):
    last = Article.objects.aggregate(last=Max("pk"))["last"] or 0
    for start in range(0, last + 1, BATCH):
        yield start, start + BATCH


def fill_visible_from(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for start, end in batches(Article):
        with transaction.atomic():
            # articles.models.articles.release_time(), in SQL.
            Article.objects.filter(
                pk__gte=start,
                pk__lt=end,
                status="published",
                published_at__isnull=False,
                embargo_time_unknown=False,
            ).exclude(agency_status="withheld").update(
                visible_from=Greatest(
                    F("published_at"), Coalesce(F("embargo_until"), F("published_at"))
                )
            )


def drop_old_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_POSTGRESQL_INDEX}")


def restore_old_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        search = import_module("articles.migrations.0014_article_search")
        search.create_postgresql_index(apps, schema_editor)


def create_search_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRESQL_CREATE:
        schema_editor.execute(statement)
    Article = apps.get_model("articles", "Article")
    for start, end in batches(Article):
        with transaction.atomic():
            schema_editor.execute(
                f"INSERT INTO {SEARCH_TABLE} (article_id, document) "
                f"SELECT a.id, {DOCUMENT.format(row='a')} FROM articles_article a "
                "WHERE a.id >= %s AND a.id < %s",
                [start, end],
            )
    # Built once over the filled table: faster than growing it row by row.
    schema_editor.execute(POSTGRESQL_INDEX)
    schema_editor.execute(f"ANALYZE {SEARCH_TABLE}")


def drop_search_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0020_address_redirects"),
    ]

    operations = [
        migrations.RunPython(drop_old_search_index, restore_old_search_index),
        migrations.AddField(
            model_name="article",
            name="visible_from",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="Sichtbar ab"
            ),
        ),
        migrations.RunPython(fill_visible_from, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=Q(visible_from__isnull=False),
                fields=["-visible_from", "-id"],
                name="article_published_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=Q(visible_from__isnull=False),
                fields=["section", "-visible_from", "-id"],
                name="article_published_in_section",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=Q(visible_from__isnull=False),
                fields=["visible_from"],
                name="article_visible_from",
            ),
        ),
        migrations.RunPython(create_search_table, drop_search_table),
        # The PostgreSQL table as the ORM sees it (articles/models/search.py).
        migrations.CreateModel(
            name="ArticleSearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                        db_constraint=False,
                    ),
                ),
                ("document", SearchVectorField()),
            ],
            options={"db_table": SEARCH_TABLE, "managed": False},
        ),
    ]
