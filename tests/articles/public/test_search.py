import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.fulltext import SEARCH_CONFIG, fts_query, parsed_text, plain_text
from articles.models import Article, ArticleSearchDocument, Author
from articles.public.search import time_limit
from articles.sanitising import sanitise_body_html
from tests.articles.test_sanitising import HOSTILE, sample_bodies
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
    RegionFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)
from tests.hidden_articles import HIDDEN, hidden_variants
from tests.http import cache_control

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


@pytest.fixture(autouse=True)
def every_search_runs(settings):
    # What a search finds, not whether its page is kept (test_search_cache.py).
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 0


def search(client, **params):
    return client.get(reverse("articles:search"), params)


def found(response) -> list[str]:
    """Headlines of the results, in order."""
    return [row["headline"] for row in response.context["found"].rows]


class TestMatching:
    def test_finds_words_in_headline_kicker_teaser_and_body(self, client):
        ArticleFactory(headline="Neue Fähre für Köln")
        ArticleFactory(kicker="Rheinschifffahrt", headline="Kicker-Treffer")
        ArticleFactory(teaser="Die Fähre fährt wieder.", headline="Vorspann-Treffer")
        ArticleFactory(body="<p>Eine neue Fähre legt an.</p>", headline="Text-Treffer")
        ArticleFactory(headline="Nichts davon")
        assert sorted(found(search(client, q="Fähre"))) == [
            "Neue Fähre für Köln",
            "Text-Treffer",
            "Vorspann-Treffer",
        ]
        assert found(search(client, q="Rheinschifffahrt")) == ["Kicker-Treffer"]

    def test_headline_ranks_above_teaser_above_body(self, client):
        now = timezone.now()
        # The body match is the newest: rank, not recency, puts it last.
        ArticleFactory(headline="Im Text", body="<p>Schleuse</p>", published_at=now)
        ArticleFactory(
            headline="Im Vorspann",
            teaser="Schleuse",
            published_at=now - timedelta(hours=1),
        )
        ArticleFactory(
            headline="Schleuse gesperrt", published_at=now - timedelta(hours=2)
        )
        assert found(search(client, q="Schleuse")) == [
            "Schleuse gesperrt",
            "Im Vorspann",
            "Im Text",
        ]

    def test_equal_rank_shows_the_newest_first(self, client):
        now = timezone.now()
        ArticleFactory(headline="Schleuse alt", published_at=now - timedelta(days=2))
        ArticleFactory(headline="Schleuse neu", published_at=now - timedelta(hours=1))
        assert found(search(client, q="Schleuse")) == ["Schleuse neu", "Schleuse alt"]

    def test_all_words_must_match(self, client):
        ArticleFactory(headline="Hafen und Schleuse")
        ArticleFactory(headline="Nur der Hafen")
        assert found(search(client, q="Hafen Schleuse")) == ["Hafen und Schleuse"]

    def test_minus_excludes_a_word(self, client):
        ArticleFactory(headline="Hafen und Schleuse")
        ArticleFactory(headline="Nur der Hafen")
        assert found(search(client, q="Hafen -Schleuse")) == ["Nur der Hafen"]

    def test_quoted_words_match_as_a_phrase(self, client):
        ArticleFactory(headline="Die neue Brücke steht")
        ArticleFactory(headline="Neue Pläne für die alte Brücke")
        assert found(search(client, q='"neue Brücke"')) == ["Die neue Brücke steht"]

    def test_html_tags_and_attributes_are_not_searchable(self, client):
        ArticleFactory(
            headline="Mit Link",
            body=(
                '<p><strong>Zollamt</strong> <a href="https://example.com/'
                'geheimwort" title="Titelwort">Quelle</a></p><ul><li>Erster'
                "</li><li>Zweiter</li></ul>"
            ),
        )
        assert found(search(client, q="Zollamt")) == ["Mit Link"]
        assert found(search(client, q="Quelle")) == ["Mit Link"]
        assert found(search(client, q="Zweiter")) == ["Mit Link"]
        for markup in ["strong", "href", "https", "geheimwort", "Titelwort", "ul"]:
            assert found(search(client, q=markup)) == [], markup

    def test_edited_article_is_found_by_its_new_words_only(self, client):
        article = ArticleFactory(headline="Alte Schlagzeile")
        article.headline = "Neue Überschrift"
        article.body = "<p>Ganz neuer Wortlaut.</p>"
        article.save()
        assert found(search(client, q="Schlagzeile")) == []
        assert found(search(client, q="Wortlaut")) == ["Neue Überschrift"]
        Article.objects.filter(pk=article.pk).update(view_count=5)
        assert found(search(client, q="Wortlaut")) == ["Neue Überschrift"]
        article.delete()
        assert found(search(client, q="Wortlaut")) == []

    @on_postgresql
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("Häfen", "Der Hafen wird ausgebaut"),
            ("Hafen", "Zwei Häfen im Vergleich"),
            ("Brücken", "Die Brücke ist gesperrt"),
            ("Brücke", "Alle Brücken im Kreis"),
            ("Häuser", "Ein Haus am Rhein"),
        ],
    )
    def test_german_stemming_finds_other_forms(self, client, typed, stored):
        ArticleFactory(headline=stored)
        assert found(search(client, q=typed)) == [stored]

    @on_sqlite
    def test_sqlite_matches_prefixes_and_ignores_umlaut_dots(self, client):
        ArticleFactory(headline="Alle Brücken im Kreis")
        assert found(search(client, q="Brücke")) == ["Alle Brücken im Kreis"]
        assert found(search(client, q="brucken")) == ["Alle Brücken im Kreis"]
        assert found(search(client, q="Brücken Kreis")) == ["Alle Brücken im Kreis"]

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("Munchen", "Neues Rathaus in München"),
            ("Cafe", "Ein Café am Rhein"),
            ("Jose Gdansk", "José fährt nach Gdańsk"),
            ("Creme brulee", "Die beste Crème brûlée"),
        ],
    )
    def test_accents_need_not_be_typed(self, client, typed, stored):
        # PostgreSQL: the German stemmer folds the umlauts, unaccent the
        # rest; SQLite's tokenizer removes diacritics.
        ArticleFactory(headline=stored)
        ArticleFactory(headline="Nichts davon")
        assert found(search(client, q=typed)) == [stored]
        assert found(search(client, q=stored)) == [stored]

    @on_postgresql
    def test_the_accent_migration_writes_stored_documents_again(self):
        from importlib import import_module

        from django.apps import apps

        article = ArticleFactory(headline="Die beste Crème brûlée")
        with connection.cursor() as cursor:
            # As stored before migration 0037.
            cursor.execute(
                "UPDATE articles_article_search "
                "SET document = to_tsvector('german', 'Crème brûlée') "
                "WHERE article_id = %s",
                [article.pk],
            )
        assert not Article.objects.published().matching("Creme").exists()
        migration = import_module("articles.migrations.0037_search_unaccent")
        with connection.schema_editor() as editor:
            migration.rewrite_documents(apps, editor, migration.CONFIG)
        assert list(Article.objects.published().matching("Creme")) == [article]

    @on_postgresql
    def test_postgresql_match_uses_the_gin_index(self):
        ArticleFactory.create_batch(3)
        with connection.cursor() as cursor:
            # With the table scan ruled out the planner must take the word
            # index, which it can only if the match is the index's.
            cursor.execute("SET LOCAL enable_seqscan = off")
        query = SearchQuery("Hafen", config=SEARCH_CONFIG, search_type="websearch")
        plan = ArticleSearchDocument.objects.filter(document=query).explain()
        assert "Bitmap Index Scan on article_search_document_gin" in plan

    @on_postgresql
    def test_counter_updates_leave_the_stored_document_alone(self):
        article = ArticleFactory(headline="Hafen wächst")
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE articles_article_search SET document = ''::tsvector "
                "WHERE article_id = %s",
                [article.pk],
            )
        Article.objects.filter(pk=article.pk).update(view_count=7)
        assert not Article.objects.published().matching("Hafen").exists()
        # A text change writes it again.
        Article.objects.filter(pk=article.pk).update(headline="Hafen wächst weiter")
        assert Article.objects.published().matching("Hafen").exists()

    @on_postgresql
    def test_a_deleted_article_takes_its_document_along(self):
        article = ArticleFactory(headline="Hafen")
        assert ArticleSearchDocument.objects.filter(article_id=article.pk).exists()
        article.delete()
        assert not ArticleSearchDocument.objects.filter(article_id=article.pk).exists()

    def test_only_the_newest_candidates_are_ranked(self, client, settings):
        settings.NEWSROOM_SEARCH_CANDIDATES = 3
        now = timezone.now()
        # The best match (headline) is the oldest: not among the 3 newest.
        ArticleFactory(headline="Hafen", published_at=now - timedelta(days=9))
        for days in (3, 2, 1):
            ArticleFactory(
                headline=f"Meldung {days}",
                body="<p>Am Hafen.</p>",
                published_at=now - timedelta(days=days),
            )
        response = search(client, q="Hafen")
        assert found(response) == ["Meldung 1", "Meldung 2", "Meldung 3"]
        assert "unter den 3 neuesten passenden Artikeln" in response.content.decode()
        # Fewer matches than the bound: no such note.
        settings.NEWSROOM_SEARCH_CANDIDATES = 10
        response = search(client, q="Hafen")
        assert found(response)[0] == "Hafen"
        assert "neuesten passenden" not in response.content.decode()

    def test_filters_apply_before_the_candidates_are_chosen(self, client, settings):
        settings.NEWSROOM_SEARCH_CANDIDATES = 2
        sport = SectionFactory(slug="sport")
        now = timezone.now()
        ArticleFactory(
            headline="Hafenfest", section=sport, published_at=now - timedelta(days=5)
        )
        ArticleFactory.create_batch(3, headline="Hafenfest")
        assert found(search(client, q="Hafenfest", ressort="sport")) == ["Hafenfest"]


