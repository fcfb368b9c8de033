"""The Content-Security-Policy: its header, and pages that need nothing it forbids.

The policy forbids inline script and style. A page that still carries some would be broken in
the browser (the script does not run, the style does not apply), so the crawl
(``tests/test_crawl.py``) reads every page it opens, the admin's included, for
``<script>`` without ``src``, ``<style>``, ``style="…"``, ``on…=`` handlers, ``javascript:``
links, and assets from another host; here, the finder itself and the header.
"""

import pytest
from django.test import Client

from tests.support.pages import POLICY, directives, inline_code

pytestmark = pytest.mark.django_db

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


def test_a_refused_form_explains_itself_within_the_policy():
    """The page of a refused CSRF check is the portal's own, without Django's inline style."""
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert inline_code(response.content.decode()) == []
