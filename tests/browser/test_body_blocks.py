"""The body elements in a real browser.

The reporter inserts an info box and a YouTube embed with the toolbar and
the keyboard (no HTML typed), saves, reopens and edits again; an address no
provider knows is refused in the dialog. On the public page every request
is recorded: before the reader's click nothing goes to any host but the
site's, after it exactly the chosen provider's frame; "immer laden" is kept
in the browser only. The page with every element passes axe-core."""

import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from teasers.demo import DemoReport, load_body_elements_article
from teasers.demo_data import BODY_ELEMENTS_ARTICLE
from tests.browser.conftest import (
    ARTIFACTS,
    axe_violations,
    log_in,
    open_form,
    render,
    save_screenshot,
    validation_errors,
)
from tests.factories import AgencyFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_inserts_an_info_box_and_a_youtube_embed_with_the_toolbar(
    live_server,
    page,
    reporter,
    draft,
    console_errors,
):
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    toolbar = page.get_by_role("toolbar", name="Textformatierung")

    editor.click()
    page.keyboard.type("Der Rat hat entschieden.")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Info-Kasten einfügen").click()
    # The cursor is in the box's title; Enter leads to its text.
    page.keyboard.type("Gut zu wissen")
    page.keyboard.press("Enter")
    page.keyboard.type("Die Wand hält bis 11,30 Meter.")
    expect(editor.locator('div[data-block="infobox"] h3')).to_have_text("Gut zu wissen")

    # An address no provider knows: refused in the dialog, in German.
    toolbar.get_by_role("button", name="Inhalt einbetten (YouTube, X, Karte …)").click()
    dialog = page.get_by_role("dialog", name="Inhalt einbetten")
    address = dialog.get_by_label("Adresse (URL) des Inhalts")
    address.fill("https://videos.example/film/1")
    dialog.get_by_role("button", name="Einbetten").click()
    expect(dialog.get_by_role("alert")).to_contain_text(
        "Inhalte von „videos.example“ können nicht eingebettet werden."
    )
    expect(address).to_be_focused()
    address.fill("https://www.youtube.com/watch?v=jNQXAC9IVRw")
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(editor.locator(".body-embed")).to_contain_text("Einbettung: YouTube")
    save_screenshot(page, "body-blocks-editor")
    # The editor guide's picture (docs/images/body-elements-editor.png).
    editor.click()
    page.locator(".prose-editor").screenshot(
        path=ARTIFACTS / "screenshots" / "body-elements-editor.png"
    )

    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    body = Article.objects.get(pk=draft.pk).body
    assert body == (
        "<p>Der Rat hat entschieden.</p>"
        '<div data-block="infobox"><h3>Gut zu wissen</h3>'
        "<p>Die Wand hält bis 11,30 Meter.</p></div>"
        '<div data-block="embed" data-provider="youtube" data-id="jNQXAC9IVRw" '
        'data-url="https://www.youtube.com/watch?v=jNQXAC9IVRw"></div>'
    ), body

    # Reopened: both elements are back in the editor, and editable.
    editor = open_form(page, live_server, draft)
    title = editor.locator('div[data-block="infobox"] h3')
    expect(title).to_have_text("Gut zu wissen")
    expect(editor.locator(".body-embed")).to_contain_text(
        "https://www.youtube.com/watch?v=jNQXAC9IVRw"
    )
    title.click()
    page.keyboard.press("End")
    page.keyboard.type(" vor dem Hochwasser")
    # The embed: selected, the same button changes its address.
    editor.locator(".body-embed").click()
    toolbar.get_by_role("button", name="Inhalt einbetten (YouTube, X, Karte …)").click()
    dialog = page.get_by_role("dialog", name="Inhalt einbetten")
    expect(dialog.get_by_label("Adresse (URL) des Inhalts")).to_have_value(
        "https://www.youtube.com/watch?v=jNQXAC9IVRw"
    )
    dialog.get_by_label("Adresse (URL) des Inhalts").fill(
        "https://youtu.be/rC0NFSVA7M0"
    )
    dialog.get_by_role("button", name="Einbetten").click()
    expect(editor.locator(".body-embed")).to_contain_text("youtu.be/rC0NFSVA7M0")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert Article.objects.get(pk=draft.pk).body == (
        "<p>Der Rat hat entschieden.</p>"
        '<div data-block="infobox"><h3>Gut zu wissen vor dem Hochwasser</h3>'
        "<p>Die Wand hält bis 11,30 Meter.</p></div>"
        '<div data-block="embed" data-provider="youtube" data-id="rC0NFSVA7M0" '
        'data-url="https://youtu.be/rC0NFSVA7M0"></div>'
    )

    page.goto(
        live_server.url + reverse("admin:articles_article_preview", args=[draft.pk])
    )
    shown = page.locator(".article__body")
    expect(shown.get_by_role("heading", level=2)).to_have_text(
        "Gut zu wissen vor dem Hochwasser"
    )
    expect(shown.locator(".embed__provider")).to_have_text(
        "Eingebetteter Inhalt von YouTube"
    )
    assert console_errors == []


