#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A checkout with no database configured is a local run: its data is the local SQLite file,
    # so a command there may use the local defaults. Production always names its database
    # (the settings refuse to start without DATABASE_URL when DEBUG is off), so it never gets
    # here, and the web server (config.wsgi) never reads this default at all.
    if not os.environ.get("DATABASE_URL", "").strip():
        os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
