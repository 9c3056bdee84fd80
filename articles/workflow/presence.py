"""Who has an article open in the admin right now.

Each open edit form reports in every PRESENCE_HEARTBEAT seconds (and on
load); an entry expires PRESENCE_TIMEOUT seconds after the last report, so a
closed tab or a lost connection clears the notice by itself.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

PRESENCE_HEARTBEAT = 30
PRESENCE_TIMEOUT = 90


@dataclass(frozen=True)
class Editor:
    user_id: int
    name: str
    since: datetime

    @property
    def notice(self) -> str:
        return _("wird gerade von %(name)s bearbeitet (seit %(time)s Uhr)") % {
            "name": self.name,
            "time": timezone.localtime(self.since).strftime("%H:%M"),
        }


def _key(article_id: int) -> str:
    return f"presence:article:{article_id}"


def report_editing(article_id: int, user) -> None:
    now = timezone.now()
    # Read, change, write: two pings at the same instant may drop one entry,
    # which the next ping (30 s later) restores.
    editors = {
        user_id: (name, since, seen)
        for user_id, (name, since, seen) in (cache.get(_key(article_id)) or {}).items()
        if (now - seen).total_seconds() < PRESENCE_TIMEOUT
    }
    current = editors.get(user.pk)
    since = current[1] if current else now
    editors[user.pk] = (user.get_full_name() or user.get_username(), since, now)
    cache.set(_key(article_id), editors, PRESENCE_TIMEOUT)


def other_editors(article_id: int, user) -> list[Editor]:
    """Everyone but `user` with the article open, longest first."""
    now = timezone.now()
    editors = cache.get(_key(article_id)) or {}
    return sorted(
        (
            Editor(user_id=user_id, name=name, since=since)
            for user_id, (name, since, seen) in editors.items()
            if user_id != user.pk and (now - seen).total_seconds() < PRESENCE_TIMEOUT
        ),
        key=lambda editor: editor.since,
    )


def stop_editing(article_id: int, user) -> None:
    editors = cache.get(_key(article_id)) or {}
    if editors.pop(user.pk, None) is not None:
        cache.set(_key(article_id), editors, PRESENCE_TIMEOUT)
