"""Settings for Newsroom: one module, configured by environment variables.

Development needs no variables at all (the Makefile, and manage.py on a
machine without SECRET_KEY, set DEBUG=true): SQLite
under var/, local media, local-memory cache. Production sets DEBUG=false,
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and usually REDIS_URL; see
docs/configuration.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django_prose_editor.config import html_tags
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean (use true or false)."
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value.strip() else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    try:
        return float(value) if value.strip() else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number.") from None


# Off unless asked for: a production host that forgets a variable must not
# start serving debug pages.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random value, e.g. "
            "export SECRET_KEY=\"$(python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')\"; for local development set "
            "DEBUG=true instead (the Makefile does)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Ports besides 80/443 that the site is served on as the reader sees it (the
# Host header's port, e.g. "8443"); other ports answer 400 unless DEBUG.
NEWSROOM_ALLOWED_PORTS = env_list("NEWSROOM_ALLOWED_PORTS")

INSTALLED_APPS = [
    # The admin with the editors' dashboard as its start page.
    "articles.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The stored search documents' field and lookups (articles/fulltext.py);
    # harmless on SQLite.
    "django.contrib.postgres",
    "django_filters",
    # The body's rich-text editor in the admin (its static files and checks;
    # articles/admin/body_editor.py).
    "django_prose_editor",
    # Drag and drop for the rails' fixed places (teasers/admin.py).
    "adminsortable2",
    "articles",
    "teasers",
]


def _body_block_allowlist(config, allowlist) -> None:
    # What the body's photo and gallery blocks add to the editor's HTML
    # (django-prose-editor's allow-list hook; the stored body is cleaned by
    # articles/sanitising.py, which allows the same).
    allowlist["tags"] |= {"figure", "figcaption"}
    allowlist["attributes"].setdefault("figure", set()).update(
        {"data-block", "data-photo", "data-crop", "data-gallery"}
    )


MIDDLEWARE = [
    # One spelling of the host (letter case, port) for cache keys and links.
    "newsroom.hosts.CanonicalHostMiddleware",
    # Reads the page cache's generation once per request.
    "articles.public.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A 404 at an address that moved (renamed section, …) answers 301.
    "articles.public.redirects.AddressRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.public.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
if not os.environ.get("DATABASE_URL"):
    # The embedded default lives in var/; a fresh clone has no such folder,
    # and even `manage.py check` opens the database (JSONField support).
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL")
        or f"sqlite:///{BASE_DIR / 'var' / 'newsroom.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the site read while an import writes; IMMEDIATE avoids
    # "database is locked" on write transactions that start as reads.
    # Connections are kept like PostgreSQL's: opening one (pragmas, SQL
    # functions) costs more than reading an article.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # An index's extra columns (`include`, for PostgreSQL's index-only
    # scans) are simply left out on SQLite: nothing to warn about.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers without Redis while it is down (newsroom/cache.py).
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("NEWSROOM_CACHE_PREFIX", "newsroom"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin login throttling (articles/admin/logins.py): after this many failed
# logins for one account name within the window, that account's logins are
# refused for the lockout time; the same for one address, with a higher
# limit because a whole newsroom may share one (NAT). 0 turns a limit off.
NEWSROOM_LOGIN_MAX_FAILURES = env_int("NEWSROOM_LOGIN_MAX_FAILURES", 5)
NEWSROOM_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int(
    "NEWSROOM_LOGIN_MAX_FAILURES_PER_ADDRESS", 20
)
NEWSROOM_LOGIN_FAILURE_WINDOW_MINUTES = env_int(
    "NEWSROOM_LOGIN_FAILURE_WINDOW_MINUTES", 15
)
NEWSROOM_LOGIN_LOCKOUT_MINUTES = env_int("NEWSROOM_LOGIN_LOCKOUT_MINUTES", 15)

# The lengths editors aim for, shown as live counters beside the fields of
# the article form (guidance, never an error): a headline search results
# show in full, a kicker on one line, a teaser that fits a teaser card.
NEWSROOM_HEADLINE_GUIDE_CHARS = env_int("NEWSROOM_HEADLINE_GUIDE_CHARS", 90)
NEWSROOM_KICKER_GUIDE_CHARS = env_int("NEWSROOM_KICKER_GUIDE_CHARS", 40)
NEWSROOM_TEASER_GUIDE_CHARS = env_int("NEWSROOM_TEASER_GUIDE_CHARS", 300)
# What search results and link previews show of the optional SEO and social
# fields before they cut.
NEWSROOM_SEO_TITLE_GUIDE_CHARS = env_int("NEWSROOM_SEO_TITLE_GUIDE_CHARS", 60)
NEWSROOM_META_DESCRIPTION_GUIDE_CHARS = env_int(
    "NEWSROOM_META_DESCRIPTION_GUIDE_CHARS", 160
)
NEWSROOM_SOCIAL_TITLE_GUIDE_CHARS = env_int("NEWSROOM_SOCIAL_TITLE_GUIDE_CHARS", 70)
NEWSROOM_SOCIAL_TEASER_GUIDE_CHARS = env_int("NEWSROOM_SOCIAL_TEASER_GUIDE_CHARS", 200)

# Embeds in the body (articles/embeds.py): Mastodon servers are many; posts
# from these may be embedded (and framed, see EMBED_FRAME_HOSTS below).
NEWSROOM_MASTODON_HOSTS = env_list(
    "NEWSROOM_MASTODON_HOSTS", "mastodon.social,social.bund.de,chaos.social"
)

# The body editor's own nodes (articles/admin/body_editor.py): info box,
# fact list, quote, embed. Each writes the stored form that
# articles/sanitising.py's BLOCKS allows; the title of a box is its h3, the
# parts of a quote its blockquote and figcaption.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/body_blocks.js")],
        "extensions": {
            "InfoBox": html_tags(["div", "h3"], {"div": ["data-block"]}),
            "FactList": html_tags(["div", "h3", "ul", "li"], {"div": ["data-block"]}),
            "PullQuote": html_tags(
                ["figure", "blockquote", "figcaption"], {"figure": ["data-block"]}
            ),
            "Embed": html_tags(
                ["div"],
                {"div": ["data-block", "data-provider", "data-id", "data-url"]},
            ),
            # Parts of the elements above: no tags of their own.
            "BlockTitle": html_tags([]),
            "QuoteText": html_tags([]),
            "QuoteSource": html_tags([]),
        },
    },
    # The photo and gallery blocks (static/articles/body_photos.js).
    {
        "js": [static_lazy("articles/body_photos.js")],
        "extensions": {
            "NewsroomPhoto": _body_block_allowlist,
            "NewsroomGallery": _body_block_allowlist,
        },
    },
]

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names need collectstatic, which production runs on deploy.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Where originals and renditions live. "filesystem": MEDIA_ROOT on this
# machine (one web machine, or a folder every machine mounts); "s3": a
# bucket of an S3-compatible object store shared by every machine
# (django-storages). Code reaches media only through the storage API, never
# through a path, so either works. Credentials come the standard AWS ways
# (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role), never
# from these settings. The bucket stays private: public images go through
# the licence-checking view, which the CDN caches.
NEWSROOM_MEDIA_STORAGE = os.environ.get("NEWSROOM_MEDIA_STORAGE", "filesystem")


def s3_media_storage(bucket_name: str, **options) -> dict:
    """The STORAGES entry for media in `bucket_name` (the tests' object
    store uses it too); `options`: endpoint_url, region_name, location,
    addressing_style."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            **options,
            # Private objects; the rare direct link (the admin's "Derzeit"
            # link to an original) is signed and expires.
            "default_acl": None,
            "querystring_auth": True,
            # Names are unique (originals) or name the same bytes
            # (renditions): no existence check before each write.
            "file_overwrite": True,
        },
    }


