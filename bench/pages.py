"""Page benchmark: the front page and an article page, each against a bare
Django view that returns the same bytes.

Runs the site as production does (gunicorn, 2 sync workers, DEBUG=false, hashed
static files) on a fresh SQLite database in a temporary folder with the demo
content (load_demo), and Redis as the cache when one answers on
127.0.0.1:6379 (database 14, a random key prefix), else the local-memory cache.
Three servers on loopback differ only in NEWSROOM_PAGE_CACHE_SECONDS and
NEWSROOM_FAST_PATH:

- "cold": 0, on (page cache off: every request runs the view, reads what the
  page shows from the database and assembles the page; the shared fragments
  (navigation, rails) and what is memoised per process by value (photo
  figures, teasers, an article's markup keyed by every value it shows) are
  reused, as in production after a purge);
- "cached": 300, on (served from the page cache);
- "plain": 0, off (as "cold" without the speed helpers that rely on Django
  internals: the ORM instead of prepared queries, reverse(), Django's own
  Redis client; the memos and page copies, which rely on none, serve as on
  "cold"; what production runs after switching them off when a Django
  upgrade broke one).

All three must return the same bytes. Each also serves /bench/bare/<page>/
(bench/urls.py): a plain view behind the same middleware that returns the
bytes the page returned, read once from a file. The article is the demo's
published article with a lead photo and the longest body; the rails under it
are part of the page.

A stdlib load generator (BENCH_CLIENTS processes, each a loop of http.client
requests, no keep-alive as gunicorn's sync workers close connections, with a
reader's browser headers so that per-reader work such as counting sponsored
impressions happens as in production) measures requests per second in
alternating rounds: page cold, bare, page cached, bare, for each page. Only
200 responses with the expected bytes count; any other response (e.g. a 400 from
ALLOWED_HOSTS, a 301 to https) stops the run. It prints the median req/s of
each, and as ratio the median over rounds of front ÷ the bare view measured
right after it on the same server, so that drift in the machine's speed
cancels out. The load generator shares the 2 cores with the servers, as would
any load tool on the same machine.

Targets (2 cores), as ratios to the bare view: front page with the page cache
off ≥ 0.05×, cached ≥ 0.5×; article page with the page cache off ≥ 0.3×,
cached ≥ 0.6×, and without the speed helpers ≥ 0.15× (the front page without
them is measured, with no target). Exits non-zero when a target is missed.

Run: `make bench`, or `.venv/bin/python bench/pages.py`.
Environment: BENCH_ROUNDS (default 5), BENCH_SECONDS per round (2),
BENCH_CLIENTS (2), BENCH_WARMUP seconds per URL and server (1),
BENCH_PAGES (front,article; e.g. "article" measures the article page alone).
"""

import contextlib
import http.client
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "1"))
WORKERS = 2
# One client per sync worker keeps both busy; more only take CPU from them.
CLIENTS = int(os.environ.get("BENCH_CLIENTS", str(WORKERS)))
# server name → (NEWSROOM_PAGE_CACHE_SECONDS, NEWSROOM_FAST_PATH, label)
SERVERS = {
    "cold": (0, True, "cache off"),
    "cached": (300, True, "cached"),
    "plain": (0, False, "fast path off"),
}
# (page, server name) → target ratio to the bare view (None: no target)
TARGETS = {
    ("front", "cold"): 0.05,
    ("front", "cached"): 0.5,
    ("front", "plain"): None,
    ("article", "cold"): 0.3,
    ("article", "cached"): 0.6,
    ("article", "plain"): 0.15,
}
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 14
FRONT = "/"
# A reader's browser: bots and scripts skip per-reader work (impression counts).
HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
    "Firefox/128.0",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "de-DE,de;q=0.9",
    # One host for both servers: absolute URLs in the pages must not differ
    # by port, or the bare view could stand for one server only.
    "Host": HOST,
}


class BenchError(Exception):
    pass


# --- Load generator ----------------------------------------------------------


@dataclass(frozen=True)
class Job:
    port: int
    path: str
    body: bytes
    start_at: float  # time.monotonic(), the same clock in every process
    seconds: float


def describe(status: int, headers: http.client.HTTPMessage, body: bytes) -> str:
    location = headers.get("Location")
    excerpt = body[:200].decode("utf-8", "replace").replace("\n", " ")
    return f"HTTP {status}" + (f" → {location}" if location else "") + f": {excerpt!r}"