class TestUntrustedInput:
    @pytest.mark.parametrize(
        "text",
        [
            '"',
            '""',
            '"Hafen',
            "*",
            "Hafen*",
            "-",
            "--Hafen",
            "- -",
            "NEAR(Hafen Brücke)",
            "Hafen AND OR NOT",
            "OR",
            "headline:Hafen",
            "(Hafen",
            "^Hafen",
            "Hafen + Brücke",
            "{headline kicker}: Hafen",
            "'; DROP TABLE articles_article; --",
            "!!! ???",
            "<script>alert(1)</script>",
            "ä" * 200,
        ],
    )
    def test_any_input_answers_with_a_page(self, client, text):
        ArticleFactory(headline="Der Hafen")
        response = search(client, q=text)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()

    @pytest.mark.parametrize(
        ("text", "query"),
        [
            ("Hafen", '("Hafen"*)'),
            ('Hafen "neue Brücke"', '("Hafen"* "neue Brücke")'),
            ("Hafen -Brücke", '("Hafen"*) NOT "Brücke"*'),
            # An unclosed quote starts a phrase that runs to the end.
            ('a"b c', '("a"* "b c")'),
            ("NEAR(x", '("NEAR(x"*)'),
            ("-Hafen", ""),
            ('  ""  ', ""),
        ],
    )
    def test_fts_query_quotes_every_term(self, text, query):
        assert fts_query(text) == query

    def test_too_long_query_is_a_form_error(self, client):
        ArticleFactory(headline="Hafen")
        response = search(client, q="Hafen " + "x" * 200)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Der Suchbegriff ist zu lang: höchstens 200 Zeichen" in html
        assert "eingegeben: 206" in html
        assert "teasers" not in response.context

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"von": "2025-13-01"}, "von", "Bitte ein gültiges Datum eingeben."),
            ({"bis": "gestern"}, "bis", "Bitte ein gültiges Datum eingeben."),
            # The date picker speaks ISO only.
            ({"von": "10.03.2025"}, "von", "Bitte ein gültiges Datum eingeben."),
            ({"ressort": "gibt-es-nicht"}, "ressort", "gültige Auswahl"),
            ({"region": "atlantis"}, "region", "gültige Auswahl"),
            ({"agentur": "keine"}, "agentur", "gültige Auswahl"),
            ({"agentur": "99999"}, "agentur", "gültige Auswahl"),
            ({"agentur": "9" * 30}, "agentur", "gültige Auswahl"),
            ({"agentur": "²"}, "agentur", "gültige Auswahl"),
            ({"autor": "niemand"}, "autor", "gültige Auswahl"),
            (
                {"von": "2025-03-02", "bis": "2025-03-01"},
                "bis",
                "Das Enddatum liegt vor dem Anfangsdatum",
            ),
        ],
    )
    def test_invalid_filters_show_errors_not_results(
        self, client, params, field, message
    ):
        ArticleFactory(headline="Hafen")
        response = search(client, q="Hafen", **params)
        assert response.status_code == 200
        form = response.context["form"]
        assert message in " ".join(form.errors[field])
        assert message in response.content.decode()
        assert "teasers" not in response.context


