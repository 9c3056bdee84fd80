import pytest

from newsroom.cache import RedisCache

# Clients connect on their first command only: no Redis server is needed.
LOCATION = "redis://127.0.0.1:6379/15"


@pytest.mark.fast_path
def test_one_client_per_connection_pool():
    client = RedisCache(LOCATION, {})._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client("key", write=True)


def test_without_the_fast_path_every_call_gets_django_s_new_client(settings):
    settings.NEWSROOM_FAST_PATH = False
    client = RedisCache(LOCATION, {})._cache
    assert client.get_client() is not client.get_client()
    assert client.get_client().connection_pool is client.get_client().connection_pool
