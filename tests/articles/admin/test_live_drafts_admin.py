"""Live + Entwurf in the admin: saving a live article keeps a draft, the form
shows it with its diff, and only the desk publishes it (each role checked on
the server)."""

import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.admin.staff import client_for, user_in
from tests.factories import ArticleFactory, ArticlePhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def edit_form(client, article) -> dict:
    """The change form's current values, as a browser would send them back."""
    form = client.get(change_url(article)).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"] = local.strftime("%d.%m.%Y")
            data[f"{name}_1"] = local.strftime("%H:%M:%S")
        elif isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = value
    for prefix in ("article_photos", "corrections"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def live(article) -> Article:
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def desk():
    return user_in("Chef vom Dienst", "cvd", first_name="Clara", last_name="Desk")


def test_saving_a_live_article_keeps_a_draft_until_the_desk_publishes_it(
    client, desk, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Live-Fassung", teaser="Alter Vorspann")
    desk_client = client_for(desk)
    data = edit_form(desk_client, article) | {"headline": "Neue Fassung"}
    response = desk_client.post(change_url(article), data)
    assert response.status_code == 302 and response.url == change_url(article)
    assert live(article).headline == "Live-Fassung"
    assert "Live-Fassung" in client.get(article.get_absolute_url()).content.decode()

    html = desk_client.get(change_url(article)).content.decode()
    assert "als Entwurf gespeichert" in html  # the message
    assert "Live – mit unveröffentlichten Änderungen" in html
    assert "Entwurf von Clara Desk" in html
    assert "<del>Live-Fassung</del>" in html and "<ins>Neue Fassung</ins>" in html
    assert 'value="Neue Fassung"' in html  # the form shows the draft
    assert "Änderungen veröffentlichen" in html and "Änderungen verwerfen" in html
    listing = desk_client.get(reverse("admin:articles_article_changelist"))
    assert "Live – mit unveröffentlichten Änderungen" in listing.content.decode()
    waiting = desk_client.get(
        reverse("admin:articles_article_changelist") + "?offen=live-entwurf"
    )
    assert waiting.context["cl"].result_count == 1

    version = re.search(r'name="loaded_version" value="(\d+)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = desk_client.post(
            reverse("admin:articles_article_publish_changes", args=[article.pk]),
            {"loaded_version": version},
        )
    assert response.status_code == 302
    assert live(article).headline == "Neue Fassung"
    assert live(article).pending_revision is None
    assert "Neue Fassung" in client.get(article.get_absolute_url()).content.decode()


def test_discarding_the_draft_keeps_the_live_text(desk):
    article = ArticleFactory(headline="Live-Fassung")
    desk_client = client_for(desk)
    data = edit_form(desk_client, article) | {"headline": "Verworfen"}
    desk_client.post(change_url(article), data)
    version = live(article).version
    response = desk_client.post(
        reverse("admin:articles_article_discard_changes", args=[article.pk]),
        {"loaded_version": version},
    )
    assert response.status_code == 302
    article = live(article)
    assert (article.headline, article.pending_revision) == ("Live-Fassung", None)
    html = desk_client.get(change_url(article)).content.decode()
    assert 'value="Live-Fassung"' in html
    assert "mit unveröffentlichten Änderungen" not in html


def test_the_desk_saves_and_publishes_in_one_step(desk):
    article = ArticleFactory(headline="Live-Fassung")
    desk_client = client_for(desk)
    html = desk_client.get(change_url(article)).content.decode()
    assert "Speichern und veröffentlichen" in html
    data = edit_form(desk_client, article) | {
        "headline": "Sofort live",
        "_publish_changes": "1",
    }
    assert desk_client.post(change_url(article), data).status_code == 302
    article = live(article)
    assert (article.headline, article.pending_revision) == ("Sofort live", None)
    assert article.revisions.first().data["headline"] == "Sofort live"


def test_a_reporter_s_change_to_a_live_article_is_always_a_draft():
    reporter = user_in("Redakteur", "rita")
    article = ArticleFactory(headline="Ritas Text", created_by=reporter)
    client = client_for(reporter)
    html = client.get(change_url(article)).content.decode()
    assert "Speichern und veröffentlichen" not in html
    assert 'name="headline"' in html  # editable, as a draft
    # The button forged into the post changes nothing: still a draft.
    data = edit_form(client, article) | {
        "headline": "Ritas Korrektur",
        "_publish_changes": "1",
    }
    assert client.post(change_url(article), data).status_code == 302
    assert live(article).headline == "Ritas Text"
    assert live(article).pending_revision.data["headline"] == "Ritas Korrektur"
    html = client.get(change_url(article)).content.decode()
    assert "Änderungen verwerfen" in html  # her own draft
    assert "Änderungen veröffentlichen" not in html
    # Publishing by a forged post is refused.
    response = client.post(
        reverse("admin:articles_article_publish_changes", args=[article.pk]),
        {"loaded_version": live(article).version},
    )
    assert response.status_code == 403
    assert live(article).headline == "Ritas Text"
    assert (
        client.get(
            reverse("admin:articles_article_publish_changes", args=[article.pk])
        ).status_code
        == 405
    )


def test_a_reporter_cannot_draft_or_discard_on_someone_else_s_live_article(desk):
    reporter = user_in("Redakteur", "rita")
    foreign = ArticleFactory(headline="Fremd", created_by=desk)
    client = client_for(reporter)
    data = edit_form(client_for(desk), foreign) | {"headline": "Übernommen"}
    assert client.post(change_url(foreign), data).status_code == 403
    desk_client = client_for(desk)
    desk_client.post(change_url(foreign), data)
    assert live(foreign).pending_revision is not None
    response = client.post(
        reverse("admin:articles_article_discard_changes", args=[foreign.pk]),
        {"loaded_version": live(foreign).version},
    )
    assert response.status_code == 403
    assert live(foreign).pending_revision is not None


def test_a_draft_save_refuses_what_the_draft_cannot_hold(desk):
    article = ArticleFactory(headline="Live-Fassung", is_top=False)
    ArticlePhotoFactory(article=article)
    desk_client = client_for(desk)
    data = edit_form(desk_client, article) | {
        "headline": "Neu",
        "is_top": "on",
        "substantial_update": "on",
    }
    page = desk_client.get(change_url(article)).content.decode()
    photo_id = re.search(r'name="article_photos-0-id" value="(\d+)"', page).group(1)
    data |= {
        "article_photos-TOTAL_FORMS": "1",
        "article_photos-INITIAL_FORMS": "1",
        "article_photos-0-id": photo_id,
        "article_photos-0-article": str(article.pk),
        "article_photos-0-DELETE": "on",
    }
    response = desk_client.post(change_url(article), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"is_top", "substantial_update"}
    assert "gilt erst beim Veröffentlichen" in errors["is_top"][0]
    assert "Artikelfotos ändern sich nur" in response.content.decode()
    article = live(article)
    assert (article.pending_revision, article.article_photos.count()) == (None, 1)


def test_publishing_a_draft_someone_changed_meanwhile_is_refused(desk):
    article = ArticleFactory(headline="Live-Fassung")
    desk_client = client_for(desk)
    desk_client.post(
        change_url(article), edit_form(desk_client, article) | {"headline": "Eins"}
    )
    seen = live(article).version
    desk_client.post(
        change_url(article), edit_form(desk_client, article) | {"headline": "Zwei"}
    )
    response = desk_client.post(
        reverse("admin:articles_article_publish_changes", args=[article.pk]),
        {"loaded_version": seen},
        follow=True,
    )
    assert "nachdem Sie ihn geöffnet haben" in response.content.decode()
    assert live(article).headline == "Live-Fassung"


def test_the_form_and_list_of_live_drafts_take_constant_queries(
    desk, count_queries, django_assert_max_num_queries
):
    section = SectionFactory()
    desk_client = client_for(desk)
    articles = ArticleFactory.create_batch(2, section=section)
    for article in articles:
        desk_client.post(
            change_url(article), edit_form(desk_client, article) | {"headline": "E"}
        )
    listing = reverse("admin:articles_article_changelist") + "?offen=live-entwurf"
    few = count_queries(lambda: desk_client.get(listing))
    form = count_queries(lambda: desk_client.get(change_url(articles[0])))
    for article in ArticleFactory.create_batch(8, section=section):
        desk_client.post(
            change_url(article), edit_form(desk_client, article) | {"headline": "E"}
        )
    with django_assert_max_num_queries(few):
        response = desk_client.get(listing)
    assert response.context["cl"].result_count == 10
    with django_assert_max_num_queries(form):
        desk_client.get(change_url(articles[1]))


@pytest.mark.parametrize("group", ["Anzeigen", "Redakteur"])
def test_who_only_reads_sees_no_unpublished_change(desk, group):
    article = ArticleFactory(headline="Live-Fassung", created_by=desk)
    desk_client = client_for(desk)
    desk_client.post(
        change_url(article),
        edit_form(desk_client, article) | {"headline": "Geheimer Entwurf"},
    )
    number = live(article).pending_revision.number
    reader = client_for(user_in(group, "leser"))
    pages = [
        change_url(article),
        reverse("admin:articles_article_preview", args=[article.pk]),
        reverse("admin:articles_article_revisions", args=[article.pk]),
        reverse("admin:articles_article_revision_diff", args=[article.pk])
        + f"?a=1&b={number}",
        reverse("admin:articles_article_preview", args=[article.pk])
        + f"?fassung={number}",
    ]
    answers = [reader.get(url) for url in pages]
    # A reporter may read the live article; ad operations not even that.
    assert answers[0].status_code == (200 if group == "Redakteur" else 403)
    for url, answer in zip(pages, answers, strict=True):
        assert "Geheimer Entwurf" not in answer.content.decode(), url
    # The desk sees it in the same places.
    assert "Geheimer Entwurf" in desk_client.get(pages[1]).content.decode()
    assert "Geheimer Entwurf" in desk_client.get(pages[0]).content.decode()
