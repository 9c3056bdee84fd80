""" "Meine Aufgaben" in full: every task of mine in pages cut by keys, at the
same cost on every page; a mention stays on the dashboard until I open its
article or mark it done."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.admin import tasks
from articles.models import ArticleNote, NoteMention
from articles.workflow import services
from articles.workflow.trash import trash_article
from tests.articles.admin.staff import client_for, user_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HEADLINE = re.compile(r'<td><a href="/admin/articles/article/\d+/change/">([^<]+)</a>')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(tasks, "ROWS_PER_PAGE", 4)


def list_url(slug: str) -> str:
    return tasks.TASK_LISTS[slug].url()


def walk(client, url) -> list[list[str]]:
    """The headlines of every page, following "Weitere" to the end."""
    pages = []
    while url:
        html = client.get(url).content.decode()
        pages.append(HEADLINE.findall(html))
        found = NEXT.search(html)
        url = found.group(1).replace("&amp;", "&") if found else ""
    return pages


def fill(rita, cvd, n, start=0):
    group = Group.objects.get(name="Redakteur")
    for i in range(start, start + n):
        returned = ArticleFactory(draft=True, created_by=rita, headline=f"R{i}")
        services.submit_for_review(returned, by=rita)
        services.send_back(returned, user=cvd, reason=f"Grund {i}")
        to = {"to_user": rita} if i % 2 else {"to_group": group}
        services.assign_article(
            ArticleFactory(draft=True, headline=f"A{i}"), user=cvd, **to
        )
        services.add_note(ArticleFactory(headline=f"N{i}"), user=cvd, text=f"@rita {i}")


@pytest.mark.parametrize(
    "slug, prefix",
    [(tasks.RETURNED, "R"), (tasks.ASSIGNED, "A"), (tasks.MENTIONS, "N")],
)
def test_every_task_is_on_exactly_one_page_newest_first(small_pages, slug, prefix):
    rita, cvd = user_in("Redakteur", "rita"), user_in("Chef vom Dienst", "cvd")
    fill(rita, cvd, 10)
    pages = walk(client_for(rita), list_url(slug))
    assert [len(page) for page in pages] == [4, 4, 2]
    assert [title for page in pages for title in page] == [
        f"{prefix}{i}" for i in reversed(range(10))
    ]


def test_rows_of_the_same_moment_are_neither_lost_nor_repeated(small_pages):
    rita, cvd = user_in("Redakteur", "rita"), user_in("Chef vom Dienst", "cvd")
    moment = timezone.now().replace(microsecond=0)
    for i in range(9):
        services.add_note(ArticleFactory(headline=f"N{i}"), user=cvd, text="@rita")
    NoteMention.objects.update(created_at=moment)
    pages = walk(client_for(rita), list_url(tasks.MENTIONS))
    assert sorted([title for page in pages for title in page]) == [
        f"N{i}" for i in range(9)
    ]


@pytest.mark.parametrize("slug", [tasks.RETURNED, tasks.ASSIGNED, tasks.MENTIONS])
def test_a_page_costs_the_same_whatever_the_number_of_tasks(
    slug, count_queries, django_assert_max_num_queries
):
    rita, cvd = user_in("Redakteur", "rita"), user_in("Chef vom Dienst", "cvd")
    client = client_for(rita)
    fill(rita, cvd, 2)
    few = count_queries(lambda: client.get(list_url(slug)))
    fill(rita, cvd, tasks.ROWS_PER_PAGE * 2, start=2)
    first = client.get(list_url(slug)).content.decode()
    second_url = NEXT.search(first).group(1).replace("&amp;", "&")
    # The session and user (2), the page's rows with their articles (1).
    with django_assert_max_num_queries(few):
        html = client.get(second_url).content.decode()
    assert len(HEADLINE.findall(html)) == tasks.ROWS_PER_PAGE
    assert "Zum Anfang" in html


def test_only_my_tasks_and_none_in_the_trash():
    rita, ben = user_in("Redakteur", "rita"), user_in("Redakteur", "ben")
    cvd = user_in("Chef vom Dienst", "cvd")
    services.add_note(ArticleFactory(headline="Für Ben"), user=cvd, text="@ben")
    services.assign_article(
        ArticleFactory(draft=True, headline="Bens Text"), user=cvd, to_user=ben
    )
    binned = ArticleFactory(headline="Im Papierkorb")
    services.add_note(binned, user=cvd, text="@rita")
    trash_article(binned, by=cvd)
    client = client_for(rita)
    for slug in tasks.TASK_LISTS:
        html = client.get(list_url(slug)).content.decode()
        assert HEADLINE.findall(html) == []
        assert "Nichts." in html


@pytest.mark.parametrize("group", ["Bildredaktion", "Anzeigen"])
def test_who_does_not_write_has_no_task_list(group):
    client = client_for(user_in(group, "someone"))
    assert client.get(list_url(tasks.MENTIONS)).status_code == 403


def test_an_unknown_list_or_a_broken_key_shows_no_error_page():
    client = client_for(user_in("Redakteur", "rita"))
    url = reverse("admin:my_tasks")
    assert client.get(url + "?liste=gibtsnicht").status_code == 404
    assert client.get(url + "?liste=erwaehnt&nach=kaputt~x").status_code == 200


def test_a_mention_leaves_the_dashboard_once_the_article_is_opened():
    rita, cvd = user_in("Redakteur", "rita"), user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory(headline="Hafenfest")
    services.add_note(article, user=cvd, text="@rita bitte Zahlen prüfen")
    client = client_for(rita)
    assert "bitte Zahlen prüfen" in client.get(reverse("admin:index")).content.decode()
    # The desk opening it reads nothing of hers.
    client_for(cvd).get(reverse("admin:articles_article_change", args=[article.pk]))
    assert NoteMention.objects.get().read_at is None
    client.get(reverse("admin:articles_article_change", args=[article.pk]))
    mention = NoteMention.objects.get()
    assert mention.read_at is not None
    home = client.get(reverse("admin:index")).content.decode()
    assert "bitte Zahlen prüfen" not in home
    # The full list still has it, as read.
    full = client.get(list_url(tasks.MENTIONS)).content.decode()
    assert "bitte Zahlen prüfen" in full and "gelesen" in full
    # A new note on the same article is unread again.
    services.add_note(article, user=cvd, text="@rita und das Foto")
    assert "und das Foto" in client.get(reverse("admin:index")).content.decode()


def test_done_marks_only_my_own_mention():
    rita, ben = user_in("Redakteur", "rita"), user_in("Redakteur", "ben")
    cvd = user_in("Chef vom Dienst", "cvd")
    note = services.add_note(ArticleFactory(), user=cvd, text="@rita @ben Frage")
    mine = NoteMention.objects.get(note=note, user=rita)
    bens = NoteMention.objects.get(note=note, user=ben)
    client = client_for(rita)
    html = client.get(list_url(tasks.MENTIONS)).content.decode()
    assert "Erledigt" in html and "task-unread" in html
    refused = client.post(reverse("admin:mention_done", args=[bens.pk]))
    assert refused.status_code == 302
    bens.refresh_from_db()
    assert bens.read_at is None
    assert client.get(reverse("admin:mention_done", args=[mine.pk])).status_code == 405
    response = client.post(
        reverse("admin:mention_done", args=[mine.pk]),
        {"zurueck": "https://example.org/"},
    )
    assert response["Location"] == list_url(tasks.MENTIONS)
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "Frage" not in client.get(reverse("admin:index")).content.decode()


def test_the_dashboard_links_each_task_list_to_its_full_list():
    rita = user_in("Redakteur", "rita")
    html = client_for(rita).get(reverse("admin:index")).content.decode()
    for slug in tasks.TASK_LISTS:
        assert f'href="{list_url(slug)}"'.replace("&", "&amp;") in html


def test_read_mentions_do_not_crowd_out_unread_ones_on_the_dashboard():
    rita, cvd = user_in("Redakteur", "rita"), user_in("Chef vom Dienst", "cvd")
    old = ArticleFactory(headline="Alt")
    services.add_note(old, user=cvd, text="@rita ganz alt")
    for i in range(12):
        services.add_note(ArticleFactory(), user=cvd, text=f"@rita neu {i}")
    ArticleNote.objects.filter(article=old).update(
        created_at=timezone.now() - timedelta(days=1)
    )
    NoteMention.objects.filter(note__article=old).update(
        created_at=timezone.now() - timedelta(days=1)
    )
    services.mark_mentions_read(
        rita,
        mention_ids=list(
            NoteMention.objects.exclude(note__article=old).values_list("pk", flat=True)
        ),
    )
    assert "ganz alt" in client_for(rita).get(reverse("admin:index")).content.decode()