def client(job: Job) -> tuple[int, float, str | None]:
    """Request job.path until the round ends: (good responses, seconds, error)."""
    connection = http.client.HTTPConnection(HOST, job.port, timeout=30)
    end = job.start_at + job.seconds
    while (now := time.monotonic()) < job.start_at:
        time.sleep(min(job.start_at - now, 0.01))
    count, last = 0, job.start_at
    try:
        while time.monotonic() < end:
            connection.request("GET", job.path, headers=HEADERS)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200 or body != job.body:
                if response.status == 200:
                    return count, 0.0, f"200 but {len(body)} bytes, not the page's"
                return count, 0.0, describe(response.status, response.headers, body)
            if (finished := time.monotonic()) <= end:
                count, last = count + 1, finished
    except (OSError, http.client.HTTPException) as error:
        return count, 0.0, f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    return count, last - job.start_at, None


def client_signals():
    # Ctrl-C reaches the whole process group; the parent alone cleans up, and
    # ends the clients with SIGTERM (not the parent's cleanup handler).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def measure(pool, port: int, path: str, body: bytes, seconds: float) -> float:
    """Requests per second from CLIENTS concurrent client processes."""
    job = Job(port, path, body, time.monotonic() + 0.2, seconds)
    results = pool.map(client, [job] * CLIENTS)
    errors = [error for _, _, error in results if error]
    if errors:
        raise BenchError(f"GET {HOST}:{port}{path}: {errors[0]}")
    return sum(count / elapsed for count, elapsed, _ in results if elapsed > 0)


