"""Downloading agency photos without becoming a proxy into our network.

Only http and https; every address the host name resolves to must be a
public one (no loopback, private, link-local or reserved ranges), and the
connection goes to exactly the address that was checked, so a DNS answer
that changes in between cannot redirect it. Redirects are not followed,
the download stops at the size limit, and the content type must be an image.

Each read waits at most NEWSROOM_IMPORT_TIMEOUT_SECONDS, and the whole
download at most NEWSROOM_IMPORT_DOWNLOAD_DEADLINE_SECONDS: a server that
sends a byte every few seconds would pass every read's timeout forever.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from articles.importers.items import ParseError


class FetchError(ParseError):
    pass


def public_address(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise FetchError(_("Host „%(host)s“ ist unbekannt.") % {"host": host}) from None
    addresses = {info[4][0] for info in infos}
    allow_private = settings.NEWSROOM_IMPORT_ALLOW_PRIVATE_HOSTS
    for address in addresses:
        if not allow_private and not ipaddress.ip_address(address).is_global:
            raise FetchError(
                _("„%(host)s“ zeigt auf eine interne Adresse (%(address)s).")
                % {"host": host, "address": address}
            )
    return sorted(addresses)[0]


def fetch_image(url: str) -> tuple[bytes, str]:
    """(bytes, content type) of an image URL, within the configured limits."""
    return fetch(url, accept="image/", limit=settings.NEWSROOM_PHOTO_MAX_BYTES)


def fetch_document(url: str) -> bytes:
    """A feed file from a URL, within the import size limit."""
    return fetch(url, accept="", limit=settings.NEWSROOM_IMPORT_MAX_BYTES)[0]


def fetch(url: str, *, accept: str, limit: int) -> tuple[bytes, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(
            _("Nur http- und https-Adressen: „%(url)s“.") % {"url": url[:80]}
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = public_address(parts.hostname, port)
    timeout = settings.NEWSROOM_IMPORT_TIMEOUT_SECONDS
    if parts.scheme == "https":
        connection = PinnedHTTPSConnection(parts.hostname, port, address, timeout)
    else:
        connection = http.client.HTTPConnection(address, port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    deadline = Deadline(connection, settings.NEWSROOM_IMPORT_DOWNLOAD_DEADLINE_SECONDS)
    try:
        connection.request(
            "GET", path, headers={"Host": parts.netloc, "User-Agent": "Newsroom-Import"}
        )
        if deadline.expired:  # while connecting, before there was a socket
            raise deadline.error(url)
        response = connection.getresponse()
        if response.status != 200:
            raise FetchError(
                _("%(url)s antwortet mit %(status)s.")
                % {"url": url[:80], "status": response.status}
            )
        content_type = response.getheader("Content-Type", "").split(";")[0].strip()
        if not content_type.startswith(accept):
            raise FetchError(
                _("%(url)s liefert kein Bild (%(type)s).")
                % {"url": url[:80], "type": content_type or "?"}
            )
        data = response.read(limit + 1)
        if deadline.expired:
            raise deadline.error(url)
        if len(data) > limit:
            raise FetchError(
                _("%(url)s ist größer als %(limit)s Bytes.")
                % {"url": url[:80], "limit": limit}
            )
        return data, content_type
    except (OSError, http.client.HTTPException) as error:
        if deadline.expired:
            raise deadline.error(url) from None
        raise FetchError(
            _("%(url)s: %(error)s") % {"url": url[:80], "error": error}
        ) from None
    finally:
        deadline.cancel()
        connection.close()


class Deadline:
    """Cuts `connection` off once `seconds` have passed, whatever it is
    waiting for (a slow drip of headers or body)."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float):
        self.connection, self.seconds = connection, seconds
        self.expired = False
        self.timer = threading.Timer(seconds, self.cut_off)
        self.timer.daemon = True
        self.timer.start()

    def cut_off(self) -> None:
        self.expired = True
        if (sock := self.connection.sock) is not None:
            # The blocked read returns at once; close() follows as usual.
            # (Closed meanwhile: nothing to cut off.)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.timer.cancel()

    def error(self, url: str) -> FetchError:
        return FetchError(
            _(
                "%(url)s: nach %(seconds)s Sekunden abgebrochen "
                "(Frist für das Herunterladen, "
                "NEWSROOM_IMPORT_DOWNLOAD_DEADLINE_SECONDS)."
            )
            % {"url": url[:80], "seconds": self.seconds}
        )


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with certificate and SNI for the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
