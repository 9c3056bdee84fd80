import http.server
import io
import json
import re
import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.importers.fetch import FetchError, fetch_image
from articles.importers.news import import_news
from articles.importers.runs import ImportOptions
from articles.management.commands._import_command import ProgressLine
from articles.models import Agency, AgencyVersion, Article, CategoryMapping, Photo
from articles.purging import PagePurge
from articles.workflow import services
from tests.factories import AgencyFactory, SectionFactory, UserFactory
from tests.samples import sample_path

pytestmark = pytest.mark.django_db

DW = "dpa-digitalwires"


@pytest.fixture(autouse=True)
def sections():
    SectionFactory(slug="nachrichten", name="Nachrichten")
    return SectionFactory(slug="wirtschaft", name="Wirtschaft")


def entry(name: str) -> dict:
    return json.loads(sample_path(f"{DW}/{name}").read_text())


def write(tmp_path, name: str, data) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False))
    return str(path)


def test_importing_a_sample_creates_a_draft_and_keeps_the_version():
    report = import_news([str(sample_path(f"{DW}/with_dateline.json"))])
    assert report.counts["created"] == 1 and not report.failed
    article = Article.objects.get()
    assert article.headline == "DeepSeek-Schock aus China: Zeichen für KI-Zeitenwende?"
    assert article.status == Article.Status.DRAFT
    assert (article.agency.short_name, article.agency_version) == ("dpa", 2)
    assert article.byline == "Von Andrej Sokolow, dpa"
    # The dateline is already in dpa's body: it is not printed twice.
    assert article.body_html.count("New York") == 1
    version = AgencyVersion.objects.get()
    assert version.applied and '"urn"' in version.payload


def test_importing_twice_changes_nothing():
    source = [str(sample_path(f"{DW}/with_dateline.json"))]
    import_news(source)
    article = Article.objects.get()
    report = import_news(source)
    assert report.counts["unchanged"] == 1
    article.refresh_from_db()
    assert (article.version, AgencyVersion.objects.count()) == (1, 1)


def test_a_newer_version_updates_and_an_older_one_does_not(tmp_path):
    data = entry("with_dateline.json")
    import_news([write(tmp_path, "v2.json", data)])
    newer = data | {
        "version": 3,
        "headline": "Neue Fassung",
        "version_created": "2025-01-28T10:00:00+01:00",
    }
    older = data | {
        "version": 1,
        "headline": "Alte Fassung",
        "version_created": "2025-01-28T08:00:00+01:00",
    }
    with CaptureQueriesContext(connection) as update:
        assert import_news([write(tmp_path, "v3.json", newer)]).counts["updated"] == 1
    assert import_news([write(tmp_path, "v1.json", older)]).counts["unchanged"] == 1
    article = Article.objects.get()
    assert (article.headline, article.agency_version) == ("Neue Fassung", 3)
    # Every received version is kept, written once with whether it applied.
    assert list(
        AgencyVersion.objects.order_by("version").values_list("version", "applied")
    ) == [(1, False), (2, True), (3, True)]
    writes = [
        query["sql"].split()[0]
        for query in update.captured_queries
        if '"articles_agencyversion"' in query["sql"].split(" WHERE ")[0]
        and not query["sql"].startswith("SELECT")
    ]
    assert writes == ["INSERT"]


def test_publish_option_and_the_update_badge_from_the_agency(tmp_path):
    data = entry("with_dateline.json") | {"signal": None}
    import_news([write(tmp_path, "a.json", data)], options=ImportOptions(publish=True))
    article = Article.objects.get()
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert article.updated_at is None
    update = data | {"version": 3, "signal": "sig:update"}
    import_news([write(tmp_path, "b.json", update)])
    article.refresh_from_db()
    assert article.updated_at is not None


def test_a_kill_withdraws_and_blocks_later_versions(tmp_path, client):
    data = entry("with_dateline.json")
    import_news([write(tmp_path, "a.json", data)], options=ImportOptions(publish=True))
    article = Article.objects.get()
    kill = data | {"version": 3, "pubstatus": "canceled"}
    assert import_news([write(tmp_path, "k.json", kill)]).counts["withdrawn"] == 1
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert client.get(article.get_absolute_url()).status_code == 410
    again = data | {"version": 4}
    report = import_news(
        [write(tmp_path, "again.json", again)], options=ImportOptions(publish=True)
    )
    assert report.counts["skipped"] == 1
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert AgencyVersion.objects.filter(version=4, applied=False).exists()


