import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.workflow import services
from articles.workflow.previews import preview_link
from tests.articles.admin.article_form import edit_form, save
from tests.articles.admin.staff import client_for, user_in
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def test_two_editors_cannot_overwrite_each_other_unknowingly():
    anna = user_in("Chef vom Dienst", "anna", first_name="Anna", last_name="Alt")
    ben = user_in("Chef vom Dienst", "ben")
    article = ArticleFactory(headline="Original", section=SectionFactory(), draft=True)
    anna_client, ben_client = client_for(anna), client_for(ben)
    anna_form, ben_form = (
        edit_form(anna_client, article),
        edit_form(ben_client, article),
    )

    anna_form["headline"] = "Annas Überschrift"
    assert save(anna_client, article, anna_form).status_code == 302

    ben_form["headline"] = "Bens Überschrift"
    response = save(ben_client, article, ben_form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna Alt hat diesen Artikel am" in html
    assert 'value="Bens Überschrift"' in html  # his input is still there
    # Both headlines side by side, to choose from (tests/articles/admin/
    # test_merging.py covers the merge itself).
    assert 'name="merge-headline" value="mine"' in html
    assert "Annas Überschrift" in html
    article.refresh_from_db()
    assert article.headline == "Annas Überschrift"

    # Saving the same form again without choosing is still refused.
    response = save(ben_client, article, ben_form)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline == "Annas Überschrift"

    # Having chosen his headline, saving again writes it.
    merge_version = re.search(r'name="merge_version" value="(\d+)"', html).group(1)
    ben_form |= {"merge_version": merge_version, "merge-headline": "mine"}
    assert save(ben_client, article, ben_form).status_code == 302
    article.refresh_from_db()
    assert article.headline == "Bens Überschrift"
    headlines = [r.data["headline"] for r in ArticleRevision.objects.order_by("number")]
    assert headlines == ["Annas Überschrift", "Bens Überschrift"]


def test_a_reporter_cannot_open_or_post_to_someone_else_s_article():
    reporter = user_in("Redakteur", "rita")
    client = client_for(reporter)
    foreign = ArticleFactory(draft=True, headline="Fremd")
    url = reverse("admin:articles_article_change", args=[foreign.pk])
    assert "Fremd" in client.get(url).content.decode()  # may read
    response = client.post(url, {"headline": "Übernommen", "status": "published"})
    assert response.status_code == 403
    foreign.refresh_from_db()
    assert (foreign.headline, foreign.status) == ("Fremd", Article.Status.DRAFT)


def test_history_lists_revisions_and_transitions_and_restores():
    editor = user_in("Chef vom Dienst", "cvd")
    client = client_for(editor)
    article = ArticleFactory(headline="Eins")
    for headline in ("Eins", "Zwei <b>fett</b>"):
        article.headline = headline
        services.save_article(article, by=editor)
        services.record_revision(article, by=editor)
    services.withdraw_article(article, by=editor, reason="Falsche Zahlen")
    history = client.get(
        reverse("admin:articles_article_revisions", args=[article.pk])
    ).content.decode()
    assert "Falsche Zahlen" in history and "Zurückgezogen" in history
    diff = client.get(
        reverse("admin:articles_article_revision_diff", args=[article.pk]),
        {"a": 1, "b": 2},
    ).content.decode()
    assert "&lt;b&gt;fett&lt;/b&gt;" in diff and "<b>fett</b>" not in diff
    restore = reverse("admin:articles_article_restore", args=[article.pk, 1])
    assert client.get(restore).status_code == 405
    assert client.post(restore).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Eins", 4)  # withdraw counted


def test_preview_shows_any_revision_marked_and_never_cached():
    editor = user_in("Chef vom Dienst", "cvd")
    client = client_for(editor)
    article = ArticleFactory(draft=True, headline="Alt")
    services.save_article(article, by=editor)
    services.record_revision(article, by=editor)
    article.headline = "Neu"
    services.save_article(article, by=editor)
    services.record_revision(article, by=editor)
    url = reverse("admin:articles_article_preview", args=[article.pk])
    response = client.get(url, {"fassung": 1})
    html = response.content.decode()
    assert '<h1 class="article__headline">Alt</h1>' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Vorschau" in html
    assert "no-store" in response["Cache-Control"]
    assert "Neu" in client.get(url).content.decode()


def test_shared_preview_links_work_without_login_for_one_article_and_expire(
    client, settings
):
    article = ArticleFactory(draft=True, headline="Noch geheim")
    services.save_article(article, by=None)
    services.record_revision(article, by=None)
    link = preview_link(article)
    response = client.get(link)
    assert response.status_code == 200
    assert "Noch geheim" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    other = ArticleFactory(draft=True)
    forged = token.replace(f"{article.pk}:", f"{other.pk}:", 1)
    assert (
        client.get(reverse("articles:shared_preview", args=[forged])).status_code == 404
    )
    settings.NEWSROOM_PREVIEW_LINK_HOURS = 0
    assert client.get(link).status_code == 404
    expired = signing.TimestampSigner(salt="other").sign(str(article.pk))
    assert (
        client.get(reverse("articles:shared_preview", args=[expired])).status_code
        == 404
    )


def test_withdrawn_article_answers_410_and_needs_a_reason_in_the_admin(
    client, django_capture_on_commit_callbacks
):
    editor = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory(headline="Bald weg")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    desk = client_for(editor)
    withdraw = reverse("admin:articles_article_withdraw", args=[article.pk])
    response = desk.post(withdraw, {"reason": ""})
    assert (
        response.status_code == 200
        and "Dieses Feld ist zwingend" in response.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):  # purges cached pages
        response = desk.post(withdraw, {"reason": "Persönlichkeitsrecht"})
    assert response.status_code == 302
    response = client.get(url)
    assert response.status_code == 410
    assert "zurückgezogen" in response.content.decode()
    assert "Bald weg" not in client.get("/").content.decode()


def test_reporters_cannot_withdraw(client):
    reporter = user_in("Redakteur", "rita")
    article = ArticleFactory()
    response = client_for(reporter).post(
        reverse("admin:articles_article_withdraw", args=[article.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_others_editing_are_shown_and_the_notice_expires(settings):
    anna = user_in("Chef vom Dienst", "anna", first_name="Anna", last_name="Alt")
    ben = user_in("Chef vom Dienst", "ben")
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    client_for(anna).get(url)
    html = client_for(ben).get(url).content.decode()
    assert "wird gerade von Anna Alt bearbeitet (seit" in html
    ping = reverse("admin:articles_article_editing", args=[article.pk])
    anna_client = client_for(anna)
    assert anna_client.post(ping).json()["others"][0].startswith("wird gerade von ben")
    anna_client.post(ping, {"closing": "1"})
    # (Her name stays in the form's list of whom the article can go to.)
    assert "von Anna Alt bearbeitet" not in client_for(ben).get(url).content.decode()


def test_corrections_appear_at_the_end_of_the_article(client):
    editor = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory()
    services.add_correction(
        article, by=editor, text="In einer früheren Fassung stand 1999."
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Korrektur" in html and "In einer früheren Fassung stand 1999." in html
    assert html.index("früheren Fassung") > html.index("article__body")


def test_dashboard_lists_what_needs_attention_in_constant_queries(
    count_queries, django_assert_max_num_queries
):
    editor = user_in("Chef vom Dienst", "cvd")
    client = client_for(editor)
    now = timezone.now()

    def fill(n):
        for i in range(n):
            ArticleFactory(draft=True, created_by=editor, headline=f"Mein Entwurf {i}")
            ArticleFactory(
                status=Article.Status.REVIEW, published_at=None, first_published_at=None
            )
            ArticleFactory(
                published_at=now + timedelta(hours=2), headline=f"Geplant {i}"
            )
            ArticleFactory(embargo_until=now + timedelta(hours=1))
            withdrawn = ArticleFactory()
            services.withdraw_article(withdrawn, by=editor, reason=f"Grund {i}")
            PhotoFactory(licence_expires_at=now + timedelta(days=2))

    fill(2)
    few = count_queries(lambda: client.get(reverse("admin:index")))
    fill(12)
    with django_assert_max_num_queries(few):
        html = client.get(reverse("admin:index")).content.decode()
    for title in (
        "Meine Entwürfe",
        "Warten auf Prüfung",
        "Geplant in den nächsten 24 Stunden",
        "Mit Sperrfrist",
        "Zuletzt veröffentlicht",
        "Zuletzt zurückgezogen",
    ):
        assert title in html
    # Licences are the photo desk's (tests/articles/admin/test_dashboard.py).
    assert "Fotos mit ablaufender Lizenz" not in html
    assert "Mein Entwurf 11" in html and "Grund 11" in html


def test_publishing_is_refused_while_a_photo_lacks_alt_text():
    editor = user_in("Chef vom Dienst", "cvd")
    client = client_for(editor)
    use = ArticlePhotoFactory(article__draft=True, photo__alt_text="")
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [use.article_id]},
        follow=True,
    )
    assert "Alternativtext" in response.content.decode()
    use.article.refresh_from_db()
    assert use.article.status == Article.Status.DRAFT


def test_an_embargo_before_the_publication_time_is_a_form_error():
    editor = user_in("Chef vom Dienst", "cvd")
    client = client_for(editor)
    article = ArticleFactory(
        headline="Unverändert", published_at=timezone.now() + timedelta(hours=3)
    )
    data = edit_form(client, article)
    publication = timezone.localtime(article.published_at)
    # Still to come, yet ending before the publication: a slip.
    earlier = publication - timedelta(hours=1)
    data |= {
        "headline": "Geändert",
        "embargo_until_0": earlier.strftime("%d.%m.%Y"),
        "embargo_until_1": earlier.strftime("%H:%M:%S"),
    }
    response = save(client, article, data)
    assert response.status_code == 200
    assert (
        "Die Sperrfrist endet vor der Veröffentlichungszeit"
        in response.content.decode()
    )
    article.refresh_from_db()
    assert (article.headline, article.embargo_until, article.version) == (
        "Unverändert",
        None,
        0,
    )


def test_only_the_author_or_the_desk_may_share_a_preview_link():
    author = user_in("Redakteur", "autorin")
    colleague = user_in("Redakteur", "kollege")
    article = ArticleFactory(draft=True, created_by=author)
    url = reverse("admin:articles_article_preview_link", args=[article.pk])
    assert client_for(colleague).post(url).status_code == 403
    response = client_for(author).post(url, follow=True)
    assert "/vorschau/" in response.content.decode()


def test_article_photos_follow_the_article_s_edit_rights():
    reporter = user_in("Redakteur", "rita")
    client = client_for(reporter)
    use = ArticlePhotoFactory(article__headline="Fremd und live")
    url = reverse("admin:articles_articlephoto_change", args=[use.pk])
    response = client.post(
        url,
        {
            "article": use.article_id,
            "photo": use.photo_id,
            "position": 0,
            "caption": "x",
        },
    )
    assert response.status_code == 403
    delete = reverse("admin:articles_articlephoto_delete", args=[use.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    use.refresh_from_db()
    assert use.caption == ""


def test_a_live_article_cannot_gain_a_photo_without_alt_text():
    editor = user_in("Chef vom Dienst", "cvd")
    client = client_for(editor)
    article = ArticleFactory()
    bare = PhotoFactory(alt_text="")
    data = edit_form(client, article) | {
        "article_photos-TOTAL_FORMS": "1",
        "article_photos-0-photo": str(bare.pk),
        "article_photos-0-position": "0",
    }
    response = save(client, article, data)
    assert response.status_code == 200
    assert "Alternativtext" in response.content.decode()
    assert not article.article_photos.exists()


def test_the_dashboard_shows_editorial_lists_only_to_editorial_roles():
    ArticleFactory(status=Article.Status.REVIEW, headline="Geheime Prüfung",
                   published_at=None, first_published_at=None)  # fmt: skip
    html = client_for(user_in("Anzeigen", "anzeigen")).get(reverse("admin:index"))
    assert "Geheime Prüfung" not in html.content.decode()
    desk = client_for(user_in("Chef vom Dienst", "cvd")).get(reverse("admin:index"))
    assert "Geheime Prüfung" in desk.content.decode()


def test_a_preview_link_stops_working_when_the_article_is_withdrawn(client):
    article = ArticleFactory()
    link = preview_link(article)
    assert client.get(link).status_code == 200
    services.withdraw_article(article, by=None, reason="Rechtlich")
    assert client.get(link).status_code == 404


def test_readers_are_not_shown_as_editing():
    reader = user_in("Redakteur", "rita")
    article = ArticleFactory(headline="Nur lesen")
    url = reverse("admin:articles_article_change", args=[article.pk])
    client_for(reader).get(url)
    editor_view = client_for(user_in("Chef vom Dienst", "cvd")).get(url)
    # (Her name is in the form's list of whom the article can go to.)
    assert "von rita bearbeitet" not in editor_view.content.decode()
    ping = reverse("admin:articles_article_editing", args=[article.pk])
    assert client_for(reader).post(ping).status_code == 403


def test_a_read_only_form_has_no_ping_address_and_a_ping_logs_no_traceback(caplog):
    reader = user_in("Redakteur", "rita")
    article = ArticleFactory(headline="Nur lesen")
    client = client_for(reader)
    html = client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert "workflow-notices" in html and "data-editing-url" not in html
    ping = reverse("admin:articles_article_editing", args=[article.pk])
    with caplog.at_level("WARNING", logger="django.request"):
        assert client.post(ping).status_code == 403
    assert [record.exc_info for record in caplog.records] == [None]
    own = ArticleFactory(draft=True, created_by=reader)
    html = client.get(
        reverse("admin:articles_article_change", args=[own.pk])
    ).content.decode()
    assert reverse("admin:articles_article_editing", args=[own.pk]) in html


def test_a_form_without_its_version_is_treated_as_a_conflict():
    editor = user_in("Chef vom Dienst", "cvd")
    client = client_for(editor)
    article = ArticleFactory(headline="Alt")
    data = edit_form(client, article) | {"headline": "Neu"}
    data.pop("loaded_version", None)
    response = save(client, article, data)
    assert (
        response.status_code == 200
        and "hat diesen Artikel am" in response.content.decode()
    )
    article.refresh_from_db()
    assert article.headline == "Alt"


def test_a_bulk_action_over_a_stale_list_judges_each_row_as_it_is_now(rf):
    editor = user_in("Chef vom Dienst", "cvd")
    ready = ArticleFactory(draft=True, headline="Fertig")
    killed = ArticleFactory(draft=True, headline="Inzwischen zurückgezogen")
    selected = Article.objects.filter(pk__in=[ready.pk, killed.pk])
    assert len(selected) == 2  # the action's list, loaded while both were drafts
    services.publish_article(killed, by=None)
    services.withdraw_article(killed, by=None, reason="Kill der Agentur")
    request = rf.post(reverse("admin:articles_article_changelist"))
    request.user = editor
    request._messages = CookieStorage(request)
    admin.site.get_model_admin(Article).publish(request, selected)
    shown = [str(message) for message in request._messages]
    assert any("„Inzwischen zurückgezogen“ ist zurückgezogen" in m for m in shown)
    assert "1 Artikel veröffentlicht." in shown
    statuses = dict(Article.objects.values_list("headline", "status"))
    assert statuses == {"Fertig": "published", "Inzwischen zurückgezogen": "withdrawn"}


def test_an_embargo_that_is_over_does_not_stop_publishing():
    editor = user_in("Chef vom Dienst", "cvd")
    client = client_for(editor)
    passed = timezone.now() - timedelta(days=2)
    article = ArticleFactory(draft=True, embargo_until=passed)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Article.objects.published().get() == article
    article.refresh_from_db()
    assert article.embargo_until == passed
    assert "Sperrfrist bis" in article.transitions.get().comment
