"""The admin list's rows and sidebar (newsroom/perf/admin_rows.py,
admin_nav.py) are Django's own markup, only made faster."""

import zoneinfo
from datetime import timedelta

import pytest
from django.contrib.admin.templatetags.admin_list import results
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from articles.models import Article
from newsroom.perf import admin_rows
from tests.articles.admin.article_form import change_url, edit_form
from tests.articles.admin.staff import client_for, user_in
from tests.factories import AgencyFactory, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "admin:articles_article_changelist"


@pytest.fixture
def desk_client():
    return client_for(user_in("Chef vom Dienst", "cvd"))


@pytest.fixture
def every_kind_of_row(desk_client):
    """Articles for every branch of the list's columns."""
    ArticleFactory(headline='Zoff um "Brücke" & <Steg>', view_count=1234567)
    ArticleFactory(draft=True, created_by=UserFactory(username="reporterin"))
    ArticleFactory(scheduled=True, agency=AgencyFactory())
    ArticleFactory(embargo_until=timezone.now() + timedelta(hours=3), view_count=0)
    ArticleFactory(status=Article.Status.WITHDRAWN, withdrawal_reason="Falsch")
    live = ArticleFactory(headline="Live")
    # A live article with an unpublished change ("Live – mit …").
    desk_client.post(change_url(live), edit_form(desk_client, live) | {"headline": "E"})


def django_rows(cl) -> list[str]:
    return ["".join(items) for items in results(cl)]


def our_rows(cl) -> list[str]:
    return ["".join(row) for row in admin_rows.rows(cl)]


@pytest.mark.parametrize(
    "query",
    ["", "?status=published", "?o=-3.2", "?_popup=1&_to_field=id", "?q=Zoff"],
)
@pytest.mark.usefixtures("every_kind_of_row")
def test_the_lists_rows_are_djangos_rows(desk_client, both_paths, query):
    cl = desk_client.get(reverse(LIST) + query).context["cl"]
    assert len(cl.result_list) > 0
    assert our_rows(cl) == django_rows(cl)


@pytest.mark.usefixtures("every_kind_of_row")
def test_the_page_shows_the_rows_with_their_links_and_marks(desk_client):
    html = desk_client.get(reverse(LIST) + "?status=published").content.decode()
    assert "Zoff um &quot;Brücke&quot; &amp; &lt;Steg&gt;" in html
    assert "Live – mit unveröffentlichten Änderungen" in html
    assert "Sperrfrist bis" in html
    # The filter is kept in every row's link to the form.
    article = Article.objects.get(headline="Live")
    assert (
        f'<a href="/admin/articles/article/{article.pk}/change/'
        '?_changelist_filters=status%3Dpublished">' in html
    )


@pytest.mark.usefixtures("every_kind_of_row")
def test_a_date_is_shown_in_the_users_time_zone_and_language(desk_client):
    published = Article.objects.get(headline="Live").published_at
    cl = desk_client.get(reverse(LIST)).context["cl"]
    shown = {}
    for zone, language in [("Europe/Berlin", "de"), ("Asia/Tokyo", "en")]:
        with timezone.override(zoneinfo.ZoneInfo(zone)), translation.override(language):
            shown[zone] = "".join(our_rows(cl))
            assert shown[zone] == "".join(django_rows(cl))
    tokyo = timezone.localtime(published, zoneinfo.ZoneInfo("Asia/Tokyo"))
    with translation.override("en"):
        assert date_format(tokyo, "DATETIME_FORMAT") in shown["Asia/Tokyo"]
    assert shown["Europe/Berlin"] != shown["Asia/Tokyo"]


def test_a_column_of_another_kind_gets_djangos_rows(desk_client):
    ArticleFactory()
    cl = desk_client.get(reverse(LIST)).context["cl"]
    cl.list_display = [*cl.list_display, "section__name"]
    assert admin_rows._columns(cl) is None
    assert our_rows(cl) == django_rows(cl)


def sidebar(html: str) -> str:
    return html.split('<nav class="sticky" id="nav-sidebar"', 1)[1].split("</nav>")[0]


@pytest.mark.parametrize("first", ["admin:articles_section_changelist", LIST])
def test_the_sidebar_marks_the_current_page_whichever_came_first(
    desk_client, settings, first
):
    pages = [first, *{"admin:articles_section_changelist", LIST} - {first}]
    fast = {
        name: sidebar(desk_client.get(reverse(name)).content.decode()) for name in pages
    }
    settings.NEWSROOM_FAST_PATH = False
    plain = {
        name: sidebar(desk_client.get(reverse(name)).content.decode()) for name in pages
    }
    assert fast == plain
    assert 'class="model-article current-model"' in fast[LIST]
    assert 'class="model-section current-model"' not in fast[LIST]
    assert (
        'class="model-section current-model"'
        in fast[pages[0] if first != LIST else pages[1]]
    )


def test_the_sidebar_shows_each_role_its_own_models(desk_client):
    desk_page = sidebar(desk_client.get(reverse(LIST)).content.decode())
    reporter = client_for(user_in("Redakteur", "reporter"))
    reporter_page = sidebar(reporter.get(reverse(LIST)).content.decode())
    assert desk_page != reporter_page
    group = Group.objects.get(name="Redakteur")
    may_add_sections = group.permissions.filter(codename="add_section").exists()
    assert ('href="/admin/articles/section/add/"' in reporter_page) == may_add_sections
