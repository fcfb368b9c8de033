"""Benchmark: the whole circular (notice + both attachments) as PDF, against LibreOffice
converting our own DOCX export of it; and repeated downloads of unchanged documents.

Runs on a throw-away SQLite database with the demo data. Prints its figures; compare them
as ratios (the machines are shared and noisy). Usage: python bench/render_circular.py [runs]
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-circular-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["DJANGO_CACHE_DIR"] = str(WORK / "cache")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")  # a local run, not production

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    call_command("migrate", verbosity=0)
    call_command("loaddemo", stdout=open(os.devnull, "w"))

    from django.contrib.auth import get_user_model

    from circulars import services
    from circulars.models import Circular

    circular = Circular.objects.get(code="豫知", year=2021, number=8)
    subset = (
        "HarfBuzz-Subset"
        if _has_harfbuzz_subset()
        else "fontTools (slow: install libharfbuzz-subset0)"
    )
    print(f"font subsetting: {subset}")

    services.render_circular_pdf(circular)  # warm-up: fonts loaded once per process
    pdf = services.render_circular_pdf(circular)
    pages = len(__import__("pdfplumber").open(__import__("io").BytesIO(pdf)).pages)
    best, median = timed(lambda: services.render_circular_pdf(circular), runs)
    print(
        f"WeasyPrint, whole circular ({len(pdf) // 1024} KiB): best {best:.3f} s, median {median:.3f} s over {runs} runs"
    )

    docx_path = WORK / "circular.docx"
    docx_best, docx_median = timed(
        lambda: docx_path.write_bytes(services.circular_docx(circular)), runs
    )
    print(f"python-docx export: best {docx_best:.3f} s, median {docx_median:.3f} s")

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        profile = WORK / "lo-profile"

        def convert():
            subprocess.run(
                [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(WORK), str(docx_path)],
                check=True, capture_output=True,
            )  # fmt: skip

        convert()  # first start creates the profile
        # Side by side: one render, one conversion, in turn, so that the machine's drift
        # (shared, noisy) touches both alike; the ratio is taken within each pair.
        pairs = []
        for _ in range(max(3, runs // 2)):
            ours = timed(lambda: services.render_circular_pdf(circular), 1)[0]
            theirs = timed(convert, 1)[0]
            pairs.append((ours, theirs))
        ours = [o for o, _ in pairs]
        theirs = [t for _, t in pairs]
        ratios = [t / o for o, t in pairs]
        print(
            f"side by side, {len(pairs)} pairs: WeasyPrint median {statistics.median(ours):.3f} s, "
            f"LibreOffice DOCX → PDF median {statistics.median(theirs):.3f} s "
            f"(best {min(theirs):.3f} s)"
        )
        print(
            f"ratio LibreOffice / WeasyPrint: median of pairs {statistics.median(ratios):.1f}×, "
            f"range {min(ratios):.1f}–{max(ratios):.1f}×"
        )
    else:
        print("LibreOffice: not installed (make bench installs libreoffice-writer-nogui)")

    User = get_user_model()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="reviewer"))
    for label, url in (
        ("draft circular PDF", f"/circulars/{circular.pk}/file.pdf"),
        ("attachment PDF", "/reports/2020/trademark.pdf"),
    ):
        client.get(url)  # first download renders and caches
        best, median = timed(lambda url=url: client.get(url), runs * 2)
        print(
            f"repeated download, {label}: best {best * 1000:.1f} ms, median {median * 1000:.1f} ms"
        )
    services.issue(circular, User.objects.get(username="admin"))
    url = f"/circulars/{circular.pk}/file.pdf"
    best, median = timed(lambda: client.get(url), runs * 2)
    print(
        f"repeated download, issued (archived) PDF: best {best * 1000:.1f} ms, median {median * 1000:.1f} ms"
    )
    print(f"pages: {pages}")
    shutil.rmtree(WORK, ignore_errors=True)


def _has_harfbuzz_subset():
    import ctypes.util

    return bool(ctypes.util.find_library("harfbuzz-subset"))


if __name__ == "__main__":
    main()
