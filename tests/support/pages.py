"""What the crawl checks on every page: the Content-Security-Policy, the language a person
reads, and the links a page offers."""

import functools
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import Group

from audit.models import AuditEvent
from circulars.models import Circular, CircularAttachment
from cities.models import ReportingUnit, UnitAlias
from contracts import imports as contract_imports
from contracts.models import ContractBatch, PledgeContract
from measures import imports as measure_imports
from measures.models import Event, MeasureDocument, MeasureTransition, Policy, Practice, RiskFund
from periods.models import DeadlineExtension
from reporting import imports as figure_imports
from reporting.models import PledgeReport, ProvinceBenchmark, ReportTransition
from uploads.models import PendingImport

# ── The Content-Security-Policy ───────────────────────────────────────────────────────

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
        # translate="no": not words of any language (a secret key, codes to copy).
        unread = unread or tag in UNREAD_ELEMENTS or attrs.get("translate") == "no"
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
    # Roles are rows an administrator may rename. (Permissions are named by Django once, in
    # English, "Can add 质押融资报表": the pages name them in the reader's language, and are
    # read for it.)
    found.update(_lines(*Group.objects.values_list("name", flat=True)))
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
    # The audit trail keeps what it recorded as it was: names, labels and details, in the
    # portal's language.
    for event in AuditEvent.objects.all():
        found.update(_lines(event.username, event.address, event.object_label))
        found.update(_lines(*event.roles.split(",")))
        for value in event.details.values():
            values = value if isinstance(value, list) else [value]
            found.update(_lines(*(str(item) for item in values if item not in (None, ""))))
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
    # The second factor's standard and the authenticator apps a person may already have.
    "TOTP", "Microsoft", "Google", "Authenticator", "FreeOTP",
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


# ── Links ─────────────────────────────────────────────────────────────────────────────


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
