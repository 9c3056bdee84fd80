"""The project's URLs plus /bench/bare/, the front-page benchmark's baseline.

bare_view is a plain Django view behind the full middleware stack that returns
the bytes of a front page saved by bench/front_page.py (path in the environment
variable BENCH_BARE_BODY), read once per process on first use.
"""

import functools
import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as project_urlpatterns


@functools.cache
def bare_body() -> bytes:
    return Path(os.environ["BENCH_BARE_BODY"]).read_bytes()


def bare_view(request):
    return HttpResponse(bare_body(), content_type="text/html; charset=utf-8")


# First: the project's last pattern treats any first path segment as a section.
urlpatterns = [path("bench/bare/", bare_view), *project_urlpatterns]
