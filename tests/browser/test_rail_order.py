"""A rail's fixed places, reordered in a real browser: by dragging a
teaser by its title (django-admin-sortable2) and with the keyboard ("Nach
oben" / "Nach unten"); the places themselves stay (1, 3, 5 remain 1, 3, 5),
the saved order is the front page's, and the Content-Security-Policy (no
unsafe-inline) reports nothing."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from teasers.models import Rail, RailItem
from tests.browser.conftest import PASSWORD, axe_violations, log_in
from tests.factories import ArticleFactory, RailFactory, RailItemFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def places(page) -> dict[str, str]:
    """{headline: place} as the form shows them, in the rows' order."""
    rows = page.locator("fieldset.sortable tr.has_original")
    return {
        rows.nth(i).locator("td.original p").inner_text().split(": ", 1)[1]: rows.nth(i)
        .locator("input._reorder_")
        .input_value()
        for i in range(rows.count())
    }


def front_page_order(page, live_server, headlines) -> list[str]:
    page.goto(live_server.url + "/")
    html = page.content()
    return sorted(headlines, key=html.index)


def test_fixed_places_reorder_by_drag_and_drop_and_by_keyboard(
    live_server, page, console_errors, fast_passwords
):
    desk = UserFactory(username="cvd", password=PASSWORD, is_superuser=True)
    rail = RailFactory(title="Titelthemen", kind=Rail.Kind.CURATED, size=8, order=0)
    for place, headline in ((1, "Alpha am Rhein"), (3, "Beta im Hafen"), (5, "Gamma")):
        RailItemFactory(
            rail=rail, position=place, article=ArticleFactory(headline=headline)
        )
    headlines = ["Alpha am Rhein", "Beta im Hafen", "Gamma"]
    log_in(page, live_server, desk)
    change = live_server.url + reverse("admin:teasers_rail_change", args=[rail.pk])
    page.goto(change)
    assert list(places(page).items()) == [
        ("Alpha am Rhein", "1"),
        ("Beta im Hafen", "3"),
        ("Gamma", "5"),
    ]

    # Drag "Gamma" by its title above "Alpha".
    rows = page.locator("fieldset.sortable tr.has_original")
    rows.nth(2).locator("td.original p").drag_to(rows.nth(0).locator("td.original p"))
    expect(rows.nth(0).locator("td.original p")).to_contain_text("Gamma")
    expect(rows.nth(0).locator("input._reorder_")).to_have_value("1")
    assert list(places(page).items()) == [
        ("Gamma", "1"),
        ("Alpha am Rhein", "3"),
        ("Beta im Hafen", "5"),
    ]
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    saved = dict(RailItem.objects.values_list("article__headline", "position"))
    assert saved == {"Gamma": 1, "Alpha am Rhein": 3, "Beta im Hafen": 5}
    assert front_page_order(page, live_server, headlines) == [
        "Gamma",
        "Alpha am Rhein",
        "Beta im Hafen",
    ]

    # With the keyboard: to "Beta nach oben", press Enter.
    page.goto(change)
    up = page.get_by_role("button", name="„Titelthemen: Beta im Hafen“ nach oben")
    up.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        "„Titelthemen: Beta im Hafen“ steht jetzt auf Platz 3."
    )
    # The focus stays on the button, which moved with its row.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "„Titelthemen: Beta im Hafen“ nach oben"
    )
    page.keyboard.press("Enter")  # once more: to the top
    assert list(places(page).items()) == [
        ("Beta im Hafen", "1"),
        ("Gamma", "3"),
        ("Alpha am Rhein", "5"),
    ]
    # At the top "Nach oben" leads nowhere: the focus went to "Nach unten".
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "„Titelthemen: Beta im Hafen“ nach unten"
    )
    page.keyboard.press("Enter")  # and back down one
    # The form's other widgets (the admin's select2) are not this test's.
    ours = ("rail-order", "_reorder_", "sortable")
    assert [v for v in axe_violations(page) if any(o in v for o in ours)] == []
    assert list(places(page).values()) == ["1", "3", "5"]
    assert list(places(page)) == ["Gamma", "Beta im Hafen", "Alpha am Rhein"]
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert front_page_order(page, live_server, headlines) == [
        "Gamma",
        "Beta im Hafen",
        "Alpha am Rhein",
    ]
    assert console_errors == []


def test_an_article_goes_to_the_trash_and_comes_back(
    live_server, page, console_errors, fast_passwords
):
    admin_user = UserFactory(username="admin", password=PASSWORD, is_superuser=True)
    article = ArticleFactory(headline="Stadtfest abgesagt")
    log_in(page, live_server, admin_user)
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    page.locator("a.deletelink").click()
    expect(page.locator("#content-main")).to_contain_text("kommt in den Papierkorb")
    page.get_by_role("button", name="In den Papierkorb legen").click()
    expect(page.locator(".messagelist")).to_contain_text("liegt jetzt im Papierkorb")
    assert page.goto(live_server.url + article.get_absolute_url()).status == 410
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_role("link", name="Papierkorb").click()
    expect(page.locator("table.trash")).to_contain_text("Stadtfest abgesagt")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Wiederherstellen").click()
    expect(page.locator(".messagelist")).to_contain_text("ist wiederhergestellt")
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert page.goto(live_server.url + article.get_absolute_url()).status == 200
    assert console_errors == [] or all("410" in error for error in console_errors)
