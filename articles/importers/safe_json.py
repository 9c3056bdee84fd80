"""JSON from agencies, read defensively: size, depth, encoding, NUL bytes.

Size, NUL bytes and encoding are checked before parsing; nesting deeper than
the interpreter's recursion limit makes the C decoder stop cleanly. Each
refusal gives a reason an operator can act on.
"""

import json

from django.conf import settings
from django.utils.translation import gettext as _

from articles.importers.items import ParseError, too_large


def load_json(data: bytes):
    limit = settings.NEWSROOM_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise too_large()
    if b"\x00" in data:
        raise ParseError(_("Die Datei enthält NUL-Bytes."))
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(
            _("Kein gültiges UTF-8 (Byte %(position)s).") % {"position": error.start}
        ) from None
    try:
        return json.loads(source)
    except RecursionError:
        # The C decoder counts its own depth and stops cleanly.
        raise ParseError(_("Die Daten sind zu tief verschachtelt.")) from None
    except json.JSONDecodeError as error:
        raise ParseError(
            _("Kein gültiges JSON: %(message)s (Zeile %(line)s).")
            % {"message": error.msg, "line": error.lineno}
        ) from None
