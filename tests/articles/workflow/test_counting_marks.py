"""VG Wort counting marks: reading the CSV, one mark per eligible text on its
first publication, never reused, the pixel on the page, the admin report."""

import csv
import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, CountingMark
from articles.workflow import counting_marks
from articles.workflow.services import (
    publish_article,
    unpublish_article,
    withdraw_article,
)
from tests.articles.admin.staff import client_for, user_in
from tests.factories import AgencyFactory, ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

HOST = "vg08.met.vgwort.de"
LONG_BODY = "<p>" + "Der Stadtrat hat am Abend lange beraten. " * 50 + "</p>"


def ids(n: int) -> tuple[str, str]:
    return f"{n:032x}", f"{n + 1000:032x}"[::-1]


def metis_csv(*numbers, host=HOST, bom=True, delimiter=";") -> bytes:
    """A CSV as METIS issues it: a title, a blank line, the header, rows
    with the whole pixel tag."""
    out = io.StringIO()
    out.write("Zählmarken für Verlag Musterstadt\n\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(
        [
            "Öffentlicher Identifikationscode",
            "Privater Identifikationscode",
            "Zählmarke für HTML Texte",
        ]
    )
    for number in numbers:
        public, private = ids(number)
        pixel = f'<img src="https://{host}/na/{public}" width="1" height="1" alt="">'
        writer.writerow([public, private, pixel])
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


@pytest.fixture(autouse=True)
def vg_wort_host(settings):
    settings.NEWSROOM_VG_WORT_HOST = HOST
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": [*settings.SECURE_CSP["img-src"], f"https://{HOST}"],
    }


@pytest.fixture
def marks():
    counting_marks.import_marks(metis_csv(1, 2, 3))
    return list(CountingMark.objects.order_by("id"))


def own_draft(**fields):
    return ArticleFactory(draft=True, body=LONG_BODY, **fields)


# Reading the CSV ------------------------------------------------------------


def test_import_reads_every_mark_with_its_host():
    result = counting_marks.import_marks(metis_csv(1, 2))
    assert (result.created, result.known, result.failures) == (2, 0, [])
    stored = CountingMark.objects.order_by("id")
    assert [(m.public_id, m.private_id, m.host) for m in stored] == [
        (*ids(1), HOST),
        (*ids(2), HOST),
    ]
    assert all(mark.assigned_at is None for mark in stored)


def test_reading_the_same_file_twice_changes_nothing():
    counting_marks.import_marks(metis_csv(1, 2))
    again = counting_marks.import_marks(metis_csv(1, 2))
    assert (again.created, again.known, again.failures) == (0, 2, [])
    assert CountingMark.objects.count() == 2


def test_windows_1252_and_commas_without_the_pixel_column():
    public, private = ids(7)
    data = (
        "Öffentlicher Identifikationscode,Privater Identifikationscode\n"
        f"{public.upper()},{private.upper()}\n"
    ).encode("cp1252")
    result = counting_marks.import_marks(data)
    assert result.failures == []
    mark = CountingMark.objects.get()
    # Identifiers are stored lower case; the server is the configured one.
    assert (mark.public_id, mark.private_id, mark.host) == (public, private, HOST)


def test_a_bad_row_is_named_and_the_others_are_read():
    good = metis_csv(1, 2).decode("utf-8-sig")
    lines = good.splitlines()
    lines.insert(4, "1234;abcd;")  # after the header and the first mark
    result = counting_marks.import_marks("\n".join(lines).encode())
    assert result.created == 2
    assert len(result.failures) == 1
    assert "Zeile 5" in result.failures[0]
    assert "„1234“ ist keine 32-stellige Hexadezimalzahl" in result.failures[0]


def test_marks_of_another_counting_server_are_refused():
    result = counting_marks.import_marks(metis_csv(1, host="vg02.met.vgwort.de"))
    assert result.created == 0
    assert "vg02.met.vgwort.de" in result.failures[0]
    assert HOST in result.failures[0]


def test_a_pixel_that_contradicts_the_public_identifier_is_refused():
    public, private = ids(1)
    other, _ = ids(2)
    data = (
        "Öffentlicher Identifikationscode;Privater Identifikationscode;"
        "Zählmarke für HTML Texte\n"
        f'{public};{private};<img src="https://{HOST}/na/{other}">\n'
    ).encode()
    result = counting_marks.import_marks(data)
    assert result.created == 0
    assert "passt nicht" in result.failures[0]


def test_a_known_public_identifier_with_another_private_one_is_refused():
    counting_marks.import_marks(metis_csv(1))
    public, _ = ids(1)
    data = (
        "Öffentlicher Identifikationscode;Privater Identifikationscode\n"
        f"{public};{'f' * 32}\n"
    ).encode()
    result = counting_marks.import_marks(data)
    assert "anderen privaten Identifikationscode" in result.failures[0]
    assert CountingMark.objects.get().private_id == ids(1)[1]


