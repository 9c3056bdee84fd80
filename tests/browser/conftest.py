"""Real-browser checks: Debian's Chromium driven by Playwright, axe-core and
the Nu Html Checker from node_modules/ (`npm ci`), Java for the checker.

A missing tool skips these tests with the reason, and fails them under
CI=true, where `.ci/run` installs Chromium and `make test` the npm packages.
"""

import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, CorrectionNote, Section, SitePage
from articles.workflow import services
from teasers.demo import draw_demo_photo
from teasers.demo_data import SITE_PAGES
from teasers.models import SponsoredSlot
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
    RailFactory,
    RailItemFactory,
    SectionFactory,
    SponsoredSlotFactory,
    UserFactory,
)

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = REPO / "test-artifacts"
VIEWPORTS = {
    "phone": {"width": 375, "height": 812},
    "desktop": {"width": 1366, "height": 900},
}
PASSWORD = "browser-test-passwort"  # everyone's in these tests
# The reporter role as migrations 0002 and 0011 leave it.
REPORTER = [
    "view_section",
    "view_agency",
    "view_author",
    "add_article",
    "change_article",
    "view_article",
    "add_photo",
    "view_photo",
    "add_articlephoto",
    "change_articlephoto",
    "delete_articlephoto",
    "view_articlephoto",
]


def require(available: object, missing: str) -> None:
    """Skip when a tool is missing; on CI, where it must be there, fail."""
    if available:
        return
    message = f"{missing} (see README: Accessibility and browser tests)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_chromium() -> None:
    require(
        CHROMIUM.exists(),
        f"Chromium not found at {CHROMIUM}: apt-get install chromium",
    )


def require_axe() -> None:
    require(AXE.exists(), f"{AXE.relative_to(REPO)} missing: install Node.js, npm ci")


def require_vnu() -> None:
    require(VNU.exists(), f"{VNU.relative_to(REPO)} missing: install Node.js, npm ci")
    require(shutil.which("java"), "java not found: install a Java 17 runtime")


@pytest.fixture(scope="package", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop in the test thread, where
    Django refuses ORM calls unless this is set; only for these tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(allow_orm_beside_playwright):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser, console_errors):
    """A fresh browser tab at desktop size; errors in its console are kept
    (a Content-Security-Policy violation shows up there)."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="de-DE")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.on(
        "console",
        lambda message: (
            console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    yield tab
    # The test database is emptied next: no request may still be running.
    tab.wait_for_load_state("networkidle")
    context.close()


class OneRequestAtATime:
    """A WSGI application that lets one request in at a time, and a query
    wrapper that keeps the test's own queries out while a request runs.

    The lock is reentrant: the request holding it runs its own queries.
    """

    def __init__(self, application):
        self.application = application
        self.lock = threading.RLock()

    def __call__(self, environ, start_response):
        with self.lock:
            return self.application(environ, start_response)

    def query(self, execute, sql, params, many, context):
        with self.lock:
            return execute(sql, params, many, context)


@pytest.fixture
def live_server(live_server, settings):
    """pytest-django's live server; on SQLite it answers one request at a time.

    The in-memory SQLite test database lets the server's threads share the
    test's one connection, which breaks when a browser loads a page's images
    in parallel. On PostgreSQL each thread has a connection of its own.
    The test's own queries wait for the request being answered: the same
    statement run from two threads at once on one SQLite connection can come
    back empty (a live preview answered 404 while the test read its article).
    The server's port is one the site is served on (newsroom/hosts.py).
    """
    settings.NEWSROOM_ALLOWED_PORTS = [str(live_server.thread.port)]
    server = live_server.thread.httpd
    shared = live_server.thread.connections_override
    if not shared:
        yield live_server
        return
    if not isinstance(server.get_app(), OneRequestAtATime):
        server.set_app(OneRequestAtATime(server.get_app()))
    serialised = server.get_app()
    connection = shared[DEFAULT_DB_ALIAS]
    connection.execute_wrappers.append(serialised.query)
    try:
        yield live_server
    finally:
        connection.execute_wrappers.remove(serialised.query)


@pytest.fixture
def newsroom(live_server) -> "Newsroom":
    # The advertiser's page: any page on the live server will do.
    return build_newsroom(sponsored_target=f"{live_server.url}/promi-show/")


def save_screenshot(page, name: str) -> Path:
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


def axe_violations(page, within: str | None = None) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as shown, or
    only inside what the selector `within` finds (where the rest of the page
    has tests of its own).

    Injected through the DevTools protocol, so the page's own
    Content-Security-Policy stays in force.
    """
    require_axe()
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        "([within, tags]) => axe.run(within === null ? document"
        " : {include: [within]}, {runOnly: {type: 'tag', values: tags}})",
        [within, WCAG_TAGS],
    )
    return [
        f"{violation['id']} ({violation['help']}): {node['target']} "
        f"{node['failureSummary']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def validation_errors(pages: dict[str, bytes], folder: Path) -> list[str]:
    """The Nu Html Checker's errors, every page checked in one run of it
    (one JVM start)."""
    require_vnu()
    files = []
    for name, html in pages.items():
        files.append(folder / f"{name}.html")
        files[-1].write_bytes(html)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    # The report goes to stderr; exit code 1 means "errors found".
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine')}: "
        f"{message['message']} {message.get('extract', '')!r}"
        for message in messages
    ]


