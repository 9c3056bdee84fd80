"""The way of a story through the desk (issue #17), in a real browser: the
reporter writes and submits, the desk returns it with a reason, the reporter
reads the reason on the start page, fixes and resubmits, the desk approves
and publishes (with four eyes on)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import (
    AXE,
    WCAG_TAGS,
    axe_violations,
    require_axe,
    save_screenshot,
)
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-passwort"
REASON = "Bitte die Zahl der Teilnehmer mit einer Quelle belegen."


def role(name: str, *codenames: str) -> Group:
    # Whether the migrations' groups are still there depends on the tests
    # before (a transactional test empties the tables): set them up here.
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
    )
    return group


@pytest.fixture
def staff(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.NEWSROOM_FOUR_EYES = True
    reporters = role(
        "Redakteur", "add_article", "change_article", "view_article", "view_section"
    )
    desk = role(
        "Chef vom Dienst",
        "add_article",
        "change_article",
        "view_article",
        "view_section",
        "approve_article",
        "publish_article",
    )
    rita = UserFactory(
        username="rita", first_name="Rita", last_name="Reporter", password=PASSWORD
    )
    rita.groups.add(reporters)
    carla = UserFactory(
        username="carla", first_name="Carla", last_name="Desk", password=PASSWORD
    )
    carla.groups.add(desk)
    return rita, carla


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("#logout-form")).to_have_count(1)


def log_out(page):
    page.locator("#logout-form button").click()
    expect(page.locator("#logout-form")).to_have_count(0)


def panel_violations(page) -> list[str]:
    """axe-core on the notes panel alone (the edit form around it is the
    edit screen's to check)."""
    require_axe()
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        "tags => axe.run('.desk-panel', {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        f"{violation['id']}: {node['target']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def take_step(page, label: str, reason: str = ""):
    """A step of the edit form's publishing panel (it saves the form first)."""
    panel = page.locator(".publishing-panel")
    if reason:
        panel.locator("summary", has_text=label).click()
        panel.get_by_label("Grund (Pflicht)").fill(reason)
    panel.get_by_role("button", name=label, exact=True).click()


def test_submit_send_back_fix_resubmit_approve_publish(
    live_server, page, staff, console_errors
):
    rita, carla = staff
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
    assert panel_violations(page) == []
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
