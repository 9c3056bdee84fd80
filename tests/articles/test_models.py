import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import (
    Agency,
    Article,
    Section,
    apply_revision_values,
    decode_revision_value,
    revision_values,
)
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
)

pytestmark = pytest.mark.django_db


class TestPublished:
    def test_published_article_in_the_past_is_visible(self):
        article = ArticleFactory()
        assert list(Article.objects.published()) == [article]

    @pytest.mark.parametrize(
        "overrides",
        [
            {"draft": True},
            {"scheduled": True},
            {"status": Article.Status.REVIEW},
            {"status": Article.Status.WITHDRAWN},
            {"embargo_until": timezone.now() + timedelta(days=7)},
        ],
        # Set when the tests are collected: far enough ahead for a slow run.
        ids=["draft", "scheduled", "in-review", "withdrawn", "embargoed"],
    )
    def test_hidden_articles_are_not_published(self, overrides):
        ArticleFactory(**overrides)
        assert not Article.objects.published().exists()

    def test_scheduled_article_is_visible_from_its_time_on(self):
        article = ArticleFactory(scheduled=True)
        later = article.published_at + timedelta(seconds=1)
        assert list(Article.objects.published(at=later)) == [article]

    def test_embargo_lifts_at_its_time(self):
        embargo = timezone.now() + timedelta(hours=1)
        article = ArticleFactory(embargo_until=embargo)
        assert list(Article.objects.published(at=embargo)) == [article]

    def test_database_refuses_published_status_without_time(self):
        with pytest.raises(Exception, match="published_article_has_publication_time"):
            ArticleFactory(published_at=None, first_published_at=None)


class TestBodySanitising:
    def test_scripts_handlers_and_javascript_urls_are_removed_on_save(self):
        article = ArticleFactory(
            body=(
                '<p onclick="steal()">Text <script>alert(1)</script>'
                '<a href="javascript:alert(2)">x</a>'
                '<a href="https://example.org/">Quelle</a></p>'
                "<iframe src='https://evil.example'></iframe>"
            )
        )
        article.refresh_from_db()
        assert "script" not in article.body
        assert "onclick" not in article.body
        assert "javascript:" not in article.body
        assert "iframe" not in article.body
        assert (
            '<a href="https://example.org/" rel="noopener noreferrer">Quelle</a>'
            in article.body
        )

    def test_dateline_opens_the_first_paragraph(self):
        article = ArticleFactory(dateline="Mountain View", body="<p>WhatsApp will.</p>")
        assert article.body_html.startswith(
            '<p><span class="dateline">Mountain View</span> - WhatsApp will.'
        )

    def test_dateline_already_in_agency_body_is_not_doubled(self):
        article = ArticleFactory(
            dateline="Berlin", body="<p>Berlin (dpa) - Der Bundestag hat…</p>"
        )
        assert article.body_html.count("Berlin") == 1

    def test_dateline_is_escaped(self):
        article = ArticleFactory(dateline="<b>Ort</b>", body="<p>Text</p>")
        assert "&lt;b&gt;Ort&lt;/b&gt;" in article.body_html


def test_slug_transliterates_german_umlauts():
    article = ArticleFactory(headline="WhatsApp soll bald für einige Geld kosten!")
    assert article.slug == "whatsapp-soll-bald-fuer-einige-geld-kosten"
    assert article.get_absolute_url() == (
        f"/{article.section.slug}/whatsapp-soll-bald-fuer-einige-geld-kosten-"
        f"{article.pk}/"
    )


def test_reserved_section_slug_is_refused():
    with pytest.raises(ValidationError, match="reserviert"):
        Section(name="Admin", slug="admin").full_clean()


class TestCredits:
    def test_verbatim_agency_credit_line_wins(self):
        photo = PhotoFactory(credit_line="Peter Kneffel/dpa", creator="Jemand")
        assert photo.credit == "Peter Kneffel/dpa"

    def test_credit_is_composed_by_the_agency_rule(self):
        nordbild = AgencyFactory(
            short_name="nordbild", credit_format="{agency} / {creator}"
        )
        assert PhotoFactory(agency=nordbild, creator="Tobias Schwarz").credit == (
            "nordbild / Tobias Schwarz"
        )
        assert PhotoFactory(agency=nordbild, creator="").credit == "nordbild"

    def test_credit_of_a_photo_without_agency_is_the_creator(self):
        assert PhotoFactory(agency=None, creator="Lisa Lokal").credit == "Lisa Lokal"

    def test_credit_format_rejects_unknown_placeholders(self):
        agency = Agency(name="X", short_name="x", credit_format="{creator.__class__}")
        with pytest.raises(ValidationError, match="Unbekannte Platzhalter"):
            agency.full_clean()

    def test_one_photo_gives_singular_credit_line(self):
        use = ArticlePhotoFactory()
        assert use.article.photo_credit_line == "Foto: dpa"

    def test_several_photos_list_sources_in_order_without_repeats(self):
        article = ArticleFactory()
        afp = AgencyFactory(short_name="AFP")
        dpa = AgencyFactory(short_name="dpa")
        for position, agency in enumerate([dpa, afp, dpa]):
            ArticlePhotoFactory(
                article=article, photo=PhotoFactory(agency=agency), position=position
            )
        article = Article.objects.for_detail().get(pk=article.pk)
        assert article.photo_credit_line == "Fotos: dpa, AFP"

    def test_article_without_photos_has_no_credit_line(self):
        assert ArticleFactory().photo_credit_line == ""