def test_an_embargo_keeps_the_story_hidden_until_its_time(tmp_path):
    data = entry("embargoed.json")
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    report = import_news(
        [write(tmp_path, "e.json", data | {"embargoed": future})],
        options=ImportOptions(publish=True),
    )
    assert report.counts["embargoed"] == 1
    assert not Article.objects.published().exists()
    later = timezone.now() + timedelta(hours=3)
    assert Article.objects.published(later).count() == 1
    lifted = data | {"version": data["version"] + 1, "embargoed": None}
    import_news([write(tmp_path, "l.json", lifted)])
    assert Article.objects.published().count() == 1


def test_a_local_edit_is_never_overwritten_silently(tmp_path):
    data = entry("with_dateline.json")
    import_news([write(tmp_path, "a.json", data)])
    article = Article.objects.get()
    editor = UserFactory(username="cvd", is_superuser=True)
    article.headline = "Von der Redaktion verbessert"
    services.save_article(article, by=editor)
    report = import_news([write(tmp_path, "b.json", data | {"version": 3})])
    assert report.counts["skipped"] == 1 and "lokal bearbeitet" in report.notes[0][1]
    article.refresh_from_db()
    assert article.headline == "Von der Redaktion verbessert"
    assert article.pending_agency_version == 3
    assert AgencyVersion.objects.filter(version=3, applied=False).exists()


def test_desks_map_to_sections(tmp_path, sections):
    CategoryMapping.objects.create(
        agency=AgencyFactory(short_name="dpa"), category="wi", section=sections
    )
    import_news([str(sample_path(f"{DW}/with_dateline.json"))])
    assert Article.objects.get().section == sections


def test_a_bad_item_fails_alone_and_the_command_exits_2(tmp_path):
    good = entry("with_dateline.json")
    bad = {"urn": "urn:kaputt:1", "version_created": "gestern"}
    path = write(tmp_path, "mixed.json", {"entries": [bad, good]})
    report_file = tmp_path / "report.json"
    with pytest.raises(CommandError) as error:
        call_command(
            "import_news", path, "--json-report", str(report_file), stdout=StringIO(),
            stderr=StringIO(),
        )  # fmt: skip
    assert error.value.returncode == 2
    report = json.loads(report_file.read_text())
    assert report["created"] == 1 and report["failed"] == 1
    assert report["failures"][0]["item"] == "#1"
    assert "version_created" in report["failures"][0]["reason"]


def test_a_missing_source_exits_1():
    with pytest.raises(CommandError) as error:
        call_command("import_news", "/gibt/es/nicht.json", stdout=StringIO())
    assert error.value.returncode == 1


def test_an_unreachable_url_exits_1(settings):
    settings.NEWSROOM_IMPORT_ALLOW_PRIVATE_HOSTS = True
    settings.NEWSROOM_IMPORT_TIMEOUT_SECONDS = 2
    with pytest.raises(CommandError, match=r"127\.0\.0\.1:9") as error:
        call_command("import_news", "http://127.0.0.1:9/feed.json", stdout=StringIO())
    assert error.value.returncode == 1


def test_an_empty_queue_is_no_failure(tmp_path):
    assert not import_news([write(tmp_path, "leer.json", {"entries": []})]).failed
    assert not import_news([write(tmp_path, "leer2.json", [])]).failed


def test_dry_run_writes_nothing():
    out = StringIO()
    call_command(
        "import_news", str(sample_path(f"{DW}/with_dateline.json")), "--dry-run",
        stdout=out,
    )  # fmt: skip
    assert "created 1" in out.getvalue()
    assert not Article.objects.exists()


