"""The way of a story through the desk (issue #17), in a real browser: the
reporter writes and submits, the desk returns it with a reason, the reporter
reads the reason on the start page, fixes and resubmits, the desk approves
and publishes (with four eyes on)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import (
    axe_violations,
    log_in,
    log_out,
    save_screenshot,
    take_step,
)
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Bitte die Zahl der Teilnehmer mit einer Quelle belegen."


@pytest.fixture(autouse=True)
def four_eyes(settings):
    # Approval by a second person before publishing is part of the way.
    settings.NEWSROOM_FOUR_EYES = True


def test_submit_send_back_fix_resubmit_approve_publish(
    live_server, page, desk_roles, console_errors
):
    rita, carla = desk_roles
    page.on("dialog", lambda dialog: dialog.accept())
    article = ArticleFactory(
        draft=True,
        created_by=rita,
        section=SectionFactory(name="Lokales", slug="lokales"),
        headline="Hunderte demonstrieren für den Radweg",
        teaser="",
    )
    form_url = live_server.url + reverse(
        "admin:articles_article_change", args=[article.pk]
    )

    # The reporter writes and submits.
    log_in(page, live_server, rita)
    page.goto(form_url)
    page.locator("#id_teaser").fill("Der Stadtrat entscheidet am Donnerstag.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich")
    take_step(page, "Zur Prüfung")
    expect(page.locator(".messagelist")).to_contain_text("Zur Prüfung")
    log_out(page)

    # The desk returns it; the reason is required.
    log_in(page, live_server, carla)
    page.goto(form_url)
    # The notes panel alone: the form around it is the edit screen's to check.
    assert axe_violations(page, within=".desk-panel") == []
    take_step(page, "Zurückgeben", reason=REASON)
    expect(page.locator(".messagelist")).to_contain_text("Zurückgeben")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    log_out(page)

    # The reporter sees why on the start page, fixes and resubmits.
    log_in(page, live_server, rita)
    page.goto(live_server.url + reverse("admin:index"))
    task = page.locator(".dashboard-list", has_text="an mich zurückgegeben")
    expect(task).to_contain_text(f"Zurückgegeben von Carla Desk: {REASON}")
    assert axe_violations(page) == []
    save_screenshot(page, "desk-workflow-dashboard")
    task.get_by_role("link", name=article.headline).click()
    page.locator("#id_teaser").fill("Laut Polizei waren es 420 Menschen.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("erfolgreich")
    page.locator("#id_notiz-text").fill("@carla Quelle ist die Polizei.")
    page.get_by_role("button", name="Notiz speichern").click()
    expect(page.locator(".desk-notes")).to_contain_text("Quelle ist die Polizei.")
    take_step(page, "Zur Prüfung")
    expect(page.locator(".messagelist")).to_contain_text("Zur Prüfung")
    page.goto(live_server.url + reverse("admin:index"))
    expect(
        page.locator(".dashboard-list", has_text="an mich zurückgegeben")
    ).to_contain_text("Nichts.")
    log_out(page)

    # The desk sees the mention, approves and publishes.
    log_in(page, live_server, carla)
    mentions = page.locator(".dashboard-list", has_text="Notizen, die mich erwähnen")
    expect(mentions).to_contain_text("Quelle ist die Polizei.")
    assert axe_violations(page) == []
    page.goto(form_url)
    take_step(page, "Freigeben")
    expect(page.locator(".messagelist")).to_contain_text("Freigeben")
    take_step(page, "Veröffentlichen")
    expect(page.locator(".messagelist")).to_contain_text("Veröffentlichen")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(article.headline)
    expect(page.locator("body")).not_to_contain_text("Quelle ist die Polizei")
    assert console_errors == []
