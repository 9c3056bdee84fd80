import os
import shutil
import uuid
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.public.page_cache import KeptGeneration
from newsroom.settings import s3_media_storage
from tests.redis_server import RedisServer


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def counter_dir(settings, tmp_path):
    """Counts go to a file buffer of the test's own (see test_counting)."""
    settings.NEWSROOM_COUNTER_BUFFER = "file"
    settings.NEWSROOM_COUNTER_DIR = tmp_path / "counters"
    settings.NEWSROOM_COUNTER_PUSH_SECONDS = 0
    return settings.NEWSROOM_COUNTER_DIR


@pytest.fixture(autouse=True)
def empty_cache():
    # The local-memory cache outlives a test; cached pages must not, nor
    # the generation a process keeps for a moment.
    cache.clear()
    KeptGeneration.forget()
    yield
    cache.clear()
    KeptGeneration.forget()


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: what the services and pages call now, by
    which the page cache expires too."""

    class Clock:
        now = timezone.now()

        def move(self, **delta):
            self.now += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def count_queries():
    """Run `action` and return how many queries it made."""

    def count(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    return count


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own (tests/redis_server.py); missing
    redis-server skips the test locally and fails it on CI."""
    if shutil.which("redis-server") is None:
        message = "redis-server not found (apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    for _attempt in range(3):  # a port taken between finding and binding
        server = RedisServer(tmp_path)
        try:
            server.start()
            break
        except RuntimeError:
            continue
    else:
        pytest.fail("redis-server did not start")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_cache(settings, redis_server):
    """The production cache backend on the test's own Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "test",
        }
    }
    return redis_server


@pytest.fixture(scope="session")
def s3_server():
    """An S3 API on a free local port, as the object store answers it over
    HTTP (moto's server mode): the address to give boto3 as endpoint."""
    # Imported here: moto takes a second to load, which only these tests pay.
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_server, monkeypatch):
    """A fresh bucket of the local S3 server, with credentials for it in the
    environment (also of the test's subprocesses): a boto3 client on it and
    the bucket's name."""
    import boto3

    # Any key does for moto; set, they keep boto3 from asking ~/.aws or an
    # instance-metadata address.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-central-1")
    client.create_bucket(
        Bucket=bucket,
        CreateBucketConfiguration={"LocationConstraint": "eu-central-1"},
    )
    return client, bucket


@pytest.fixture
def s3_media(settings, s3_server, s3_bucket):
    """Media in a fresh bucket of the local S3 server, through the settings
    NEWSROOM_MEDIA_STORAGE=s3 makes; returns a boto3 client on it and the
    bucket's name."""
    client, bucket = s3_bucket
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_media_storage(
            bucket, endpoint_url=s3_server, region_name="eu-central-1"
        ),
    }
    return client, bucket


def pytest_collection_modifyitems(items):
    # A run with NEWSROOM_FAST_PATH=false (the way out when a Django upgrade
    # breaks a speed helper) checks the plain path only.
    if django_settings.NEWSROOM_FAST_PATH:
        return
    skip = pytest.mark.skip(reason="NEWSROOM_FAST_PATH=false: fast path not run")
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_fast_path = callspec and callspec.params.get("both_paths") == "fast"
        if on_fast_path or item.get_closest_marker("fast_path"):
            item.add_marker(skip)


@pytest.fixture(params=["fast", "plain"])
def both_paths(request, settings):
    """The test once with the speed helpers of newsroom/perf/ that rely on
    Django internals, once without (NEWSROOM_FAST_PATH)."""
    settings.NEWSROOM_FAST_PATH = request.param == "fast"
    return request.param
