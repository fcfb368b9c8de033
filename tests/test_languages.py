"""Every page a persona can open reads in one language: the one the user chose.

The pages are the crawl's (``tests/test_crawl.py``: every URL of the portal and of its admin,
on the local demo with the crawl's data on top, and one approved contract so that the bank
ranking has rows), opened with GET by every persona in Chinese and in English (the language
switch's cookie), and the pages that answer a POST (import previews, a refused log-in). Of
each HTML page that answers 200 (or 400: a form with errors), the text a person reads is taken: text nodes and the few
attributes a browser shows as text (``TEXT_ATTRIBUTES``, a button's ``value``); never
``<script>`` or ``<style>``, the values of form fields (what the user types, or the stored
data being edited) or the attributes that are code (``href``, ``name``, ``class``…).

Then the data is taken out, precisely: the strings the database holds (``data_strings``:
unit names, people, roles, circulars, banks, enterprises, explanations, reasons, file names,
codes…), then the few things that are data by their form (``DATA_PATTERNS``: numbers, dates,
times, document numbers such as 豫知〔2021〕8号). What remains must be Chinese on a Chinese
page (no English word, but the names ``LATIN_NAMES`` lists) and English on an English page (no
Chinese character or Chinese punctuation, but what a user types in Chinese whatever the
language, quoted: ``TYPED_IN_CHINESE``). Text marked with a ``lang`` of its own is checked
against its own language: the language switch offers each language in that language, and a
circular's text is Chinese whatever the page's language.

The admin's scripts write some words in the browser: the admin's catalogue (``jsi18n``) must
translate every word of the scripts the admin pages load.
"""

import functools
import json
import re
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import Group, Permission
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from circulars.models import Circular, CircularAttachment
from cities.models import ReportingUnit, UnitAlias
from contracts import imports as contract_imports
from contracts.models import ContractBatch, PledgeContract
from measures import imports as measure_imports
from measures.models import Event, MeasureDocument, MeasureTransition, Policy, Practice, RiskFund
from periods.models import DeadlineExtension
from reporting import imports as figure_imports
from reporting.models import IPKind, PledgeReport, ProvinceBenchmark, ReportTransition
from tests import test_crawl as crawl
from uploads.models import PendingImport

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]

# Pages the crawl does not open in the state worth reading: a closed period's tables and
# standings (the crawl's period, 2021, is still open).
EXTRA_PAGES = [
    "/reports/2020/patent/",
    "/analysis/2020/patent/",
    "/analysis/2021/patent/?standings=provisional",
]

# ── The world: the crawl's, and an approved contract for the bank ranking ─────────────

HEBI_BANK = "中国建设银行鹤壁淇滨支行"
HEBI_PLEDGOR = "鹤壁示例出质人有限公司"


def add_approved_contract():
    """A contract behind 鹤壁's approved 2021 report, as an import leaves one."""
    report = PledgeReport.objects.get(unit__short_name="鹤壁", period__year=2021)
    batch = ContractBatch.objects.create(
        report=report, kind=IPKind.PATENT, filename="鹤壁合同.xlsx", contract_count=1
    )
    PledgeContract.objects.create(
        report=report, batch=batch, kind=IPKind.PATENT, pledgor=HEBI_PLEDGOR,
        uscc=crawl.contract_code(99), is_sme=True, bank=HEBI_BANK,
        registration_number="HB-2021-1", items=2, amount="120.50", effective_on="2021-05-06",
    )  # fmt: skip


@pytest.fixture(scope="module")
def world(local_demo):
    local_demo.add_layer(crawl.add_markers)
    local_demo.add_layer(add_approved_contract)
    yield crawl.WORLD
    local_demo.remove_layer(add_approved_contract)
    local_demo.remove_layer(crawl.add_markers)


def client_of(world, persona, language):
    client = Client()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# Files, not pages (a circular's documents are Chinese whatever the language).
