"""Migration 0019: format-named agencies merge into "Unbekannte Quelle"."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Agency, Article

BEFORE = [("articles", "0018_german_field_names")]


def latest():
    """Every app's newest migration: the schema the rest of the suite expects."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stories_of_format_named_agencies_move_to_the_unknown_source():
    old = migrate(BEFORE)
    try:
        section = old.get_model("articles", "Section").objects.create(
            name="Nachrichten", slug="nachrichten"
        )
        agencies = old.get_model("articles", "Agency").objects
        ninjs = agencies.create(short_name="ninjs", name="ninjs", needs_review=True)
        nitf = agencies.create(short_name="nitf", name="nitf", needs_review=True)
        # Known agencies stay (an earlier transactional test may have flushed
        # the ones the migrations bring).
        agencies.get_or_create(short_name="dpa", defaults={"name": "dpa"})
        articles = old.get_model("articles", "Article").objects
        for agency, external_id in [(ninjs, "urn:a"), (nitf, "urn:b")]:
            articles.create(
                headline=external_id,
                slug=external_id.replace(":", "-"),
                section=section,
                agency=agency,
                external_id=external_id,
            )
    finally:
        migrate(latest())
    unknown = Agency.objects.get(short_name="Unbekannte Quelle")
    assert unknown.needs_review
    assert set(Article.objects.values_list("agency__short_name", flat=True)) == {
        "Unbekannte Quelle"
    }
    assert Agency.objects.filter(short_name="dpa").exists()  # known ones stay
    assert not Agency.objects.filter(short_name__in=["ninjs", "nitf"]).exists()
    # The search triggers survived the rebuilt table (SQLite).
    article = Article.objects.get(external_id="urn:a")
    article.headline = "Hafenfest am Rhein"
    article.save()
    assert list(Article.objects.matching("Hafenfest")) == [article]
