from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """A production page cache must be shared by all web processes."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.NEWSROOM_PAGE_CACHE_SECONDS > 0 and backend.endswith("LocMemCache"):
        return [
            Warning(
                "The page cache is in each process's own memory: a purge after "
                "publishing reaches one gunicorn worker only, the others serve the "
                "old page until it expires.",
                hint="Set REDIS_URL, or NEWSROOM_PAGE_CACHE_SECONDS=0.",
                id="newsroom.W001",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_exact_hosts(app_configs, **kwargs):
    """Each allowed host has its own copy of every cached page."""
    wildcards = [
        host for host in settings.ALLOWED_HOSTS if host == "*" or host.startswith(".")
    ]
    if settings.NEWSROOM_PAGE_CACHE_SECONDS > 0 and wildcards:
        return [
            Warning(
                "ALLOWED_HOSTS matches any host or subdomain "
                f"({', '.join(wildcards)}): pages are cached per host, so a "
                "client naming ever new ones makes the cache store ever new "
                "copies of every page.",
                hint="List each host the site is served under.",
                id="newsroom.W002",
            )
        ]
    return []