DOWNLOAD = re.compile(r"\.(pdf|docx|xlsx|csv)$|[?&]_export=")


def page_paths():
    """Every page of the crawl once, and the extra pages."""
    paths = []
    for key, variants in crawl.URL_TABLE.items():
        for kwargs in variants.values():
            path = crawl.path_for(key, kwargs)
            if path not in paths and not DOWNLOAD.search(path):
                paths.append(path)
    return paths + EXTRA_PAGES


# ── What a person reads on a page ─────────────────────────────────────────────────────

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Elements whose content is not read: code, and the value of a form field (what the user
# types, or the stored data being edited, as an <input>'s value).
UNREAD_ELEMENTS = {"script", "style", "template", "textarea"}
# Attributes a browser shows as text: tooltips, placeholders, an image's text, labels read out.
TEXT_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
BUTTON_TYPES = {"submit", "button", "reset"}
# Django's admin says yes, no and unknown with icons whose text is "True", "False" or "None"
# in every language (django.contrib.admin.templatetags.admin_list._boolean_icon writes the
# value itself: no catalogue can translate it).
BOOLEAN_ICON = re.compile(r"/admin/img/icon-(yes|no|unknown)\.svg$")


def language_of(code):
    return "zh" if (code or "").lower().startswith("zh") else "en"


class PageText(HTMLParser):
    """The page's readable text as (language, text) pieces: the language is the nearest
    ``lang`` attribute's."""

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.stack = [("", language, False)]  # (tag, language, unread)
        self.pieces = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        _tag, language, unread = self.stack[-1]
        if attrs.get("lang"):
            language = language_of(attrs["lang"])
        unread = unread or tag in UNREAD_ELEMENTS
        if not unread:
            for name in sorted(TEXT_ATTRIBUTES & set(attrs)):
                if not (name == "alt" and BOOLEAN_ICON.search(attrs.get("src") or "")):
                    self.pieces.append((language, attrs[name] or ""))
            if tag == "input" and (attrs.get("type") or "").lower() in BUTTON_TYPES:
                self.pieces.append((language, attrs.get("value") or ""))
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, language, unread))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        # An element whose end tag HTML lets a page leave out (<p>, <li>) ends with its parent.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        _tag, language, unread = self.stack[-1]
        if not unread and data.strip():
            self.pieces.append((language, data))


def page_text(html):
    match = re.search(r"<html[^>]*\blang=\"([^\"]*)\"", html)
    parser = PageText(language_of(match and match[1]))
    parser.feed(html)
    parser.close()
    return parser.pieces


# ── The data ──────────────────────────────────────────────────────────────────────────


def _lines(*values):
    """Each non-empty line of the values: a page shows a text of several lines line by line."""
    for value in values:
        for line in str(value or "").splitlines():
            if line.strip():
                yield line.strip()


