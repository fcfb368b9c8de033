"""Every page a persona can open reads in one language: the one the user chose.

The crawl (``tests/test_crawl.py``) opens every page by GET as every persona in Chinese and in
English (the language switch's cookie) and reads each for words of the other language, the data
taken out (``tests.support.pages``: what a person reads, the data strings the database holds,
what is data by its form). Here: the pages that answer a POST (import previews with an error in
a row, a refused log-in), and the words the admin's scripts write in the browser: the admin's
catalogue (``jsi18n``) must translate every word of the scripts the admin pages load.
"""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.crawl import contracts_csv
from tests.support.pages import data_strings, problems_of

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]


def client_of(world, persona, language):
    client = Client()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


FIGURES_CSV = "地市,质押金额（万元）,项目数,专利数\n郑州,21600,31,161\n洛阳,x,31,240\n".encode()


def uploaded(name, content):
    """An upload, and what of it a page may show as it is: its name and its headings."""
    headings = content.decode().splitlines()[0].split(",")
    return SimpleUploadedFile(name, content), [name, *headings]


def answered_forms(world):
    """(persona, path, form, data of the form) of the pages that answer a POST: a refused
    log-in, and the previews of uploads, with an error in a row of each."""
    period = world.period
    contracts = contracts_csv([("41.5", "2021-05-01"), ("-3", "2021-05-02")], True)
    yield "anonymous", "/accounts/login/", {"username": "luoyang", "password": "wrong"}, []
    for persona in ("zhengzhou", "reviewer"):
        upload, data = uploaded("上报.csv", FIGURES_CSV)
        yield persona, "/imports/", {"file": upload, "period": period, "kind": "patent"}, data
        upload, data = uploaded("合同.csv", contracts)
        yield persona, "/contracts/import/", {"file": upload, "period": period}, data


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_that_answer_a_form_speak_the_language_the_user_chose(crawl_world, language):
    problems, answered = [], 0
    for persona, path, form, uploaded_data in answered_forms(crawl_world):
        response = client_of(crawl_world, persona, language).post(path, form)
        answered += response.status_code in (200, 400)
        data = tuple(sorted({*data_strings(), *uploaded_data}, key=len, reverse=True))
        problems += problems_of(path, response, data)
    assert answered == 5
    assert not problems, "\n".join(problems)


# ── The admin's scripts ───────────────────────────────────────────────────────────────

QUOTED = r"'((?:[^'\\]|\\.)*)'"
# gettext('…'), ngettext('…', …) and pgettext('context', '…'): the catalogue's key.
SCRIPT_WORDS = re.compile(rf"\b(?:n?gettext\(\s*{QUOTED}|pgettext\(\s*{QUOTED}\s*,\s*{QUOTED})")


def script_words(source):
    for word, context, in_context in SCRIPT_WORDS.findall(source):
        key = f"{context}\x04{in_context}" if context else word
        yield key.replace("\\'", "'")


ADMIN_PAGES = [
    "/admin/auth/user/{user}/change/",  # groups and permissions: the two-box chooser
    "/admin/auth/group/{group}/change/",
    "/admin/periods/reportingperiod/add/",  # dates and times: calendars and clocks
    "/admin/reporting/pledgereport/",  # actions on the selected rows
    "/admin/contracts/pledgecontract/export/",
]


def test_the_admins_scripts_speak_chinese(crawl_world):
    client = client_of(crawl_world, "superuser", "zh-hans")
    scripts = set()
    for page in ADMIN_PAGES:
        path = page.format(user=crawl_world.user["zhengzhou"], group=crawl_world.group)
        html = client.get(path).content.decode()
        scripts.update(re.findall(r"<script src=\"/static/([^\"]+\.js)\"", html))
    assert "admin/js/SelectFilter2.js" in scripts
    words = set()
    for script in scripts:
        with open(finders.find(script), encoding="utf-8") as file:
            words.update(script_words(file.read()))
    catalogue = client.get("/admin/jsi18n/").content.decode()
    translated = json.loads(re.search(r"const newcatalog = (\{.*?\});", catalogue, re.S)[1])
    missing = sorted(word for word in words if word not in translated)
    assert len(words) > 50
    assert not missing, missing