def test_a_file_without_the_header_is_not_a_mark_list():
    result = counting_marks.import_marks(b"Name;Adresse\nA;B\n")
    assert result.created == 0
    assert "Kopfzeile" in result.failures[0]


def test_nothing_is_read_without_a_configured_counting_server(settings):
    settings.NEWSROOM_VG_WORT_HOST = ""
    result = counting_marks.import_marks(metis_csv(1))
    assert "NEWSROOM_VG_WORT_HOST" in result.failures[0]
    assert not CountingMark.objects.exists()


# Handing out marks ----------------------------------------------------------


def test_first_publication_gives_the_oldest_free_mark(marks):
    article = own_draft()
    publish_article(article, by=None)
    mark = CountingMark.objects.get(article=article)
    assert mark == marks[0]
    assert mark.assigned_at is not None


def test_two_articles_get_two_marks(marks):
    first, second = own_draft(), own_draft()
    publish_article(first, by=None)
    publish_article(second, by=None)
    assert first.counting_mark != second.counting_mark


def test_short_texts_and_agency_copy_get_no_mark(marks, settings):
    short = ArticleFactory(draft=True, body="<p>Kurz.</p>")
    agency = own_draft(agency=AgencyFactory())
    publish_article(short, by=None)
    publish_article(agency, by=None)
    assert not CountingMark.objects.assigned().exists()


def test_the_threshold_counts_teaser_and_body_as_readers_see_them(settings):
    article = ArticleFactory.build(teaser="Vorspann", body="<p>Text &amp; mehr</p>")
    assert counting_marks.text_length(article) == len("Vorspann Text & mehr")
    settings.NEWSROOM_VG_WORT_MIN_CHARS = len("Vorspann Text & mehr")
    assert counting_marks.is_eligible(article)
    settings.NEWSROOM_VG_WORT_MIN_CHARS += 1
    assert not counting_marks.is_eligible(article)


def test_republishing_keeps_the_mark_and_withdrawal_keeps_it_too(marks):
    article = own_draft()
    publish_article(article, by=None)
    first = CountingMark.objects.get(article=article)
    unpublish_article(article, by=None)
    publish_article(Article.objects.get(pk=article.pk), by=None)
    withdraw_article(Article.objects.get(pk=article.pk), by=None, reason="Falsch")
    assert CountingMark.objects.get(article=article) == first
    assert CountingMark.objects.assigned().count() == 1


def test_a_deleted_articles_mark_is_never_handed_out_again(marks):
    article = own_draft()
    publish_article(article, by=None)
    used = CountingMark.objects.get(article=article)
    Article.objects.filter(pk=article.pk).delete()
    used.refresh_from_db()
    assert used.article is None and used.assigned_at is not None
    later = own_draft()
    publish_article(later, by=None)
    assert later.counting_mark != used


def test_without_a_free_mark_the_article_is_published_and_a_warning_says_so(
    caplog,
):
    article = own_draft()
    with caplog.at_level(logging.WARNING, logger="articles.workflow.counting_marks"):
        publish_article(article, by=None)
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert "No free VG Wort counting mark" in caplog.text


def test_the_command_reads_marks_and_assigns_missed_ones(tmp_path):
    missed = own_draft()
    publish_article(missed, by=None)  # no mark free yet
    path = tmp_path / "marken.csv"
    path.write_bytes(metis_csv(1, 2))
    since = timezone.localdate().isoformat()
    out = io.StringIO()
    call_command(
        "import_counting_marks", str(path), "--assign-missing-since", since, stdout=out
    )
    assert "2 mark(s) imported" in out.getvalue()
    assert "1 article(s) got a mark." in out.getvalue()
    assert CountingMark.objects.get(article=missed).public_id == ids(1)[0]


