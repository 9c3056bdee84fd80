"""PostgreSQL search folds accents (issue #19): "Cafe" finds "Café".

The German snowball stemmer already folds ä, ö and ü ("Munchen" finds
"München"); accents of other languages stayed ("José", "Gdańsk", "Crème").
The text search configuration `german_unaccent` is German with the
`unaccent` dictionary before the stemmer for words with non-ASCII letters.
The search triggers (of 0021, with the live ticker's entries of 0035) write
documents with it, and every stored document is written again in batches of
BATCH ids, each committed on its own (the migration is not atomic). articles/fulltext.py queries with the same
configuration. SQLite's FTS5 table already removes diacritics (0014).

Needs the `unaccent` extension (PostgreSQL's contrib, in the Debian and
Docker packages); it is a trusted extension, so the database's owner may
create it.
"""

from importlib import import_module

from django.db import migrations, transaction
from django.db.models import Max

BATCH = 10_000
CONFIG = "german_unaccent"
# Frozen like this migration: 0035 never changes.
search = import_module("articles.migrations.0035_live_ticker_search")


def document(config: str) -> str:
    return search.PG_DOCUMENT.replace("'german'", f"'{config}'")


def trigger_functions(config: str) -> list[str]:
    """The article's and the live entries' functions of 0035, with `config`."""
    return [
        search.pg_article_function(document(config)),
        "CREATE OR REPLACE FUNCTION articles_liveentry_search_update() "
        "RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE ticker integer; BEGIN "
        "IF TG_OP = 'DELETE' THEN ticker := OLD.article_id; "
        "ELSE ticker := NEW.article_id; END IF; "
        f"INSERT INTO {search.SEARCH_TABLE} (article_id, document) "
        f"SELECT a.id, {document(config).format(row='a')} FROM articles_article a "
        "WHERE a.id = ticker "
        "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document; "
        "RETURN NULL; END $$",
    ]


def rewrite_documents(apps, schema_editor, config: str) -> None:
    Article = apps.get_model("articles", "Article")
    last = Article.objects.aggregate(last=Max("pk"))["last"] or 0
    for start in range(0, last + 1, BATCH):
        with transaction.atomic():
            schema_editor.execute(
                f"UPDATE {search.SEARCH_TABLE} s "
                f"SET document = {document(config).format(row='a')} "
                "FROM articles_article a WHERE a.id = s.article_id "
                "AND a.id >= %s AND a.id < %s",
                [start, start + BATCH],
            )
    schema_editor.execute(f"ANALYZE {search.SEARCH_TABLE}")


def fold_accents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with transaction.atomic():
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
        schema_editor.execute(
            f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = german)"
        )
        # word, hword, hword_part: words with a non-ASCII letter (ASCII
        # words have nothing to fold).
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR "
            "word, hword, hword_part WITH unaccent, german_stem"
        )
        for function in trigger_functions(CONFIG):
            schema_editor.execute(function)
    rewrite_documents(apps, schema_editor, CONFIG)


def keep_accents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for function in trigger_functions("german"):
        schema_editor.execute(function)
    rewrite_documents(apps, schema_editor, "german")
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0036_mention_read"),
    ]

    operations = [migrations.RunPython(fold_accents, keep_accents)]