def data_strings():
    """Every string the database holds that a page may show as it is, longest first."""
    found = set()
    for fields in ReportingUnit.objects.values_list("name", "short_name"):
        found.update(_lines(*fields))
    found.update(_lines(*UnitAlias.objects.values_list("name", flat=True)))
    for user in get_user_model().objects.all():
        found.update(_lines(user.username, user.email, user.get_full_name()))
        found.update(_lines(user.first_name, user.last_name))
        # The admin's user form sums up the stored password: its hasher, salt and hash.
        if user.has_usable_password():
            found.update(
                _lines(*identify_hasher(user.password).safe_summary(user.password).values())
            )
    # Roles are rows an administrator may rename. Permissions are named once, by Django, when
    # the tables are made ("Can add 质押融资报表"), in no user's language.
    found.update(_lines(*Group.objects.values_list("name", flat=True)))
    found.update(_lines(*Permission.objects.values_list("name", flat=True)))
    for c in Circular.objects.all():
        found.update(
            _lines(
                c.organ, c.code, c.title, c.addressees, c.situation, c.body, c.signatory, c.note,
                c.copy_to, c.printed_by, c.archived_sha256, c.signed_on_text, c.printed_on_text,
            )
        )  # fmt: skip
    # An attachment is titled as the circular prints it.
    found.update(_lines(*(attachment.title for attachment in CircularAttachment.objects.all())))
    found.update(_lines(*PledgeReport.objects.values_list("explanation", flat=True)))
    found.update(_lines(*PledgeReport.history.values_list("explanation", flat=True)))
    found.update(_lines(*ReportTransition.objects.values_list("comment", flat=True)))
    found.update(_lines(*DeadlineExtension.objects.values_list("reason", flat=True)))
    for fields in PledgeContract.objects.values_list(
        "pledgor", "uscc", "bank", "bank_group", "registration_number"
    ):
        found.update(_lines(*fields))
    found.update(_lines(*ContractBatch.objects.values_list("filename", flat=True)))
    found.update(_lines(*PendingImport.objects.values_list("filename", flat=True)))
    # What units report of their measures, as they typed it, and the names of their documents.
    for fields in Policy.objects.values_list("title", "issuer", "document_number"):
        found.update(_lines(*fields))
    for title, banks, groups in RiskFund.objects.values_list("title", "banks", "bank_groups"):
        found.update(_lines(title, *banks.replace("、", "\n").splitlines(), "、".join(groups)))
    for fields in Event.objects.values_list("title", "place", "organiser"):
        found.update(_lines(*fields))
    for fields in Practice.objects.values_list("title", "text"):
        found.update(_lines(*fields))
    found.update(_lines(*MeasureDocument.objects.values_list("filename", flat=True)))
    found.update(_lines(*MeasureTransition.objects.values_list("comment", flat=True)))
    for fields in ProvinceBenchmark.objects.values_list("province", "source"):
        found.update(_lines(*fields))
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        for fields in model.objects.values_list(
            "username", "user_agent", "ip_address", "http_accept", "path_info"
        ):
            found.update(_lines(*fields))
    # The admin's log names each object as it was called when it was changed.
    found.update(_lines(*LogEntry.objects.values_list("object_repr", flat=True)))
    found.update(django_m2m_names())
    return tuple(sorted(found, key=len, reverse=True))


def django_m2m_names():
    """How Django names the tables it makes for many-to-many fields, and their rows.

    Once, at start-up, in code: "User-group关系" in every language, rows "User_groups object
    (19)". The admin lists them on a user's or a group's delete page.
    """
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.auto_created:
            names.add(str(model._meta.verbose_name))
            names.add(str(model._meta.verbose_name).capitalize())
            names.add(f"{model.__name__} object")
    return names


# Data by its form, taken out in this order (a document number before the numbers in it).
DATA_PATTERNS = [
    re.compile(r"[\u4e00-\u9fff]{1,6}〔\d{4}〕\d+号"),  # a document number: 豫知〔2021〕8号
    re.compile(r"\d{4}-\d{2}-\d{2}"),  # a date, as the admin writes it
    re.compile(r"\d{1,2}:\d{2}(?::\d{2})?"),  # a time
    re.compile(r"[-+−]?\d[\d,.]*%?"),  # numbers, amounts, percentages
]
# Names written in Latin letters in Chinese text too: file formats and text encodings, the
# national standards' prefix (GB/T 2260), the key names Django's Chinese quotes ("按住 Control
# 键或 Mac 上的 Command 键"), and what Django's Chinese leaves in English (IP 地址, LDAP).
LATIN_NAMES = {
    "CSV", "XLSX", "XLS", "PDF", "DOCX", "OFD", "Excel", "Word", "UTF", "GBK", "GB",
    "Control", "Mac", "Command", "IP", "LDAP",
}  # fmt: skip
# What a user types in Chinese whatever the interface's language, quoted in the English help
# (“地市”): the headings and cells of an import file, and a circular's heading numbers.
TYPED_IN_CHINESE = {
    *(name for names in figure_imports.HEADINGS.values() for name in names),
    *(name for names in contract_imports.COLUMNS.values() for name in names),
    *contract_imports.HEADINGS.values(),
    *(name for columns in measure_imports.COLUMNS.values() for names in columns.values()
      for name in names),
    "是", "否", "专利", "商标",
    "一、", "（一）", "（1）",
}  # fmt: skip

ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
# Chinese characters and the punctuation of Chinese text (、。「」 and the full-width forms).
CHINESE = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff01-\uff60]+")