def render(client, url: str, status: int = 200) -> bytes:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content


# The admin's people. A transactional test empties the tables, the
# migrations' groups too: every test sets up the rights it relies on.


@pytest.fixture
def fast_passwords(settings):
    # Every log-in hashes the password: MD5 keeps that from taking seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def role(name: str, *codenames: str) -> Group:
    """The group `name` with exactly these rights on articles."""
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
    )
    return group


def user_with_rights(username: str, *codenames: str, **fields):
    """A user with these rights on articles, given directly, not by a group."""
    user = UserFactory(username=username, password=PASSWORD, **fields)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
    )
    return user


@pytest.fixture
def desk_roles(fast_passwords):
    """Rita of the reporters ("Redakteur": write, never approve or publish)
    and Carla of the desk ("Chef vom Dienst": also approve and publish)."""
    writing = ["add_article", "change_article", "view_article", "view_section"]
    reporters = role("Redakteur", *writing)
    desk = role("Chef vom Dienst", *writing, "approve_article", "publish_article")
    rita = UserFactory(
        username="rita", first_name="Rita", last_name="Reporter", password=PASSWORD
    )
    rita.groups.add(reporters)
    carla = UserFactory(
        username="carla", first_name="Carla", last_name="Desk", password=PASSWORD
    )
    carla.groups.add(desk)
    return rita, carla


@pytest.fixture
def editors(fast_passwords):
    """Anna and Ben, superusers: who may edit is not the point where these
    are used (the roles are tested in tests/articles/admin)."""
    return [
        UserFactory(
            username=name, password=PASSWORD, is_superuser=True, first_name=first
        )
        for name, first in (("anna", "Anna"), ("ben", "Ben"))
    ]


@pytest.fixture
def reporter(fast_passwords):
    """Rita with a reporter's rights on articles (migration 0009's
    "Redakteur" role): write articles, never publish."""
    return user_with_rights("rita", "add_article", "change_article", "view_article")


@pytest.fixture
def draft(reporter):
    return ArticleFactory(
        draft=True,
        created_by=reporter,
        headline="Rat beschließt neuen Radweg",
        body="",
    )


# The admin's screens.


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("#logout-form")).to_have_count(1)


def log_out(page):
    page.locator("#logout-form button").click()
    expect(page.locator("#logout-form")).to_have_count(0)


def open_form(page, live_server, article):
    """The article's edit form, once its body editor is there: the editor."""
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    editor = body_editor(page)
    expect(editor).to_be_visible()
    return editor


def body_editor(page):
    """The body editor's writing area, named "Text". Not the textarea that
    bears the same name until the editor replaces it: a locator resolved to
    it on a slow start would wait for a hidden element."""
    return page.get_by_role("textbox", name="Text").and_(
        page.locator("[contenteditable]")
    )


def both_open(browser, page, live_server, editors, article):
    """Anna (in `page`) and Ben (in a tab of his own, returned) each have the
    article's form open on the version Anna saved: the start of a conflict."""
    anna, ben = editors
    services.save_article(article, by=anna)
    services.record_revision(article, by=anna)
    ben_page = browser.new_context(viewport=VIEWPORTS["desktop"]).new_page()
    log_in(page, live_server, anna)
    log_in(ben_page, live_server, ben)
    open_form(page, live_server, article)
    open_form(ben_page, live_server, article)
    return ben_page


def save_and_continue(page):
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    page.wait_for_load_state("networkidle")


def take_step(page, label: str, reason: str = ""):
    """A step of the edit form's publishing panel (it saves the form first)."""
    panel = page.locator(".publishing-panel")
    if reason:
        panel.locator("summary", has_text=label).click()
        panel.get_by_label("Grund (Pflicht)").fill(reason)
    panel.get_by_role("button", name=label, exact=True).click()


@dataclass
class Newsroom:
    """A small site as readers see it: two sections, photos with credits,
    badges, a correction, and a sponsored teaser marked "Anzeige"."""

    city: Section
    sport: Section
    top_story: Article  # Köln, badge "Top", lead photo, authors, correction
    new_story: Article  # Sport, badge "Neu"
    updated_story: Article  # Köln, badge "Update"
    slot: SponsoredSlot