def test_quote_and_fact_list_from_the_toolbar_round_trip(
    live_server,
    page,
    reporter,
    draft,
    console_errors,
):
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    toolbar = page.get_by_role("toolbar", name="Textformatierung")
    editor.click()
    toolbar.get_by_role("button", name="Zitat mit Quelle einfügen").click()
    page.keyboard.type("Wir bauen jetzt.")
    page.keyboard.press("ArrowDown")
    page.keyboard.type("Petra Berg")
    editor.locator('figure[data-block="quote"]').click()
    page.keyboard.press("Control+End")
    toolbar.get_by_role("button", name="Faktenliste einfügen").click()
    page.keyboard.type("In Zahlen")
    page.keyboard.press("Enter")
    page.keyboard.type("1,2 Kilometer")
    page.keyboard.press("Enter")
    page.keyboard.type("20 Wochen")
    # Enter on an empty point ends the list, once more leaves the box.
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Danach.")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    stored = (
        '<figure data-block="quote"><blockquote>Wir bauen jetzt.</blockquote>'
        "<figcaption>Petra Berg</figcaption></figure>"
        '<div data-block="factlist"><h3>In Zahlen</h3><ul><li><p>1,2 Kilometer</p>'
        "</li><li><p>20 Wochen</p></li></ul></div><p>Danach.</p>"
    )
    body = Article.objects.get(pk=draft.pk).body
    assert stored in body, body
    # Reopened and saved untouched: nothing lost, nothing added.
    open_form(page, live_server, draft)
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert Article.objects.get(pk=draft.pk).body == body
    assert console_errors == []


@pytest.fixture
def demo_article():
    """The demo's article with every body element as `load_demo` makes it:
    its photos and gallery credited to dpa and AFP."""
    AgencyFactory(short_name="dpa", name="Deutsche Presse-Agentur")
    AgencyFactory(short_name="AFP", name="Agence France-Presse")
    section = SectionFactory(name="Region", slug="aus-der-region")
    return load_body_elements_article(
        now=timezone.now(),
        reset=False,
        report=DemoReport(),
        sections={"aus-der-region": section},
    )


def record_requests(page, live_server) -> list[str]:
    """Every request the page makes; other hosts get an empty page (the
    test machine has no internet, and no real provider is asked)."""
    seen = []
    own = urlsplit(live_server.url).netloc

    def answer(route):
        seen.append(route.request.url)
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            route.fulfill(
                status=200,
                content_type="text/html",
                body="<!doctype html><title>Anbieter</title><p>Inhalt</p>",
            )

    page.route("**/*", answer)
    return seen


def other_hosts(requests, live_server) -> list[str]:
    own = urlsplit(live_server.url).netloc
    return [url for url in requests if urlsplit(url).netloc != own]


def test_nothing_leaves_the_site_before_the_click_then_only_the_chosen_frame(
    live_server, page, demo_article, console_errors
):
    requests = record_requests(page, live_server)
    page.goto(live_server.url + demo_article.get_absolute_url())
    # "load": every script, style and eager picture has been fetched (the
    # first visit renders the photos' renditions). Not "networkidle": with
    # the gallery's lazy pictures Chromium sometimes never reports it.
    page.wait_for_load_state("load", timeout=90_000)
    youtube = page.locator("figure.embed[data-embed-provider='youtube']")
    x = page.locator("figure.embed[data-embed-provider='x']")
    expect(youtube).to_contain_text(
        "Beim Laden werden Daten an YouTube (Google Ireland Ltd.) übertragen"
    )
    expect(x).to_contain_text("Eingebetteter Inhalt von X")
    # The photos and the gallery are on the page, their pictures our own.
    expect(page.locator(".article__body .article__photo")).to_have_count(1)
    expect(page.locator(".article__body .gallery__item")).to_have_count(4)
    assert other_hosts(requests, live_server) == []
    assert page.locator("iframe").count() == 0
    save_screenshot(page, "body-blocks-public")
    # The editor guide's picture (docs/images/body-elements-public.jpg as
    # JPEG), with the gallery's first picture loaded (it is lazy).
    page.locator(".gallery__item img").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelector('.gallery__item img').naturalWidth > 0"
    )
    page.locator(".article__body").screenshot(
        path=ARTIFACTS / "screenshots" / "body-elements-public.png"
    )

    youtube.get_by_role("button", name="Inhalt von YouTube laden").click()
    frame = youtube.locator("iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw"
    )
    expect(frame).to_have_attribute("title", "Eingebetteter Inhalt von YouTube")
    frame.element_handle().content_frame().wait_for_load_state("load")
    # A second for anything else the click might have set off.
    page.wait_for_timeout(1000)
    assert other_hosts(requests, live_server) == [
        "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw"
    ]
    assert page.locator("iframe").count() == 1
    # Not chosen "immer laden": nothing is kept, the next visit asks again.
    assert page.evaluate("localStorage.getItem('newsroom:embeds:immer')") is None
    assert console_errors == []
    # Off the page (the fixture then waits for a quiet network, see above).
    page.goto("about:blank")