@functools.lru_cache(maxsize=4)
def data_pattern(data):
    """One pattern for every data string, the longest first (a name before its short name)."""
    return re.compile("|".join(re.escape(value) for value in data))


def strip_data(text, data):
    text = DATA_PATTERNS[0].sub(" ", text)
    text = data_pattern(data).sub(" ", text)
    for pattern in DATA_PATTERNS[1:]:
        text = pattern.sub(" ", text)
    return text


def foreign_words(pieces, data):
    """The words of each piece that are not in its language: {word: the piece it is in}."""
    found = {}
    for language, text in pieces:
        if language == "zh":
            words = [
                word
                for word in ENGLISH_WORD.findall(strip_data(text, data))
                # Upper case too: the export form's menu of formats says "csv".
                if word not in LATIN_NAMES and word.upper() not in LATIN_NAMES
            ]
        else:
            rest = text
            for typed in TYPED_IN_CHINESE:
                rest = rest.replace(f"“{typed}”", " ")
            words = CHINESE.findall(strip_data(rest, data))
        for word in words:
            found.setdefault(word, " ".join(text.split())[:160])
    return found


def problems_of(path, response, data):
    # A form with errors answers 400 with its page. A refusal (403, 404) is Django's own page,
    # in English: the portal has no templates for them.
    if response.status_code not in (200, 400) or "text/html" not in response["Content-Type"]:
        return []
    words = foreign_words(page_text(response.content.decode()), data)
    return [f"{path}: {word!r} in {piece!r}" for word, piece in words.items()]


# ── The pages ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("persona", crawl.PERSONAS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_a_persona_opens_speaks_the_language_they_chose(world, language, persona):
    data = data_strings()
    client = client_of(world, persona, language)
    problems = []
    for path in page_paths():
        problems += problems_of(path, client.get(path), data)
    assert not problems, "\n".join(problems)


FIGURES_CSV = "地市,质押金额（万元）,项目数,专利数\n郑州,21600,31,161\n洛阳,x,31,240\n".encode()


def uploaded(name, content):
    """An upload, and what of it a page may show as it is: its name and its headings."""
    headings = content.decode().splitlines()[0].split(",")
    return SimpleUploadedFile(name, content), [name, *headings]


def answered_forms(world):
    """(persona, path, form, data of the form) of the pages that answer a POST: a refused
    log-in, and the previews of uploads, with an error in a row of each."""
    period = world.period
    contracts = crawl.contracts_csv([("41.5", "2021-05-01"), ("-3", "2021-05-02")], True)
    yield "anonymous", "/accounts/login/", {"username": "luoyang", "password": "wrong"}, []
    for persona in ("zhengzhou", "reviewer"):
        upload, data = uploaded("上报.csv", FIGURES_CSV)
        yield persona, "/imports/", {"file": upload, "period": period, "kind": "patent"}, data
        upload, data = uploaded("合同.csv", contracts)
        yield persona, "/contracts/import/", {"file": upload, "period": period}, data


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_that_answer_a_form_speak_the_language_the_user_chose(world, language):
    problems, answered = [], 0
    for persona, path, form, uploaded_data in answered_forms(world):
        response = client_of(world, persona, language).post(path, form)
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


def test_the_admins_scripts_speak_chinese(world):
    client = client_of(world, "superuser", "zh-hans")
    scripts = set()
    for page in ADMIN_PAGES:
        path = page.format(user=world.user["zhengzhou"], group=world.group)
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