if NEWSROOM_MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured(
            "NEWSROOM_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and, for a "
            "store other than Amazon's, AWS_S3_ENDPOINT_URL)."
        )
    STORAGES["default"] = s3_media_storage(
        os.environ["AWS_STORAGE_BUCKET_NAME"],
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME") or None,
        # A key prefix, so that several sites may share one bucket.
        location=os.environ.get("AWS_LOCATION", ""),
        # "path" for stores without bucket subdomains (some MinIO set-ups).
        addressing_style=os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
    )
elif NEWSROOM_MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(
        f"NEWSROOM_MEDIA_STORAGE={NEWSROOM_MEDIA_STORAGE!r}: use filesystem or s3."
    )
# Development serves straight from the app folders (tests run with DEBUG
# forced off, so this follows the environment, not the runtime flag).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
# MEDIA_ROOT holds originals and renditions and is never served directly:
# public images go through a view that checks the photo's licence.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# --- Security ---------------------------------------------------------------
# The frames a body's embed loads after the reader's click, and no others
# (the providers of articles/embeds.py; tests/articles/test_embeds.py keeps
# the two lists equal). No setting imports the apps, hence the list here.
EMBED_FRAME_HOSTS = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://platform.twitter.com",
    "https://www.instagram.com",
    "https://www.tiktok.com",
    "https://www.facebook.com",
    "https://embed.bsky.app",
    "https://datawrapper.dwcdn.net",
    "https://flo.uri.sh",
    "https://webgrafik.dpa-addons.com",
    "https://open.spotify.com",
    "https://embed.podcasts.apple.com",
    "https://www.openstreetmap.org",
    "https://maps.google.com",
    "https://www.google.com",
    *(f"https://{host}" for host in NEWSROOM_MASTODON_HOSTS),
]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Our own pages (the admin's live previews of an article and a rail)
    # and the embeds' hosts, no others.
    "frame-src": [CSP.SELF, *EMBED_FRAME_HOSTS],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Production runs behind a TLS-terminating proxy that sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging ----------------------------------------------------------------


def is_no_refusal(record) -> bool:
    # Refused searches (429, 503) come by the hundred under a flood; the
    # search counts them in one line a minute instead (rate_limits.py).
    return getattr(record, "status_code", None) not in (429, 503)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "filters": {
        "no_refusals": {
            "()": "django.utils.log.CallbackFilter",
            "callback": is_no_refusal,
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["no_refusals"]},
    },
}