def build_newsroom(*, sponsored_target: str) -> Newsroom:
    now = timezone.now()
    # Not "region": that path is the region pages' (a reserved section slug).
    city = SectionFactory(name="Köln", slug="koeln")
    sport = SectionFactory(name="Sport", slug="sport")
    SectionFactory(name="Promi & Show", slug="promi-show")

    def photo(seed: str, **fields):
        return PhotoFactory(image=draw_demo_photo(seed), **fields)

    top_story = ArticleFactory(
        section=city,
        kicker="Unwetter am Rhein",
        headline="Hochwasser erreicht die Altstadt",
        teaser="Die Feuerwehr baut seit dem Morgen Sandsäcke auf.",
        dateline="Köln",
        body="<p>Der Pegel steigt weiter.</p><p>Die Stadt rät, Keller zu räumen.</p>",
        view_count=19467,
    )
    top_story.authors.add(
        AuthorFactory(
            name="Anna Alt",
            slug="anna-alt",
            role="Lokalredakteurin",
            bio="Schreibt seit 2010 über Köln und den Rhein.",
            links="https://anna-alt.example/",
            photo=photo("anna", alt_text="Porträt von Anna Alt"),
        )
    )
    ArticlePhotoFactory(
        article=top_story,
        photo=photo(
            "hochwasser",
            caption="Sandsäcke vor dem Rathaus.",
            alt_text="Helfer stapeln Sandsäcke vor einem Rathaus",
            credit_line="Oliver Berg/dpa",
        ),
    )
    ArticlePhotoFactory(
        article=top_story,
        position=1,
        photo=photo(
            "pegel",
            caption="Der Pegel am Morgen.",
            alt_text="Eine Pegellatte im braunen Wasser",
        ),
    )
    CorrectionNote.objects.create(
        article=top_story, text="In einer früheren Fassung stand ein falscher Pegel."
    )
    new_story = ArticleFactory(
        section=sport,
        kicker="Fußball",
        headline="Hochwasser stoppt das Derby",
        published_at=now - timedelta(minutes=30),
        view_count=2378,
    )
    ArticlePhotoFactory(
        article=new_story,
        photo=photo("derby", alt_text="Ein überfluteter Fußballplatz"),
    )
    updated_story = ArticleFactory(
        section=city,
        kicker="Verkehr",
        headline="Rheinbrücke wieder frei",
        published_at=now - timedelta(days=1),
        updated_at=now - timedelta(minutes=40),
        view_count=3964,
    )
    ArticlePhotoFactory(
        article=updated_story,
        photo=photo("bruecke", alt_text="Autos auf einer Brücke im Abendlicht"),
    )

    rail = RailFactory(title="Top-Themen", slug="top-themen", order=0)
    RailItemFactory(rail=rail, article=top_story, position=1, is_top=True)
    RailItemFactory(rail=rail, article=new_story, position=2)
    RailItemFactory(rail=rail, article=updated_story, position=3)
    slot = SponsoredSlotFactory(
        rail=rail,
        position=2,
        target_url=sponsored_target,
        photo=photo(
            "traumreise",
            caption="Traumreise",
            alt_text="Werbebild: ein Strand unter Palmen",
            creator="Traumlos Soziallotterie",
            agency=None,
        ),
    )
    more = RailFactory(title="Neueste Nachrichten", slug="neueste", order=1)
    for number in range(4):
        RailItemFactory(
            rail=more,
            position=number + 1,
            article__section=sport if number % 2 else city,
            article__kicker="Aus der Region",
            article__headline=f"Meldung Nummer {number + 1} aus dem Rheinland",
        )
    for kind, (title, body) in SITE_PAGES.items():
        SitePage.objects.create(kind=kind, title=title, body=body)
    return Newsroom(city, sport, top_story, new_story, updated_story, slot)


# Where a word is on the screen, for the mouse (as a person aims at it).
WORD_BOX = """(element, word) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const box = range.getBoundingClientRect();
    return { x: box.x, y: box.y, width: box.width, height: box.height };
  }
  return null;
}"""


def word_box(paragraph, word):
    paragraph.scroll_into_view_if_needed()
    return paragraph.evaluate(WORD_BOX, word)


def click_after(page, paragraph, word):
    """A click just inside the end of `word`: the caret after it."""
    box = word_box(paragraph, word)
    page.mouse.click(box["x"] + box["width"] - 1, box["y"] + box["height"] / 2)


def double_click(page, paragraph, word):
    """A double click on `word`: the word selected."""
    box = word_box(paragraph, word)
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
