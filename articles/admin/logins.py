"""Login throttling for the admin, the site's only login.

After NEWSROOM_LOGIN_MAX_FAILURES failed logins for one account name, or
NEWSROOM_LOGIN_MAX_FAILURES_PER_ADDRESS from one address, within
NEWSROOM_LOGIN_FAILURE_WINDOW_MINUTES, every further login of that account
or from that address is refused for NEWSROOM_LOGIN_LOCKOUT_MINUTES, counted
from the last failure. A refused attempt is neither checked nor counted, so
the lock ends on time, even while an attacker keeps trying.

Failures are rows in the database (`LoginFailure`), so throttling holds
when the cache is down. A successful login clears its account's failures,
not its address's: one working password must not reset an address that
tries many accounts.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from articles.models import LoginFailure
from newsroom.clients import client_address

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginLock:
    until: datetime
    account: bool  # else the address is locked

    @property
    def message(self) -> str:
        values = {"until": time_format(timezone.localtime(self.until), "H:i")}
        if self.account:
            return (
                _(
                    "Zu viele fehlgeschlagene Anmeldeversuche für dieses "
                    "Benutzerkonto. Die Anmeldung ist bis %(until)s Uhr "
                    "gesperrt; bitte versuchen Sie es danach erneut."
                )
                % values
            )
        return (
            _(
                "Zu viele fehlgeschlagene Anmeldeversuche von diesem Anschluss "
                "(IP-Adresse). Anmeldungen von hier sind bis %(until)s Uhr "
                "gesperrt; bitte versuchen Sie es danach erneut."
            )
            % values
        )


def lock_after(times: list[datetime], *, limit: int, now: datetime):
    """When a lock from these failure times (newest first) ends, if it holds
    at `now`; None otherwise.

    Attempts refused during a lock are not recorded, so the newest recorded
    failure is the one that set off the lock, if any.
    """
    if limit <= 0 or len(times) < limit:
        return None
    window = timedelta(minutes=settings.NEWSROOM_LOGIN_FAILURE_WINDOW_MINUTES)
    lockout = timedelta(minutes=settings.NEWSROOM_LOGIN_LOCKOUT_MINUTES)
    newest, oldest = times[0], times[limit - 1]
    if newest - oldest > window or newest + lockout <= now:
        return None
    return newest + lockout


def current_lock(username: str, address: str) -> LoginLock | None:
    """The lock on this account or this address now, if any."""
    now = timezone.now()
    limit = settings.NEWSROOM_LOGIN_MAX_FAILURES
    times = LoginFailure.objects.for_account(username[:150]).latest_times(limit)
    if until := lock_after(times, limit=limit, now=now):
        return LoginLock(until, account=True)
    limit = settings.NEWSROOM_LOGIN_MAX_FAILURES_PER_ADDRESS
    times = LoginFailure.objects.from_address(address).latest_times(limit)
    if until := lock_after(times, limit=limit, now=now):
        return LoginLock(until, account=False)
    return None


def record_failure(username: str, address: str) -> LoginLock | None:
    """Count a refused password; returns the lock it sets off, if any."""
    now = timezone.now()
    LoginFailure.objects.create(username=username[:150], address=address, at=now)
    # Older failures can no longer take part in a lock.
    keep = timedelta(
        minutes=settings.NEWSROOM_LOGIN_FAILURE_WINDOW_MINUTES
        + settings.NEWSROOM_LOGIN_LOCKOUT_MINUTES
    )
    LoginFailure.objects.filter(at__lt=now - keep).delete()
    lock = current_lock(username, address)
    if lock is not None:
        logger.warning(
            "Logins locked until %s for %s (failure for account %r from %s)",
            lock.until.isoformat(),
            f"account {username!r}" if lock.account else f"address {address}",
            username,
            address,
        )
    return lock


def record_success(username: str) -> None:
    LoginFailure.objects.for_account(username[:150]).delete()


class ThrottledLoginForm(AdminAuthenticationForm):
    """The admin's login form, refusing logins while throttled."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()  # a field error; nothing was checked
        # Trimmed to the column: a forged X-Forwarded-For entry may be long.
        address = client_address(self.request)[:64]
        if lock := current_lock(username, address):
            logger.info("Login refused while locked: %r from %s", username, address)
            raise ValidationError(lock.message, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) != "invalid_login":
                raise
            if lock := record_failure(username, address):
                raise ValidationError(lock.message, code="throttled") from None
            raise
        record_success(username)
        return cleaned
