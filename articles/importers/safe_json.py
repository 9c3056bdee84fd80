"""JSON from agencies, read defensively: size, depth, encoding, NUL bytes.

Size, NUL bytes and encoding are checked before parsing; nesting deeper than
the interpreter's recursion limit makes the C decoder stop cleanly. Each
refusal gives a reason an operator can act on.
"""

import json

from django.utils.translation import gettext as _

from articles.importers.items import ParseError, check_raw


def load_json(data: bytes):
    check_raw(data)
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
