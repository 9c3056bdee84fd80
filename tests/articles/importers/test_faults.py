"""Imports that one bad item cannot stop (issue #14): an item that crashes
its parser or the database fails alone, with a reason, and the rest of its
batch and every later file still import; text is stored clean on every
database."""

import codecs
import http.server
import io
import json
import re
import threading
import time
import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from articles.importers.detect import read_items
from articles.importers.fetch import FetchError, fetch_document
from articles.importers.news import batches
from articles.models import AgencyVersion, Article, Photo
from tests.factories import SectionFactory
from tests.samples import sample_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sections():
    SectionFactory(slug="nachrichten", name="Nachrichten")


def ninjs(uri: str, **fields) -> dict:
    return {
        "uri": uri,
        "type": "text",
        "version": "1",
        "headline": f"Meldung {uri}",
        "body_html": "<p>Text</p>",
        **fields,
    }


def import_command(*sources: Path, **options) -> tuple[int, dict]:
    """Run import_news as cron does; (exit code, JSON report)."""
    report = Path(str(sources[0]) + ".report.json")
    code = 0
    try:
        call_command(
            "import_news", *map(str, sources), "--json-report", str(report),
            stdout=StringIO(), stderr=StringIO(), **options,
        )  # fmt: skip
    except CommandError as error:
        code = error.returncode
    return code, json.loads(report.read_text())


def stored_ids() -> list[str]:
    return sorted(Article.objects.values_list("external_id", flat=True))


def three_items(tmp_path: Path, bad_text: str) -> tuple[Path, Path]:
    """A file with a good item, the bad one and another good one; then a
    second file with one more."""
    first = tmp_path / "a.json"
    first.write_text(
        f"[{json.dumps(ninjs('urn:gut:1'))},{bad_text},{json.dumps(ninjs('urn:gut:2'))}]"
    )
    later = tmp_path / "b.json"
    later.write_text(json.dumps(ninjs("urn:gut:3")))
    return first, later


@pytest.mark.parametrize(
    ("bad_text", "reason"),
    [
        # Python refuses to turn more than 4,300 digits into an int.
        (
            '{"uri": "urn:zahl:1", "type": "text", "headline": "x", "version": '
            + "7" * 5000
            + "}",
            "mehr als 100 Stellen",
        ),
        (json.dumps(ninjs("urn:zahl:2", version="7" * 5000)), "keine Zahl"),
        # Before year 1 in UTC.
        (
            json.dumps(ninjs("urn:zeit:1", versioncreated="0001-01-01T00:00:00+01:00")),
            "keine gültige Zeit",
        ),
        # A NUL in an identity: refused, never changed into another one.
        (json.dumps(ninjs("urn:nul:\u0000")), "Steuerzeichen"),
    ],
    ids=["5000-digit-number", "5000-digit-version", "year-0", "nul-in-id"],
)
def test_an_item_that_crashes_its_parser_fails_alone(tmp_path, bad_text, reason):
    three_items(tmp_path, bad_text)
    code, report = import_command(tmp_path)
    assert code == 2
    assert (report["created"], report["failed"]) == (3, 1)
    [failure] = report["failures"]
    assert failure["item"] == "#2" and reason in failure["reason"]
    assert stored_ids() == ["urn:gut:1", "urn:gut:2", "urn:gut:3"]


def test_xml_nested_a_thousand_deep_fails_alone(tmp_path):
    deep = "<span>" * 1000 + "tief" + "</span>" * 1000
    items = [
        f"<item><guid>urn:rss:{n}</guid><title>Titel {n}</title>"
        f"<description>{deep if n == 2 else 'Text'}</description></item>"
        for n in (1, 2, 3)
    ]
    (tmp_path / "a.xml").write_text(
        f'<rss version="2.0"><channel><title>T</title>{"".join(items)}</channel></rss>'
    )
    (tmp_path / "b.json").write_text(json.dumps(ninjs("urn:gut:3")))
    code, report = import_command(tmp_path)
    assert code == 2
    [failure] = report["failures"]
    assert failure["item"] == "#2" and "zu tief verschachtelt" in failure["reason"]
    assert stored_ids() == ["urn:gut:3", "urn:rss:1", "urn:rss:3"]


