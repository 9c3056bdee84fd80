import pytest

from newsroom.clients import client_address, pseudonym


def request_from(rf, remote_addr, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return rf.get("/", headers=headers, REMOTE_ADDR=remote_addr)


def test_without_proxies_the_peer_is_the_client(rf, settings):
    settings.NEWSROOM_PROXY_COUNT = 0
    request = request_from(rf, "192.0.2.1", "198.51.100.7")
    assert client_address(request) == "192.0.2.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "client"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "forged, 198.51.100.7", "198.51.100.7"),
        (2, "forged, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, " 198.51.100.7 ,", "198.51.100.7"),
        # Fewer entries than proxies: the request bypassed them.
        (2, "198.51.100.7", "192.0.2.1"),
        (1, None, "192.0.2.1"),
    ],
)
def test_behind_proxies_the_client_is_counted_from_the_right(
    rf, settings, proxies, forwarded_for, client
):
    settings.NEWSROOM_PROXY_COUNT = proxies
    assert client_address(request_from(rf, "192.0.2.1", forwarded_for)) == client


def test_pseudonyms_are_stable_per_purpose_and_hide_the_address():
    first = pseudonym("198.51.100.7", purpose="a")
    assert first == pseudonym("198.51.100.7", purpose="a")
    assert first != pseudonym("198.51.100.7", purpose="b")
    assert first != pseudonym("198.51.100.8", purpose="a")
    assert len(first) == 16 and first != "198.51.100.7"