def test_the_command_exits_2_on_bad_rows_after_reading_the_good_ones(tmp_path):
    path = tmp_path / "marken.csv"
    path.write_bytes(metis_csv(1) + b"zu;kurz;\n")
    with pytest.raises(CommandError) as failed:
        call_command("import_counting_marks", str(path), stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip
    assert failed.value.returncode == 2
    assert CountingMark.objects.count() == 1


# The pixel on the page ------------------------------------------------------


def test_the_article_page_carries_the_pixel_never_the_private_identifier(client, marks):
    article = own_draft()
    publish_article(article, by=None)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    mark = CountingMark.objects.get(article=article)
    assert f'src="https://{HOST}/na/{mark.public_id}"' in html
    assert mark.private_id not in html
    assert f"https://{HOST}" in response["Content-Security-Policy"]


def test_the_pixel_costs_no_query(client, marks, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    article, plain = own_draft(), own_draft()
    publish_article(article, by=None)
    publish_article(plain, by=None)
    CountingMark.objects.filter(article=plain).update(article=None)
    counts = []
    for page in (plain, article, plain, article):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    # Warm (the second round): the page with the pixel costs what one
    # without costs.
    assert counts[3] == counts[2]


def test_no_pixel_without_a_configured_server(client, marks, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    article = own_draft()
    publish_article(article, by=None)
    assert "counting-pixel" in client.get(article.get_absolute_url()).text
    settings.NEWSROOM_VG_WORT_HOST = ""
    assert "counting-pixel" not in client.get(article.get_absolute_url()).text


def test_the_csp_allows_exactly_the_configured_server():
    from tests.test_settings import manage

    script = "from django.conf import settings; print(settings.SECURE_CSP['img-src'])"
    with_host = manage(
        "shell", "-c", script, NEWSROOM_VG_WORT_HOST="VG08.met.vgwort.de"
    )
    without = manage("shell", "-c", script)
    assert "'https://vg08.met.vgwort.de'" in with_host.stdout
    assert "vgwort" not in without.stdout


# The admin report -----------------------------------------------------------


@pytest.fixture
def desk():
    return user_in("Chef vom Dienst", "cvd")


def test_the_report_lists_article_authors_and_date(desk, marks):
    article = own_draft(headline="Rheinbrücke wird saniert")
    article.authors.add(AuthorFactory(name="Petra Schmitz"))
    publish_article(article, by=None)
    html = client_for(desk).get(reverse("admin:articles_countingmark_changelist")).text
    assert "Rheinbrücke wird saniert" in html
    assert "Petra Schmitz" in html
    assert "Noch 2 freie Zählmarken." in html


def test_the_report_costs_the_same_for_many_marks(desk, django_assert_max_num_queries):
    counting_marks.import_marks(metis_csv(*range(1, 61)))
    for _ in range(30):
        article = own_draft()
        article.authors.add(AuthorFactory(), AuthorFactory())
        publish_article(article, by=None)
    client = client_for(desk)
    with django_assert_max_num_queries(12):
        assert (
            client.get(reverse("admin:articles_countingmark_changelist")).status_code
            == 200
        )


def test_the_export_is_the_metis_notification(desk, marks):
    article = own_draft(headline="Rheinbrücke wird saniert")
    article.authors.add(AuthorFactory(name="Petra Schmitz"))
    publish_article(article, by=None)
    response = client_for(desk).post(
        reverse("admin:articles_countingmark_changelist"),
        {"action": "export_report", "select_across": "1", "index": "0",
         "_selected_action": [marks[0].pk]},
    )  # fmt: skip
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0] == list(counting_marks.REPORT_COLUMNS)
    assert len(rows) == 2  # only the assigned mark
    private, public, title, url, authors, length, day = rows[1]
    assert (private, public) == (marks[0].private_id, marks[0].public_id)
    assert title == "Rheinbrücke wird saniert"
    assert url == f"http://testserver{article.get_absolute_url()}"
    assert authors == "Petra Schmitz"
    assert int(length) >= 1800
    assert day == timezone.localdate().strftime("%d.%m.%Y")


def test_the_desk_reads_in_marks_in_the_admin(desk):
    upload = io.BytesIO(metis_csv(1, 2))
    upload.name = "marken.csv"
    response = client_for(desk).post(
        reverse("admin:articles_countingmark_import"), {"file": upload}, follow=True
    )
    assert "2 Zählmarken neu eingelesen" in response.text
    assert CountingMark.objects.count() == 2


def test_bad_rows_are_shown_in_german_on_the_upload_page(desk):
    upload = io.BytesIO(metis_csv(1) + b"zu;kurz;\n")
    upload.name = "marken.csv"
    response = client_for(desk).post(
        reverse("admin:articles_countingmark_import"), {"file": upload}, follow=True
    )
    assert "ist keine 32-stellige Hexadezimalzahl" in response.text
    assert CountingMark.objects.count() == 1


@pytest.mark.parametrize("role", ["Redakteur", "Bildredaktion", "Anzeigen"])
def test_other_roles_neither_see_the_report_nor_read_in_marks(role):
    client = client_for(user_in(role, "jemand"))
    assert (
        client.get(reverse("admin:articles_countingmark_changelist")).status_code == 403
    )
    upload = io.BytesIO(metis_csv(1))
    upload.name = "marken.csv"
    response = client.post(
        reverse("admin:articles_countingmark_import"), {"file": upload}
    )
    assert response.status_code == 403
    assert not CountingMark.objects.exists()


def test_marks_cannot_be_changed_or_deleted_in_the_admin(desk, marks):
    client = client_for(desk)
    change = reverse("admin:articles_countingmark_change", args=[marks[0].pk])
    delete = reverse("admin:articles_countingmark_delete", args=[marks[0].pk])
    client.post(change, {"public_id": "0" * 32})
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert CountingMark.objects.get(pk=marks[0].pk).public_id == marks[0].public_id