def refusing(table: str, column: str, message: str, *, pg_events="INSERT"):
    """The database refuses a row of `table` whose `column` says VERBOTEN,
    as it would a value too long for its column (a trigger on both
    databases; SQLite's on insert only)."""
    name = f"refuse_{column}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.{column} LIKE '%VERBOTEN%' THEN "
                f"RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END; "
                "$$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE {pg_events} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "
                f"WHEN NEW.{column} LIKE '%VERBOTEN%' "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {name} ON {table}")
            cursor.execute(f"DROP FUNCTION {name}()")
        else:
            cursor.execute(f"DROP TRIGGER {name}")


@pytest.fixture
def refusing_database():
    """The database refuses any article whose headline says VERBOTEN."""
    yield from refusing(
        "articles_article",
        "headline",
        "Überschrift abgelehnt",
        pg_events="INSERT OR UPDATE",
    )


def test_a_value_the_database_refuses_fails_alone(tmp_path, refusing_database):
    bad = json.dumps(ninjs("urn:db:1", headline="VERBOTEN"))
    three_items(tmp_path, bad)
    code, report = import_command(tmp_path)
    assert code == 2
    [failure] = report["failures"]
    assert failure["item"] == "urn:db:1"
    assert "Datenbank hat die Meldung abgelehnt" in failure["reason"]
    assert "Überschrift abgelehnt" in failure["reason"]
    assert stored_ids() == ["urn:gut:1", "urn:gut:2", "urn:gut:3"]


def test_a_nul_in_any_text_field_is_stored_clean_on_every_database(tmp_path):
    dirty = "Bund\u0000es\u0007tag\u009b"
    item = ninjs(
        "urn:nul:text",
        headline=dirty,
        body_html=f"<p>{dirty}</p>",
        description_text=dirty,
        by=dirty,
        located=dirty,
        ednote=dirty,
        subjects=[{"name": dirty}],
        associations={
            "featureimage": {
                "uri": "urn:bild:1",
                "type": "picture",
                "description_text": dirty,
                "by": dirty,
                "renditions": {"x": {"href": "fehlt.jpg"}},
            }
        },
    )
    bad = json.dumps(item)
    three_items(tmp_path, bad)
    code, report = import_command(tmp_path)
    assert code == 0, report["failures"]
    article = Article.objects.get(external_id="urn:nul:text")
    assert (article.headline, article.teaser, article.byline, article.dateline) == (
        "Bundestag",
        "Bundestag",
        "Bundestag",
        "Bundestag",
    )
    assert article.body_html == "<p>Bundestag</p>"
    # The parsed fields kept with the version (JSON on PostgreSQL) too.
    fields = AgencyVersion.objects.get(article=article).fields
    assert fields["internal_notes"] == ["Bundestag"]
    assert fields["categories"] == ["Bundestag"]
    assert fields["photos"][0]["caption"] == "Bundestag"
    assert not Photo.objects.exists()  # the picture file is missing


