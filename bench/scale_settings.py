"""Settings for bench/scale.py: production settings with plain static files.

The measurements run in-process without `collectstatic`, so the static files
storage is the plain one (the manifest's hashing is no part of what scales).
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