class TestFilters:
    def test_section_region_agency_and_author_filter_and_combine(self, client):
        sport, kultur = SectionFactory(slug="sport"), SectionFactory(slug="kultur")
        koeln, bonn = RegionFactory(slug="koeln"), RegionFactory(slug="bonn")
        dpa, afp = AgencyFactory(short_name="dpa"), AgencyFactory(short_name="AFP")
        anna = AuthorFactory(slug="anna-schmidt")
        everything = ArticleFactory(
            headline="Hafenfest Köln Sport", section=sport, agency=dpa
        )
        everything.regions.add(koeln)
        everything.authors.add(anna)
        other_region = ArticleFactory(headline="Hafenfest Bonn", section=sport)
        other_region.regions.add(bonn)
        ArticleFactory(headline="Hafenfest Kultur", section=kultur, agency=afp)

        assert len(found(search(client, q="Hafenfest"))) == 3
        assert sorted(found(search(client, ressort="sport"))) == [
            "Hafenfest Bonn",
            "Hafenfest Köln Sport",
        ]
        assert found(search(client, ressort="sport", region="koeln")) == [
            "Hafenfest Köln Sport"
        ]
        assert found(search(client, q="Hafenfest", agentur="afp")) == [
            "Hafenfest Kultur"
        ]
        by_id = search(client, agentur=str(dpa.pk))
        assert found(by_id) == ["Hafenfest Köln Sport"]
        # The select shows the agency whichever way it was named.
        assert '<option value="dpa" selected>dpa</option>' in by_id.content.decode()
        assert found(search(client, autor="anna-schmidt", q="Hafenfest")) == [
            "Hafenfest Köln Sport"
        ]
        assert found(search(client, q="Bonn", region="koeln")) == []

    def test_dates_are_days_in_berlin(self, client):
        def at(*args):
            return datetime(*args, tzinfo=BERLIN)

        # 00:15 in Berlin is still the previous day in UTC, 23:50 is not.
        ArticleFactory(
            headline="Kurz nach Mitternacht", published_at=at(2025, 3, 10, 0, 15)
        )
        ArticleFactory(
            headline="Kurz vor Mitternacht", published_at=at(2025, 3, 10, 23, 50)
        )
        ArticleFactory(headline="Am Tag davor", published_at=at(2025, 3, 9, 23, 59))
        ArticleFactory(headline="Am Tag danach", published_at=at(2025, 3, 11, 0, 0))

        one_day = search(client, von="2025-03-10", bis="2025-03-10")
        assert sorted(found(one_day)) == [
            "Kurz nach Mitternacht",
            "Kurz vor Mitternacht",
        ]
        assert found(search(client, von="2025-03-11")) == ["Am Tag danach"]
        assert found(search(client, bis="2025-03-09")) == ["Am Tag davor"]
        assert 'value="2025-03-10"' in one_day.content.decode()

    @pytest.mark.parametrize("kind", HIDDEN)
    @pytest.mark.parametrize("with_text", [True, False], ids=["q", "no-q"])
    def test_hidden_articles_never_appear(self, client, kind, with_text):
        section, region = SectionFactory(slug="lokales"), RegionFactory(slug="koeln")
        agency, author = AgencyFactory(), AuthorFactory(slug="anna")
        for headline, overrides in [
            ("Sichtbarer Hafen", {}),
            ("Versteckter Hafen", hidden_variants()[kind]),
        ]:
            article = ArticleFactory(
                headline=headline, section=section, agency=agency, **overrides
            )
            article.regions.add(region)
            article.authors.add(author)
        params = {"q": "Hafen"} if with_text else {}
        for filters in [
            {},
            {"ressort": "lokales", "region": "koeln", "autor": "anna"},
            {"agentur": "dpa", "von": "2000-01-01", "bis": "2100-01-01"},
        ]:
            response = search(client, **params, **filters)
            assert found(response) == ["Sichtbarer Hafen"]
            assert "Versteckter" not in response.content.decode()


