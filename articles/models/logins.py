"""Failed admin logins, for throttling (articles/admin/logins.py).

Kept in the database rather than the cache: throttling must hold while
Redis is down, and a cache eviction must not hand an attacker fresh tries.
"""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginFailureQuerySet(models.QuerySet):
    def for_account(self, username: str):
        return self.filter(username=username)

    def from_address(self, address: str):
        return self.filter(address=address)

    def latest_times(self, count: int) -> list[datetime]:
        """The times of the newest `count` failures, newest first."""
        return list(self.order_by("-at").values_list("at", flat=True)[:count])


class LoginFailure(models.Model):
    """One refused password, by the account name tried and the address."""

    # As typed, whether or not such an account exists: answering differently
    # for unknown names would tell an attacker which names exist.
    username = models.CharField(_("Benutzername"), max_length=150)
    address = models.CharField(_("Adresse"), max_length=64)
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)

    objects = LoginFailureQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fehlgeschlagene Anmeldung")
        verbose_name_plural = _("Fehlgeschlagene Anmeldungen")
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["address", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self):
        return f"{self.username} von {self.address} ({self.at:%Y-%m-%d %H:%M})"