class TestFirstSeen:
    @pytest.mark.parametrize(
        ("hours_ago", "expected_hours_ago"),
        [
            # (publication, embargo end, recorded first publication)
            ((10, None, 10), 10),
            ((10, 4, 4), 4),
            # Without a record: the later of publication and embargo end.
            ((10, None, None), 10),
            ((10, 4, None), 4),
        ],
    )
    def test_first_seen(self, hours_ago, expected_hours_ago):
        now = timezone.now()
        published, embargo, first = (
            now - timedelta(hours=h) if h is not None else None for h in hours_ago
        )
        article = ArticleFactory(
            published_at=published, embargo_until=embargo, first_published_at=first
        )
        assert article.first_seen_at == now - timedelta(hours=expected_hours_ago)

    def test_last_change_is_never_before_readers_saw_it(self):
        article = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
        assert article.last_changed_at == article.published_at
        article.published_at = timezone.now() - timedelta(hours=1)
        article.first_published_at = article.published_at
        article.save()
        assert article.last_changed_at == article.modified_at


class TestVisibleFrom:
    """The stored column the visibility rule compares (issue #19)."""

    @pytest.mark.parametrize(
        ("fields", "visible_hours"),
        [
            ({}, -2),
            ({"embargo_until": 3}, 3),
            ({"embargo_until": -1}, -1),
            ({"published_at": 5}, 5),
            ({"embargo_time_unknown": True}, None),
            ({"agency_status": Article.AgencyStatus.WITHHELD}, None),
            ({"status": Article.Status.DRAFT}, None),
            ({"status": Article.Status.WITHDRAWN}, None),
        ],
    )
    def test_follows_the_state_and_matches_the_rule(self, fields, visible_hours):
        now = timezone.now()
        hours = {"published_at": -2} | {
            k: v for k, v in fields.items() if k in ("published_at", "embargo_until")
        }
        values = {k: now + timedelta(hours=v) for k, v in hours.items()}
        values |= {k: v for k, v in fields.items() if k not in hours}
        article = ArticleFactory(**values)
        article.refresh_from_db()
        if visible_hours is None:
            assert article.visible_from is None
        else:
            assert article.visible_from == now + timedelta(hours=visible_hours)
        for moment in (now, now + timedelta(hours=4), now + timedelta(hours=6)):
            expected = (
                article.visible_from is not None and article.visible_from <= moment
            )
            assert Article.objects.published(moment).filter(pk=article.pk).exists() == (
                expected
            )

    def test_saving_a_few_fields_saves_the_visibility_with_them(self):
        article = ArticleFactory()
        article.status = Article.Status.WITHDRAWN
        article.save(update_fields=["status"])
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert Article.objects.get(pk=article.pk).visible_from is None

    def test_bulk_inserts_carry_the_visibility(self):
        section = ArticleFactory().section
        now = timezone.now()
        [article] = Article.objects.bulk_create(
            [
                Article(
                    headline="Ohne save()",
                    section=section,
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=1),
                )
            ]
        )
        assert Article.objects.published().filter(pk=article.pk).exists()

    def test_next_change_is_the_nearest_release(self):
        now = timezone.now()
        ArticleFactory(published_at=now + timedelta(hours=5))
        ArticleFactory(
            published_at=now + timedelta(hours=1),
            embargo_until=now + timedelta(hours=3),
        )
        ArticleFactory(published_at=now + timedelta(hours=2), embargo_time_unknown=True)
        assert Article.objects.next_visibility_change(now) == now + timedelta(hours=3)


def test_djangos_latest_is_not_shadowed():
    older = ArticleFactory(published_at=timezone.now() - timedelta(days=2))
    newer = ArticleFactory(published_at=timezone.now() - timedelta(days=1))
    assert Article.objects.latest("published_at") == newer
    assert list(Article.objects.newest_first()) == [newer, older]


def test_revision_values_store_times_as_text_and_read_them_back():
    at = timezone.now().replace(microsecond=0)
    article = ArticleFactory(embargo_until=at, byline="Von dpa")
    names = ("byline", "embargo_until", "published_at")
    stored = revision_values(article, names)
    assert stored["embargo_until"] == at.isoformat()
    assert json.loads(json.dumps(stored)) == stored  # JSON as it is
    copy = Article()
    apply_revision_values(copy, stored, names)
    assert (copy.byline, copy.embargo_until, copy.published_at) == (
        "Von dpa",
        at,
        article.published_at,
    )
    assert decode_revision_value("embargo_until", None) is None
    assert decode_revision_value("photos", [{"photo": 1}]) == [{"photo": 1}]
