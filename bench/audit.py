"""Benchmark: what the audit trail costs, and how fast its page is on a large trail.

1. Pages with the audit trail on, against the same pages with it off (its middleware taken out
   and nothing recorded), side by side in one process on a fresh SQLite database with the demo:
   each round times every page both ways, in alternating order; the medians and their ratio are
   printed. Target: within 5 %.
2. The audit page on PostgreSQL with --events generated events (10 million by default) in a
   scratch database (created, then dropped): the page filtered by a user, by a day, and by both,
   first page and fifth, as the 审计管理员 opens it. Target: under 200 ms a page.

    .venv/bin/python bench/audit.py [--rounds 15] [--events 10000000]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--skip-pages] [--skip-trail]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "home": "/",
    "ranked table 2020 patent": "/reports/2020/patent/",
    "board 2021": "/periods/2021/board/",
    "report 洛阳 2021": "/periods/2021/410300/",
    "ranked table 2020 patent, CSV (a download)": "/reports/2020/patent/?_export=csv",
    "ranked table 2020 patent, XLSX (a download)": "/reports/2020/patent/?_export=xlsx",
}
REQUESTS = 20  # per page, per round, per mode


def setup(database_url):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=database_url,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_LOG_LEVEL="ERROR",
    )
    import django

    django.setup()


def pages(rounds):
    from unittest import mock

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    call_command("loaddemo", stdout=open(os.devnull, "w"))
    client = Client()
    client.force_login(get_user_model().objects.get(username="reviewer"))
    without = [m for m in settings.MIDDLEWARE if m != "audit.middleware.AuditMiddleware"]

    def timed(path):
        started = time.perf_counter()
        for _ in range(REQUESTS):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return (time.perf_counter() - started) / REQUESTS * 1000

    def off(path):
        with override_settings(MIDDLEWARE=without), mock.patch("audit.services.record"):
            return timed(path)

    for path in PAGES.values():  # first renders, caches
        timed(path)
        off(path)
    times = {label: {"on": [], "off": []} for label in PAGES}
    for round_ in range(rounds):
        for label, path in PAGES.items():
            order = (("on", timed), ("off", off)) if round_ % 2 else (("off", off), ("on", timed))
            for mode, run in order:
                times[label][mode].append(run(path))
    print(f"pages, audit trail on and off ({rounds} rounds × {REQUESTS} requests, SQLite, demo)")
    for label, modes in times.items():
        on, off_ = statistics.median(modes["on"]), statistics.median(modes["off"])
        print(f"  {label:44} on {on:7.2f} ms   off {off_:7.2f} ms   on/off {on / off_:5.3f}")


def trail(events):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Two years of events from 2,000 user names, over every kind of event.
        cursor.execute(
            """
            INSERT INTO audit_auditevent (at, user_id, username, roles, address, event,
                object_type, object_id, object_label, result, details, previous_hash, hash)
            SELECT now() - (n * interval '6 seconds'), NULL, 'user' || (n %% 2000), '市级填报员',
                '10.0.' || (n %% 250) || '.' || (n %% 200),
                (ARRAY['login','logout','download','workflow_move','forbidden','login_failed'])[1 + n %% 6],
                'reporting.pledgereport', (n %% 5000)::text, '郑州市 · 2021年',
                (ARRAY['success','success','success','refused','failed'])[1 + n %% 5],
                '{}'::jsonb, md5(n::text) || md5(n::text), md5((n + 1)::text) || md5((n + 1)::text)
            FROM generate_series(1, %(events)s) AS n
            """,
            {"events": events},
        )
        cursor.execute("ANALYZE audit_auditevent")
    print(
        f"\naudit page on PostgreSQL, {events:,} events (generated in "
        f"{time.perf_counter() - started:.0f} s)"
    )
    auditor = get_user_model().objects.create_user("auditor", password="x")
    auditor.groups.add(Group.objects.get_or_create(name="审计管理员")[0])
    client = Client()
    client.force_login(auditor)
    day = time.strftime("%Y-%m-%d", time.localtime(time.time() - 30 * 86400))
    queries = {
        "by user": {"user": "user1234"},
        "by user, page 5": {"user": "user1234", "page": "5"},
        "by a day": {"start": day, "end": day},
        "by a day, page 5": {"start": day, "end": day, "page": "5"},
        "by user and a month": {"user": "user77", "start": day[:8] + "01", "end": day},
        "by event and result": {"event": "forbidden", "result": "refused"},
        "unfiltered": {},
    }
    for label, query in queries.items():
        client.get("/audit/", query)  # warm
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            response = client.get("/audit/", query)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        rows = response.content.count(b"data-result=")
        print(
            f"  {label:24} median {statistics.median(samples):7.1f} ms  max {max(samples):7.1f} ms"
            f"  ({rows} rows)"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-trail", action="store_true")
    parser.add_argument("--part", choices=["pages", "trail"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.part:  # a child: one part, on one database
        setup(options.database_url)
        pages(options.rounds) if options.part == "pages" else trail(options.events)
        return
    me = [
        sys.executable,
        __file__,
        "--rounds",
        str(options.rounds),
        "--events",
        str(options.events),
    ]
    if not options.skip_pages:
        with tempfile.TemporaryDirectory() as work:
            url = f"sqlite:///{Path(work) / 'db.sqlite3'}"
            subprocess.run([*me, "--part", "pages", "--database-url", url], cwd=ROOT, check=True)
    if not options.skip_trail:
        import psycopg

        name = f"audit_bench_{os.getpid()}"
        with psycopg.connect(options.postgres, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        try:
            url = options.postgres.rsplit("/", 1)[0] + "/" + name
            subprocess.run([*me, "--part", "trail", "--database-url", url], cwd=ROOT, check=True)
        finally:
            with psycopg.connect(options.postgres, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
