"""The project's URLs plus /bench/bare/<page>/, the page benchmark's baseline.

bare_view is a plain Django view behind the full middleware stack that returns
the bytes of a page saved by bench/pages.py (as <page>.html in the folder named
by the environment variable BENCH_BARE_DIR), read once per process.
"""

import functools
import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as project_urlpatterns


@functools.cache
def bare_body(page: str) -> bytes:
    return (Path(os.environ["BENCH_BARE_DIR"]) / f"{page}.html").read_bytes()


def bare_view(request, page: str):
    return HttpResponse(bare_body(page), content_type="text/html; charset=utf-8")


# First: the project's last pattern treats any first path segment as a section.
urlpatterns = [path("bench/bare/<slug:page>/", bare_view), *project_urlpatterns]
