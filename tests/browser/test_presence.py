"""The edit form's "who else has this open" ping comes only from forms the
user may save: a read-only form sends none, so the server never refuses
one (no 403s, no tracebacks in the log)."""

import logging

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, log_in
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pings_while_open(page, live_server, article) -> list[str]:
    """Open the edit form, let its 30-second timer run twice, leave it."""
    pings = []
    page.on(
        "request",
        lambda request: (
            pings.append(request.method) if "/bearbeitung/" in request.url else None
        ),
    )
    page.clock.install()
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    expect(page.locator("#article_form")).to_have_count(1)
    page.clock.run_for(61_000)
    page.wait_for_load_state("networkidle")
    page.goto(live_server.url + reverse("admin:index"))  # pagehide: "closing"
    page.wait_for_load_state("networkidle")
    return pings


def test_a_read_only_form_sends_no_presence_pings(
    live_server, page, fast_passwords, caplog
):
    reader = UserFactory(username="leserin", password=PASSWORD)
    reader.user_permissions.add(
        Permission.objects.get(
            codename="view_article", content_type__app_label="articles"
        )
    )
    article = ArticleFactory(headline="Nur zum Lesen")
    log_in(page, live_server, reader)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        pings = pings_while_open(page, live_server, article)
    assert pings == []
    assert not [r for r in caplog.records if "bearbeitung" in r.getMessage()]


def test_an_editable_form_keeps_pinging(live_server, page, fast_passwords):
    editor = UserFactory(username="chefin", password=PASSWORD, is_superuser=True)
    article = ArticleFactory(headline="Zum Bearbeiten")
    log_in(page, live_server, editor)
    assert pings_while_open(page, live_server, article)[:2] == ["POST", "POST"]