# --- Servers -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def fetch(port: int, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-20:])

    def check_alive(self):
        if self.process.poll() is not None:
            raise BenchError(
                f"gunicorn ({self.name}) exited with {self.process.returncode}:\n"
                + self.log_tail()
            )

    def wait_ready(self, timeout: float = 60) -> bytes:
        """Wait until "/" answers, and return its body (must be a 200)."""
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            try:
                status, headers, body = fetch(self.port, FRONT)
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchError(
                        f"gunicorn ({self.name}) did not answer within {timeout} s:\n"
                        + self.log_tail()
                    ) from None
                time.sleep(0.2)
                continue
            if status != 200:
                response = describe(status, headers, body)
                raise BenchError(
                    f"GET / on the {self.name} server: {response}\n{self.log_tail()}"
                )
            return body

    def stop(self):
        if self.process.poll() is not None:
            return
        # start_new_session: the group holds this master and its workers only.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def production_environment(
    folder: Path, *, settings_module: str = "bench.settings", use_redis: bool = True
) -> dict[str, str]:
    """The environment of a production server on loopback, with its files
    (database, media, static, counters) in `folder`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GUNICORN_") and key != "REDIS_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        # Plain HTTP on loopback: no TLS proxy in front to redirect to.
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        NEWSROOM_COUNTER_DIR=str(folder / "counters"),
        STATIC_ROOT=str(folder / "static"),
        NEWSROOM_CACHE_PREFIX=f"bench-{secrets.token_hex(6)}",
        NEWSROOM_ALLOW_DEMO="false",
        BENCH_BARE_DIR=str(folder),
    )
    if use_redis and redis_answers():
        env["REDIS_URL"] = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
    return env


def manage(env: dict[str, str], *arguments: str):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BenchError(
            f"manage.py {' '.join(arguments)} failed:\n{result.stdout}{result.stderr}"
        )


def start_server(
    name: str,
    env: dict[str, str],
    folder: Path,
    cache_seconds: int,
    *,
    fast_path: bool = True,
):
    port = free_port()
    log = folder / f"gunicorn-{name}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "newsroom.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={WORKERS}",
        "--worker-class=sync",
        f"--chdir={BASE_DIR}",
        "--log-level=warning",
        f"--error-logfile={log}",
    ]
    with open(os.devnull, "rb") as stdin, open(log, "ab") as output:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env={
                **env,
                "NEWSROOM_PAGE_CACHE_SECONDS": str(cache_seconds),
                "NEWSROOM_FAST_PATH": "true" if fast_path else "false",
                # A browser (Lighthouse) names the port in its Host header.
                "NEWSROOM_ALLOWED_PORTS": str(port),
            },
            stdin=stdin,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    return Server(name, port, process, log)


def forget_cache_keys(env: dict[str, str]):
    if not (url := env.get("REDIS_URL")):
        return
    with contextlib.suppress(Exception):
        import redis

        connection = redis.Redis.from_url(url)
        keys = list(connection.scan_iter(match=f"{env['NEWSROOM_CACHE_PREFIX']}:*"))
        if keys:
            connection.delete(*keys)
        connection.close()


# --- The run -----------------------------------------------------------------


ARTICLE_PATH_SCRIPT = """
from django.db.models.functions import Length
from articles.models import Article
article = (
    Article.objects.published().filter(article_photos__isnull=False)
    .order_by(Length("body").desc(), "pk").first()
)
print(article.get_absolute_url())
"""


def article_path(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", ARTICLE_PATH_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    last_line = (result.stdout.strip().splitlines() or [""])[-1]
    if result.returncode or not last_line.startswith("/"):
        raise BenchError(f"no demo article to measure:\n{result.stdout}{result.stderr}")
    return last_line


def run(stack: contextlib.ExitStack) -> int:
    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    env = production_environment(folder)
    stack.callback(forget_cache_keys, env)
    cache = (
        f"Redis {env['REDIS_URL']}" if "REDIS_URL" in env else "local memory (no Redis)"
    )

    print("preparing: migrate, collectstatic, load_demo …", flush=True)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage({**env, "NEWSROOM_ALLOW_DEMO": "true"}, "load_demo")
    pages = os.environ.get("BENCH_PAGES", "front,article").split(",")
    paths = {"front": FRONT, "article": article_path(env)}
    paths = {page: path for page, path in paths.items() if page in pages}

    servers = []
    for name, (cache_seconds, fast_path, _label) in SERVERS.items():
        server = start_server(name, env, folder, cache_seconds, fast_path=fast_path)
        stack.callback(server.stop)
        servers.append(server)
    for server in servers:
        server.wait_ready()
    first, *others = servers
    bodies = {}
    for page, path in paths.items():
        status, headers, body = fetch(first.port, path)
        if status != 200:
            raise BenchError(f"GET {path}: {describe(status, headers, body)}")
        for other in others:
            if fetch(other.port, path)[2] != body:
                raise BenchError(
                    f"the {first.name} and {other.name} servers return different "
                    f"{page} pages; the bare view can only stand for one of them"
                )
        bodies[page] = body
        (Path(env["BENCH_BARE_DIR"]) / f"{page}.html").write_bytes(body)

    pool = multiprocessing.get_context("fork").Pool(CLIENTS, client_signals)
    stack.callback(pool.join)
    stack.callback(pool.terminate)

    print(
        f"gunicorn, {WORKERS} sync workers per server ("
        + ", ".join(
            f"{name}: page cache {cache_seconds} s, fast path "
            + ("on" if fast_path else "off")
            for name, (cache_seconds, fast_path, _label) in SERVERS.items()
        )
        + "), production settings, "
        f"SQLite, cache: {cache}\n"
        + "".join(
            f"{page}: {paths[page]} ({len(body):,} bytes)\n"
            for page, body in bodies.items()
        )
        + f"load: {CLIENTS} client processes on loopback, {ROUNDS} rounds × "
        f"{SECONDS:g} s, alternating",
        flush=True,
    )

    def bare(page: str) -> str:
        return f"/bench/bare/{page}/"

    for server in servers:
        for page, body in bodies.items():
            for path in (paths[page], bare(page)):
                measure(pool, server.port, path, body, WARMUP)

    # (page, server name) → rates; bare rates measured right after, same server
    rates = {(page, s.name): [] for page in bodies for s in servers}
    bare_rates = {key: [] for key in rates}
    for number in range(1, ROUNDS + 1):
        line = []
        for page, body in bodies.items():
            for server in servers:
                server.check_alive()
                key = (page, server.name)
                rates[key].append(
                    measure(pool, server.port, paths[page], body, SECONDS)
                )
                bare_rates[key].append(
                    measure(pool, server.port, bare(page), body, SECONDS)
                )
                line.append(
                    f"{page} {server.name} {rates[key][-1]:6.1f} "
                    f"(bare {bare_rates[key][-1]:6.1f})"
                )
        print(f"round {number}: " + ";  ".join(line) + " req/s", flush=True)

    ok = True
    for page in bodies:
        all_bare = [rate for s in servers for rate in bare_rates[page, s.name]]
        print(f"bare view ({page})   {statistics.median(all_bare):7.1f} req/s")
        for server in servers:
            key = (page, server.name)
            ratio = statistics.median(
                measured / after
                for measured, after in zip(rates[key], bare_rates[key], strict=True)
            )
            target = TARGETS[key]
            passed = target is None or ratio >= target
            ok = ok and passed
            label = f"{page}, {SERVERS[server.name][2]}"
            verdict = "" if target is None else "PASS" if passed else "FAIL"
            goal = "(no target)" if target is None else f"(target ≥ {target})"
            print(
                f"{label:<20} {statistics.median(rates[key]):7.1f} req/s  "
                f"{ratio:5.3f}×  {goal:<17} {verdict}".rstrip()
            )
    print("page benchmark:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


def main_of(run: Callable[[contextlib.ExitStack], int], label: str) -> int:
    """Run `run` with a stack of clean-ups that also runs on Ctrl-C or kill."""
    # A plain `kill` must clean up too: turn SIGTERM into SystemExit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    with contextlib.ExitStack() as stack:
        try:
            return run(stack)
        except BenchError as error:
            print(f"{label}: ERROR: {error}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print(f"{label}: interrupted", file=sys.stderr)
            return 130


def main() -> int:
    return main_of(run, "page benchmark")


if __name__ == "__main__":
    sys.exit(main())