# --- Newsroom ---------------------------------------------------------------
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Rheinblick")
# Badge windows: "Neu" after first publication, "Update" after a later change.
NEWSROOM_NEW_BADGE_HOURS = env_int("NEWSROOM_NEW_BADGE_HOURS", 6)
NEWSROOM_UPDATE_BADGE_HOURS = env_int("NEWSROOM_UPDATE_BADGE_HOURS", 6)
# Articles per page of section, region, topic, author and archive pages.
NEWSROOM_SECTION_PAGE_SIZE = env_int("NEWSROOM_SECTION_PAGE_SIZE", 20)
# Section, region, tag, author and archive pages: at most this many pages
# (the last links to the archive); counting stops there (issue #19).
NEWSROOM_LIST_MAX_PAGES = env_int("NEWSROOM_LIST_MAX_PAGES", 50)
# Articles per page of the articles' sitemap (/sitemap-artikel-N.xml, fixed
# ranges of ids; capped at the protocol's 50,000; issue #19).
NEWSROOM_SITEMAP_PAGE_SIZE = env_int("NEWSROOM_SITEMAP_PAGE_SIZE", 1000)
# Search (/suche/): results per page, the last page offered, and how long
# the database may work on one results page of an anonymous reader before
# the reader is told so (it holds a web worker that long).
NEWSROOM_SEARCH_PAGE_SIZE = env_int("NEWSROOM_SEARCH_PAGE_SIZE", 20)
NEWSROOM_SEARCH_MAX_PAGES = env_int("NEWSROOM_SEARCH_MAX_PAGES", 50)
# Only the newest this many matches of a search are ranked (issue #19): a
# common word cannot make the database rank half the archive.
NEWSROOM_SEARCH_CANDIDATES = env_int("NEWSROOM_SEARCH_CANDIDATES", 200)
NEWSROOM_SEARCH_TIMEOUT_MS = env_int("NEWSROOM_SEARCH_TIMEOUT_MS", 500)
# Logged-in staff search the archive for their work: they may wait longer.
NEWSROOM_SEARCH_STAFF_TIMEOUT_MS = env_int("NEWSROOM_SEARCH_STAFF_TIMEOUT_MS", 2000)
# Anonymous searches per client address: at most NEWSROOM_SEARCH_RATE in
# each NEWSROOM_SEARCH_RATE_SECONDS (then 429 with Retry-After); 0 turns
# the limit off. Counted in the cache; while the cache fails, all may search.
NEWSROOM_SEARCH_RATE = env_int("NEWSROOM_SEARCH_RATE", 10)
NEWSROOM_SEARCH_RATE_SECONDS = env_int("NEWSROOM_SEARCH_RATE_SECONDS", 10)
# Anonymous searches one client address may have running at once (a second
# tab, a bot's parallel requests): more get 429 at once. 0: no limit.
NEWSROOM_SEARCH_CLIENT_CONCURRENCY = env_int("NEWSROOM_SEARCH_CLIENT_CONCURRENCY", 1)
# Anonymous searches running at once on the whole site; more get 503 at
# once. Keep it at most half the web workers (gunicorn --workers, on every
# host together), so that pages always have free workers. 0: no limit.
NEWSROOM_SEARCH_CONCURRENCY = env_int("NEWSROOM_SEARCH_CONCURRENCY", 2)
# An anonymous reader's results page is kept this long (or until a write
# purges the pages, or an article goes live), and a CDN may keep it as
# long: the same search again costs no database work. 0: every search runs.
NEWSROOM_SEARCH_CACHE_SECONDS = env_int("NEWSROOM_SEARCH_CACHE_SECONDS", 60)
# Photo uploads and imports: larger files are refused with a clear message.
NEWSROOM_PHOTO_MAX_BYTES = env_int("NEWSROOM_PHOTO_MAX_BYTES", 25 * 1000 * 1000)
NEWSROOM_PHOTO_MAX_PIXELS = env_int("NEWSROOM_PHOTO_MAX_PIXELS", 50 * 1000 * 1000)
# Pictures in one file (animations, multi-picture JPEGs); only the first shows.
NEWSROOM_PHOTO_MAX_FRAMES = env_int("NEWSROOM_PHOTO_MAX_FRAMES", 100)
# Photos per page of the photo chooser in the article form.
NEWSROOM_PHOTO_CHOOSER_PAGE_SIZE = env_int("NEWSROOM_PHOTO_CHOOSER_PAGE_SIZE", 24)
# Public image responses may be cached this long (capped at licence expiry).
NEWSROOM_IMAGE_MAX_AGE = env_int("NEWSROOM_IMAGE_MAX_AGE", 24 * 60 * 60)
# load_demo creates demo users with known passwords: never on a production host.
NEWSROOM_ALLOW_DEMO = env_bool("NEWSROOM_ALLOW_DEMO", DEBUG)
# Public pages are cached until they change by themselves, at most this long
# (view counts on teasers refresh at this pace); 0 turns the cache off.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 60)
# Parts shared by many pages (the rails under every article) are built once
# and kept on the same terms, at most this long; 0 turns this cache off.
NEWSROOM_FRAGMENT_CACHE_SECONDS = env_int("NEWSROOM_FRAGMENT_CACHE_SECONDS", 60)
# How long an article flagged as "Eilmeldung" shows the banner and "Eil".
NEWSROOM_BREAKING_NEWS_MINUTES = env_int("NEWSROOM_BREAKING_NEWS_MINUTES", 30)
# VG Wort (METIS): the counting server of the publisher's account, as in the
# marks' CSV (e.g. vg08.met.vgwort.de). Empty: no counting marks are imported
# or shown. The CSP allows images from exactly this host.
NEWSROOM_VG_WORT_HOST = os.environ.get("NEWSROOM_VG_WORT_HOST", "").strip().lower()
# METIS counts texts from this many characters (teaser and body, spaces
# included); shorter articles get no mark.
NEWSROOM_VG_WORT_MIN_CHARS = env_int("NEWSROOM_VG_WORT_MIN_CHARS", 1800)
if NEWSROOM_VG_WORT_HOST:
    SECURE_CSP["img-src"].append(f"https://{NEWSROOM_VG_WORT_HOST}")
