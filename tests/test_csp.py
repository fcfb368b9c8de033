"""The Content-Security-Policy: its header, and pages that need nothing it forbids.

The policy forbids inline script and style. A page that still carries some would be broken in
the browser (the script does not run, the style does not apply), so every page the crawl
reaches, the admin's included, is read for it here: ``<script>`` without ``src``, ``<style>``,
``style="…"``, ``on…=`` handlers, ``javascript:`` links, and assets from another host.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.test_crawl import (
    METHODS,
    PERSONAS,
    URL_TABLE,
    WORLD,
    case_name,
    crawl_world,  # noqa: F401 (the crawl's demo with its markers; its ids are in WORLD)
    path_for,
    post_data,
)

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "font-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}

# Data blocks: read by scripts, never run, so the policy lets them be.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
ASSET_ATTRIBUTES = {"src", "data", "poster"}  # loaded by the page itself (not links)


def directives(header):
    """{directive: {sources}} of a policy header."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} twice in {header!r}"
        parsed[name] = set(sources)
    return parsed


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.script = None  # the open <script> without src: its text so far

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        where = self.getpos()[0]
        if tag == "script":
            kind = (names.get("type") or "").strip().lower()
            if not names.get("src") and kind not in DATA_SCRIPT_TYPES:
                self.script = ""
        elif tag == "style":
            self.found.append(f"line {where}: <style>")
        elif tag == "base":
            self.found.append(f"line {where}: <base>")
        elif tag == "link" and "stylesheet" in (names.get("rel") or "").lower():
            self._external(where, tag, "href", names.get("href"))
        for name, value in attrs:
            value = value or ""
            if name == "style":
                self.found.append(f'line {where}: <{tag} style="{value}">')
            elif name.startswith("on"):
                self.found.append(f'line {where}: <{tag} {name}="{value}">')
            elif name in URL_ATTRIBUTES:
                compact = "".join(value.split()).lower()
                if compact.startswith("javascript:"):
                    self.found.append(f'line {where}: <{tag} {name}="{value}">')
                elif name in ASSET_ATTRIBUTES:
                    self._external(where, tag, name, value)

    def _external(self, where, tag, name, value):
        if value and urlsplit(value.strip()).netloc:
            self.found.append(f'line {where}: <{tag} {name}="{value}"> from another host')

    def handle_data(self, data):
        if self.script is not None:
            self.script += data

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            line = self.getpos()[0]
            self.found.append(f"line {line}: inline <script> {self.script.strip()[:60]!r}")
            self.script = None


def inline_code(html):
    """What in the page the policy forbids (each with its line), or []."""
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def is_page(response):
    return response.get("Content-Type", "").startswith("text/html")


# ── The header ────────────────────────────────────────────────────────────────────────


def test_the_finder_sees_every_kind_of_inline_code():
    page = """<html><head><style>p{}</style><script>alert(1)</script>
      <script src="/static/x.js"></script><script type="application/json">{"a": 1}</script>
      <link rel="stylesheet" href="https://cdn.example.com/x.css"><base href="/">
      </head><body><p style="color:red" onclick="go()">x</p>
      <a href=" JavaScript:go()">y</a><img src="//cdn.example.com/i.png"><img src="/i.png">
      <svg><style>text{}</style></svg></body></html>"""
    assert inline_code(page) == [
        "line 1: <style>",
        "line 1: inline <script> 'alert(1)'",
        'line 3: <link href="https://cdn.example.com/x.css"> from another host',
        "line 3: <base>",
        'line 4: <p style="color:red">',
        'line 4: <p onclick="go()">',
        'line 5: <a href=" JavaScript:go()">',
        'line 5: <img src="//cdn.example.com/i.png"> from another host',
        "line 6: <style>",
    ]


def test_a_page_carries_exactly_the_policy(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert "Content-Security-Policy-Report-Only" not in response


def test_a_signed_in_page_carries_exactly_the_policy(viewer_client):
    response = viewer_client.get("/")
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_the_policy_allows_nothing_inline_nor_from_another_host(client):
    header = client.get("/accounts/login/")["Content-Security-Policy"]
    for word in ("unsafe-inline", "unsafe-eval", "unsafe-hashes", "nonce-", "sha256-", "*"):
        assert word not in header
    assert "http" not in header and "data:" not in header and "blob:" not in header


def test_a_page_not_found_carries_the_policy(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert directives(response["Content-Security-Policy"]) == POLICY


# ── Every page of the crawl ──────────────────────────────────────────────────────────


URL_CASES = [
    pytest.param(key, variant, id=case_name(key, variant))
    for key, variants in URL_TABLE.items()
    for variant in variants
]


def visit(world, key, variant, method, persona):
    """The response to one request of the crawl, and the page its redirect leads to."""
    path = path_for(key, URL_TABLE[key][variant])
    client = Client()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, post_data(key, variant, persona, path, client))
    responses = [(path, response)]
    target = urlsplit(response.get("Location", ""))
    if response.status_code in (301, 302, 303) and not target.netloc and target.path:
        responses.append((response["Location"], client.get(response["Location"])))
    return responses


@pytest.mark.usefixtures("crawl_world")
@pytest.mark.parametrize(("key", "variant"), URL_CASES)
def test_every_page_needs_nothing_the_policy_forbids(key, variant):
    """Each URL, by every method and persona (each request rolled back): every page it
    answers, or its redirect leads to, carries the policy and no inline code."""
    problems = []
    for method in METHODS:
        for persona in PERSONAS:
            with transaction.atomic():
                for path, response in visit(WORLD, key, variant, method, persona):
                    if not is_page(response):
                        continue
                    where = f"{method} {path} as {persona} ({response.status_code})"
                    if "Content-Security-Policy" not in response:
                        problems.append(f"{where}: no Content-Security-Policy header")
                    body = (
                        b"".join(response.streaming_content)
                        if response.streaming
                        else (response.content)
                    )
                    problems += [f"{where}: {found}" for found in inline_code(body.decode())]
                transaction.set_rollback(True)
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_a_refused_form_explains_itself_within_the_policy():
    """The page of a refused CSRF check is the portal's own, without Django's inline style."""
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert inline_code(response.content.decode()) == []
