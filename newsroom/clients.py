"""Who sent a request: the reader's address, and pseudonyms to keep instead.

Behind a TLS proxy, REMOTE_ADDR is the proxy's address; each proxy in front
appends the address it saw to X-Forwarded-For. With NEWSROOM_PROXY_COUNT
proxies in front, the reader's address is that many entries from the right:
entries further left were written by the client and may be forged.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


def client_address(request: HttpRequest) -> str:
    proxies = settings.NEWSROOM_PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def pseudonym(value: str, *, purpose: str) -> str:
    """A short keyed hash (SECRET_KEY) of `value`, such as an address.

    Buffers and caches keep this instead of the address itself; `purpose`
    gives each use pseudonyms of its own.
    """
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()[:16]
