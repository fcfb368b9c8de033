#!/usr/bin/env python
import os
import sys


def main():
    # No defaults of our own: the settings run in production mode unless DJANGO_DEBUG=true says
    # this is a local run (as make sets it), and production refuses to start without its
    # DATABASE_URL, so a command never quietly works on the local SQLite file instead.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