def test_a_directory_of_mixed_formats_imports(tmp_path):
    for name in (
        "ninjs/2.1/dpa_text.json",
        "ninjs/2.1/tt_text_image_2.json",
        "nitf/pa3.xml",
        "newsml-g2/dpa/dpa-text-2022-superdesk-fixture.xml",
    ):
        (tmp_path / name.replace("/", "-")).write_bytes(sample_path(name).read_bytes())
    (tmp_path / ".hidden.json").write_text("kaputt")
    report = import_news([str(tmp_path)])  # fmt: skip
    assert (report.counts["created"], report.failed) == (4, 0), report.failures
    # No network here: TT's photo cannot be fetched, the text still comes.
    [(item, note)] = report.notes
    assert "tt.se" in item and "nicht übernommen" in note


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def image_server():
    payload = jpeg_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_photos_are_downloaded_once_with_their_credit(tmp_path, settings, image_server):
    settings.NEWSROOM_IMPORT_ALLOW_PRIVATE_HOSTS = True  # the test server is local
    data = entry("image.json")
    data["associations"][0]["renditions"][0]["url"] = f"{image_server}/bild.jpg"
    text_item = entry("with_dateline.json") | {"associations": data["associations"]}
    second = text_item | {"urn": "urn:newsml:dpa.com:20090101:250128-930-000001"}
    report = import_news([write(tmp_path, "a.json", {"entries": [text_item, second]})])
    assert report.counts["created"] == 2, report.failures
    photo = Photo.objects.get()
    assert photo.credit_line == "Steve Helber/AP/dpa"
    assert photo.alt_text.startswith("Caroline Kennedy")
    assert [a.lead_photo_use.photo for a in Article.objects.all()] == [photo, photo]


def test_private_and_non_http_addresses_are_refused(image_server):
    with pytest.raises(FetchError, match="interne Adresse"):
        fetch_image(f"{image_server}/bild.jpg")
    with pytest.raises(FetchError, match="Nur http"):
        fetch_image("file:///etc/passwd")
    with pytest.raises(FetchError, match="interne Adresse"):
        fetch_image("http://169.254.169.254/latest/meta-data")


def test_withheld_hides_until_a_usable_version_comes(tmp_path):
    data = entry("with_dateline.json")
    import_news([write(tmp_path, "a.json", data)], options=ImportOptions(publish=True))
    import_news(
        [write(tmp_path, "w.json", data | {"version": 3, "pubstatus": "withheld"})]
    )
    assert not Article.objects.published().exists()
    import_news(
        [write(tmp_path, "u.json", data | {"version": 4, "pubstatus": "usable"})]
    )
    assert Article.objects.published().count() == 1


def test_an_agency_correction_note_is_printed_at_the_end(tmp_path, client):
    data = entry("with_dateline.json")
    import_news([write(tmp_path, "a.json", data)], options=ImportOptions(publish=True))
    note = {"role": "dpaednoterole:correction", "ednote": "Name korrigiert",
            "is_publishable": True}  # fmt: skip
    correction = data | {"version": 3, "signal": "sig:correction",
                         "ednotes": [*data["ednotes"], note]}  # fmt: skip
    import_news([write(tmp_path, "c.json", correction)])
    article = Article.objects.get()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Name korrigiert" in html and article.updated_at is not None


def test_a_kill_also_kills_the_agency_photos(tmp_path, settings, image_server):
    settings.NEWSROOM_IMPORT_ALLOW_PRIVATE_HOSTS = True
    data = entry("image.json")
    data["associations"][0]["renditions"][0]["url"] = f"{image_server}/bild.jpg"
    text_item = entry("with_dateline.json") | {"associations": data["associations"]}
    import_news(
        [write(tmp_path, "a.json", text_item)], options=ImportOptions(publish=True)
    )
    kill = text_item | {"version": 3, "pubstatus": "canceled"}
    import_news([write(tmp_path, "k.json", kill)])
    photo = Photo.objects.get()
    assert photo.killed_at is not None and not photo.is_usable()


