"""A Redis cache client that reuses one redis.Redis per connection pool.

Django's RedisCacheClient builds a new redis.Redis object for every cache
call (each one fills a table of ~200 response callbacks); on a page served
from the cache that was a third of the request. redis.Redis is thread-safe
and holds no per-call state, so one per pool is enough. The backend that
uses it is newsroom/cache.py.

Relies on: RedisCacheClient.get_client, _get_connection_pool and _client.
"""

from django.core.cache.backends import redis as django_redis

from newsroom.perf.switch import fast_path


class ReusingRedisCacheClient(django_redis.RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        if not fast_path():
            return super().get_client(key, write=write)
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        if (client := clients.get(id(pool))) is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client
