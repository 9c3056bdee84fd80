"""Full-text search indexes for articles, one per database (articles/fulltext.py).

PostgreSQL: a GIN index on the weighted German tsvector that
`articles.fulltext.search_document()` builds; frozen here, so the two must be
changed together (a test checks the planner uses the index).

SQLite: the FTS5 table `articles_article_fts` with the article table as its
external content, filled from the existing rows and kept in step by
triggers. The body is indexed without its HTML through the Python function
`articles_plain_text`, which every connection registers (articles/apps.py).

A later migration that alters `articles_article` on SQLite may rebuild the
table, which drops these triggers: such a migration must create them again
(the search tests fail if it does not).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

POSTGRESQL_INDEX = "article_search_document"


def frozen_search_document():
    return (
        SearchVector("headline", config="german", weight="A")
        + SearchVector("kicker", config="german", weight="B")
        + SearchVector("teaser", config="german", weight="B")
        + SearchVector("body", config="german", weight="C")
    )


def create_postgresql_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(
            apps.get_model("articles", "Article"),
            GinIndex(frozen_search_document(), name=POSTGRESQL_INDEX),
        )


def drop_postgresql_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {POSTGRESQL_INDEX}")


INDEXED = "rowid, id, headline, kicker, teaser, body"


def values(row):
    return (
        f"{row}.id, {row}.id, {row}.headline, {row}.kicker, {row}.teaser, "
        f"articles_plain_text({row}.body)"
    )


SQLITE_CREATE = [
    # Queries join on `id`, an unindexed copy of the rowid: FTS5 cannot look
    # a row up by it, so SQLite always runs the match once and joins the
    # articles to it. Joined on the rowid, SQLite may choose to look up
    # each candidate article in the index instead and recompute bm25 for
    # each one (quadratic: 1.4 s instead of 8 ms for 2,000 matches).
    # Diacritics are folded (Brücke = Brucke): readers type without umlauts.
    "CREATE VIRTUAL TABLE articles_article_fts USING fts5("
    "id UNINDEXED, headline, kicker, teaser, body, content='articles_article', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    # The `rank` column: bm25 weighted as PostgreSQL weighs A, B, B, C
    # (1.0, 0.4, 0.4, 0.2); `id` holds no words.
    "INSERT INTO articles_article_fts(articles_article_fts, rank) "
    "VALUES ('rank', 'bm25(0.0, 10.0, 4.0, 4.0, 2.0)')",
    f"INSERT INTO articles_article_fts({INDEXED}) "
    f"SELECT {values('articles_article')} FROM articles_article",
    "CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article "
    f"BEGIN INSERT INTO articles_article_fts({INDEXED}) VALUES ({values('new')}); END",
    # An external-content index forgets a row only when given the values it
    # indexed: the old ones, put through the same function.
    "CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article "
    "BEGIN INSERT INTO articles_article_fts(articles_article_fts, "
    f"{INDEXED}) VALUES ('delete', {values('old')}); END",
    # Only the indexed columns: flushing view counts re-indexes nothing.
    "CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF "
    "headline, kicker, teaser, body ON articles_article BEGIN "
    "INSERT INTO articles_article_fts(articles_article_fts, "
    f"{INDEXED}) VALUES ('delete', {values('old')}); "
    f"INSERT INTO articles_article_fts({INDEXED}) VALUES ({values('new')}); END",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def create_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_agency_version_fields_encoder")]

    operations = [
        # The FTS5 table as the ORM sees it; the table itself comes below.
        migrations.CreateModel(
            name="ArticleSearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="id",
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("document", models.TextField(db_column="articles_article_fts")),
                ("rank", models.FloatField()),
            ],
            options={"db_table": "articles_article_fts", "managed": False},
        ),
        migrations.RunPython(create_postgresql_index, drop_postgresql_index),
        migrations.RunPython(create_sqlite_index, drop_sqlite_index),
    ]
