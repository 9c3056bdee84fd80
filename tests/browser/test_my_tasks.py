"""In a real browser: "Meine Aufgaben" from the dashboard to the full list,
a mention marked done, and the desk's "Eilmeldung" step in the publishing
panel; axe-core finds nothing on the pages this adds or changes."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, NoteMention
from articles.workflow import services
from tests.browser.conftest import axe_violations, log_in, save_screenshot, take_step
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mention_from_the_dashboard_to_the_full_list_and_done(
    live_server, page, desk_roles, console_errors
):
    rita, carla = desk_roles
    for number in range(3):
        services.add_note(
            ArticleFactory(headline=f"Stadtrat {number}"),
            user=carla,
            text=f"@rita Frage {number}",
        )
    log_in(page, live_server, rita)
    mentions = page.locator(".dashboard-list", has_text="Notizen, die mich erwähnen")
    expect(mentions.locator("li")).to_have_count(3)
    assert axe_violations(page) == []

    mentions.get_by_role("link", name="Notizen, die mich erwähnen").click()
    expect(page.locator("h1")).to_have_text("Meine Aufgaben")
    expect(page.locator(".task-unread")).to_have_count(3)
    assert axe_violations(page) == []
    save_screenshot(page, "my-tasks")

    page.get_by_role("button", name="Erwähnung in „Stadtrat 1“ erledigt").click()
    expect(page.locator(".messagelist")).to_contain_text("erledigt")
    expect(page.locator(".task-unread")).to_have_count(2)

    # Opening an article reads its mention too.
    page.get_by_role("link", name="Stadtrat 2").click()
    expect(page.locator("#article_form")).to_have_count(1)
    page.goto(live_server.url + reverse("admin:index"))
    expect(mentions.locator("li")).to_have_count(1)
    expect(mentions).to_contain_text("Frage 0")
    assert NoteMention.objects.filter(read_at__isnull=True).count() == 1
    assert console_errors == []


def test_the_desk_flags_breaking_news_in_the_publishing_panel(
    live_server, page, desk_roles, console_errors
):
    _rita, carla = desk_roles
    article = ArticleFactory(headline="Großbrand im Hafen")
    log_in(page, live_server, carla)
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    panel = page.locator(".publishing-panel")
    expect(panel.get_by_role("button", name="Eilmeldung")).to_be_visible()
    expect(
        panel.get_by_role("button", name="Aktualisierung („Update“)")
    ).to_be_visible()
    take_step(page, "Eilmeldung")
    expect(page.locator(".messagelist")).to_contain_text("Eilmeldung bis")
    assert Article.objects.get(pk=article.pk).breaking_until is not None
    assert axe_violations(page) == []
    assert console_errors == []
