"""Lighthouse audit of the public pages as production serves them.

Prepares a production-like site under var/audit/ (DEBUG off, a SECRET_KEY
made for the run, SQLite with the demo content from `load_demo`,
collectstatic with whitenoise's hashed and compressed files, renditions
generated as after an import), starts gunicorn on 127.0.0.1, and runs
Lighthouse (the npm package in node_modules/, Debian's Chromium) against the
front page, the demo article with every body element (issue #16) and the demo
live ticker (issue #18) with its default mobile settings. Prints the four
category scores per page and exits non-zero if any is below 95.

Reports (HTML and JSON) go to test-artifacts/lighthouse/.

Run: `make audit`, or `.venv/bin/python bench/audit.py` after `npm ci`.
Environment: CHROME_PATH (default /usr/bin/chromium).
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# The script's folder is on sys.path: the front-page benchmark's helpers
# start and stop gunicorn the same way.
from pages import (
    HOST,
    BenchError,
    fetch,
    main_of,
    manage,
    production_environment,
    start_server,
)

BASE_DIR = Path(__file__).resolve().parent.parent
FOLDER = BASE_DIR / "var" / "audit"
REPORTS = BASE_DIR / "test-artifacts" / "lighthouse"
LIGHTHOUSE = BASE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 95
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


# (report name, the demo_data seed whose article is audited)
DEMO_ARTICLES = (
    ("article", "BODY_ELEMENTS_ARTICLE"),
    ("ticker", "LIVE_TICKER"),
)


def demo_article_path(env: dict[str, str], seed: str) -> str:
    code = (
        "from articles.models import Article; from teasers import demo_data; "
        "print(Article.objects.published()"
        f".get(headline=demo_data.{seed}['headline']).get_absolute_url())"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BenchError(f"finding the demo article failed:\n{result.stderr}")
    return result.stdout.strip()


def lighthouse(url: str, name: str) -> dict[str, int]:
    """Run Lighthouse on `url`; the category scores (0–100)."""
    output = REPORTS / name
    result = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            "--output=html",
            f"--output-path={output}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    report_file = output.with_name(f"{name}.report.json")
    if result.returncode or not report_file.exists():
        raise BenchError(f"lighthouse {url} failed:\n{result.stderr[-2000:]}")
    report = json.loads(report_file.read_text())
    if error := report.get("runtimeError"):
        raise BenchError(f"lighthouse {url}: {error.get('message')}")
    scores = {}
    for category in CATEGORIES:
        score = report["categories"][category]["score"]
        scores[category] = round(score * 100) if score is not None else 0
    return scores


def failing_audits(name: str) -> list[str]:
    """Titles of the audits that cost points, to say what to fix."""
    report = json.loads((REPORTS / f"{name}.report.json").read_text())
    weighted = {
        ref["id"]
        for category in report["categories"].values()
        for ref in category["auditRefs"]
        if ref.get("weight")
    }
    return [
        f"{audit_id}: {audit['title']}"
        for audit_id, audit in report["audits"].items()
        if audit_id in weighted
        and audit.get("score") is not None
        and audit["score"] < 0.9
    ]


def check_tools():
    chrome = os.environ.setdefault("CHROME_PATH", "/usr/bin/chromium")
    missing = [
        what
        for what, present in (
            (f"Chromium at {chrome} (apt-get install chromium)", Path(chrome).exists()),
            ("node (Node.js 20)", shutil.which("node")),
            (f"{LIGHTHOUSE.relative_to(BASE_DIR)} (npm ci)", LIGHTHOUSE.exists()),
        )
        if not present
    ]
    if missing:
        raise BenchError("missing: " + "; ".join(missing))


def run(stack: contextlib.ExitStack) -> int:
    check_tools()
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    REPORTS.mkdir(parents=True, exist_ok=True)
    # The project's own settings and the local-memory cache, as `make run`.
    env = production_environment(
        FOLDER, settings_module="newsroom.settings", use_redis=False
    )

    print("preparing: migrate, collectstatic, load_demo, renditions …", flush=True)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage({**env, "NEWSROOM_ALLOW_DEMO": "true"}, "load_demo")
    # As production does after imports: readers never wait for a first render.
    manage(env, "generate_renditions")
    pages = {"front": "/"} | {
        name: demo_article_path(env, seed) for name, seed in DEMO_ARTICLES
    }

    server = start_server("audit", env, FOLDER, cache_seconds=60)
    stack.callback(server.stop)
    server.wait_ready()
    for path in pages.values():
        status, _, _ = fetch(server.port, path)
        if status != 200:
            raise BenchError(f"GET {path} answered {status}")

    base = f"http://{HOST}:{server.port}"
    ok = True
    print(f"{'page':<10}" + "".join(f"{category:>16}" for category in CATEGORIES))
    for name, path in pages.items():
        server.check_alive()
        scores = lighthouse(base + path, name)
        passed = all(score >= TARGET for score in scores.values())
        ok = ok and passed
        print(
            f"{name:<10}"
            + "".join(f"{scores[category]:>16}" for category in CATEGORIES)
            + ("   PASS" if passed else "   FAIL"),
            flush=True,
        )
        if not passed:
            for line in failing_audits(name):
                print(f"    {line}")
    print(f"reports: {REPORTS.relative_to(BASE_DIR)}/")
    print(f"lighthouse audit (target ≥ {TARGET}):", "PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> int:
    return main_of(run, "lighthouse audit")


if __name__ == "__main__":
    sys.exit(main())
