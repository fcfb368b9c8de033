"""Benchmark: the busiest pages against a bare authenticated page, on a real HTTP server.

It serves the portal as production runs it (DEBUG off, gunicorn, 2 workers) on a fresh SQLite
database with the demo, and for each page runs CLIENTS processes, each signed in as the
reviewer, asking for the page over and over for SECONDS. It prints requests per second and the
ratio to the bare page (the password-changed page: the layout and a sentence), measured in the
same run, side by side.

Usage: python bench/pages.py [--code DIR]... [--seconds S] [--clients N]
  --code DIR  also measure another checkout (say, the previous release) in the same run.
Target (issue "Everyday use"): every page at no less than a third of the bare page's rate.
"""

import argparse
import multiprocessing
import sys
import tempfile
import time
import urllib.error
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hostile_uploads import Browser, Portal  # noqa: E402

BARE = "/accounts/password/change/done/"
PAGES = {
    "bare page (password changed)": BARE,
    "ranked table 2020 patent": "/reports/2020/patent/",
    "ranked table 2021 trademark (open)": "/reports/2021/trademark/",
    "completeness board 2021": "/periods/2021/board/",
    "dashboard": "/analysis/",
    "report page 洛阳 2021": "/periods/2021/410300/",
    "comparison 2020 patent": "/analysis/2020/patent/",
}


def hammer(url, path, seconds, start, results):
    browser = Browser(url, "reviewer")
    count = errors = 0
    while time.monotonic() < start:
        time.sleep(0.01)
    end = start + seconds
    while time.monotonic() < end:
        try:
            with browser.opener.open(url + path, timeout=30) as response:
                response.read()
            count += 1
        except (urllib.error.URLError, OSError):
            errors += 1
    results.put((count, errors))


def rate(url, path, seconds, clients):
    results = multiprocessing.Queue()
    start = time.monotonic() + 3  # every client signed in before the clock starts
    processes = [
        multiprocessing.Process(target=hammer, args=(url, path, seconds, start, results))
        for _ in range(clients)
    ]
    for process in processes:
        process.start()
    outcome = [results.get() for _ in processes]
    for process in processes:
        process.join()
    return sum(c for c, _ in outcome) / seconds, sum(e for _, e in outcome)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", action="append", default=[], help="another checkout")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    for code in [ROOT, *args.code]:
        with tempfile.TemporaryDirectory() as work:
            portal = Portal(code, Path(work), workers=2)
            try:
                print(
                    f"\n== {code}  (gunicorn, 2 workers, {args.clients} clients, {args.seconds:g} s)"
                )
                bare = None
                for label, path in PAGES.items():
                    rate(portal.url, path, 1, 2)  # warm up: first renders, caches
                    per_second, errors = rate(portal.url, path, args.seconds, args.clients)
                    bare = bare or per_second
                    note = f", {errors} errors" if errors else ""
                    print(
                        f"{label:38} {per_second:8.1f} req/s   {per_second / bare:5.2f} × bare{note}"
                    )
            finally:
                portal.stop()


if __name__ == "__main__":
    main()
