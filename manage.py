#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # A machine without any production configuration is a developer's: let
    # `manage.py shell` & co. work there without exports. Production always
    # sets SECRET_KEY, so there DEBUG keeps its secure default (off), and
    # gunicorn (wsgi.py) never takes this path.
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
