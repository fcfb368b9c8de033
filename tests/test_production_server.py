"""The portal served as the README says production serves it: DEBUG off, static files collected,
gunicorn in front. A configuration that only passes ``check --deploy`` could still fail here
(a static file missing from the manifest, a template that breaks with DEBUG off)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.commands import PRODUCTION

HOST = "zscq.example.gov.cn"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(port, path, https=True, host=HOST):
    """A request as the TLS-terminating proxy in front of gunicorn passes it on."""
    headers = {"Host": host}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("production")
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {
        **base,
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Its own database, whatever the suite runs on: the server must not touch the suite's.
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_CACHE_DIR": str(work / "cache"),
        # Behind a proxy that terminates TLS and says so in X-Forwarded-Proto.
        "DJANGO_TRUSTED_PROXIES": "1",
    }
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (work / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail((work / "gunicorn.log").read_text(errors="replace"))
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_the_login_page_is_served_in_chinese_with_the_security_headers(production_server):
    status, headers, body = _get(production_server, "/accounts/login/")
    assert status == 200
    html = body.decode()
    assert "<title>登录 · 河南省知识产权质押融资统计报送系统</title>" in html
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_pages_point_at_collected_static_files_that_are_served_and_cached(production_server):
    _status, _headers, body = _get(production_server, "/accounts/login/")
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', body.decode())
    assert stylesheet, "the page names the hashed file of the manifest"
    status, headers, css = _get(production_server, stylesheet.group(1))
    assert status == 200 and b"font-family" in css
    assert "max-age=315360000" in headers["Cache-Control"]


def test_an_unknown_address_gets_a_plain_404_without_debug_details(production_server):
    status, _headers, body = _get(production_server, "/no-such-page/")
    assert status == 404
    assert b"Traceback" not in body and b"DEBUG = True" not in body


def test_plain_http_is_sent_to_https(production_server):
    status, headers, _body = _get(production_server, "/accounts/login/", https=False)
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/accounts/login/"


def test_an_unknown_host_is_refused(production_server):
    status, _headers, _body = _get(production_server, "/accounts/login/", host="evil.example")
    assert status == 400