# Live tickers: entries per page (newest first, then "Ältere Einträge"); how
# often a reader's page asks for new entries; how long a browser or CDN may
# keep that answer; how many key events the summary on top lists.
NEWSROOM_LIVE_TICKER_PAGE_SIZE = env_int("NEWSROOM_LIVE_TICKER_PAGE_SIZE", 20)
NEWSROOM_LIVE_TICKER_POLL_SECONDS = env_int("NEWSROOM_LIVE_TICKER_POLL_SECONDS", 15)
NEWSROOM_LIVE_TICKER_CACHE_SECONDS = env_int("NEWSROOM_LIVE_TICKER_CACHE_SECONDS", 5)
NEWSROOM_LIVE_TICKER_KEY_EVENTS = env_int("NEWSROOM_LIVE_TICKER_KEY_EVENTS", 10)
# Four eyes (issue #17): an article goes live only after someone other than
# its last author approved it ("Freigeben"); off, whoever may publish may
# publish a draft directly.
NEWSROOM_FOUR_EYES = env_bool("NEWSROOM_FOUR_EYES", False)
# Internal notes on articles: longer ones are refused with a message.
NEWSROOM_NOTE_MAX_LENGTH = env_int("NEWSROOM_NOTE_MAX_LENGTH", 4000)
# Deleted articles and photos stay in the trash ("Papierkorb") this many
# days, restorable; then empty_trash deletes them for good.
NEWSROOM_TRASH_DAYS = env_int("NEWSROOM_TRASH_DAYS", 30)
# "Mehr zum Thema" under each article: at most this many (0: none).
NEWSROOM_RELATED_ARTICLES = env_int("NEWSROOM_RELATED_ARTICLES", 5)
# Redis (cache and counter buffer): no request waits longer than this for
# it (connect and each answer). While it cannot be reached, pages are built
# without the cache and it is tried again after NEWSROOM_REDIS_RETRY_SECONDS;
# a warning is logged at most every NEWSROOM_REDIS_WARNING_SECONDS.
NEWSROOM_REDIS_TIMEOUT_SECONDS = env_float("NEWSROOM_REDIS_TIMEOUT_SECONDS", 0.25)
NEWSROOM_REDIS_RETRY_SECONDS = env_float("NEWSROOM_REDIS_RETRY_SECONDS", 1.0)
NEWSROOM_REDIS_WARNING_SECONDS = env_float("NEWSROOM_REDIS_WARNING_SECONDS", 60.0)
# The speed helpers that rely on Django internals (newsroom/perf/: prepared
# queries, address formats, the reused Redis client, the admin's rows and
# sidebar): false serves the plain ORM, reverse() and Django's own code, the
# way out when a Django upgrade breaks one of the internals (listed in
# newsroom/perf/). The markup memos and page copies rely on none and stay on
# (their own settings below turn them off).
NEWSROOM_FAST_PATH = env_bool("NEWSROOM_FAST_PATH", True)
# Articles whose markup each process keeps, keyed by everything it shows
# (articles/public/article_page.py); about 15 KB each. 0 renders every time.
NEWSROOM_ARTICLE_MARKUP_MEMO_SIZE = env_int("NEWSROOM_ARTICLE_MARKUP_MEMO_SIZE", 500)
# Article pages whose document each process keeps, keyed by the values of
# its parts (the markup above, the frame), without the rails under the
# article (they change with every publication); about 11 KB each. 0 renders
# every time.
NEWSROOM_ARTICLE_DOCUMENT_MEMO_SIZE = env_int(
    "NEWSROOM_ARTICLE_DOCUMENT_MEMO_SIZE", 100
)
# How long a process keeps the cache generation it read (a purge by another
# process reaches it at most this much later; one of its own at once): a
# cached page then costs no round trip to Redis. 0: read on every request.
NEWSROOM_PAGE_GENERATION_SECONDS = env_float("NEWSROOM_PAGE_GENERATION_SECONDS", 1.0)
# Cached pages and fragments each process also keeps in its own memory (of
# the current cache generation, so a purge reaches them as it reaches the
# generation above); about 80 KB each. 0: every request reads them from the
# shared cache.
NEWSROOM_PAGE_COPIES_PER_PROCESS = env_int("NEWSROOM_PAGE_COPIES_PER_PROCESS", 100)
# Sponsored slots competing for one place take turns in windows this long.
NEWSROOM_SPONSORED_ROTATION_SECONDS = env_int(
    "NEWSROOM_SPONSORED_ROTATION_SECONDS", 10 * 60
)
# Words a sponsored slot's kicker may not contain (comma-separated, any
# case, whole words): an advertisement must not pose as editorial advice.
NEWSROOM_SPONSORED_FORBIDDEN_CLAIMS = env_list(
    "NEWSROOM_SPONSORED_FORBIDDEN_CLAIMS",
    "Redaktion,empfiehlt,Tipp der Redaktion",
)
# View, impression and click counts wait in a buffer until `flush_counts`:
# Redis when configured, else append-only files (single machine).
NEWSROOM_COUNTER_BUFFER = os.environ.get(
    "NEWSROOM_COUNTER_BUFFER", "redis" if REDIS_URL else "file"
)
# Counts must survive a cache flush and eviction: production points this at
# a Redis database of its own with `maxmemory-policy noeviction`.
NEWSROOM_COUNTER_REDIS_URL = os.environ.get("NEWSROOM_COUNTER_REDIS_URL", REDIS_URL)
NEWSROOM_COUNTER_PREFIX = (
    f"{os.environ.get('NEWSROOM_CACHE_PREFIX', 'newsroom')}:counts:"
)
NEWSROOM_COUNTER_DIR = Path(
    os.environ.get("NEWSROOM_COUNTER_DIR", BASE_DIR / "var" / "counters")
)
# Each web process sums its increments and hands them to the buffer this
# often (a process killed outright loses at most this much); 0: every request.
NEWSROOM_COUNTER_PUSH_SECONDS = env_int("NEWSROOM_COUNTER_PUSH_SECONDS", 2)
# A reader (same address and browser) counts at most once per object in each
# window of this many seconds: reloads and repeated clicks add nothing.
# 0 counts every request.
NEWSROOM_COUNT_REPEAT_SECONDS = env_int("NEWSROOM_COUNT_REPEAT_SECONDS", 30)
# How many proxies in front of gunicorn append the address they saw to
# X-Forwarded-For: the client's address is that many entries from the right
# (newsroom/clients.py; login throttle, counts, search limits). 0:
# REMOTE_ADDR. More than there are lets clients choose their address.
# Production sits behind one TLS-terminating proxy (SECURE_PROXY_SSL_HEADER
# below trusts it too); without it every client would be the proxy's address.
NEWSROOM_PROXY_COUNT = env_int("NEWSROOM_PROXY_COUNT", 0 if DEBUG else 1)
# Shared preview links ("Vorschau-Link") stop working after this many hours.
NEWSROOM_PREVIEW_LINK_HOURS = env_int("NEWSROOM_PREVIEW_LINK_HOURS", 48)
# The edit form sends its unsaved input to the server this often (autosave).
NEWSROOM_AUTOSAVE_SECONDS = env_int("NEWSROOM_AUTOSAVE_SECONDS", 30)
# URLs POSTed to (e.g. a WebSub hub) when articles go live or are withdrawn.
NEWSROOM_PUBLICATION_PING_URLS = env_list("NEWSROOM_PUBLICATION_PING_URLS")
# The largest agency item (and feed URL download): larger ones are refused
# as they are read. Applying an item takes about 25 times its size in
# memory, so this bounds an import's memory (docs/operations.md).
NEWSROOM_IMPORT_MAX_BYTES = env_int("NEWSROOM_IMPORT_MAX_BYTES", 8 * 1000 * 1000)
# Photo downloads during imports: time limit per request; private, loopback
# and link-local hosts are refused unless this is on (tests only).
NEWSROOM_IMPORT_TIMEOUT_SECONDS = env_int("NEWSROOM_IMPORT_TIMEOUT_SECONDS", 15)
# The whole of one download (feed file or photo), however slowly it drips.
NEWSROOM_IMPORT_DOWNLOAD_DEADLINE_SECONDS = env_int(
    "NEWSROOM_IMPORT_DOWNLOAD_DEADLINE_SECONDS", 60
)
# XML elements one agency item may have (each costs about 100 bytes of
# memory, so NEWSROOM_IMPORT_MAX_BYTES of tiny elements would cost 50 times
# that); an item with more fails alone.
NEWSROOM_IMPORT_MAX_XML_ELEMENTS = env_int("NEWSROOM_IMPORT_MAX_XML_ELEMENTS", 100_000)
# Failures (and notes) an import report lists; beyond, it only counts them.
NEWSROOM_IMPORT_REPORT_MAX_FAILURES = env_int(
    "NEWSROOM_IMPORT_REPORT_MAX_FAILURES", 100
)
# Not read from the environment: no deployment may switch the guard off.
NEWSROOM_IMPORT_ALLOW_PRIVATE_HOSTS = False
# Imported stories land in this section when no mapping names one.
NEWSROOM_IMPORT_DEFAULT_SECTION = os.environ.get(
    "NEWSROOM_IMPORT_DEFAULT_SECTION", "nachrichten"
)
# Imported items per transaction (each item still has its own savepoint).
NEWSROOM_IMPORT_BATCH_SIZE = env_int("NEWSROOM_IMPORT_BATCH_SIZE", 100)
