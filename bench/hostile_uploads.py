"""Benchmark: hostile XLSX uploads against gunicorn, and whether the portal keeps answering.

It starts the portal as production runs it (DEBUG off, gunicorn, 3 workers, --timeout 60) on a
fresh SQLite database with the demo, signs in as a city's submitter and uploads each hostile file to the
figures import page: once alone, then three at once. Meanwhile it asks for the log-in page every
0.2 s and samples every worker's resident memory. It prints, per file, the seconds to the answer,
the answer, the highest worker memory and the slowest log-in page.

Usage: python bench/hostile_uploads.py [--code DIR]...
  --code DIR  also run the portal from another checkout (say, the previous release) in the same
              run, so the figures compare side by side. Each checkout is measured in turn.
Targets (issue "Fail closed"): each refused in under 2 s, workers under 200 MB, the log-in page
under 1 s throughout.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import golden, hostile_xlsx  # noqa: E402
from tests.support.office_files import legacy_xls  # noqa: E402


def zeros_ofd(gigabytes=1):
    """An OFD whose one member inflates to ``gigabytes`` of zeros (about 1 MB a gigabyte)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("OFD.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * (64 * 1024 * 1024)
            for _ in range(gigabytes * 16):
                member.write(chunk)
    return buffer.getvalue()


def hostile_documents():
    """Documents attached to a measure (#22): each must be refused as fast as a table."""
    import io
    import zipfile

    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    trailer = b"trailer<</Root 1 0 R>>\n%%EOF\n"
    spreadsheet = io.BytesIO()
    with zipfile.ZipFile(spreadsheet, "w") as archive:
        for name in ("[Content_Types].xml", "xl/workbook.xml", "OFD.xml"):
            archive.writestr(name, "<x/>")
    return {
        "PDF, a page after 1 KB": pdf
        + b"%"
        + b"x" * 2000
        + b"\n<html><script>x</script>"
        + trailer,
        "PDF 9 MB, script at the end": pdf
        + b"%"
        + b"x" * (9 * 1024 * 1024)
        + b"\n3 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n"
        + trailer,
        "OFD inflating to 1 GB": zeros_ofd(1),
        "XLSX carrying OFD.xml": spreadsheet.getvalue(),
    }


def hostile_files():
    formula = [golden.PATENT_HEADINGS, ["1", "郑州市", '<c r="C2"><f>100+23</f></c>', 2, 3]]
    return {
        "5.5M shared strings": hostile_xlsx.many_shared_strings(),
        "160 rows x 16,384 cells": hostile_xlsx.very_wide_rows(),
        "formula without value": hostile_xlsx.build(hostile_xlsx.sheet_xml(formula)),
        # Legacy XLS (#22): one cell far out (xlrd used to build the whole grid), and 9 MB of
        # cells (xlrd used to parse them all before the budget said no).
        "XLS cell at (65535, 255)": legacy_xls({(0, 0): "地市", (65535, 255): 1}),
        "XLS 9 MB of cells": legacy_xls(
            {(row, column): row + column / 7 for row in range(60_000) for column in range(8)}
        ),
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Portal:
    """gunicorn serving one checkout on its own database."""

    def __init__(self, code, work, workers=3):
        self.code = Path(code).resolve()
        self.work = work
        self.port = free_port()
        base = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "DJANGO_CACHE_DIR": str(work / "cache"),
            "DJANGO_STATIC_ROOT": str(work / "static"),
            # One set of fonts for every checkout measured (another checkout has fetched none).
            "DJANGO_CIRCULAR_FANDOL_DIR": str(ROOT / "var" / "fonts" / "fandol"),
        }
        # The demo (its accounts) is made in a local run; the portal is served as production
        # runs it, over plain HTTP on loopback.
        local = {**base, "DJANGO_DEBUG": "true"}
        self.env = {
            **base,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            # Plain HTTP on loopback: the deployment checks' HTTPS warnings, silenced by name.
            "DJANGO_SILENCED_CHECKS": "security.W008,security.W012,security.W016",
        }
        python = Path(sys.executable)
        for command, env in (
            (["migrate", "--no-input"], local),
            (["loaddemo"], local),
            (["collectstatic", "--no-input"], self.env),
        ):
            subprocess.run(
                [str(python), "manage.py", *command],
                cwd=self.code,
                env=env,
                check=True,
                capture_output=True,
            )
        self.log = (work / "gunicorn.log").open("wb")
        self.server = subprocess.Popen(
            [str(python.with_name("gunicorn")), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "60"],
            cwd=self.code, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        self.url = f"http://127.0.0.1:{self.port}"
        # Listening is not answering: the workers boot the portal first.
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=10).read()
                break
            except OSError:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn does not answer") from None
                time.sleep(0.5)

    def period(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             # Found by name: the model has moved between apps (reporting, then periods).
             "from django.apps import apps; "
             "Period = next(m for m in apps.get_models() if m.__name__ == 'ReportingPeriod'); "
             "print(Period.objects.filter(year=2021).get().pk)"],
            cwd=self.code, env=self.env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout.strip().splitlines()[-1]

    def workers_rss_mb(self):
        total = []
        for pid in Path("/proc").iterdir():
            if not pid.name.isdigit():
                continue
            try:
                status = (pid / "status").read_text()
            except OSError:
                continue
            if f"PPid:\t{self.server.pid}\n" in status:
                rss = re.search(r"VmRSS:\s+(\d+) kB", status)
                total.append(int(rss.group(1)) / 1024 if rss else 0)
        return total

    def stop(self):
        self.server.terminate()
        try:
            self.server.wait(10)
        except subprocess.TimeoutExpired:
            self.server.kill()
        self.log.close()


class Browser:
    """A signed-in session: cookies and the CSRF token, as a browser keeps them."""

    def __init__(self, url, username, password="henan-demo-2020"):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.open(f"{url}/accounts/login/", timeout=30).read()
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()}
        ).encode()
        self.post("/accounts/login/", body, "application/x-www-form-urlencoded")

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path, body, content_type):
        request = urllib.request.Request(
            self.url + path,
            data=body,
            headers={"Content-Type": content_type, "Referer": self.url + path,
                     "X-CSRFToken": self.csrf()},
        )  # fmt: skip
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def upload(self, content, period):
        boundary = uuid.uuid4().hex
        parts = [
            (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
            for name, value in (("period", period), ("kind", "patent"), ("csrfmiddlewaretoken", self.csrf()))
        ]  # fmt: skip
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        started = time.perf_counter()
        status, html = self.post(
            "/imports/", b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
        seconds = time.perf_counter() - started
        message = re.search(r'class="errorlist[^"]*"[^>]*>\s*<li>([^<]{0,80})', html)
        message = re.search(
            r'<span class="error">([^<]*)</span>|class="row-errors"><li>([^<]*)', html
        )
        return seconds, status, (next(filter(None, message.groups())) if message else "")

    def upload_document(self, content, period="2021", code="410100"):
        """A policy with ``content`` as its document, on 郑州's measures of the period."""
        path = f"/measures/{period}/{code}/policies/new/"
        page = self.opener.open(self.url + path, timeout=30).read().decode()
        version = re.search(r'name="version" value="(\d*)"', page)
        fields = {
            "title": "巡检政策", "issuer": "郑州市市场监督管理局", "document_number": "郑知〔2021〕3号",
            "issued_on": "2021-03-05", "type": "interest", "in_force": "on",
            "version": version.group(1) if version else "", "csrfmiddlewaretoken": self.csrf(),
        }  # fmt: skip
        boundary = uuid.uuid4().hex
        parts = [
            (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
            for name, value in fields.items()
        ]  # fmt: skip
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="x.pdf"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        started = time.perf_counter()
        status, html = self.post(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")
        seconds = time.perf_counter() - started
        message = re.search(r'<span class="error">([^<]*)</span>', html)
        return seconds, status, (message.group(1) if message else "")


class Watch:
    """Samples the workers' memory and times the log-in page while uploads run."""

    def __init__(self, portal):
        self.portal = portal
        self.peak_mb = 0.0
        self.slowest_login = 0.0
        self.login_errors = 0
        self.running = True
        self.threads = [threading.Thread(target=self.memory), threading.Thread(target=self.login)]
        for thread in self.threads:
            thread.start()

    def memory(self):
        while self.running:
            self.peak_mb = max([self.peak_mb, *self.portal.workers_rss_mb()])
            time.sleep(0.05)

    def login(self):
        while self.running:
            started = time.perf_counter()
            try:
                urllib.request.urlopen(f"{self.portal.url}/accounts/login/", timeout=60).read()
            except OSError:
                self.login_errors += 1
            self.slowest_login = max(self.slowest_login, time.perf_counter() - started)
            time.sleep(0.2)

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join()


def measure(code, files, documents=None):
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    portal = Portal(code, work)
    try:
        period = portal.period()
        idle_mb = max(portal.workers_rss_mb())
        label = "this checkout" if portal.code == ROOT else portal.code.name
        print(f"\n== {label}  (workers at rest: {idle_mb:.0f} MB)")
        print(
            f"{'file':26} {'run':8} {'seconds':>8} {'status':>6} {'worker MB':>10} {'log-in page s':>14}  answer"
        )
        for name, content in files.items():
            for together in (1, 3):
                browsers = [Browser(portal.url, "zhengzhou") for _ in range(together)]
                watch = Watch(portal)
                results = [None] * together

                def send(index, browser, content=content, results=results, name=name):
                    if documents and name in documents:
                        results[index] = browser.upload_document(content)
                    else:
                        results[index] = browser.upload(content, period)

                threads = [
                    threading.Thread(target=send, args=(i, browser))
                    for i, browser in enumerate(browsers)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                time.sleep(0.3)
                watch.stop()
                slowest = max(r[0] for r in results)
                statuses = "/".join(sorted({str(r[1]) for r in results}))
                print(
                    f"{name:26} {'x' + str(together):8} {slowest:8.2f} {statuses:>6} "
                    f"{watch.peak_mb:10.0f} {watch.slowest_login:14.2f}  {results[0][2][:60]}"
                    + (
                        f"  ({watch.login_errors} log-in pages failed)"
                        if watch.login_errors
                        else ""
                    )
                )
    finally:
        portal.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", action="append", default=[], help="another checkout to measure")
    args = parser.parse_args()
    files = hostile_files()
    documents = hostile_documents()
    for name, content in {**files, **documents}.items():
        print(f"{name}: {len(content) / 1024:.0f} KB")
    for code in [ROOT, *args.code]:
        measure(code, {**files, **documents}, documents)


if __name__ == "__main__":
    main()