def test_photo_files_import_with_their_embedded_credit_once(tmp_path):
    inbox = tmp_path / "eingang"  # apart from MEDIA_ROOT, which is in tmp_path
    inbox.mkdir()
    for name in ("cp-canadian-press.jpg", "IPTC-PhotometadataRef-Std2023.2.jpg"):
        (inbox / name).write_bytes(sample_path(f"photos/{name}").read_bytes())
    (inbox / "kaputt.jpg").write_bytes(b"\xff\xd8 kein Bild")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_photos", str(inbox), stdout=out, stderr=err)
    assert error.value.returncode == 2
    assert "created 2" in out.getvalue() and "kaputt.jpg" in err.getvalue()
    assert all(photo.credit and photo.caption for photo in Photo.objects.all())
    again = StringIO()
    (inbox / "kaputt.jpg").unlink()
    call_command("import_photos", str(inbox), stdout=again)
    assert "unchanged 2" in again.getvalue() and Photo.objects.count() == 2


def test_a_photo_file_is_looked_up_by_its_hash_through_an_index():
    with connection.cursor() as cursor:
        table = connection.introspection.get_constraints(cursor, "articles_photo")
    assert any(
        found["index"] and found["columns"] == ["external_id"]
        for found in table.values()
    )
    if connection.vendor == "sqlite":
        # PostgreSQL's choice between indexes of a table this small says
        # nothing; SQLite's plan is fixed.
        [index] = [i for i in Photo._meta.indexes if i.fields == ["external_id"]]
        assert index.name in Photo.objects.filter(external_id="sha256:0").explain()


def test_a_dpa_notice_to_newsrooms_is_never_published():
    report = import_news(
        [str(sample_path("newsml-g2/dpa/dpa-text-2017-170629-99-48571.xml"))],
        options=ImportOptions(publish=True),
    )
    assert report.counts["created"] == 1
    assert "nicht veröffentlicht" in report.notes[0][1]
    assert not Article.objects.published().exists()


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_files_at_once_create_no_duplicates(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's in-memory test database cannot serve two writing threads; "
            "CI runs this on PostgreSQL"
        )
    SectionFactory(slug="nachrichten", name="Nachrichten")
    entries = [entry("with_dateline.json"), entry("embargoed.json"), entry("dw-1.json")]
    source = write(tmp_path, "batch.json", {"entries": entries})
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            barrier.wait()
            reports.append(import_news([source]))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Article.objects.count() == 3
    assert AgencyVersion.objects.count() == 3
    assert sum(r.counts["created"] for r in reports) == 3
    assert sum(r.counts["unchanged"] for r in reports) == 3


def test_very_long_ids_are_stored_as_a_stable_hash(tmp_path):
    data = entry("with_dateline.json") | {"urn": "urn:x:" + "a" * 400}
    import_news([write(tmp_path, "a.json", data)])
    assert import_news([write(tmp_path, "a.json", data)]).counts["unchanged"] == 1
    article = Article.objects.get()
    assert article.external_id.startswith("sha256:") and len(article.external_id) < 80


class Terminal(StringIO):
    def isatty(self):
        return True


def three_stories(tmp_path, name="drei.json") -> str:
    data = entry("with_dateline.json")
    entries = [data | {"urn": f"urn:newsml:dpa.com:drei:{n}"} for n in range(3)]
    return write(tmp_path, name, {"entries": entries})


def test_a_terminal_gets_a_progress_line_a_pipe_only_the_summary(tmp_path):
    terminal = Terminal()
    call_command("import_news", three_stories(tmp_path), stdout=terminal)
    shown = terminal.getvalue()
    assert "\rDateien 1/1 · 3 Meldungen · " in shown and "/s · 0 Fehler" in shown
    assert shown.rstrip().endswith("failed 0")
    pipe = StringIO()
    call_command("import_news", three_stories(tmp_path, "again.json"), stdout=pipe)
    assert pipe.getvalue() == (
        "created 0, updated 0, unchanged 3, withdrawn 0, embargoed 0, skipped 0, "
        "failed 0\n"
    )


def test_verbosity_2_prints_one_line_per_item_and_no_progress_line(tmp_path):
    terminal = Terminal()
    call_command("import_news", three_stories(tmp_path), verbosity=2, stdout=terminal)
    lines = terminal.getvalue().splitlines()
    assert "\r" not in terminal.getvalue()
    assert [line.split()[0] for line in lines[:3]] == ["created"] * 3
    assert "urn:newsml:dpa.com:drei:2" in lines[2]


