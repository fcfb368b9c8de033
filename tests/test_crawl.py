"""One crawl of every URL of the portal and of its admin, by every persona, in both languages.

The URLs, the answers each persona must get and who must reach each page are one table
(``tests.support.crawl.URLS``; a URL of the URLconf without an entry fails
``test_every_url_is_in_the_crawl``). Each persona opens every URL once by GET and once by POST
in Chinese, and once more by GET in English; each request runs in its own rolled-back
savepoint, and its response is checked once for everything a page must be:

(a) no server error, here or on the page its redirect leads to;
(b) the answer the table gives for the persona (200, a redirect to the log-in page, 403…);
(c) no change to any report (state, version, explanation, figures, contracts, log of moves,
    measures) nor deadline extension, except the unit(s) ``EXPECTED_CHANGES`` allows;
(d) no private marker shown to a persona who must not see it, in the response, its redirect
    target or the page that follows;
(e) a page carries the Content-Security-Policy and needs nothing it forbids (inline script or
    style, handlers, assets from another host);
(f) a page reads in the persona's language, the data taken out;
(g) every page a role must reach is linked from a page it reaches, starting from home;
(h) the audit trail gets one row for each file handed out (with its name) and for each 403, and
    none for anything else.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.http import parse_header_parameters

from accounts.demo import DEMO_PASSWORD
from audit.models import AuditEvent, Event
from tests.support.crawl import (
    ANSWERS,
    EXPECTED_CHANGES,
    METHODS,
    NOT_LINKED,
    PERSONAS,
    PORTAL_URLS,
    REACHED_BY,
    URL_TABLE,
    USERNAMES,
    ZZ_PLEDGOR,
    answers_of,
    case_name,
    expected_status,
    fingerprint,
    path_for,
    post_data,
    reachability,
    readable,
    routes,
    rows_written,
    shown,
)
from tests.support.pages import Links, data_strings, foreign_words, inline_code, page_text

pytestmark = pytest.mark.django_db

LANGUAGES = {"zh-hans": METHODS, "en": ["GET"]}
# Files, not pages: they are Chinese whatever the language (a circular and its tables).
DOWNLOAD = re.compile(r"\.(pdf|docx|xlsx|csv)$|[?&]_export=")
VISITS = [
    pytest.param(persona, language, id=f"{persona}-{language}")
    for language in LANGUAGES
    for persona in PERSONAS
]


def client_of(world, persona, language):
    client = Client()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def is_page(response):
    return response["Content-Type"].startswith("text/html") if "Content-Type" in response else False


def visit(world, key, variant, method, persona, language):
    """The request, and the page its redirect leads to, in a savepoint rolled back after; the
    units whose guarded data the request changed, and the downloads and refusals the request
    (not the page it leads to) recorded in the audit trail."""
    path = path_for(key, URL_TABLE[key][variant])
    client = client_of(world, persona, language)
    written = rows_written()
    with transaction.atomic():
        # (What a POST sends is read from its form first: that page's download is not this one.)
        data = post_data(key, variant, persona, path, client) if method == "POST" else None
        mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data)
        audited = list(
            AuditEvent.objects.filter(pk__gt=mark, event__in=[Event.DOWNLOAD, Event.FORBIDDEN])
            .order_by("pk")
            .values_list("event", "object_label")
        )
        responses = [(path, response)]
        target = urlsplit(response.get("Location", ""))
        if response.status_code in (301, 302, 303) and not target.netloc and target.path:
            if not target.path.startswith(("/accounts/login/", "/admin/login/")):
                responses.append((response["Location"], client.get(response["Location"])))
        after = fingerprint() if rows_written() != written else world.fingerprint
        transaction.set_rollback(True)
    # What was cached while the request's changes stood is gone with them.
    cache.clear()
    changed = {
        unit
        for unit in set(world.fingerprint) | set(after)
        if world.fingerprint.get(unit) != after.get(unit)
    }
    return responses, changed, audited


def audit_expected(response):
    """What the audit trail must get for a response: a 403, a file handed out, or nothing."""
    if response.status_code == 403:
        return [(Event.FORBIDDEN, "")]
    if response.status_code == 200 and response.has_header("Content-Disposition"):
        _kind, parameters = parse_header_parameters(response["Content-Disposition"])
        return [(Event.DOWNLOAD, parameters["filename"])]
    return []


def read_in_english(world, key, variant, persona, data):
    """The problems of a page opened by GET in English: its words, and its answer. (Whatever
    else a GET may do wrong it does in Chinese too, where it is checked.)"""
    path = path_for(key, URL_TABLE[key][variant])
    if DOWNLOAD.search(path):
        return []
    response = client_of(world, persona, "en").get(path)
    where = f"GET {path} as {persona} in English"
    problems = []
    if not expected_status(key, variant, "GET", persona).matches(response):
        problems.append(f"{where}: answered {response.status_code}")
    if is_page(response) and response.status_code in (200, 400):
        words = foreign_words(page_text(body_of(response)), data)
        problems += [f"{where}: {word!r} in {piece!r}" for word, piece in words.items()]
    return problems


def check(world, key, variant, method, persona, language, data, links):
    """Every problem of one request of the crawl, as lines."""
    if language == "en":
        return read_in_english(world, key, variant, persona, data)
    responses, changed, audited = visit(world, key, variant, method, persona, language)
    (path, response), *following = responses
    where = f"{method} {path} as {persona}"
    problems = []
    for at, answer in responses:
        if answer.status_code >= 500:
            problems.append(f"{where}: {at} answered {answer.status_code}")
        leaked = shown(persona, urlsplit(at).path, answer)
        if leaked:
            problems.append(f"{where}: {at} shows {leaked}")
    wanted = expected_status(key, variant, method, persona)
    if not wanted.matches(response):
        problems.append(f"{where}: answered {response.status_code}, expected {wanted}")
    recorded = [(event, label if event == Event.DOWNLOAD else "") for event, label in audited]
    if recorded != audit_expected(response):
        problems.append(f"{where}: recorded {recorded}, expected {audit_expected(response)}")
    expected = EXPECTED_CHANGES.get((case_name(key, variant), method, persona), set())
    if changed != expected:
        problems.append(f"{where}: changed {sorted(changed)}, expected {sorted(expected)}")
    for at, answer in responses:
        if is_page(answer):
            if "Content-Security-Policy" not in answer:
                problems.append(f"{where}: {at} has no Content-Security-Policy")
            problems += [f"{where}: {at}: {found}" for found in inline_code(body_of(answer))]
    # A form with errors answers 400 with its page; a page opened by GET is read as it is.
    if method == "GET" and is_page(response) and response.status_code in (200, 400):
        html = body_of(response)
        words = foreign_words(page_text(html), data)
        problems += [f"{where}: {word!r} in {piece!r}" for word, piece in words.items()]
        if response.status_code == 200:
            parser = Links()
            parser.feed(html)
            links.setdefault(key, set()).update(linked_names(path, parser.hrefs))
    return problems


def linked_names(path, hrefs):
    """The URL names of the portal's pages a page links (not the admin's, nor files)."""
    for href in hrefs:
        parts = urlsplit(urljoin(path, href))
        if parts.scheme or parts.netloc or parts.path.startswith(("/admin/", "/static/")):
            continue
        try:
            yield resolve(parts.path).view_name
        except Resolver404:
            continue


def reached(links):
    """The URL names reached by following links from the home page."""
    seen, queue = {"home"}, deque(["home"])
    while queue:
        for name in links.get(queue.popleft(), ()):
            if name not in seen:
                seen.add(name)
                queue.append(name)
    return seen


@pytest.mark.parametrize(("persona", "language"), VISITS)
def test_crawl(crawl_world, persona, language):
    data = data_strings()
    problems, links = [], {}
    for key, variants in URL_TABLE.items():
        for variant in variants:
            for method in LANGUAGES[language]:
                problems += check(crawl_world, key, variant, method, persona, language, data, links)
    if language == "zh-hans":
        unreached = sorted(reachability(persona) - reached(links))
        if unreached:
            problems.append(f"{persona} reaches no link to {unreached}")
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_every_url_is_in_the_crawl():
    missing = sorted(set(routes()) - set(URL_TABLE))
    assert not missing, f"add this URL to the crawl (URL_TABLE, and its POST): {missing}"
    gone = sorted(set(URL_TABLE) - set(routes()))
    assert not gone, f"the crawl names URLs that no longer exist: {gone}"
    unanswered = [
        case_name(key, variant)
        for key, variants in URL_TABLE.items()
        for variant in variants
        if answers_of(key, variant) is None
    ]
    assert not unanswered, f"say what each persona gets (ANSWERS): {unanswered}"
    cases = {case_name(key, variant) for key, variants in URL_TABLE.items() for variant in variants}
    assert set(ANSWERS) <= cases | set(URL_TABLE), "ANSWERS names URLs that no longer exist"
    unaccounted = set(PORTAL_URLS) - set(REACHED_BY) - set(NOT_LINKED)
    assert not unaccounted, (
        f"say who reaches these by links, or why none does: {sorted(unaccounted)}"
    )
    assert not set(REACHED_BY) & set(NOT_LINKED)


def test_the_crawl_finds_the_markers_where_they_may_be_seen(crawl_world):
    """The markers are there to be found: the owner and the province see them where they may."""

    def text(persona, path):
        response = client_of(crawl_world, persona, "zh-hans").get(path)
        assert response.status_code == 200, path
        return readable(response)

    own_report = text("zhengzhou", "/periods/2021/410100/")
    assert "郑州私密说明XYZ" in own_report and "21500.37" in own_report
    assert "59.37" in own_report, "the trademark figures summed from its contracts"
    assert "焦作退回原因QRS" in text("reviewer", "/periods/2021/410800/")
    assert ZZ_PLEDGOR in text("zhengzhou", "/periods/2021/410100/contracts/")
    # Printed attachments name the units short, as the notice does (鹤壁, not 鹤壁市).
    assert "鹤壁" in text("reviewer", "/reports/2021/patent.pdf"), "a PDF is read as text"
    circular = f"/circulars/{crawl_world.circular[8]}/file"
    for fmt in ("xlsx", "docx"):
        assert "郑州" in text("reviewer", f"{circular}.{fmt}"), f"a {fmt} is read as text"


@pytest.mark.parametrize(
    "persona", ["reviewer", "administrator", "superuser", "security", "auditor"]
)
def test_between_password_and_code_every_url_answers_as_to_an_anonymous_visitor(
    crawl_world, persona
):
    """A right password alone opens nothing: until the second factor, each URL of the portal
    and of the admin answers the visitor as it answers someone who never logged in."""
    client = Client()
    step = client.post(
        "/accounts/login/", {"username": USERNAMES[persona], "password": DEMO_PASSWORD}
    )
    assert step["Location"] in ("/accounts/login/code/", "/accounts/login/enrol/")
    problems = []
    # The two steps themselves, and the log-out (which would end the pending log-in).
    for key in sorted(set(URL_TABLE) - {"login_code", "login_enrol", "logout"}):
        for variant in URL_TABLE[key]:
            path = path_for(key, URL_TABLE[key][variant])
            for method in METHODS:
                with transaction.atomic():
                    if method == "GET":
                        response = client.get(path)
                    else:
                        response = client.post(
                            path, post_data(key, variant, "anonymous", path, client)
                        )
                    transaction.set_rollback(True)
                cache.clear()
                wanted = expected_status(key, variant, method, "anonymous")
                if not wanted.matches(response):
                    problems.append(f"{method} {path}: {response.status_code}, expected {wanted}")
    assert not problems, "\n".join(problems)
    assert client.get(step["Location"]).status_code == 200, "the pending log-in still stands"
