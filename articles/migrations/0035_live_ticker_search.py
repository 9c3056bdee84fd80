"""The search finds a live ticker by the words of its entries (issue #18).

An article's search document gains its entries' titles and texts, weighted
as the body, on both databases:

- PostgreSQL: the function that writes `articles_article_search` (0021)
  reads the article's entries too, and triggers on `articles_liveentry`
  write the ticker's document again when an entry is added, corrected or
  deleted.
- SQLite: the FTS5 table (0014) keeps its columns; its `body` column now
  holds the body's words followed by the entries' words. The article's
  triggers index that, and triggers on `articles_liveentry` take the
  ticker's row out of the index before an entry changes and put it back
  after: an external-content index forgets a row only when given the very
  words it indexed, and those are computed from the tables as they stand
  (entries in id order, so the same rows give the same words).

A later migration that rebuilds `articles_article` on SQLite must create
the triggers of this migration again (SQLITE_ARTICLE_TRIGGERS), not those
of 0014; the ticker search tests fail otherwise.
"""

from importlib import import_module

from django.db import migrations

# Frozen like this migration: 0014 and 0021 never change.
search_0014 = import_module("articles.migrations.0014_article_search")
search_0021 = import_module("articles.migrations.0021_article_visible_from")

SEARCH_TABLE = search_0021.SEARCH_TABLE
INDEXED = search_0014.INDEXED

# PostgreSQL: the entries' titles and bodies (HTML, which the parser drops
# with its attributes, as for the body), oldest first.
PG_ENTRIES = (
    "coalesce((SELECT string_agg(e.title || ' ' || e.body, ' ' ORDER BY e.id) "
    "FROM articles_liveentry e WHERE e.article_id = {row}.id), '')"
)
PG_DOCUMENT = (
    search_0021.DOCUMENT
    + " || setweight(to_tsvector('german', "
    + PG_ENTRIES
    + "), 'C')"
)


def pg_article_function(document: str) -> str:
    return (
        "CREATE OR REPLACE FUNCTION articles_article_search_update() "
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {SEARCH_TABLE} (article_id, document) "
        f"VALUES (NEW.id, {document.format(row='NEW')}) "
        "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document; "
        "RETURN NULL; END $$"
    )


POSTGRESQL_CREATE = [
    pg_article_function(PG_DOCUMENT),
    "CREATE FUNCTION articles_liveentry_search_update() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ DECLARE ticker integer; BEGIN "
    "IF TG_OP = 'DELETE' THEN ticker := OLD.article_id; "
    "ELSE ticker := NEW.article_id; END IF; "
    f"INSERT INTO {SEARCH_TABLE} (article_id, document) "
    f"SELECT a.id, {PG_DOCUMENT.format(row='a')} FROM articles_article a "
    "WHERE a.id = ticker "
    "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER articles_liveentry_search_change AFTER INSERT OR DELETE "
    "OR UPDATE OF title, body ON articles_liveentry FOR EACH ROW "
    "EXECUTE FUNCTION articles_liveentry_search_update()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS articles_liveentry_search_change ON articles_liveentry",
    "DROP FUNCTION IF EXISTS articles_liveentry_search_update()",
    pg_article_function(search_0021.DOCUMENT),
]


# SQLite: the words of a ticker's entries, oldest first.
SQLITE_ENTRIES = (
    "(SELECT group_concat(words, ' ') FROM (SELECT e.title || ' ' || "
    "articles_plain_text(e.body) AS words FROM articles_liveentry e "
    "WHERE e.article_id = {ticker} ORDER BY e.id))"
)


def sqlite_values(row: str, ticker: str | None = None) -> str:
    """The indexed values of article `row`; `ticker` is the SQL for its id."""
    entries = SQLITE_ENTRIES.format(ticker=ticker or f"{row}.id")
    return (
        f"{row}.id, {row}.id, {row}.headline, {row}.kicker, {row}.teaser, "
        f"articles_plain_text({row}.body) || coalesce(' ' || {entries}, '')"
    )


def sqlite_row(ticker: str) -> str:
    """SELECT of the indexed values of the article with id `ticker`."""
    return f"SELECT {sqlite_values('a')} FROM articles_article a WHERE a.id = {ticker}"


def sqlite_forget(ticker: str) -> str:
    return (
        f"INSERT INTO articles_article_fts(articles_article_fts, {INDEXED}) "
        f"SELECT 'delete', {sqlite_values('a')} FROM articles_article a "
        f"WHERE a.id = {ticker};"
    )


def sqlite_index(ticker: str) -> str:
    return f"INSERT INTO articles_article_fts({INDEXED}) {sqlite_row(ticker)};"


