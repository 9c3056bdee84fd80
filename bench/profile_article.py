"""Profile one uncached article page in-process: where its CPU time goes.

Prepares the demo site as bench/pages.py does (production settings, a fresh
SQLite database in a temporary folder, load_demo), then, in a child process
with the page cache off, requests the page bench/pages.py measures through
Django's test client: a warm-up, the queries of one request, the mean CPU
time of BENCH_PROFILE_REQUESTS (300) requests, and cProfile's top functions.

BENCH_PROFILE_CACHE_SECONDS (0) sets the page cache: with 300 the profile is
of the cached page (the page benchmark's "cached" server). BENCH_PROFILE_BARE=1
profiles the bare view instead (/bench/bare/article/, the benchmark's
baseline), so that the two can be set side by side.

Run: `.venv/bin/python bench/profile_article.py` (fast path on) or with
NEWSROOM_FAST_PATH=false (off). BENCH_PROFILE_SORT (cumulative) and
BENCH_PROFILE_LINES (40; or restrictions, comma-separated, such as
"teasers/,30") shape the listing, BENCH_PROFILE_CALLERS names functions
whose callers to list; BENCH_PROFILE_REQUESTS=0 prints
only the queries. Not a benchmark with a target: a tool to see what to cut.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The script's folder is on sys.path: the page benchmark's helpers.
from pages import (
    BASE_DIR,
    HEADERS,
    BenchError,
    article_path,
    forget_cache_keys,
    main_of,
    manage,
    production_environment,
)

CHILD = """
import cProfile, os, pstats, sys, time
import django
django.setup()
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

path, host = sys.argv[1], sys.argv[2]
client = Client(HTTP_HOST=host, HTTP_USER_AGENT=sys.argv[3])
response = client.get(path)
assert response.status_code == 200, response.status_code
if os.environ.get("BENCH_PROFILE_BARE") == "1":
    with open(os.path.join(os.environ["BENCH_BARE_DIR"], "article.html"), "wb") as f:
        f.write(response.content)
    path = "/bench/bare/article/"
for _ in range(20):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
with CaptureQueriesContext(connection) as queries:
    client.get(path)
print(f"{len(queries)} queries on one request:")
for query in queries:
    print("  ", query["sql"][:160])
requests = int(os.environ.get("BENCH_PROFILE_REQUESTS", "300"))
if requests:
    start = time.process_time()
    for _ in range(requests):
        client.get(path)
    spent = (time.process_time() - start) / requests
    print(f"CPU per request: {spent * 1000:.3f} ms ({requests} requests)")
    # CPU time: waiting for Redis is not this process's work.
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for _ in range(requests):
        client.get(path)
    profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative"))
    lines = os.environ.get("BENCH_PROFILE_LINES", "40")
    stats.print_stats(*(int(r) if r.isdigit() else r for r in lines.split(",")))
    if callers := os.environ.get("BENCH_PROFILE_CALLERS"):
        stats.print_callers(callers)
"""


def run(stack: contextlib.ExitStack) -> int:
    # BENCH_PROFILE_DIR: a folder kept between runs (prepared on the first).
    kept = os.environ.get("BENCH_PROFILE_DIR")
    folder = Path(kept or tempfile.mkdtemp(prefix="newsroom-prof-"))
    if not kept:
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
    env = production_environment(folder)
    stack.callback(forget_cache_keys, env)
    env["BENCH_BARE_DIR"] = str(folder)
    if not (folder / "bench.sqlite3").exists():
        folder.mkdir(parents=True, exist_ok=True)
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        manage({**env, "NEWSROOM_ALLOW_DEMO": "true"}, "load_demo")
    path = article_path(env)
    env["NEWSROOM_PAGE_CACHE_SECONDS"] = os.environ.get(
        "BENCH_PROFILE_CACHE_SECONDS", "0"
    )
    env.setdefault("NEWSROOM_FAST_PATH", os.environ.get("NEWSROOM_FAST_PATH", "true"))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, path, HEADERS["Host"], HEADERS["User-Agent"]],
        cwd=BASE_DIR,
        env=env,
        check=False,
    )
    if result.returncode:
        raise BenchError(f"profiling {path} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main_of(run, "article profile"))
