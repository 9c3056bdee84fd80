import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from tests.articles.admin.staff import client_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return client_in("Chef vom Dienst", "cvd")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_publishing_for_later_says_scheduled_not_published(desk):
    later = timezone.now() + timedelta(days=1)
    article = ArticleFactory(draft=True, headline="Für morgen")
    Article.objects.filter(pk=article.pk).update(published_at=later)
    now = ArticleFactory(draft=True, headline="Für jetzt")
    response = desk.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk, now.pk]},
        follow=True,
    )
    said = messages_of(response)
    assert "1 Artikel veröffentlicht." in said
    when = date_format(timezone.localtime(later), "j. F Y, H:i")
    assert f"„Für morgen“: geplant für {when} Uhr." in said
    assert not any("Für morgen" in m and "veröffentlicht" in m for m in said)


def test_an_embargoed_publication_names_the_embargo(desk):
    article = ArticleFactory(
        draft=True, embargo_until=timezone.now() + timedelta(hours=3)
    )
    response = desk.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
        follow=True,
    )
    said = messages_of(response)
    assert any("Sperrfrist bis" in m for m in said)
    assert "1 Artikel veröffentlicht." not in said


def preview_banner(client, article) -> str:
    html = client.get(
        reverse("admin:articles_article_preview", args=[article.pk])
    ).content.decode()
    return re.search(r'<p class="preview-banner">(.*?)</p>', html, re.S).group(1)


def test_the_preview_banner_says_why_readers_do_not_see_the_article(desk):
    embargoed = ArticleFactory(embargo_until=timezone.now() + timedelta(hours=3))
    assert "Sperrfrist bis" in preview_banner(desk, embargoed)
    assert "Status: Veröffentlicht" not in preview_banner(desk, embargoed)
    scheduled = ArticleFactory(scheduled=True)
    assert "geplant für" in preview_banner(desk, scheduled)
    unknown = ArticleFactory(embargo_time_unknown=True)
    assert "Sperrfrist ohne Zeit" in preview_banner(desk, unknown)
    draft = ArticleFactory(draft=True)
    assert "Status: Entwurf" in preview_banner(desk, draft)
    assert "nicht öffentlich" not in preview_banner(desk, ArticleFactory())


def test_a_draft_without_time_shows_no_orphan_time(desk):
    draft = ArticleFactory(draft=True, byline="Von Rita")
    html = desk.get(
        reverse("admin:articles_article_preview", args=[draft.pk])
    ).content.decode()
    meta = re.search(r'<p class="article__meta">(.*?)</p>', html, re.S).group(1)
    assert "Uhr" not in meta and "<time" not in meta
    text = " ".join(re.sub(r"<[^>]+>", " ", meta).split())
    assert text == f"{draft.section.name} · Von Rita"


@pytest.mark.parametrize(
    ("fields", "public"),
    [
        ({}, True),
        ({"draft": True}, False),
        ({"scheduled": True}, False),
        ({"embargo_until": timezone.now() + timedelta(days=1)}, False),
        ({"embargo_time_unknown": True}, False),
        ({"agency_status": Article.AgencyStatus.WITHHELD}, False),
        ({"status": Article.Status.WITHDRAWN}, False),
    ],
)
def test_view_on_site_only_while_the_public_sees_the_article(desk, fields, public):
    article = ArticleFactory(**fields)
    assert article.is_public() is public
    assert Article.objects.published().filter(pk=article.pk).exists() is public
    html = desk.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert ("viewsitelink" in html) is public
    if public:
        assert f'href="{article.get_absolute_url()}" class="viewsitelink"' in html
    preview = reverse("admin:articles_article_preview", args=[article.pk])
    assert preview in html