class TestPage:
    def test_form_is_labelled_and_page_not_indexed(self, client):
        html = search(client).content.decode()
        assert '<meta name="robots" content="noindex, follow">' in html
        assert 'role="search"' in html
        assert '<button type="submit">Suchen</button>' in html
        for name, label in [
            ("q", "Suchbegriff"),
            ("ressort", "Ressort"),
            ("region", "Region"),
            ("agentur", "Agentur"),
            ("autor", "Autor/in"),
            ("von", "Von"),
            ("bis", "Bis"),
        ]:
            assert f'<label for="id_{name}">{label}:</label>' in html
            assert re.search(rf'<(input|select) [^>]*id="id_{name}"', html)
        assert 'type="date"' in html and 'type="search"' in html

    def test_results_show_teasers_with_count_badge_and_photo(self, client):
        use = ArticlePhotoFactory(
            article__headline="Hafen wächst", article__is_top=True
        )
        ArticleFactory(headline="Hafen schrumpft")
        response = search(client, q="Hafen")
        html = response.content.decode()
        assert "2 Treffer" in html
        assert '<span class="badge badge--top">Top</span>' in html
        assert f'href="{use.article.get_absolute_url()}"' in html
        assert 'class="photo teaser__photo"' in html
        assert "Suche nach „Hafen“" in html

    def test_no_results_say_so(self, client):
        ArticleFactory(headline="Hafen")
        html = search(client, q="Flughafenausbau").content.decode()
        assert "0 Treffer" in html
        assert "Keine Artikel gefunden." in html

    def test_without_text_lists_newest_first(self, client):
        now = timezone.now()
        ArticleFactory(headline="Älter", published_at=now - timedelta(days=1))
        ArticleFactory(headline="Neuer", published_at=now - timedelta(hours=1))
        assert found(search(client)) == ["Neuer", "Älter"]

    def test_pages_keep_the_filters_in_their_links(self, client, settings):
        settings.NEWSROOM_SEARCH_PAGE_SIZE = 2
        SectionFactory(slug="sport")
        ArticleFactory.create_batch(5, headline="Hafen", section__slug="sport")
        first = search(client, q="Hafen", ressort="sport")
        html = first.content.decode()
        assert len(found(first)) == 2
        assert '<link rel="next" href="?q=Hafen&amp;ressort=sport&amp;page=2">' in html
        assert '<a rel="next" href="?q=Hafen&amp;ressort=sport&amp;page=2">' in html
        assert 'rel="prev"' not in html
        second = search(client, q="Hafen", ressort="sport", page=2)
        html = second.content.decode()
        assert '<link rel="prev" href="?q=Hafen&amp;ressort=sport">' in html
        assert '<link rel="next" href="?q=Hafen&amp;ressort=sport&amp;page=3">' in html
        last = search(client, q="Hafen", ressort="sport", page=3)
        assert len(found(last)) == 1
        assert 'rel="next"' not in last.content.decode()

    @pytest.mark.parametrize("page", ["4", "0", "-1", "zwei", "last"])
    def test_pages_out_of_range_answer_404(self, client, settings, page):
        settings.NEWSROOM_SEARCH_PAGE_SIZE = 2
        ArticleFactory.create_batch(5, headline="Hafen")
        assert search(client, q="Hafen", page=page).status_code == 404

    def test_results_stop_after_the_last_allowed_page(self, client, settings):
        settings.NEWSROOM_SEARCH_PAGE_SIZE = 2
        settings.NEWSROOM_SEARCH_MAX_PAGES = 2
        ArticleFactory.create_batch(6, headline="Hafen")
        last = search(client, q="Hafen", page=2)
        assert "Mehr als 4 Treffer" in last.content.decode()
        assert 'rel="next"' not in last.content.decode()
        assert search(client, q="Hafen", page=3).status_code == 404

    def test_a_search_that_takes_too_long_says_so(self, client, settings):
        settings.NEWSROOM_SEARCH_TIMEOUT_MS = 1
        bulk_articles(2000, body="<p>Der Hafen wächst.</p>" * 80)
        response = search(client, q="Hafen wächst")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Die Suche hat zu lange gedauert." in html
        assert "teasers" not in response.context
        # The limit ends with the search: the next one runs normally.
        settings.NEWSROOM_SEARCH_TIMEOUT_MS = 60_000
        # 2,000 match; the newest NEWSROOM_SEARCH_CANDIDATES are ranked.
        found = search(client, q="Hafen", page=1).context["found"]
        assert found.count == settings.NEWSROOM_SEARCH_CANDIDATES