def test_always_load_is_kept_in_the_browser_only(
    live_server, page, demo_article, console_errors
):
    requests = record_requests(page, live_server)
    url = live_server.url + demo_article.get_absolute_url()
    page.goto(url)
    x = page.locator("figure.embed[data-embed-provider='x']")
    x.get_by_label("Für diesen Anbieter (X) immer laden").check()
    x.get_by_role("button", name="Inhalt von X laden").click()
    expect(x.locator("iframe")).to_have_count(1)
    assert json.loads(
        page.evaluate("localStorage.getItem('newsroom:embeds:immer')")
    ) == ["x"]

    requests.clear()
    page.reload()
    page.wait_for_load_state("networkidle")
    # X loads by itself now; YouTube still waits for its click.
    expect(x.locator("iframe")).to_have_count(1)
    expect(
        page.locator("figure.embed[data-embed-provider='youtube'] iframe")
    ).to_have_count(0)
    frames = other_hosts(requests, live_server)
    assert frames == [
        "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true&lang=de"
    ]
    # The choice never reaches the server: no cookie, no parameter.
    assert page.context.cookies() == []
    assert all("immer" not in request for request in requests)
    # And it can be taken back.
    stop = x.get_by_role("button", name="X nicht mehr automatisch laden")
    # Scrolled to first: the frames above it settle their size as they load.
    stop.scroll_into_view_if_needed()
    stop.click()
    expect(stop).to_have_count(0)
    assert page.evaluate("localStorage.getItem('newsroom:embeds:immer')") == "[]"
    assert console_errors == []


def test_without_javascript_the_placeholder_is_a_link(
    browser, live_server, demo_article
):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    requests = record_requests(page, live_server)
    page.goto(live_server.url + demo_article.get_absolute_url())
    youtube = page.locator("figure.embed[data-embed-provider='youtube']")
    expect(
        youtube.get_by_role("link", name="Inhalt bei YouTube ansehen")
    ).to_have_attribute("href", "https://www.youtube.com/watch?v=jNQXAC9IVRw")
    expect(youtube.get_by_role("button")).to_have_count(0)
    assert other_hosts(requests, live_server) == []
    context.close()


def test_the_article_page_with_every_element_passes_axe(
    live_server, page, demo_article, console_errors
):
    record_requests(page, live_server)
    page.goto(live_server.url + demo_article.get_absolute_url())
    expect(page.locator(".body-box--info")).to_have_count(1)
    expect(page.locator(".article__body .article__photo")).to_have_count(1)
    expect(page.locator(".article__body .gallery")).to_have_count(1)
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
    # And once a provider's content is loaded.
    page.locator("figure.embed[data-embed-provider='youtube']").get_by_role(
        "button"
    ).click()
    expect(page.locator("iframe")).to_have_count(1)
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
    assert console_errors == []


def test_the_article_page_with_every_element_is_valid_html(
    client, demo_article, tmp_path
):
    html = render(client, demo_article.get_absolute_url())
    assert html.count(b'class="embed ') == 2 and b"body-box--facts" in html
    assert b'class="body-quote"' in html and b"body-box--info" in html
    assert html.count(b'class="gallery__item"') == 4
    assert b"Fotos: dpa, AFP" in html
    errors = validation_errors({"article-with-elements": html}, tmp_path)
    assert errors == [], "\n".join(errors)


def test_the_editor_with_every_element_and_the_embed_dialog_pass_axe(
    live_server, page, reporter, draft, console_errors
):
    """The editor and its dialog (the rest of the form has its own test)."""
    Article.objects.filter(pk=draft.pk).update(body=BODY_ELEMENTS_ARTICLE["body"])
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    expect(editor.locator(".body-embed")).to_have_count(2)
    assert axe_violations(page, within=".prose-editor") == []
    page.get_by_role("toolbar", name="Textformatierung").get_by_role(
        "button", name="Inhalt einbetten (YouTube, X, Karte …)"
    ).click()
    expect(page.get_by_role("dialog", name="Inhalt einbetten")).to_be_visible()
    assert axe_violations(page, within=".body-blocks-dialog") == []
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert console_errors == []
