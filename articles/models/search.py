"""The full-text indexes of articles, as the ORM sees them: SQLite's FTS5
table and PostgreSQL's table of stored search documents."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleSearchEntry(models.Model):
    """One article's row in the FTS5 table `articles_article_fts` (SQLite only).

    Migration 0014 creates the table and the triggers that keep it in step
    with `articles_article`; this model only lets queries join it (see
    articles/fulltext.py). PostgreSQL has no such table: it indexes the
    article table itself.
    """

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        # The table's unindexed copy of the rowid (see the migration).
        db_column="id",
        db_constraint=False,
        related_name="search_entry",
    )
    # FTS5's hidden column named after its table: "= <query>" is a match.
    document = models.TextField(db_column="articles_article_fts")
    # The same number as `article`, but read from the index itself: `id` is
    # a column of the content table, so each row read through it makes FTS5
    # load that article's row, body and all (about 10 µs per match, seconds
    # for a word in every article). Filter on this instead.
    row = models.IntegerField(db_column="rowid", editable=False)
    # bm25 with the column weights set in the migration; lower is better.
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "articles_article_fts"
        # Named in the admin's list of permissions.
        verbose_name = _("Suchindex-Eintrag")
        verbose_name_plural = _("Suchindex-Einträge")

    def __str__(self):
        return f"search entry of article {self.article_id}"


class ArticleSearchDocument(models.Model):
    """One article's weighted German tsvector (PostgreSQL only).

    Migration 0017 creates the table, its GIN index and the trigger that
    writes the document when headline, kicker, teaser or body change; this
    model only lets queries join it (see articles/fulltext.py). Stored
    apart from the article row, counter and workflow updates never touch
    it, and the planner knows how common each word is.
    """

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_constraint=False,
        related_name="search_document",
    )
    document = SearchVectorField()

    class Meta:
        managed = False
        db_table = "articles_article_search"

    def __str__(self):
        return f"search document of article {self.article_id}"