def bulk_articles(count: int, **fields) -> list[Article]:
    """Many published articles in one statement (no save(), no sanitising)."""
    section = SectionFactory()
    published_at = timezone.now() - timedelta(hours=1)
    return Article.objects.bulk_create(
        Article(
            headline=f"Artikel {n}",
            slug=f"artikel-{n}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=published_at,
            first_published_at=published_at,
            **fields,
        )
        for n in range(count)
    )


def test_plain_text_drops_tags_and_attributes_and_decodes_entities():
    html = (
        '<p>Bach&amp;Söhne <a href="https://x.example/y" title="t">Link</a></p>'
        "<p>Zwei</p>"
    )
    assert plain_text(html).split() == ["Bach&Söhne", "Link", "Zwei"]
    assert plain_text("") == ""


MARKUP = [
    "<p>", "</p>", "<br>", "<br/>", "<br />", '<a href="x>y">', "<a href='q'>",
    "<a href=x>", "</a>", "Wort", "Ü", " ", "\n", "&amp;", "&", "&#", "&#x41;",
    "&lt;", "&gt", ";", "<", ">", "<!--", "-->", "<!x>", "<?pi?>", "</ p>", "</>",
    "<script>", "</script>", "<style>", "<TITLE>", "<b\n>", '<td colspan="2">',
    '"', "=", "</P >", '<abbr title="<">', '<a b="c"d>', "<x:y>", "\u00a0",
    "&amp", "&#12", "&#x", "&auml", "\r", "\t",
]  # fmt: skip