SQLITE_ARTICLE_TRIGGERS = [
    "CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article "
    f"BEGIN INSERT INTO articles_article_fts({INDEXED}) "
    f"VALUES ({sqlite_values('new')}); END",
    # The entries are deleted before their article (Django's cascade), so
    # the entries' part is empty by then, as it was last indexed.
    "CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article "
    "BEGIN INSERT INTO articles_article_fts(articles_article_fts, "
    f"{INDEXED}) VALUES ('delete', {sqlite_values('old')}); END",
    "CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF "
    "headline, kicker, teaser, body ON articles_article BEGIN "
    "INSERT INTO articles_article_fts(articles_article_fts, "
    f"{INDEXED}) VALUES ('delete', {sqlite_values('old')}); "
    f"INSERT INTO articles_article_fts({INDEXED}) VALUES ({sqlite_values('new')}); END",
]
SQLITE_ENTRY_TRIGGERS = [
    "CREATE TRIGGER articles_liveentry_fts_before_insert BEFORE INSERT ON "
    f"articles_liveentry BEGIN {sqlite_forget('new.article_id')} END",
    "CREATE TRIGGER articles_liveentry_fts_after_insert AFTER INSERT ON "
    f"articles_liveentry BEGIN {sqlite_index('new.article_id')} END",
    "CREATE TRIGGER articles_liveentry_fts_before_update BEFORE UPDATE OF "
    f"title, body ON articles_liveentry BEGIN {sqlite_forget('old.article_id')} "
    "END",
    "CREATE TRIGGER articles_liveentry_fts_after_update AFTER UPDATE OF "
    f"title, body ON articles_liveentry BEGIN {sqlite_index('new.article_id')} END",
    "CREATE TRIGGER articles_liveentry_fts_before_delete BEFORE DELETE ON "
    f"articles_liveentry BEGIN {sqlite_forget('old.article_id')} END",
    "CREATE TRIGGER articles_liveentry_fts_after_delete AFTER DELETE ON "
    f"articles_liveentry BEGIN {sqlite_index('old.article_id')} END",
]
SQLITE_ENTRY_TRIGGER_NAMES = [
    f"articles_liveentry_fts_{when}_{action}"
    for action in ("insert", "update", "delete")
    for when in ("before", "after")
]
# The tickers' rows, as 0014's triggers indexed them and as they are now.
OLD_TICKER_VALUES = search_0014.values("a")
TICKERS = "FROM articles_article a WHERE a.is_live_ticker"


def drop_sqlite_triggers():
    return [
        statement
        for statement in search_0014.SQLITE_DROP
        if statement.startswith("DROP TRIGGER")
    ] + [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_ENTRY_TRIGGER_NAMES]


def index_entries(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_CREATE:
            schema_editor.execute(statement)
        schema_editor.execute(
            f"INSERT INTO {SEARCH_TABLE} (article_id, document) "
            f"SELECT a.id, {PG_DOCUMENT.format(row='a')} {TICKERS} "
            "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document"
        )
    elif vendor == "sqlite":
        for statement in drop_sqlite_triggers():
            schema_editor.execute(statement)
        schema_editor.execute(
            f"INSERT INTO articles_article_fts(articles_article_fts, {INDEXED}) "
            f"SELECT 'delete', {OLD_TICKER_VALUES} {TICKERS}"
        )
        schema_editor.execute(
            f"INSERT INTO articles_article_fts({INDEXED}) "
            f"SELECT {sqlite_values('a')} {TICKERS}"
        )
        for statement in SQLITE_ARTICLE_TRIGGERS + SQLITE_ENTRY_TRIGGERS:
            schema_editor.execute(statement)


def unindex_entries(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_DROP:
            schema_editor.execute(statement)
        schema_editor.execute(
            f"INSERT INTO {SEARCH_TABLE} (article_id, document) "
            f"SELECT a.id, {search_0021.DOCUMENT.format(row='a')} {TICKERS} "
            "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document"
        )
    elif vendor == "sqlite":
        for statement in drop_sqlite_triggers():
            schema_editor.execute(statement)
        schema_editor.execute(
            f"INSERT INTO articles_article_fts(articles_article_fts, {INDEXED}) "
            f"SELECT 'delete', {sqlite_values('a')} {TICKERS}"
        )
        schema_editor.execute(
            f"INSERT INTO articles_article_fts({INDEXED}) "
            f"SELECT {OLD_TICKER_VALUES} {TICKERS}"
        )
        for statement in search_0014.SQLITE_CREATE:
            if statement.startswith("CREATE TRIGGER"):
                schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0034_working_copies"),
    ]

    operations = [
        migrations.RunPython(index_entries, unindex_entries),
    ]