def test_the_progress_line_counts_files_items_rate_and_failures():
    now = [0.0]
    shown = []
    line = ProgressLine(shown.append, total_files=2, clock=lambda: now[0])
    for n in range(1500):
        now[0] += 0.001
        line(
            "a.json" if n < 1000 else "b.json",
            f"#{n}",
            "failed" if n == 7 else "created",
        )
    line.finish()
    assert shown[-2] == "\rDateien 2/2 · 1.500 Meldungen · 1.000/s · 1 Fehler\x1b[K"
    assert shown[-1] == "\n"
    assert len(shown) < 20  # redrawn a few times a second, not per item


def desk_client(username: str = "cvd"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Chef vom Dienst"))
    client = Client()
    client.force_login(user)
    return user, client


def test_an_editor_sees_what_a_waiting_agency_version_would_change(tmp_path):
    data = entry("with_dateline.json")
    import_news([write(tmp_path, "a.json", data)])
    article = Article.objects.get()
    editor, client = desk_client()
    article.headline = "Von der Redaktion verbessert"
    services.save_article(article, by=editor)
    update = data | {
        "version": 3,
        "headline": "Neu <script>alert(1)</script>",
        "article_html": data["article_html"]
        + '<p onclick="steal()">Letzter Absatz</p><script>evil()</script>',
    }
    import_news([write(tmp_path, "b.json", update)])
    form = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    link = re.search(
        r'href="([^"]*/agentur-versionen/\d+/vergleich/)"', form.content.decode()
    ).group(1)
    html = client.get(link).content.decode()
    # The article now, struck out where the agency's version differs.
    assert "<del>Von der Redaktion verbessert</del>" in html
    # The agency's version as an import would store it, escaped.
    assert "<ins>Neu &lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<script>alert" not in html
    assert "<ins>Letzter Absatz</ins>" in html
    assert "steal()" not in html and "evil()" not in html  # sanitised away
    assert "Diese Version wartet" in html
    # The list of received versions links to the same comparison.
    versions = client.get(reverse("admin:articles_agencyversion_changelist"))
    assert versions.status_code == 200 and link in versions.content.decode()


def test_the_agency_diff_needs_the_right_to_read_the_article(tmp_path):
    import_news([str(sample_path(f"{DW}/with_dateline.json"))])
    article = Article.objects.get()
    version = AgencyVersion.objects.get()
    url = reverse(
        "admin:articles_article_agency_version_diff", args=[article.pk, version.pk]
    )
    outsider = Client()
    outsider.force_login(UserFactory(username="gast", is_staff=True))
    assert outsider.get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page
    _editor, client = desk_client()
    assert "Kein Unterschied im Text." in client.get(url).content.decode()
    other = reverse(
        "admin:articles_article_agency_version_diff",
        args=[article.pk + 1, version.pk],
    )
    assert client.get(other).status_code == 404


def test_a_story_that_cannot_be_published_fails_alone_in_a_bulk_batch(tmp_path):
    (tmp_path / "bild.jpg").write_bytes(jpeg_bytes())
    data = entry("with_dateline.json") | {"associations": [], "signal": None}
    stories = [data | {"urn": f"urn:newsml:dpa.com:stapel:{n}"} for n in range(3)]
    # A photo without caption gets no alt text: publishing refuses the story.
    stories[1]["associations"] = [
        {"type": "image", "urn": "urn:bild:ohne-text", "creditline": "dpa",
         "renditions": [{"url": "bild.jpg", "width": 64}]}
    ]  # fmt: skip
    report = import_news(
        [write(tmp_path, "stapel.json", stories)], options=ImportOptions(publish=True)
    )
    assert (report.counts["created"], report.failed) == (2, 1)
    [(item, reason)] = report.failures
    assert item == "urn:newsml:dpa.com:stapel:1" and "Alternativtext" in reason
    assert sorted(
        Article.objects.published().values_list("external_id", flat=True)
    ) == [
        "urn:newsml:dpa.com:stapel:0",
        "urn:newsml:dpa.com:stapel:2",
    ]
    assert AgencyVersion.objects.count() == 2


def test_a_story_twice_in_one_batch_is_created_then_updated(tmp_path):
    data = entry("with_dateline.json")
    newer = data | {"version": 3, "headline": "Dritte Fassung"}
    other = data | {"urn": "urn:newsml:dpa.com:anders:1"}
    report = import_news([write(tmp_path, "zweimal.json", [data, newer, other, data])])
    assert dict(report.counts) == {"created": 2, "updated": 1, "unchanged": 1}
    article = Article.objects.get(external_id=data["urn"])
    assert (article.headline, article.agency_version) == ("Dritte Fassung", 3)
    assert article.revisions.count() == 2
    assert AgencyVersion.objects.count() == 3


def test_an_import_batch_purges_the_page_cache_once(
    tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        report = import_news(
            [three_stories(tmp_path)], options=ImportOptions(publish=True)
        )
    assert report.counts["created"] == 3
    assert Article.objects.published().count() == 3
    assert len({c for c in callbacks if isinstance(c, PagePurge)}) == 1


def test_a_newsml_fragment_is_refused_as_an_unknown_format_writing_nothing(
    tmp_path,
):
    # An IPTC guide's listing: a bare <contentMeta>, not an item.
    fragment = sample_path(
        "newsml-g2/iptc-examples/LISTING_28_Illustrating_Located_Subject_and_Dateline.xml"
    )
    report_file = tmp_path / "report.json"
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_news", str(fragment), "--json-report", str(report_file),
            "--publish", stdout=StringIO(), stderr=err,
        )  # fmt: skip
    assert error.value.returncode == 2
    report = json.loads(report_file.read_text())
    assert (report["created"], report["failed"]) == (0, 1)
    assert report["failures"] == [
        {"item": str(fragment), "reason": "Unbekanntes Format."}
    ]
    assert f"{fragment}: Unbekanntes Format." in err.getvalue()
    assert not Article.objects.exists()
    assert not AgencyVersion.objects.exists() and not Photo.objects.exists()


def stories_of(agency: str, count: int) -> list[dict]:
    data = entry("with_dateline.json")
    categories = [c for c in data["categories"] if c["type"] != "dnltype:provider"]
    categories.append({"type": "dnltype:provider", "name": agency})
    return [
        data | {"urn": f"urn:{agency}:{n}", "categories": categories}
        for n in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_a_new_agency_takes_as_few_queries_for_60_stories_as_for_3(
    tmp_path, count_queries, django_assert_max_num_queries
):
    few = count_queries(
        lambda: import_news([write(tmp_path, "3.json", stories_of("Eins", 3))])
    )
    # Agencies; the new one: agencies again, by its name, its creation in a
    # transaction (3 on SQLite); stories stored, mappings, section; the
    # batch's transaction (2), its savepoint for the inserts (2), articles,
    # revisions, versions.
    with django_assert_max_num_queries(16) as many:
        report = import_news([write(tmp_path, "60.json", stories_of("Zwei", 60))])
    assert report.counts["created"] == 60
    assert few == len(many)
    assert Agency.objects.get(short_name="Zwei").articles.count() == 60


def test_a_batch_saves_its_new_photos_in_one_insert(
    tmp_path, count_queries, django_assert_max_num_queries
):
    (tmp_path / "bild.jpg").write_bytes(jpeg_bytes())

    def illustrated(prefix: str, count: int) -> list[dict]:
        return [
            entry("with_dateline.json")
            | {
                "urn": f"urn:{prefix}:{n}",
                "associations": [
                    {"type": "image", "urn": f"urn:bild:{prefix}:{n}",
                     "caption": "Der Rat tagt.", "creditline": "Anna Alt/dpa",
                     "renditions": [{"url": "bild.jpg", "width": 64}]}
                ],
            }
            for n in range(count)
        ]  # fmt: skip

    few = count_queries(
        lambda: import_news([write(tmp_path, "2.json", illustrated("a", 2))])
    )
    # Agencies, stories stored, mappings, section; the batch's savepoint (2),
    # the inserts' savepoint (2); articles, revisions, versions; photos
    # stored, new photos, their uses.
    with django_assert_max_num_queries(14) as many:
        report = import_news([write(tmp_path, "20.json", illustrated("b", 20))])
    assert report.counts["created"] == 20 and not report.notes
    assert few == len(many)
    assert Photo.objects.filter(external_id__startswith="urn:bild:b").count() == 20
    article = Article.objects.get(external_id="urn:b:7")
    assert article.lead_photo_use.photo.external_id == "urn:bild:b:7"


def test_each_run_reads_sections_afresh_with_the_same_options(tmp_path):
    options = ImportOptions(section="sport")
    source = [write(tmp_path, "a.json", entry("with_dateline.json"))]
    first = import_news(source, options=options)
    assert first.failures == [
        (
            "urn:newsml:dpa.com:20090101:250128-930-357319",
            "Ressort „sport“ gibt es nicht.",
        )
    ]
    sport = SectionFactory(slug="sport", name="Sport")
    assert import_news(source, options=options).counts["created"] == 1
    assert Article.objects.get().section == sport


def picture(urn: str, *, lead: bool = False) -> dict:
    """A digitalwires image association whose file lies beside the feed."""
    return {"type": "image", "urn": urn, "caption": "Der Rat tagt.",
            "creditline": "Anna Alt/dpa", "is_featureimage": lead,
            "renditions": [{"url": "bild.jpg", "width": 64}]}  # fmt: skip


def test_a_later_version_attaches_only_the_photos_the_story_lacks(tmp_path):
    (tmp_path / "bild.jpg").write_bytes(jpeg_bytes())
    data = entry("with_dateline.json") | {
        "associations": [picture("urn:bild:a", lead=True)]
    }
    import_news([write(tmp_path, "a.json", data)])
    update = data | {
        "version": 3,
        "associations": [
            picture("urn:bild:b"),
            picture("urn:bild:a", lead=True),
            picture("urn:bild:b"),
        ],
    }
    report = import_news([write(tmp_path, "b.json", update)])
    assert report.counts["updated"] == 1 and not report.notes
    uses = Article.objects.get().article_photos.order_by("position")
    assert [(use.photo.external_id, use.position) for use in uses] == [
        ("urn:bild:a", 0),
        ("urn:bild:b", 1),
    ]
    assert Photo.objects.count() == 2


def test_a_picture_sent_on_its_own_is_stored_once_and_killed_by_its_kill(tmp_path):
    (tmp_path / "bild.jpg").write_bytes(jpeg_bytes())
    data = entry("image.json")
    data["associations"][0]["renditions"] = [{"url": "bild.jpg", "width": 64}]
    assert import_news([write(tmp_path, "p.json", data)]).counts["created"] == 1
    assert import_news([write(tmp_path, "p.json", data)]).counts["unchanged"] == 1
    photo = Photo.objects.get()
    assert photo.credit_line == "Steve Helber/AP/dpa" and not photo.uses.exists()
    # The association names no terms of its own: the item's apply.
    assert photo.usage_terms == "Nutzung nur nach vertraglicher Vereinbarung"
    kill = data | {"version": data["version"] + 1, "pubstatus": "canceled"}
    assert import_news([write(tmp_path, "k.json", kill)]).counts["withdrawn"] == 1
    photo.refresh_from_db()
    assert photo.killed_at is not None
    assert not Article.objects.exists()


def test_a_story_first_seen_after_its_embargo_publishes(tmp_path):
    # dpa's sample carries an embargo of 2025-01-23 19:00, long over.
    data = entry("embargoed.json")
    report = import_news(
        [write(tmp_path, "e.json", data)], options=ImportOptions(publish=True)
    )
    assert report.counts["created"] == 1 and not report.failed
    article = Article.objects.published().get()
    # The passed time stays on the article and in its history.
    assert article.embargo_until.isoformat() == "2025-01-23T18:00:00+00:00"
    transition = article.transitions.get(to_status=Article.Status.PUBLISHED)
    assert "Sperrfrist bis 23. Januar 2025 19:00 war bei der Veröffentlichung" in (
        transition.comment
    )


def test_withheld_hides_a_locally_edited_story_at_once(
    tmp_path, client, django_capture_on_commit_callbacks
):
    data = entry("with_dateline.json")
    import_news([write(tmp_path, "a.json", data)], options=ImportOptions(publish=True))
    article = Article.objects.get()
    editor = UserFactory(username="cvd", is_superuser=True)
    article.headline = "Von der Redaktion verbessert"
    services.save_article(article, by=editor)
    assert client.get(article.get_absolute_url()).status_code == 200

    withheld = data | {"version": 3, "pubstatus": "withheld"}
    # The import purges the cached page after its commit.
    with django_capture_on_commit_callbacks(execute=True):
        report = import_news([write(tmp_path, "w.json", withheld)])
    assert "zurück" in report.notes[0][1]
    assert not Article.objects.published().exists()
    assert client.get(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    # The editor's text stays; the agency's withheld version waits.
    assert article.headline == "Von der Redaktion verbessert"
    assert article.pending_agency_version == 3

    released = data | {"version": 4, "pubstatus": "usable"}
    import_news([write(tmp_path, "u.json", released)])
    assert Article.objects.published().get().headline == "Von der Redaktion verbessert"


def test_an_agency_embargo_holds_a_locally_edited_story(tmp_path):
    data = entry("with_dateline.json")
    import_news([write(tmp_path, "a.json", data)], options=ImportOptions(publish=True))
    article = Article.objects.get()
    article.headline = "Von der Redaktion verbessert"
    services.save_article(article, by=UserFactory(is_superuser=True))
    until = timezone.now() + timedelta(hours=2)
    embargoed = data | {"version": 3, "embargoed": until.isoformat()}
    report = import_news([write(tmp_path, "e.json", embargoed)])
    assert "Sperrfrist der Agentur" in report.notes[0][1]
    assert not Article.objects.published().exists()
    assert Article.objects.published(until + timedelta(seconds=1)).get().headline == (
        "Von der Redaktion verbessert"
    )


@pytest.mark.parametrize("urgency", [1, 2, "2"])
def test_an_eil_item_becomes_breaking_news_when_published(tmp_path, urgency):
    data = entry("with_dateline.json") | {"signal": None, "urgency": urgency}
    import_news([write(tmp_path, "a.json", data)], options=ImportOptions(publish=True))
    article = Article.objects.get()
    assert article.breaking_until is not None
    assert Article.objects.breaking_news() != []


def test_a_less_urgent_or_unpublished_item_is_no_breaking_news(tmp_path):
    data = entry("with_dateline.json") | {"signal": None, "urgency": 3}
    import_news([write(tmp_path, "a.json", data)], options=ImportOptions(publish=True))
    eil = entry("with_dateline.json") | {"signal": None, "urgency": 2}
    eil["urn"] = eil["urn"] + "-eil"
    import_news([write(tmp_path, "b.json", eil)])  # not published
    assert Article.objects.count() == 2
    assert not Article.objects.filter(breaking_until__isnull=False).exists()


def test_a_newsml_g2_eil_item_becomes_breaking_news(tmp_path):
    sample = sample_path("newsml-g2/dpa/dpa-text-2017-170626-99-998860.xml")
    xml, count = re.subn(
        rb"<urgency>\d</urgency>", b"<urgency>2</urgency>", sample.read_bytes()
    )
    assert count == 1
    path = tmp_path / "eil.xml"
    path.write_bytes(xml)
    import_news([str(path)], options=ImportOptions(publish=True))
    assert Article.objects.get().breaking_until is not None


NITF_URGENCY = rb'<urgency ed-urg="\d"/>'


@pytest.mark.parametrize(
    "sample, pattern, eil",
    [
        ("nitf/NTB_nitf_sample.xml", NITF_URGENCY, b'<urgency ed-urg="2"/>'),
        ("nitf/NTB_nitf_sample.xml", NITF_URGENCY, b'<urgency ed-urg="1"/>'),
        ("ninjs/2.1/ntb_text.json", rb'"urgency": \d', b'"urgency": 2'),
    ],
)  # fmt: skip
def test_nitf_and_ninjs_eil_items_become_breaking_news(tmp_path, sample, pattern, eil):
    raw = sample_path(sample).read_bytes()
    for name, data in (("usual", raw), ("eil", re.sub(pattern, eil, raw, count=1))):
        path = tmp_path / name / Path(sample).name
        path.parent.mkdir()
        path.write_bytes(data)
        import_news([str(path)], options=ImportOptions(publish=True))
        article = Article.objects.get()
        # The sample as the agency sent it (urgency 5, or none) is no Eil.
        assert (article.breaking_until is not None) == (name == "eil"), name
        article.delete()