def test_plain_text_reads_every_body_as_html_parser_does():
    # The SQLite index forgets a row only given the words it was indexed
    # with: the quick path for sanitised bodies must never differ.
    rng = random.Random(6)
    bodies = [*HOSTILE, *sample_bodies()]
    bodies += ["".join(rng.choices(MARKUP, k=rng.randint(1, 12))) for _ in range(3000)]
    for body in bodies:
        for html in (body, sanitise_body_html(body)):
            assert plain_text(html) == parsed_text(html), html


def build_archive(number_of_articles: int):
    """Illustrated articles with authors, tags and regions, all about ports."""
    section, region, tag = SectionFactory(slug="hafen"), RegionFactory(), TagFactory()
    photo = PhotoFactory()
    author, _created = Author.objects.get_or_create(slug="anna", name="Anna")
    for _ in range(number_of_articles):
        article = ArticleFactory(headline="Hafen", section=section)
        ArticlePhotoFactory(article=article, photo=photo)
        article.authors.add(author, AuthorFactory())
        article.tags.add(tag, TagFactory())
        article.regions.add(region)


@pytest.mark.parametrize(
    "params",
    [{"q": "Hafen"}, {}, {"ressort": "hafen", "autor": "anna"}],
    ids=["text", "nothing", "filters"],
)
def test_search_query_count_does_not_grow(
    client, settings, count_queries, django_assert_max_num_queries, params
):
    settings.NEWSROOM_SEARCH_PAGE_SIZE = 50
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0  # navigation on every request
    build_archive(3)
    few = count_queries(lambda: search(client, **params))
    build_archive(30)
    # navigation; the form's choices: sections, regions, agencies, authors;
    # each filter's lookup; the time limit (PostgreSQL: SET LOCAL, in tests
    # inside a savepoint and its release); count, results, their photos
    with django_assert_max_num_queries(15) as many:
        response = search(client, **params)
    assert len(response.context["found"].rows) == 33
    assert few == len(many)


def test_a_cdn_may_keep_search_results_for_readers_but_not_for_editors(
    client, settings
):
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 60
    ArticleFactory(headline="Hafenfest am Rhein")
    response = search(client, q="Hafenfest")
    assert {"public", "s-maxage=60"} <= cache_control(response)
    client.force_login(UserFactory())
    response = search(client, q="Hafenfest")
    assert {"private", "no-store"} <= cache_control(response)


def test_a_ranked_search_finds_its_candidates_once(client, settings):
    settings.NEWSROOM_SEARCH_PAGE_SIZE = 2
    ArticleFactory.create_batch(5, headline="Hafen")
    table = "articles_article_search" if connection.vendor == "postgresql" else "fts"
    with CaptureQueriesContext(connection) as captured:
        response = search(client, q="Hafen", page=2)
    assert found(response) and response.context["found"].count == 5
    # No second match for a count: the candidates are paged in Python.
    assert sum(table in query["sql"] for query in captured.captured_queries) == 1


@on_postgresql
def test_a_search_runs_on_one_core():
    with time_limit(1000), connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
