"""Running the portal's commands in a process of their own, with the environment of a
production server or of none."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7#kq2!vB9zR4mW8pL1sT6yN3cF5hJ0dG2eA9uQ7iO4wE8rY1tU6",
    "DJANGO_ALLOWED_HOSTS": "zscq.example.gov.cn",
    "DATABASE_URL": "sqlite:///var/production-check.sqlite3",
}


def clean_environment(**env):
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    return {**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
    )
