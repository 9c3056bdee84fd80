import socket
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from articles.models import LoginFailure
from newsroom.clients import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "richtig-und-lang-genug"
LOCKED_ACCOUNT = "Zu viele fehlgeschlagene Anmeldeversuche für dieses Benutzerkonto."
LOCKED_ADDRESS = "Zu viele fehlgeschlagene Anmeldeversuche von diesem Anschluss"


@pytest.fixture(autouse=True)
def throttle(settings):
    # Every refused login hashes a password too: a fast hasher keeps this
    # file quick without changing what is counted.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.NEWSROOM_LOGIN_MAX_FAILURES = 3
    settings.NEWSROOM_LOGIN_MAX_FAILURES_PER_ADDRESS = 5
    settings.NEWSROOM_LOGIN_FAILURE_WINDOW_MINUTES = 15
    settings.NEWSROOM_LOGIN_LOCKOUT_MINUTES = 15
    settings.NEWSROOM_PROXY_COUNT = 0
    return settings


def staff(username: str):
    return UserFactory(username=username, password=PASSWORD)


def log_in(username, password=PASSWORD, address="198.51.100.7", **headers):
    """(logged in?, page text) of one try at the admin's login form."""
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(
        reverse("admin:login"), {"username": username, "password": password}
    )
    return "_auth_user_id" in client.session, response.content.decode()


def age_failures(minutes: int) -> None:
    for failure in LoginFailure.objects.all():
        failure.at -= timedelta(minutes=minutes)
        failure.save()


def test_an_account_is_locked_after_too_many_failures():
    staff("rita")
    assert log_in("rita", "falsch")[0] is False
    assert log_in("rita", "falsch")[0] is False
    logged_in, page = log_in("rita", "falsch")
    assert LOCKED_ACCOUNT in page  # the failure that locks says so
    # Even the right password, from anywhere, until the lock ends.
    logged_in, page = log_in("rita", address="203.0.113.50")
    assert not logged_in
    assert LOCKED_ACCOUNT in page and "Uhr gesperrt" in page
    assert "Bitte einen gültigen Benutzernamen" not in page


def test_the_lock_ends_after_the_lockout_time_and_refusals_do_not_extend_it():
    staff("rita")
    for _ in range(3):
        log_in("rita", "falsch")
    for _ in range(4):
        log_in("rita", "noch-falscher")  # refused unchecked, not counted
    assert LoginFailure.objects.count() == 3
    age_failures(14)
    assert log_in("rita")[0] is False
    age_failures(2)
    assert log_in("rita")[0] is True
    assert not LoginFailure.objects.for_account("rita").exists()


def test_failures_spread_wider_than_the_window_do_not_add_up():
    staff("rita")
    log_in("rita", "falsch")
    log_in("rita", "falsch")
    age_failures(16)
    log_in("rita", "falsch")
    assert log_in("rita")[0] is True


def test_an_address_trying_many_accounts_is_locked_for_all_of_them():
    staff("anna")
    for name in ["bert", "carla", "dora", "emil", "frida"]:
        log_in(name, "rate-mal")
    logged_in, page = log_in("anna")
    assert not logged_in
    assert LOCKED_ADDRESS in page
    assert log_in("anna", address="192.0.2.1")[0] is True


def test_a_login_clears_its_account_s_failures_but_not_its_address_s():
    staff("anna")
    log_in("anna", "falsch")
    log_in("unbekannt", "falsch")
    assert log_in("anna")[0] is True
    assert list(LoginFailure.objects.values_list("username", flat=True)) == [
        "unbekannt"
    ]


def test_a_limit_of_zero_turns_throttling_off(settings):
    settings.NEWSROOM_LOGIN_MAX_FAILURES = 0
    settings.NEWSROOM_LOGIN_MAX_FAILURES_PER_ADDRESS = 0
    staff("rita")
    for _ in range(6):
        log_in("rita", "falsch")
    assert log_in("rita")[0] is True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_throttling_holds_while_the_cache_is_down():
    # A Redis that is not there: nothing listens on this port.
    dead_redis = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    staff("rita")
    with override_settings(CACHES=dead_redis):
        for _ in range(3):
            log_in("rita", "falsch")
        logged_in, page = log_in("rita")
    assert not logged_in
    assert LOCKED_ACCOUNT in page


def test_behind_trusted_proxies_the_client_is_counted_not_the_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert client_address(request) == "10.0.0.2"
    settings.NEWSROOM_PROXY_COUNT = 1
    # The entry our proxy added; what the client claimed before it is not.
    assert client_address(request) == "203.0.113.9"
    settings.NEWSROOM_PROXY_COUNT = 3
    assert client_address(request) == "10.0.0.2"  # not through all proxies
    settings.NEWSROOM_PROXY_COUNT = 1
    staff("anna")
    for name in ["bert", "carla", "dora", "emil", "frida"]:
        log_in(name, "rate-mal", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert log_in("anna", HTTP_X_FORWARDED_FOR="203.0.113.9")[0] is False
    # Another client behind the same proxy is not locked out.
    assert log_in("anna", HTTP_X_FORWARDED_FOR="203.0.113.10")[0] is True
