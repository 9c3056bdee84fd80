"""One spelling of the site's host per origin, before anything reads it.

Django checks the Host header against ALLOWED_HOSTS ignoring its port,
letter case and a trailing dot. Pages are cached per origin and spell out
absolute addresses, so `example.de:1`, `example.de:2`, `EXAMPLE.de` and
`example.de.` would each build and store a copy of every page (a client
could fill the cache), and their links would carry the client's spelling.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.request import split_domain_port

DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_host(request: HttpRequest) -> str:
    """The request's host, lower case, without a trailing dot, with a port
    only if it is not the scheme's default; raises DisallowedHost for a
    host not in ALLOWED_HOSTS or a port the site is not served on."""
    domain, port = split_domain_port(request.get_host())
    if not port:
        return domain
    number = int(port)
    if number == DEFAULT_PORTS.get(request.scheme):
        return domain
    # Development servers listen on any port; production names its own.
    if settings.DEBUG or str(number) in settings.NEWSROOM_ALLOWED_PORTS:
        return f"{domain}:{number}"
    raise DisallowedHost(
        f"Port {port} in the Host header is not in NEWSROOM_ALLOWED_PORTS."
    )


class CanonicalHostMiddleware:
    """Rewrites the Host header to `canonical_host()` (400 if there is none).

    First in MIDDLEWARE: every later reader (the page cache's key, the
    markup memo, absolute addresses) sees the canonical host.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = canonical_host(request)
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in request.META:
            request.META["HTTP_X_FORWARDED_HOST"] = host
        else:
            request.META["HTTP_HOST"] = host
        return self.get_response(request)
