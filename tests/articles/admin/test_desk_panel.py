"""Working together in the admin (issue #17): "Zurückgeben" with a reason,
notes beside the form and in the history, assignments, "Meine Aufgaben"."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, ArticleNote
from articles.workflow import services
from tests.articles.admin.article_form import change_url
from tests.articles.admin.staff import client_for, user_in
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    # Many users per test; the password hash is not what is tested.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


TASK_LISTS = (
    "Meine Aufgaben: an mich zurückgegeben",
    "Meine Aufgaben: mir zugewiesen",
    "Meine Aufgaben: Notizen, die mich erwähnen (ungelesen)",
)


def test_sending_back_asks_for_a_reason_which_reaches_the_authors_dashboard():
    rita = user_in("Redakteur", "rita")
    desk = client_for(user_in("Chef vom Dienst", "cvd", first_name="Carla"))
    article = ArticleFactory(draft=True, created_by=rita, headline="Stadtrat tagt")
    services.submit_for_review(article, by=rita)
    url = reverse("admin:articles_article_send_back", args=[article.pk])
    assert "Zurückgeben" in desk.get(change_url(article)).content.decode()
    refused = desk.post(url, {"zurueck-reason": "  "})
    assert refused.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in refused.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    response = desk.post(url, {"zurueck-reason": "Bitte <b>Zitat</b> belegen"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    dashboard = client_for(rita).get(reverse("admin:index")).content.decode()
    assert "Zurückgegeben von Carla: Bitte &lt;b&gt;Zitat&lt;/b&gt; belegen" in (
        dashboard
    )
    history = desk.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    assert "Bitte &lt;b&gt;Zitat&lt;/b&gt; belegen" in history.content.decode()


@pytest.mark.parametrize("group", ["Redakteur", "Anzeigen", "Bildredaktion"])
def test_only_the_desk_may_send_back(group):
    article = ArticleFactory(draft=True)
    services.submit_for_review(article, by=None)
    client = client_for(user_in(group, "jemand"))
    url = reverse("admin:articles_article_send_back", args=[article.pk])
    assert client.post(url, {"zurueck-reason": "Nein"}).status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_the_list_action_sends_back_one_article_at_a_time_with_a_reason():
    desk = client_for(user_in("Chef vom Dienst", "cvd"))
    articles = [ArticleFactory(draft=True) for _ in range(2)]
    for article in articles:
        services.submit_for_review(article, by=None)
    changelist = reverse("admin:articles_article_changelist")
    one = desk.post(
        changelist, {"action": "send_back", "_selected_action": [articles[0].pk]}
    )
    assert one["Location"] == reverse(
        "admin:articles_article_send_back", args=[articles[0].pk]
    )
    both = desk.post(
        changelist,
        {"action": "send_back", "_selected_action": [a.pk for a in articles]},
        follow=True,
    )
    assert "einzeln zurückgeben" in both.content.decode()


def test_notes_are_escaped_beside_the_form_and_in_the_history():
    cvd = user_in("Chef vom Dienst", "cvd")
    desk = client_for(cvd)
    article = ArticleFactory()
    response = desk.post(
        reverse("admin:articles_article_add_note", args=[article.pk]),
        {"notiz-text": "<script>alert(1)</script>\x00 Bitte prüfen"},
    )
    assert response.status_code == 302
    assert ArticleNote.objects.get().text == "<script>alert(1)</script> Bitte prüfen"
    for url in [
        change_url(article),
        reverse("admin:articles_article_revisions", args=[article.pk]),
    ]:
        html = desk.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Bitte prüfen" in html
        assert "<script>alert(1)" not in html


def test_the_panels_forms_carry_the_csrf_token():
    cvd = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory(draft=True)
    services.submit_for_review(article, by=None)
    html = client_for(cvd).get(change_url(article)).content.decode()
    start = html.index('class="desk-panel')
    panel = html[start : html.index("</aside>", start)]
    # Assign, note: each posts on its own, outside the edit form ("Zurückgeben"
    # is a step of the publishing panel, inside it).
    assert panel.count('name="csrfmiddlewaretoken"') == 2


def test_notes_need_a_post_and_the_right_to_change_the_article():
    rita = client_for(user_in("Redakteur", "rita"))
    article = ArticleFactory()
    url = reverse("admin:articles_article_add_note", args=[article.pk])
    assert rita.get(url).status_code == 405
    assert rita.post(url, {"notiz-text": "Hallo"}).status_code == 403
    assert (
        client_for(user_in("Anzeigen", "ads"))
        .post(url, {"notiz-text": "x"})
        .status_code
        == 403
    )
    assert not ArticleNote.objects.exists()


def test_the_form_with_many_notes_costs_the_same(
    count_queries, django_assert_max_num_queries
):
    cvd = user_in("Chef vom Dienst", "cvd")
    desk = client_for(cvd)
    article = ArticleFactory()
    services.add_note(article, user=cvd, text="Erste")
    few = count_queries(lambda: desk.get(change_url(article)))
    for i in range(15):
        colleague = user_in("Chef vom Dienst", f"cvd{i}")
        services.add_note(article, user=colleague, text=f"N{i}")
    with django_assert_max_num_queries(few):
        html = desk.get(change_url(article)).content.decode()
    assert "N14" in html


def test_assigning_to_a_person_or_the_desk_from_the_form():
    cvd = user_in("Chef vom Dienst", "cvd")
    rita = user_in("Redakteur", "rita")
    desk = client_for(cvd)
    article = ArticleFactory(draft=True, headline="Hafenfest")
    url = reverse("admin:articles_article_assign", args=[article.pk])
    desk.post(url, {"zustaendig-assignee": f"user:{rita.pk}"})
    article.refresh_from_db()
    assert article.assigned_to == rita
    group = Group.objects.get(name="Chef vom Dienst")
    desk.post(url, {"zustaendig-assignee": f"group:{group.pk}"})
    article.refresh_from_db()
    assert (article.assigned_to, article.assigned_group) == (None, group)
    # The desk group's members find it under "Meine Aufgaben".
    html = client_for(user_in("Chef vom Dienst", "cvd2")).get(reverse("admin:index"))
    assert "Hafenfest" in html.content.decode()
    desk.post(url, {"zustaendig-assignee": "user:999999"})
    article.refresh_from_db()
    assert article.assigned_group == group  # an unknown choice changes nothing
    # A reporter may not reassign an article of the desk.
    refused = client_for(rita).post(url, {"zustaendig-assignee": ""})
    assert refused.status_code == 403


def test_my_tasks_cost_the_same_whatever_their_number(
    count_queries, django_assert_max_num_queries
):
    cvd = user_in("Chef vom Dienst", "cvd")
    rita = user_in("Redakteur", "rita")
    group = Group.objects.get(name="Redakteur")
    client = client_for(rita)

    def fill(n, start):
        for i in range(start, start + n):
            returned = ArticleFactory(draft=True, created_by=rita, headline=f"R{i}")
            services.submit_for_review(returned, by=rita)
            services.send_back(returned, user=cvd, reason=f"Grund {i}")
            services.assign_article(
                ArticleFactory(draft=True, headline=f"A{i}"), user=cvd, to_user=rita
            )
            services.assign_article(
                ArticleFactory(draft=True, headline=f"G{i}"), user=cvd, to_group=group
            )
            services.add_note(
                ArticleFactory(headline=f"N{i}"), user=cvd, text=f"@rita Frage {i}"
            )

    fill(1, 0)
    few = count_queries(lambda: client.get(reverse("admin:index")))
    fill(10, 1)
    with django_assert_max_num_queries(few):
        html = client.get(reverse("admin:index")).content.decode()
    for title in TASK_LISTS:
        assert title in html
    assert "Zurückgegeben von cvd: Grund 10" in html
    assert "A10" in html and "G10" in html
    assert "cvd" in html and "@rita Frage 10" in html


def test_a_mention_reaches_only_the_one_mentioned():
    cvd = user_in("Chef vom Dienst", "cvd")
    rita = user_in("Redakteur", "rita")
    ben = user_in("Redakteur", "ben")
    services.add_note(ArticleFactory(headline="Brücke"), user=cvd, text="@rita?")
    rita_home = client_for(rita).get(reverse("admin:index"))
    assert "@rita?" in rita_home.content.decode()
    assert "@rita?" not in client_for(ben).get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("four_eyes", [False, True])
def test_the_list_actions_follow_the_rules(settings, four_eyes):
    settings.NEWSROOM_FOUR_EYES = four_eyes
    cvd = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory(draft=True, created_by=cvd)
    services.record_revision(article, by=cvd)
    client_for(cvd).post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert (article.status == Article.Status.PUBLISHED) is not four_eyes


def test_only_administrators_set_a_sections_desk():
    sport = SectionFactory(slug="sport", name="Sport")
    url = reverse("admin:articles_section_change", args=[sport.pk])
    desk = client_for(user_in("Chef vom Dienst", "cvd"))
    html = desk.get(url).content.decode()
    assert 'name="desk_groups"' not in html
    group = Group.objects.get(name="Chef vom Dienst")
    desk.post(url, {"name": "Sport", "slug": "sport", "order": 0,
                    "desk_groups": [group.pk]})  # fmt: skip
    assert not sport.desk_groups.exists()
    admin = client_for(UserFactory(username="admin", is_superuser=True))
    assert 'name="desk_groups"' in admin.get(url).content.decode()
    admin.post(url, {"name": "Sport", "slug": "sport", "order": 0,
                     "desk_groups": [group.pk]})  # fmt: skip
    assert list(sport.desk_groups.all()) == [group]
