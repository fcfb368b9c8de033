"""Every page a role may open is linked from a page that role reaches: nothing only by URL.

The URL patterns come from the URLconf (the portal's, not the admin's, whose navigation is
Django's own). Each is either reached by following links from the home page, for the personas
listed in ``REACHED_BY``, or exempt for a stated reason (``NOT_LINKED``). A new URL pattern in
neither fails ``test_every_url_pattern_is_accounted_for``.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.test_crawl import PORTAL_URLS

SUBMITTER, REVIEWER, ADMINISTRATOR = "zhengzhou", "reviewer", "provadmin"

# URL name → the personas who must reach it by links.
REACHED_BY = {
    "home": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "password_change": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "circulars:list": {REVIEWER, ADMINISTRATOR},
    "circulars:create": {ADMINISTRATOR},
    "circulars:detail": {REVIEWER, ADMINISTRATOR},
    "circulars:edit": {ADMINISTRATOR},
    "circulars:file": {REVIEWER, ADMINISTRATOR},
    "circulars:attachment_pdf": {REVIEWER, ADMINISTRATOR},
    "contracts:import": {SUBMITTER, REVIEWER},
    "contracts:template": {SUBMITTER, REVIEWER},
    "contracts:template_choice": {REVIEWER},
    "contracts:report_contracts": {SUBMITTER, REVIEWER},
    "contracts:banks": {REVIEWER, ADMINISTRATOR},
    "analysis:dashboard": {REVIEWER, ADMINISTRATOR},
    "analysis:unit": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "analysis:comparison": {REVIEWER, ADMINISTRATOR},
    "reporting:import": {SUBMITTER, REVIEWER},
    "reporting:ranked_table": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "reporting:board": {REVIEWER, ADMINISTRATOR},
    "reporting:report": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "measures:report": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "measures:matrix": {REVIEWER, ADMINISTRATOR},
    "measures:unit": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "measures:add_item": {SUBMITTER},
    "measures:edit_item": {SUBMITTER},
    "measures:document": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "measures:import": {SUBMITTER, REVIEWER},
    "measures:import_template": {SUBMITTER, REVIEWER},
    "circulars:practice_exchange": {ADMINISTRATOR},
}

# URL name → why no page links it.
NOT_LINKED = {
    "login": "where an anonymous visitor is sent; the test starts logged in",
    "logout": "a POST form in the header",
    "password_change_done": "where the password change form leads after its POST",
    "password_reset": "linked from the log-in page, seen logged out",
    "password_reset_done": "where the reset form leads after its POST",
    "password_reset_confirm": "the link in the reset e-mail",
    "password_reset_complete": "where the new-password form leads after its POST",
    "set_language": "a POST form (the language switch)",
    "favicon": "asked for by browsers, not by people",
    "circulars:redraft": "POST only",
    "circulars:withdraw": "linked from an issued circular's page (the demo's circulars are drafts;"
    " tests/circulars/test_withdrawal.py follows that link)",
    "circulars:issue": "POST only",
    "contracts:confirm_import": "where an upload leads: the preview of that upload",
    "contracts:withdraw_batch": "POST only",
    "reporting:confirm_import": "where an upload leads: the preview of that upload",
    "reporting:bulk_approve": "POST only",
    "reporting:transition": "POST only",
    "reporting:extension": "POST only",
    "measures:transition": "POST only",
    "measures:delete_item": "POST only",
    "measures:confirm_import": "where an upload leads: the preview of that upload",
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        # A form that GETs is a link the user completes (a choice of period and unit).
        if tag == "form" and attrs.get("method", "get").lower() == "get" and attrs.get("action"):
            self.hrefs.append(attrs["action"] + "?")


def reached_url_names(client, limit=600):
    """The URL names of every link found by following links from the home page."""
    seen, queue, names = set(), deque(["/"]), set()
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            parts = urlsplit(urljoin(path, href))
            if parts.scheme or parts.netloc or parts.path.startswith(("/admin/", "/static/")):
                continue
            try:
                match = resolve(parts.path)
            except Resolver404:
                continue
            names.add(match.view_name)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            # Follow pages, not downloads or exports: their link is what counts.
            if not parts.query and not parts.path.endswith((".pdf", ".docx", ".xlsx", ".csv")):
                queue.append(target)
    return names


def test_every_url_pattern_is_accounted_for():
    missing = set(PORTAL_URLS) - set(REACHED_BY) - set(NOT_LINKED)
    assert not missing, f"say who reaches these by links, or why none does: {sorted(missing)}"
    assert not set(REACHED_BY) & set(NOT_LINKED)


@pytest.mark.parametrize("username", [SUBMITTER, REVIEWER, ADMINISTRATOR])
def test_every_page_a_role_may_open_is_linked_from_a_page_it_reaches(
    local_demo, client, django_user_model, administrator_user, username
):
    user = administrator_user if username == ADMINISTRATOR else None
    client.force_login(user or django_user_model.objects.get(username=username))
    reached = reached_url_names(client)
    expected = {name for name, personas in REACHED_BY.items() if username in personas}
    assert sorted(expected - reached) == []
