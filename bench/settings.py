"""Settings for bench/pages.py: the production settings plus the bare view.

Everything comes from newsroom.settings (and so from the environment the
benchmark sets: DEBUG=false, SECRET_KEY, DATABASE_URL, …); only the URLconf
differs, to add /bench/bare/.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