@pytest.fixture
def dripping_server():
    """A server that answers one byte a second for a while, in its headers
    or its body, then the rest at once."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(ninjs("urn:tropf:1")).encode()
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            response = head + body
            # Six bytes a second from the start of the headers or the body.
            start = 0 if "kopf" in self.path else len(head)
            try:
                self.wfile.write(response[:start])
                for byte in response[start : start + 6]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(1)
                self.wfile.write(response[start + 6 :])
            except OSError:
                pass  # cut off by the client

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize("where", ["kopf", "inhalt"])
def test_a_download_is_cut_off_at_its_deadline(settings, dripping_server, where):
    settings.NEWSROOM_IMPORT_ALLOW_PRIVATE_HOSTS = True  # the test server is local
    settings.NEWSROOM_IMPORT_TIMEOUT_SECONDS = 5  # longer than a byte takes
    settings.NEWSROOM_IMPORT_DOWNLOAD_DEADLINE_SECONDS = 2
    with pytest.raises(FetchError) as error:
        fetch_document(f"{dripping_server}/{where}.json")
    assert "nach 2 Sekunden abgebrochen" in str(error.value)
    assert "NEWSROOM_IMPORT_DOWNLOAD_DEADLINE_SECONDS" in str(error.value)


def test_a_feed_url_past_its_deadline_stops_the_command(settings, dripping_server):
    settings.NEWSROOM_IMPORT_ALLOW_PRIVATE_HOSTS = True
    settings.NEWSROOM_IMPORT_DOWNLOAD_DEADLINE_SECONDS = 2
    with pytest.raises(CommandError, match="nach 2 Sekunden abgebrochen") as error:
        call_command("import_news", f"{dripping_server}/inhalt.json", stdout=StringIO())
    assert error.value.returncode == 1
    assert not Article.objects.exists()


def reencoded(path: Path, encoding: str, *, bom: bytes = b"") -> bytes:
    """An agency sample as another encoding, its declaration saying so."""
    raw = path.read_bytes()
    declared = re.search(rb'encoding="([^"]+)"', raw[:100])[1].decode()
    text = raw.decode(declared).replace(declared, encoding.upper(), 1)
    return bom + text.encode(encoding)


def rss(encoding: str) -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>T</title><item><guid>urn:rss:ü:{encoding}</guid>"
        "<title>Grüße aus Köln</title><description>Text</description></item>"
        "</channel></rss>"
    )


def test_utf_16_and_utf_32_xml_imports(tmp_path):
    files = {
        # With a byte order mark, or only the declaration telling.
        "nitf-utf16le-bom.xml": reencoded(
            sample_path("nitf/pa3.xml"), "utf-16-le", bom=codecs.BOM_UTF16_LE
        ),
        "newsml-utf32be-bom.xml": reencoded(
            sample_path("newsml-g2/dpa/dpa-text-2022-superdesk-fixture.xml"),
            "utf-32-be",
            bom=codecs.BOM_UTF32_BE,
        ),
        "rss-utf16be.xml": rss("UTF-16").encode("utf-16-be"),
        "rss-utf32le.xml": rss("UTF-32").encode("utf-32-le"),
        "rss-cp1252.xml": rss("windows-1252").encode("cp1252"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    code, report = import_command(tmp_path)
    assert (code, report["failures"]) == (0, [])
    assert report["created"] == 5
    headlines = set(Article.objects.values_list("headline", flat=True))
    assert "Grüße aus Köln" in headlines
    assert stored_ids()[-3:] == [
        "urn:rss:ü:UTF-16",
        "urn:rss:ü:UTF-32",
        "urn:rss:ü:windows-1252",
    ]


@pytest.mark.parametrize(
    ("declaration", "reason"),
    [
        ("EBCDIC-xyz", "Die Zeichenkodierung „EBCDIC-xyz“ ist unbekannt."),
        ("UTF-7", "Die Zeichenkodierung „UTF-7“ wird nicht angenommen."),
        ("zlib", "Die Zeichenkodierung „zlib“ wird nicht angenommen."),
    ],
)
def test_an_encoding_that_is_refused_is_named(tmp_path, declaration, reason):
    (tmp_path / "a.xml").write_text(rss(declaration), encoding="latin-1")
    (tmp_path / "b.json").write_text(json.dumps(ninjs("urn:gut:3")))
    code, report = import_command(tmp_path)
    assert code == 2
    [failure] = report["failures"]
    assert failure["item"].endswith("a.xml") and failure["reason"] == reason
    assert stored_ids() == ["urn:gut:3"]


def test_a_report_keeps_counts_and_only_the_first_failures(tmp_path, settings):
    settings.NEWSROOM_IMPORT_REPORT_MAX_FAILURES = 10
    broken = ",".join('{"uri": "", "type": "text"}' for _n in range(2000))
    (tmp_path / "a.json").write_text(f"[{json.dumps(ninjs('urn:gut:1'))},{broken}]")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_news", str(tmp_path / "a.json"), "--json-report",
            str(tmp_path / "r.json"), stdout=out, stderr=err,
        )  # fmt: skip
    assert error.value.returncode == 2
    report = json.loads((tmp_path / "r.json").read_text())
    assert (report["created"], report["failed"]) == (1, 2000)
    assert len(report["failures"]) == 10 and report["failures_omitted"] == 1990
    assert [f["item"] for f in report["failures"]] == [f"#{n}" for n in range(2, 12)]
    assert "… und 1990 weitere Fehler" in err.getvalue()
    assert err.getvalue().count("ohne „uri“") == 10


def test_a_multi_gigabyte_photo_next_to_a_feed_is_refused_unread(tmp_path):
    huge = tmp_path / "riesig.jpg"
    with huge.open("wb") as file:
        file.truncate(3 * 1000**3)  # sparse: no disk, no time
    item = ninjs(
        "urn:mit:bild",
        associations={
            "featureimage": {
                "uri": "urn:bild:riesig",
                "type": "picture",
                "renditions": {"x": {"href": "riesig.jpg"}},
            }
        },
    )
    (tmp_path / "a.json").write_text(json.dumps(item))
    tracemalloc.start()
    try:
        code, report = import_command(tmp_path / "a.json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 0 and report["created"] == 1
    [note] = report["notes"]
    assert "Die Datei ist 3000.0 MB groß; erlaubt sind höchstens 25 MB." in note["note"]
    assert peak < 50 * 1000**2
    assert not Photo.objects.exists()


def test_a_multi_gigabyte_photo_file_is_refused_unread(tmp_path):
    huge = tmp_path / "riesig.jpg"
    with huge.open("wb") as file:
        file.truncate(3 * 1000**3)
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_photos", str(huge), stdout=out, stderr=out)
    assert error.value.returncode == 2
    assert "Die Datei ist 3000.0 MB groß" in out.getvalue()


def test_huge_content_between_items_is_refused_in_bounded_memory(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 5 * 1000**2
    item = "<item><guid>urn:rss:{n}</guid><title>Titel {n}</title></item>"
    feed = tmp_path / "a.xml"
    with feed.open("w") as file:
        file.write('<rss version="2.0"><channel><title>T</title>')
        file.write(item.format(n=1))
        # 200 MB of text in an element that is no item, written in chunks.
        file.write("<description>")
        for _chunk in range(200):
            file.write("x" * 1000**2)
        file.write("</description>")
        file.write(item.format(n=2))
        file.write("</channel></rss>")
    (tmp_path / "b.json").write_text(json.dumps(ninjs("urn:gut:3")))
    tracemalloc.start()
    try:
        code, report = import_command(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2
    [failure] = report["failures"]
    assert failure["item"] == str(feed)
    assert failure["reason"].startswith(
        "Zwischen den Meldungen stehen mehr als 5000000 Bytes am Stück"
    )
    # The item before it and the later file are imported.
    assert stored_ids() == ["urn:gut:3", "urn:rss:1"]
    assert peak < 60 * 1000**2


def test_a_batch_of_large_items_holds_about_one_item_limit(settings):
    items = [
        ninjs(f"urn:gross:{n}", body_html="<p>" + "x" * 3000 + "</p>")
        for n in range(10)
    ]
    _format, raw_items = read_items(io.BytesIO(json.dumps(items).encode()))
    sizes = [len(batch) for batch in batches(raw_items, 100, budget=10_000)]
    # Each item is about 3,100 bytes: a fourth would pass the budget.
    assert sizes == [3, 3, 3, 1]


def with_picture(uri: str, picture: str, **fields) -> dict:
    return ninjs(
        uri,
        associations={
            "featureimage": {
                "uri": f"urn:bild:{uri}",
                "type": "picture",
                "description_text": fields.pop("caption", "Ein Bild."),
                "by": "Foto: dpa",
                "renditions": {"x": {"href": picture}},
            }
        },
        **fields,
    )


def stored_files(media_root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(media_root))
        for path in media_root.rglob("*")
        if path.is_file()
    )


@pytest.fixture
def refusing_captions():
    """The database refuses a photo use captioned VERBOTEN, after the photo
    itself (and its file) has been written."""
    yield from refusing(
        "articles_articlephoto", "caption", "Bildunterschrift abgelehnt"
    )


def write_jpeg(path: Path, colour: str) -> None:
    Image.new("RGB", (64, 48), colour).save(path, "JPEG")


def test_a_failed_item_leaves_no_photo_file(tmp_path, media_root, refusing_captions):
    write_jpeg(tmp_path / "gut.jpg", "teal")
    write_jpeg(tmp_path / "schlecht.jpg", "red")
    items = [
        with_picture("urn:gut:1", "gut.jpg"),
        with_picture("urn:schlecht:1", "schlecht.jpg", caption="VERBOTEN"),
    ]
    (tmp_path / "a.json").write_text(json.dumps(items))
    code, report = import_command(tmp_path / "a.json")
    assert code == 2
    [failure] = report["failures"]
    assert failure["item"] == "urn:schlecht:1"
    assert "Bildunterschrift abgelehnt" in failure["reason"]
    # The batch's bulk insert wrote both pictures, then rolled back; one by
    # one, the bad item wrote its picture again and rolled back: only the
    # good item's file is left.
    [photo] = Photo.objects.all()
    assert stored_files(media_root) == [photo.image.name]


def test_a_dry_run_leaves_no_photo_file(tmp_path, media_root):
    write_jpeg(tmp_path / "gut.jpg", "teal")
    (tmp_path / "a.json").write_text(json.dumps(with_picture("urn:gut:1", "gut.jpg")))
    code, report = import_command(tmp_path / "a.json", dry_run=True)
    assert (code, report["created"]) == (0, 1)
    assert not Photo.objects.exists() and stored_files(media_root) == []
    call_command(
        "import_photos", str(tmp_path / "gut.jpg"), "--dry-run", stdout=StringIO()
    )
    assert not Photo.objects.exists() and stored_files(media_root) == []


def rss_items(*descriptions: str) -> str:
    items = "".join(
        f"<item><guid>urn:rss:{n}</guid><title>Titel {n}</title>"
        f"<description>{description}</description></item>"
        for n, description in enumerate(descriptions, start=1)
    )
    return f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'


def test_an_xml_item_of_too_many_elements_fails_alone(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_XML_ELEMENTS = 1000
    (tmp_path / "a.xml").write_text(rss_items("Text", "<b/>" * 5000, "Text"))
    code, report = import_command(tmp_path / "a.xml")
    assert code == 2
    [failure] = report["failures"]
    assert failure == {
        "item": "#2",
        "reason": "Der Eintrag hat mehr als 1000 XML-Elemente "
        "(NEWSROOM_IMPORT_MAX_XML_ELEMENTS).",
    }
    assert stored_ids() == ["urn:rss:1", "urn:rss:3"]


def test_xml_nested_past_the_parsers_depth_stops_its_file(tmp_path):
    deep = "<span>" * 20_000 + "</span>" * 20_000
    (tmp_path / "a.xml").write_text(rss_items("Text", deep, "Text"))
    (tmp_path / "b.json").write_text(json.dumps(ninjs("urn:gut:3")))
    code, report = import_command(tmp_path)
    assert code == 2
    [failure] = report["failures"]
    assert failure["item"].endswith("a.xml")
    assert failure["reason"].startswith(
        "Das XML ist tiefer als 10000 Ebenen verschachtelt"
    )
    assert stored_ids() == ["urn:gut:3", "urn:rss:1"]
