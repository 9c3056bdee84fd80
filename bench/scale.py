"""Archive-scale benchmark: every surface at 1,000 and 300,000 articles.

Creates (or reuses) one PostgreSQL database per archive size, named
`<BENCH_SCALE_DB_PREFIX>_1k`, `_300k` (and `_1m` with `--million`) on
BENCH_SCALE_POSTGRES (default postgres://postgres@127.0.0.1:5432), migrates
it and fills an empty one with `manage.py generate_archive --articles N`
(seed 1). A database that holds articles already is reused as it is, so the
slow generation runs once per machine.

Then, for each size, a subprocess with that database measures every surface
of issue #19 in-process through Django's test Client (page cache off,
production settings otherwise, median of BENCH_ROUNDS requests after one
warm-up; the per-process memos and the fragment cache are warm, as in
production): the front page, an article page (the newest and the oldest), a
section's first and last page, the most popular tag's page, the search (a
common word, a medium word, two words), the sitemap index, the articles'
sitemap pages (the open one, with the newest articles, and the first), the
Google News sitemap, the ninjs list, the admin article list with and
without a search term, and the jobs (flush_counts of 100,000 increments,
generate_renditions with nothing to render, process_publication_events) and
importing 2,000 new agency items (the rate into the large archive must be
≥ 0.8× the rate into the small one).

It prints one table with the growth factor (largest ÷ 1k) and exits
non-zero when a target is missed: growth ≤ 1.5× and ≤ 50 ms at the largest
size for pages, ≤ 150 ms for the public search, ≤ 300 ms for the admin
search, ≤ 2 s for flush_counts. Growth and absolute targets apply to pages
and jobs alike; jobs' absolute targets are their own.

Run: `make bench-scale`, or `.venv/bin/python bench/scale.py [--million]`.
Environment: BENCH_ROUNDS (5), BENCH_SCALE_POSTGRES, BENCH_SCALE_DB_PREFIX
("scale"), BENCH_SCALE_ONLY (comma-separated beginnings of surface names, to
measure only those).
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZES = {1_000: "1k", 300_000: "300k", 1_000_000: "1m"}
PAGE_TARGET_MS = 50
GROWTH_TARGET = 1.5
# Surface → absolute target at the largest size (ms), where not the pages'.
TARGETS_MS = {
    "search, common word": 150,
    "search, medium word": 150,
    "search, two words": 150,
    "admin article list, search": 300,
    "flush_counts, 100,000 increments": 2000,
    "generate_renditions, nothing to do": 2000,
    "process_publication_events": PAGE_TARGET_MS,
    # Imports: only the rate is a target (below).
    "import of 2,000 agency items": None,
}
# Surface → growth target, where not GROWTH_TARGET: importing into the
# large archive runs at ≥ 0.8× the rate into the small one.
GROWTH_TARGETS = {"import of 2,000 agency items": 1.25}
IMPORT_ITEMS = 2_000


def postgres_url(database: str) -> str:
    server = os.environ.get(
        "BENCH_SCALE_POSTGRES", "postgres://postgres@127.0.0.1:5432"
    )
    return f"{server.rstrip('/')}/{database}"


def database_name(size: int) -> str:
    prefix = os.environ.get("BENCH_SCALE_DB_PREFIX", "scale")
    return f"{prefix}_{SIZES[size]}"


def bench_environment(database_url: str) -> dict[str, str]:
    """Production settings, page cache off, no search limits in the way."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "NEWSROOM_PAGE_CACHE_SECONDS": "0",
        "NEWSROOM_SEARCH_RATE": "0",
        "NEWSROOM_SEARCH_CONCURRENCY": "0",
        "NEWSROOM_SEARCH_CLIENT_CONCURRENCY": "0",
        # Measure how long a search takes instead of where it is stopped.
        "NEWSROOM_SEARCH_TIMEOUT_MS": "60000",
        "NEWSROOM_SEARCH_STAFF_TIMEOUT_MS": "60000",
        "REDIS_URL": "",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def ensure_database(size: int) -> str:
    """The size's database, created, migrated and filled when empty."""
    import psycopg

    name = database_name(size)
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    url = postgres_url(name)
    env = bench_environment(url)
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
    started = time.monotonic()
    result = subprocess.run(
        [*manage, "generate_archive", "--articles", str(size), "--allow-production"],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode == 0:
        print(f"{name}: generated in {time.monotonic() - started:.0f} s", flush=True)
    elif "--append" in result.stderr:
        print(f"{name}: reusing the archive already there", flush=True)
    else:
        sys.exit(f"{name}: generate_archive failed:\n{result.stderr}")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return url


def measure_size(url: str, rounds: int) -> dict[str, float | None]:
    result = subprocess.run(
        [PYTHON, __file__, "--measure", "--rounds", str(rounds)],
        env=bench_environment(url),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        sys.exit(f"measuring {url} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------
# The measuring subprocess (one database, in-process).


def timed_median(action, rounds: int, *, warm_up: bool = True) -> float:
    if warm_up:
        action()  # connections, memos, fragments
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        # An action that times its own part (the import, without writing
        # and removing its files) returns that in milliseconds.
        own = action()
        times.append(own if own is not None else (time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(rounds: int) -> dict[str, float | None]:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.scale_settings"
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from articles.models import Article, Tag

    now = timezone.now()
    published = Article.objects.published(now)
    newest = published.order_by("-published_at").first()
    # Five years back at 300k, six days at 1k: the generator's steady rate.
    old = published.order_by("published_at").first()
    section = newest.section
    popular_tag = (
        Tag.objects.filter(slug="thema-000").first() or Tag.objects.order_by("pk")[0]
    )
    reader = Client(HTTP_USER_AGENT="bench")
    admin = Client()
    user = get_user_model().objects.filter(username="bench-admin").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-admin", "", None)
    admin.force_login(user)

    def page(client, url, status=200):
        def get():
            response = client.get(url)
            if response.status_code != status:
                raise SystemExit(f"{url}: {response.status_code}")

        return get

    results: dict[str, float | None] = {}

    only = [s for s in os.environ.get("BENCH_SCALE_ONLY", "").split(",") if s]

    def run(name, action, *, job=False):
        if only and not any(name.startswith(prefix) for prefix in only):
            return
        # A job runs once, cold: it is slow and its first run is the real one.
        median = timed_median(action, 1 if job else rounds, warm_up=not job)
        results[name] = round(median, 1)
        print(f"{name}: {results[name]} ms", file=sys.stderr, flush=True)

    run("front page", page(reader, "/"))
    run("article page, new", page(reader, newest.get_absolute_url()))
    run("article page, oldest", page(reader, old.get_absolute_url()))
    run("section page 1", page(reader, section.get_absolute_url()))
    run("section page, last", page(reader, section.get_absolute_url() + "?page=last"))
    run("tag page, popular tag", page(reader, f"/thema/{popular_tag.slug}/"))
    run("search, common word", page(reader, "/suche/?q=Polizei"))
    run("search, medium word", page(reader, "/suche/?q=Hochwasser"))
    run("search, two words", page(reader, "/suche/?q=Stadtrat+Haushalt"))
    run("sitemap index", page(reader, "/sitemap.xml"))
    # Fixed ranges of ids: the open page (the newest articles) and the
    # first; at 1k the archive's thousand ids are one page, both at once.
    open_page, first_page = article_page_urls(reader)
    run("articles sitemap, open page", page(reader, open_page))
    run("articles sitemap, first page", page(reader, first_page))
    run("Google News sitemap", page(reader, "/sitemap-news.xml"))
    run("ninjs list", page(reader, "/api/ninjs/"))
    run("admin article list", page(admin, "/admin/articles/article/"))
    run("admin article list, search", page(admin, "/admin/articles/article/?q=Polizei"))
    run("flush_counts, 100,000 increments", flush_job(now), job=True)
    run("generate_renditions, nothing to do", renditions_job(), job=True)
    run("process_publication_events", publication_events_job(), job=True)
    run("import of 2,000 agency items", import_job(), job=True)
    return results


def article_page_urls(client) -> tuple[str, str]:
    """The open (newest) and the first articles' sitemap page the index
    names (it lists them newest first)."""
    import re

    index = client.get("/sitemap.xml").content.decode()
    pages = [
        "/" + loc.split("://", 1)[-1].split("/", 1)[-1]
        for loc in re.findall(r"<loc>([^<]+)</loc>", index)
        if re.search(r"/sitemap-artikel-[0-9]+\.xml$", loc)
    ]
    return pages[0], pages[-1]


INCREMENTS = 100_000
FLUSHED_ARTICLES = 800


def flush_job(now):
    """100,000 view increments over the newest 800 articles and 5 hours.

    The same number of articles at every size (the 1k archive has fewer
    than 1,000 published; with "the newest 2,000" the 300k run updated
    twice the rows the 1k run did), so the sizes differ in the archive
    only."""
    import tempfile
    from collections import Counter
    from datetime import UTC, timedelta

    from django.utils import timezone

    from articles.models import Article
    from teasers.counting import HOUR_FORMAT, FileCounterBuffer, flush_counts

    ids = list(
        Article.objects.published(now)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:FLUSHED_ARTICLES]
    )
    hours = [
        (now - timedelta(hours=h)).astimezone(UTC).strftime(HOUR_FORMAT)
        for h in range(5)
    ]

    def flush():
        with tempfile.TemporaryDirectory() as directory:
            buffer = FileCounterBuffer(Path(directory))
            keys = [f"view:{pk}:{hour}" for pk in ids for hour in hours]
            counts = Counter({key: INCREMENTS // len(keys) for key in keys})
            counts.update(keys[: INCREMENTS % len(keys)])
            buffer.add(counts)
            # Past the minute the batch settles in (it is named by the clock).
            later = timezone.now() + timedelta(minutes=3)
            report = flush_counts(buffer=buffer, at=later)
            assert report.views == INCREMENTS, report.summary()

    return flush


def renditions_job():
    """A run with nothing left to render. The generated photos share one tiny
    file, so rendering 150,000 of them would measure Pillow, not the
    selection: they are marked complete, as a finished run leaves them, and
    the command runs as cron runs it."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from articles.models import Photo

    Photo.objects.filter(renditions_complete=False).update(renditions_complete=True)
    with connection.cursor() as cursor:
        # As autovacuum leaves the table some time after such a run.
        cursor.execute("VACUUM ANALYZE articles_photo")

    def run():
        out = StringIO()
        call_command("generate_renditions", stdout=out)
        assert out.getvalue().startswith("0 photos"), out.getvalue()

    return run


def publication_events_job():
    from articles.workflow.publication_events import process_publication_events

    def run():
        process_publication_events()

    return run


def import_job():
    """2,000 new digitalwires items (bench/imports.py's, about 3 KB each,
    without photos: storing files is the file system's cost, not the
    archive's) imported as `manage.py import_news` does, into a folder of
    files of 100. Each run's items are new (their ids carry a token) and
    are deleted again afterwards, so the archive stays the size it was."""
    import copy
    import tempfile

    from imports import PER_FILE, entry_template

    from articles.importers.news import import_news
    from articles.models import Article, Section

    Section.objects.get_or_create(slug="nachrichten", defaults={"name": "Nachrichten"})
    token = secrets.token_hex(4)
    prefix = f"urn:newsml:dpa.com:bench-scale-{token}:"

    def run():
        with tempfile.TemporaryDirectory() as directory:
            folder = Path(directory)
            template = entry_template()
            for first in range(0, IMPORT_ITEMS, PER_FILE):
                entries = []
                for n in range(first, first + PER_FILE):
                    entry = copy.deepcopy(template)
                    entry["urn"] = f"{prefix}{n}"
                    entry["headline"] = f"Haushaltsstreit im Stadtrat, Meldung {n}"
                    entries.append(entry)
                (folder / f"feed-{first:06}.json").write_text(
                    json.dumps({"entries": entries}, ensure_ascii=False)
                )
            started = time.perf_counter()
            try:
                report = import_news([str(folder)])
                elapsed = time.perf_counter() - started
                assert not report.failed, report.failures[:3]
                created = Article.objects.filter(external_id__startswith=prefix)
                assert created.count() == IMPORT_ITEMS
                print(
                    f"import: {IMPORT_ITEMS / elapsed:,.0f} items/s",
                    file=sys.stderr,
                    flush=True,
                )
            finally:
                Article.objects.filter(external_id__startswith=prefix).delete()
            return elapsed * 1000

    return run


# ----------------------------------------------------------------------


def growth(small, large):
    if small is None or large is None or small <= 0:
        return None
    return large / small


def print_table(results: dict[int, dict]) -> list[str]:
    sizes = sorted(results)
    largest = sizes[-1]
    surfaces = list(results[sizes[0]])
    header = ["surface", *(SIZES[s] for s in sizes), "growth", "target", "met"]
    lines = [header]
    missed = []
    for surface in surfaces:
        values = [results[s].get(surface) for s in sizes]
        factor = growth(values[0], values[-1])
        target = TARGETS_MS.get(surface, PAGE_TARGET_MS)
        growth_target = GROWTH_TARGETS.get(surface, GROWTH_TARGET)
        met = (
            values[-1] is not None
            and (target is None or values[-1] <= target)
            and (factor is None or factor <= growth_target)
        )
        if not met:
            missed.append(surface)
        lines.append(
            [
                surface,
                *("–" if v is None else f"{v:,.1f}" for v in values),
                "–" if factor is None else f"{factor:.2f}×",
                (f"≤ {target:,} ms, " if target is not None else "")
                + f"≤ {growth_target}×",
                "yes" if met else "NO",
            ]
        )
    print(f"\nArchive scale (PostgreSQL, median ms; growth = {SIZES[largest]} ÷ 1k)")
    print("| " + " | ".join(lines[0]) + " |")
    print("|" + "---|" * len(lines[0]))
    for line in lines[1:]:
        print("| " + " | ".join(line) + " |")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "5"))
    )
    parser.add_argument(
        "--sizes",
        default="",
        help="Comma-separated sizes instead of 1000,300000 (e.g. for a quick run).",
    )
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.rounds)))
        return 0
    sizes = [1_000, 300_000] + ([1_000_000] if args.million else [])
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
        for size in sizes:
            SIZES.setdefault(size, f"{size // 1000}k" if size >= 1000 else str(size))
    results = {}
    for size in sizes:
        url = ensure_database(size)
        print(f"measuring {SIZES[size]} …", flush=True)
        results[size] = measure_size(url, args.rounds)
        print(json.dumps(results[size]), flush=True)
    missed = print_table(results)
    if missed:
        print(f"\nMissed: {', '.join(missed)}")
        return 1
    print("\nEvery target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
