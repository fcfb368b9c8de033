"""The crawl's world and its one table of URLs (``tests/test_crawl.py`` runs it).

Every URL of the portal and of its admin, with the arguments (variants) it is opened with, the
answer each persona gets by GET and by POST, and who must reach it by following links. The
data is the local demo (period 2021: 郑州 a draft, 洛阳 submitted, 焦作 returned, 鹤壁
approved; circulars 豫知〔2021〕8号 and 9号) with private markers added on top: 郑州's draft
explanation and figures, its pledge contracts, its draft measures and its pending uploads, and
the reasons 焦作 was returned.
"""

import datetime
import functools
import hashlib
import html
import io
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from stdnum.cn import uscc

from accounts import demo as accounts_demo
from accounts.roles import ADMINISTRATOR_GROUP, REVIEWER_GROUP
from analysis.models import StandingRules
from circulars.models import Circular
from cities.models import ReportingUnit
from contracts.imports import apply_contracts, parse_contracts
from contracts.models import ContractBatch, PledgeContract
from measures import services as measure_services
from measures.models import Event, MeasureReport, MeasureTransition
from measures.types import MEASURE_TYPES
from periods.models import DeadlineExtension, ReportingPeriod
from periods.services import grant_extension
from reporting import services
from reporting.models import (
    FIGURE_FIELDS,
    IPKind,
    PledgeFigures,
    PledgeReport,
    ProvinceBenchmark,
    ReportTransition,
)
from uploads.models import PendingImport
from uploads.readers import read_rows
from workflow.models import WorkflowAction
from workflow.services import transition

PERSONAS = [
    "anonymous", "zhengzhou", "luoyang", "reviewer", "administrator", "superuser", "security",
    "auditor",
]  # fmt: skip
USERNAMES = {
    "zhengzhou": "zhengzhou",  # the demo's 郑州 submitter
    "luoyang": "luoyang",  # the demo's 洛阳 submitter
    "reviewer": "reviewer",  # the demo's 省级审核员
    "administrator": "admin",  # the demo's 系统管理员: neither reviewer nor superuser
    "superuser": "root",  # made at the console for emergencies: no role, not a reviewer
    "security": "security",  # the demo's 安全管理员
    "auditor": "auditor",  # the demo's 审计管理员
}
METHODS = ["GET", "POST"]

# ── The private markers ───────────────────────────────────────────────────────────────

ZZ_EXPLANATION = "郑州私密说明XYZ：本年度新增两家科技型企业的大额质押。"
ZZ_AMOUNT = Decimal("21500.37")
ZZ_PLEDGOR = "郑州私密出质人XYZ有限公司"
ZZ_REGISTRATION = "ZZMARK-0000"  # ZZMARK-00001, ZZMARK-00002
ZZ_PENDING = "郑州待确认XYZ"  # the names of 郑州's pending uploads
JZ_REASON = "焦作退回原因QRS：专利数与登记台账不符。"

ZZ_POLICY = "郑州私密政策XYZ扶持办法"  # a policy in 郑州's draft measures, and its document
ZZ_DRAFT_MARKERS = (
    "郑州私密说明XYZ",
    "郑州私密政策XYZ",
    "21500.37",
    "21,500.37",
    ZZ_PLEDGOR,
    ZZ_REGISTRATION,
)
ZZ_PENDING_MARKERS = (ZZ_PENDING,)
JZ_MARKERS = ("焦作退回原因QRS",)


# ── The URLs ──────────────────────────────────────────────────────────────────────────


def walk(patterns, namespace="", prefix=""):
    """(key, route, named) of every URL: the key is ``namespace:name``, or ``namespace:route``
    for a URL without a name."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or route
            yield f"{namespace}{name}", route, bool(pattern.name)


@functools.cache
def routes():
    """key → (route, named) for every URL of the project."""
    return {key: (route, named) for key, route, named in walk(get_resolver().url_patterns)}


def W(attribute, *keys):
    """A value read from the world of ids when the case runs."""

    def read(world):
        value = getattr(world, attribute)
        for key in keys:
            value = value[key]
        return value

    return read


ONE = {"": {}}  # a URL without arguments
CODES = {"zhengzhou": "410100", "luoyang": "410300", "hebi": "410600", "jiaozuo": "410800"}
UNITS = {"zhengzhou": "郑州", "luoyang": "洛阳", "hebi": "鹤壁", "jiaozuo": "焦作"}

# Every URL → its variants: label → kwargs (values, or functions of the world); "?" holds
# the query string, "*" the arguments of a URL whose groups have no names.
PORTAL_URLS = {
    "home": ONE,
    "audit:trail": {"": {}, "csv": {"?": {"_export": "csv"}}},
    "favicon": ONE,
    "login": ONE,
    "login_code": ONE,
    "login_enrol": ONE,
    "cas_login": ONE,
    "second_factor": ONE,
    "second_factor_recovery": ONE,
    "logout": ONE,
    "password_change": ONE,
    "password_change_done": ONE,
    "password_reset": ONE,
    "password_reset_done": ONE,
    "password_reset_confirm": {"": {"uidb64": W("reset", 0), "token": W("reset", 1)}},
    "password_reset_complete": ONE,
    "set_language": ONE,
    "circulars:list": ONE,
    "circulars:create": ONE,
    "circulars:detail": {"": {"pk": W("circular", 8)}},
    "circulars:edit": {"": {"pk": W("circular", 8)}},
    "circulars:redraft": {"": {"pk": W("circular", 8)}},
    "circulars:issue": {"": {"pk": W("circular", 8)}},
    "circulars:withdraw": {"": {"pk": W("circular", 8)}},
    "circulars:copy": {"": {"pk": W("circular", 8)}},
    "circulars:file": {
        fmt: {"pk": W("circular", 8), "fmt": fmt} for fmt in ("pdf", "docx", "xlsx")
    },
    "circulars:attachment_pdf": {"": {"period": "2021", "kind": "patent"}},
    "circulars:practice_exchange": {"": {}, "2020": {"?": {"period": "2020"}}},
    "contracts:import": ONE,
    "contracts:confirm_import": {"": {"pk": W("pending", "contracts")}},
    "contracts:template": {"": {"period": "2021", "code": "410100"}},
    "contracts:template_choice": {
        "": {"?": {"period": "2021", "unit": "410100"}},
        "nothing chosen": {},
    },
    "contracts:banks": {"": {"period": "2021"}},
    "contracts:report_contracts": {"": {"period": "2021", "code": "410100"}},
    "contracts:withdraw_batch": {"": {"pk": W("batch")}},
    "analysis:dashboard": ONE,
    "analysis:unit": {"zhengzhou": {"code": "410100"}, "luoyang": {"code": "410300"}},
    "analysis:comparison": {
        "": {"period": "2021", "kind": "patent"},
        # A closed period's standings, and the reviewers' provisional ones of the open period.
        "2020": {"period": "2020", "kind": "patent"},
        "provisional standings": {
            "period": "2021", "kind": "patent", "?": {"standings": "provisional"}
        },
    },
    "reporting:import": ONE,
    "reporting:import_template": {"": {"kind": "patent"}},
    "reporting:confirm_import": {"": {"pk": W("pending", "figures")}},
    "reporting:ranked_table": {
        "": {"period": "2021", "kind": "patent"},
        "2020": {"period": "2020", "kind": "patent"},  # a closed period's
        "provisional csv": {
            "period": "2021", "kind": "trademark", "?": {"provisional": "1", "_export": "csv"}
        },
    },
    "reporting:board": {"": {"period": "2021"}},
    # The board's selection (a confirmation page), and the confirmed approval.
    "reporting:bulk_approve": {"": {"period": "2021"}, "confirmed": {"period": "2021"}},
    # 郑州 a draft, 洛阳 submitted, 焦作 returned, 鹤壁 approved
    "reporting:report": {
        unit: {"period": "2021", "code": CODES[unit]}
        for unit in ("zhengzhou", "luoyang", "jiaozuo", "hebi")
    },
    "reporting:transition": {
        f"{action} {unit}": {"period": "2021", "code": CODES[unit], "action": action}
        for action, unit in (
            ("approve", "luoyang"), ("return", "luoyang"), ("reopen", "hebi"),
            ("approve", "zhengzhou"),
        )
    },
    "reporting:extension": {"": {"period": "2021", "code": "410100"}},
    # Measures, 2021: 郑州 a draft (with a policy and its document), 洛阳 submitted, 焦作
    # returned, 鹤壁 approved.
    "measures:matrix": {"": {"period": "2021"}, "csv": {"period": "2021", "?": {"_export": "csv"}}},
    "measures:report": {
        unit: {"period": "2021", "code": CODES[unit]}
        for unit in ("zhengzhou", "luoyang", "jiaozuo", "hebi")
    },
    "measures:transition": {
        f"{action} {unit}": {"period": "2021", "code": CODES[unit], "action": action}
        for action, unit in (
            ("submit", "zhengzhou"), ("approve", "luoyang"), ("return", "luoyang"),
            ("reopen", "hebi"),
        )
    },
    "measures:add_item": {"": {"period": "2021", "code": "410100", "measure_type": "policies"}},
    "measures:edit_item": {
        "": {"period": "2021", "code": "410100", "measure_type": "policies", "pk": W("policy")}
    },
    "measures:delete_item": {
        "": {"period": "2021", "code": "410100", "measure_type": "policies", "pk": W("policy")}
    },
    "measures:document": {"": {"pk": W("document")}},
    "measures:unit": {"zhengzhou": {"code": "410100"}, "luoyang": {"code": "410300"}},
    "measures:import": ONE,
    "measures:confirm_import": {"": {"pk": W("pending", "measures")}},
    "measures:import_template": {"": {"measure_type": "policies"}},
}  # fmt: skip

# Every registered ModelAdmin → the object its change, delete and history pages show.
ADMIN_OBJECTS = {
    "auth.group": W("group"),
    "auth.user": W("user", "zhengzhou"),
    "axes.accessattempt": W("axes", "accessattempt"),
    "axes.accesslog": W("axes", "accesslog"),
    "axes.accessfailurelog": W("axes", "accessfailurelog"),
    "cities.reportingunit": W("unit", "郑州"),
    "periods.reportingperiod": W("period"),
    "reporting.pledgereport": W("report", "郑州"),
    "periods.deadlineextension": W("extension"),
    "reporting.provincebenchmark": W("benchmark"),
    # 鹤壁's (approved): a draft's contracts are not in the admin (tests/contracts/test_admin.py).
    "contracts.pledgecontract": W("approved_contract"),
    "analysis.standingrules": W("standing_rules"),
    "measures.measurereport": W("measure_report", "郑州"),
}

ADMIN_URLS = {
    "admin:index": ONE,
    "admin:login": ONE,
    "admin:logout": ONE,
    "admin:password_change": ONE,
    "admin:password_change_done": ONE,
    "admin:autocomplete": {
        "": {
            "?": {"app_label": "cities", "model_name": "reportingunit_submitters",
                  "field_name": "reportingunit", "term": "郑"}
        }
    },
    "admin:jsi18n": ONE,
    "admin:view_on_site": {"": {"content_type_id": W("unit_type"), "object_id": W("unit", "郑州")}},
    "admin:app_list": {
        app: {"app_label": app}
        for app in ("auth", "axes", "cities", "periods", "reporting", "contracts", "analysis", "measures")
    },
    "admin:admin/(?P<url>.*)$": {"": {"url": "reporting/nothing-here/"}},
    "admin:auth_user_password_change": {"": {"id": W("user", "zhengzhou")}},
    # django-simple-history's history form: its POST reverts the object to that record.
    "admin:reporting_pledgereport_simple_history": {
        "luoyang draft record": {"*": (W("report", "洛阳"), W("history", "洛阳", 0))},
        "zhengzhou latest record": {"*": (W("report", "郑州"), W("history", "郑州", -1))},
    },
    "admin:contracts_pledgecontract_export": ONE,
    "admin:measures_measurereport_simple_history": {
        "zhengzhou latest record": {
            "*": (W("measure_report", "郑州"), W("measure_history", "郑州"))
        },
    },
}  # fmt: skip
for _label, _object in ADMIN_OBJECTS.items():
    _app, _model = _label.split(".")
    ADMIN_URLS[f"admin:{_app}_{_model}_changelist"] = ONE
    ADMIN_URLS[f"admin:{_app}_{_model}_add"] = ONE
    for _view in ("change", "delete", "history"):
        ADMIN_URLS[f"admin:{_app}_{_model}_{_view}"] = {"": {"object_id": _object}}
    ADMIN_URLS[f"admin:admin/{_app}/{_model}/<path:object_id>/"] = {"": {"object_id": _object}}
# The history of a report that moved: its states, as the admin names them.
ADMIN_URLS["admin:reporting_pledgereport_history"]["luoyang"] = {"object_id": W("report", "洛阳")}
ADMIN_URLS["admin:measures_measurereport_history"]["luoyang"] = {
    "object_id": W("measure_report", "洛阳")
}

URL_TABLE = {**PORTAL_URLS, **ADMIN_URLS}


def case_name(key, variant):
    return f"{key}[{variant}]" if variant else key


# (case, method, persona) → the units whose reports (or extensions) change: exactly these.
# Any other request changes nothing.
EXPECTED_CHANGES = {
    ("reporting:report[zhengzhou]", "POST", "zhengzhou"): {"郑州"},
    ("reporting:confirm_import", "POST", "zhengzhou"): {"郑州"},
    ("contracts:confirm_import", "POST", "zhengzhou"): {"郑州"},
    # Withdrawing 郑州's contracts: its unit, or the province on the unit's behalf (a draft).
    ("contracts:withdraw_batch", "POST", "zhengzhou"): {"郑州"},
    ("contracts:withdraw_batch", "POST", "reviewer"): {"郑州"},
    ("contracts:withdraw_batch", "POST", "administrator"): {"郑州"},
    ("contracts:withdraw_batch", "POST", "superuser"): {"郑州"},
    ("reporting:transition[approve luoyang]", "POST", "reviewer"): {"洛阳"},
    ("reporting:transition[return luoyang]", "POST", "reviewer"): {"洛阳"},
    ("reporting:transition[reopen hebi]", "POST", "reviewer"): {"鹤壁"},
    ("reporting:bulk_approve[confirmed]", "POST", "reviewer"): {"洛阳"},
    ("reporting:extension", "POST", "reviewer"): {"郑州"},
    # Measures: 郑州's own changes to its draft, and the reviewers' moves.
    ("measures:transition[submit zhengzhou]", "POST", "zhengzhou"): {"郑州"},
    ("measures:transition[approve luoyang]", "POST", "reviewer"): {"洛阳"},
    ("measures:transition[return luoyang]", "POST", "reviewer"): {"洛阳"},
    ("measures:transition[reopen hebi]", "POST", "reviewer"): {"鹤壁"},
    ("measures:add_item", "POST", "zhengzhou"): {"郑州"},
    ("measures:edit_item", "POST", "zhengzhou"): {"郑州"},
    ("measures:delete_item", "POST", "zhengzhou"): {"郑州"},
    ("measures:confirm_import", "POST", "zhengzhou"): {"郑州"},
    # The province's import of a table of figures: submitted on behalf of the units.
    # (洛阳's row is what it submitted: unchanged.)
}


# ── The world: the demo, the markers and the ids the cases use ────────────────────────


class World:
    """Ids of the shared data, read again whenever the demo is loaded."""


WORLD = World()
FORM_CACHE = {}


def contract_code(n):
    body = f"91410100MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def contracts_csv(rows, with_unit=False, pledgor=ZZ_PLEDGOR, registration=ZZ_REGISTRATION):
    """郑州's trademark pledge contracts: (amount, day) each."""
    head = ["出质人", "统一社会信用代码", "是否中小微企业", "质权人（银行）", "质押登记号"]
    head += ["件数", "金额（万元）", "质权设立日", "贷款期限（月）"]
    if with_unit:
        head = ["地市", "类别", *head]
    lines = [head]
    for n, (amount, day) in enumerate(rows, start=1):
        line = [pledgor, contract_code(n), "是", "中国银行郑州分行", f"{registration}{n}"]
        line += ["2", amount, day, "12"]
        lines.append(["郑州", "商标", *line] if with_unit else line)
    return "\n".join(",".join(line) for line in lines).encode()


FIGURES_CSV = (
    "地市,质押金额（万元）,项目数,专利数\n郑州,21600,31,161\n洛阳,41020.5,31,240\n".encode()
)
ZHENGZHOU_CSV = "地市,质押金额（万元）,项目数,专利数\n郑州,21700,32,170\n".encode()


MEASURES_CSV = (
    "活动类型,活动名称,举办日期,地点,主办单位,参加银行（家）,参加企业（家）,"
    "签约意向授信（万元）,已发放贷款（万元）\n"
    "巡讲,巡检巡讲,2021-05-10,郑州市,郑州市市场监督管理局,3,40,0,0\n"
).encode()
CRAWL_POLICY = {
    "title": "巡检政策", "issuer": "郑州市市场监督管理局", "document_number": "郑市监〔2021〕9号",
    "issued_on": "2021-04-01", "type": "subsidy", "amount": "", "in_force": "on",
}  # fmt: skip


WORD_TYPES = (
    '<Types><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def marked_docx(text):
    """A DOCX (as far as its type is read from its content) whose text is ``text``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", WORD_TYPES)
        archive.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return buffer.getvalue()


def add_measures(users, units, period):
    """Measures for 2021: 郑州's draft (the demo's) gains a policy and its document (private);
    洛阳 submitted (the demo's), 焦作 returned with 焦作's reason, 鹤壁 approved."""
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    User = get_user_model()
    policies = MEASURE_TYPES["policies"]
    events = MEASURE_TYPES["events"]
    policy = measure_services.save_item(
        users["zhengzhou"], units["郑州"], period, policies,
        {"title": ZZ_POLICY, "issuer": "郑州市市场监督管理局", "document_number": "郑市监〔2021〕3号",
         "issued_on": datetime.date(2021, 3, 1), "type": "subsidy", "amount": None,
         "in_force": True},
        expected_version=None, upload=Upload(f"{ZZ_POLICY}.docx", marked_docx(ZZ_POLICY)),
    )  # fmt: skip
    event = {"type": "roadshow", "title": "巡讲", "held_on": datetime.date(2021, 6, 1),
             "place": "某地", "organiser": "某局", "banks_attending": 2,
             "enterprises_attending": 20}  # fmt: skip
    reviewer = users["reviewer"]
    # 洛阳's are submitted by the demo itself.
    assert MeasureReport.objects.get(unit=units["洛阳"], period=period).state == "submitted"
    for name, login in (("焦作", "jiaozuo"), ("鹤壁", "hebi")):
        clerk = User.objects.get(username=login)
        item = measure_services.save_item(
            clerk, units[name], period, events, {**event, "title": f"{name}巡讲"},
            expected_version=None,
        )  # fmt: skip
        report = item.report
        transition(report, WorkflowAction.SUBMIT, clerk, notify=False)
        if name == "焦作":
            transition(report, WorkflowAction.RETURN, reviewer, JZ_REASON, notify=False)
        elif name == "鹤壁":
            transition(report, WorkflowAction.APPROVE, reviewer, notify=False)
    report = MeasureReport.objects.get(pk=policy.report_id)
    return {"policy": policy.pk, "document": policy.document_id, "version": report.version}


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
        uscc=contract_code(99), is_sme=True, bank=HEBI_BANK,
        registration_number="HB-2021-1", items=2, amount="120.50", effective_on="2021-05-06",
    )  # fmt: skip


def add_markers():
    """The private markers, through the portal's own services, and the world's ids."""
    User = get_user_model()
    User.objects.create_superuser("root", "root@example.gov.cn", accounts_demo.DEMO_PASSWORD)
    users = {persona: User.objects.get(username=name) for persona, name in USERNAMES.items()}
    assert users["administrator"].groups.filter(name=ADMINISTRATOR_GROUP).exists()
    assert not users["administrator"].is_superuser
    assert users["superuser"].is_superuser
    assert not users["superuser"].groups.filter(name=REVIEWER_GROUP).exists()

    units = {unit.short_name: unit for unit in ReportingUnit.objects.all()}
    period = ReportingPeriod.objects.by_slug("2021").get()
    zhengzhou = users["zhengzhou"]

    # 郑州's draft: its explanation and figures, then contracts giving its trademark figures.
    patent = services.Figures(ZZ_AMOUNT, 30, 160, 26, 20, 22)
    services.save_figures(
        zhengzhou, units["郑州"], period, {IPKind.PATENT: patent}, explanation=ZZ_EXPLANATION
    )
    rows = read_rows(contracts_csv([("37.11", "2021-03-05"), ("22.26", "2021-06-01")]), "c.csv")
    preview = parse_contracts(
        rows, period, unit=units["郑州"], kind=IPKind.TRADEMARK,
        restrict_to_units={units["郑州"].pk},
    )  # fmt: skip
    assert preview.ok, preview.errors
    # Contracts replace the demo's typed trademark figures: the user ticked the confirmation.
    apply_contracts(preview, zhengzhou, "郑州合同.csv", as_draft=True, replace_typed=True)

    # 焦作 corrects, submits again and is returned again, with a reason of its own.
    jiaozuo_report = PledgeReport.objects.get(unit=units["焦作"], period=period)
    jiaozuo = User.objects.get(username="jiaozuo")
    transition(jiaozuo_report, WorkflowAction.SUBMIT, jiaozuo, notify=False)
    transition(jiaozuo_report, WorkflowAction.RETURN, users["reviewer"], JZ_REASON, notify=False)

    measure_world = add_measures(users, units, period)

    # 郑州's uploads waiting for confirmation: a table of figures, and contracts.
    pending = {
        "figures": PendingImport.objects.create(
            user=zhengzhou, filename=f"{ZZ_PENDING}.csv", period=period, kind=IPKind.PATENT,
            content=ZHENGZHOU_CSV, target=ContentType.objects.get_for_model(PledgeFigures),
        ),
        "contracts": PendingImport.objects.create(
            user=zhengzhou, filename=f"{ZZ_PENDING}合同.csv", period=period,
            kind=IPKind.TRADEMARK, unit=units["郑州"],
            target=ContentType.objects.get_for_model(PledgeContract),
            content=contracts_csv([("40.5", "2021-04-01")]),
        ),
        "measures": PendingImport.objects.create(
            user=zhengzhou, filename=f"{ZZ_PENDING}措施.csv", period=period, unit=units["郑州"],
            target=ContentType.objects.get_for_model(Event), content=MEASURES_CSV,
            versions={str(units["郑州"].pk): measure_world["version"]},
        ),
    }  # fmt: skip

    # Rows for the admin pages of the models the demo leaves empty.
    access = {"user_agent": "crawl", "ip_address": "127.0.0.1", "username": "luoyang",
              "http_accept": "*/*", "path_info": "/accounts/login/"}  # fmt: skip
    axes = {
        "accessattempt": AccessAttempt.objects.create(
            **access, get_data="", post_data="", failures_since_start=1
        ),
        "accesslog": AccessLog.objects.create(**access),
        "accessfailurelog": AccessFailureLog.objects.create(**access),
    }
    extension = grant_extension(
        users["reviewer"],
        period,
        units["开封"],
        period.deadline + datetime.timedelta(days=7),
        "开封延期",
    )
    standing_rules = StandingRules.objects.first() or StandingRules.objects.create()
    add_approved_contract()

    world = WORLD
    world.user = {persona: user.pk for persona, user in users.items()}
    world.unit = {name: unit.pk for name, unit in units.items()}
    world.unit_type = ContentType.objects.get_for_model(ReportingUnit).pk
    world.period = period.pk
    world.deadline = period.deadline
    reports = PledgeReport.objects.filter(period=period).select_related("unit")
    world.report = {r.unit.short_name: r.pk for r in reports}
    world.version = {r.unit.short_name: r.version for r in reports}
    world.history = {
        r.unit.short_name: list(
            PledgeReport.history.filter(id=r.pk)
            .order_by("history_id")
            .values_list("history_id", flat=True)
        )
        for r in reports
    }
    world.contracts = list(
        PledgeContract.objects.filter(report_id=world.report["郑州"]).values_list("pk", flat=True)
    )
    world.contract = world.contracts[0]
    world.approved_contract = PledgeContract.objects.get(registration_number="HB-2021-1").pk
    world.batch = ContractBatch.objects.get(report__unit__code="410100", withdrawn_at=None).pk
    world.pending = {kind: upload.pk for kind, upload in pending.items()}
    world.circular = {c.number: c.pk for c in Circular.objects.filter(code="豫知", year=2021)}
    world.group = Group.objects.get(name=REVIEWER_GROUP).pk
    world.axes = {name: row.pk for name, row in axes.items()}
    world.extension = extension.pk
    world.benchmark = ProvinceBenchmark.objects.order_by("pk").first().pk
    world.standing_rules = standing_rules.pk
    world.policy = measure_world["policy"]
    world.document = measure_world["document"]
    world.measure_report = {
        r.unit.short_name: r.pk
        for r in MeasureReport.objects.filter(period=period).select_related("unit")
    }
    world.measure_version = {
        r.unit.short_name: r.version
        for r in MeasureReport.objects.filter(period=period).select_related("unit")
    }
    world.measure_history = {
        name: MeasureReport.history.filter(id=pk).order_by("history_id").last().history_id
        for name, pk in world.measure_report.items()
    }
    world.reset = (
        urlsafe_base64_encode(force_bytes(zhengzhou.pk)),
        default_token_generator.make_token(zhengzhou),
    )
    world.sessions = {}
    for persona, user in users.items():
        client = Client()
        client.force_login(user)
        world.sessions[persona] = client.session.session_key
    world.fingerprint = fingerprint()
    world.zhengzhou_report_pages = zhengzhou_report_pages(world)
    # What deleting the account would remove is listed on its pages: its pending uploads.
    world.zhengzhou_account_pages = (f"/admin/auth/user/{zhengzhou.pk}/",)
    FORM_CACHE.clear()


# Provincial staff may open any unit's report, drafts included (the README's role table); besides
# that report's own pages, a draft's data appears to them only where they change or export stored
# data: the import previews (old → new) and the admin's list and export of contracts.
PROVINCE_DATA_PAGES = (
    "/imports/",
    "/admin/reporting/pledgereport/import/",
    "/admin/contracts/pledgecontract/",
)


def zhengzhou_report_pages(world):
    """The pages about 郑州's 2021 report itself, where the province may see its draft."""
    admin_report = f"/admin/reporting/pledgereport/{world.report['郑州']}/"
    admin_contracts = [f"/admin/contracts/pledgecontract/{pk}/" for pk in world.contracts]
    admin_measures = f"/admin/measures/measurereport/{world.measure_report['郑州']}/"
    return ("/periods/2021/410100/", "/contracts/template/2021/410100.xlsx", admin_report,
            *admin_contracts, "/measures/2021/410100/", f"/measures/documents/{world.document}/",
            admin_measures)  # fmt: skip


def rows_written():
    """How many rows this connection has written so far (a request that writes none changed
    nothing, and needs no fingerprint)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:  # what this transaction wrote, in every table, its savepoints included
            cursor.execute(
                "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                "FROM pg_stat_xact_user_tables"
            )
        return cursor.fetchone()[0]


def fingerprint():
    """Unit → everything that the workflow guards: reports, figures, contracts, moves, extensions."""
    units, state = {}, defaultdict(list)
    for pk, unit, *rest in PledgeReport.objects.values_list(
        "pk", "unit__short_name", "period_id", "state", "version", "explanation"
    ):
        units[pk] = unit
        state[unit].append(("report", pk, *rest))
    for report, *rest in PledgeFigures.objects.values_list(
        "report_id", "kind", "amount", "projects", "items", "enterprises", "smes",
        "inclusive_projects",
    ):  # fmt: skip
        state[units[report]].append(("figures", report, *rest))
    for row in PledgeContract.objects.values("report_id").annotate(n=Count("pk")):
        state[units[row["report_id"]]].append(("contracts", row["report_id"], row["n"]))
    for row in ReportTransition.objects.values("report_id").annotate(n=Count("pk")):
        state[units[row["report_id"]]].append(("moves", row["report_id"], row["n"]))
    measure_units = {}
    for pk, unit, *rest in MeasureReport.objects.values_list(
        "pk", "unit__short_name", "period_id", "state", "version"
    ):
        measure_units[pk] = unit
        state[unit].append(("measures", pk, *rest))
    for kind in MEASURE_TYPES.values():
        for row in kind.model.objects.values("report_id").annotate(n=Count("pk")):
            report = row["report_id"]
            state[measure_units[report]].append((kind.slug, report, row["n"]))
    for row in MeasureTransition.objects.values("report__unit__short_name").annotate(n=Count("pk")):
        state[row["report__unit__short_name"]].append(("measure moves", row["n"]))
    for unit, *rest in DeadlineExtension.objects.values_list(
        "unit__short_name", "period_id", "until", "reason"
    ):
        state[unit].append(("extension", *rest))
    return {unit: sorted(rows, key=repr) for unit, rows in state.items()}


# ── What each POST sends ──────────────────────────────────────────────────────────────


class _Forms(HTMLParser):
    """The fields a browser would send for each POST form of a page."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "").lower() == "post":
                self.form = {"action": attrs.get("action") or "", "data": []}
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("file", "button", "image", "reset") or (
                kind == "submit" and name != "_save"
            ):
                return
            self.form["data"].append(
                (name, attrs.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self.select = {"name": name, "first": None, "chosen": "multiple" in attrs}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"] = True
                self.form["data"].append((self.select["name"], value))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif self.form is None:
            return
        elif tag == "select" and self.select is not None:
            if not self.select["chosen"] and self.select["first"] is not None:
                self.form["data"].append((self.select["name"], self.select["first"]))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form["data"].append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None


def form_on_page(path):
    """What the page's own form would post, as the superuser sees it (cached per load)."""
    if path not in FORM_CACHE:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = WORLD.sessions["superuser"]
        response = client.get(path)
        data = {}
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = _Forms()
            parser.feed(response.content.decode())
            own = [f for f in parser.forms if f["action"] in ("", path, "?")]
            if own:
                for name, value in own[0]["data"]:
                    data.setdefault(name, []).append(value)
        FORM_CACHE[path] = data
    return {name: list(values) for name, values in FORM_CACHE[path].items()}


def report_form(unit):
    """The report page's form: the stored figures and explanation, one amount changed."""
    report = PledgeReport.objects.get(pk=WORLD.report[unit])
    data = {"action": "submit", "version": report.version, "explanation": report.explanation}
    for figure in report.figures.all():
        for name in FIGURE_FIELDS:
            value = getattr(figure, name)
            data[f"{figure.kind}-{name}"] = "" if value is None else str(value)
    data["patent-amount"] = str(Decimal(data["patent-amount"]) + 1)
    return data


def post_data(key, variant, persona, path, client):
    """The POST body for a case: a plausible one, as the page's form would send it."""
    password = accounts_demo.DEMO_PASSWORD
    new_password = "Crawl-2021-password!"
    if key in ("login", "admin:login"):
        username = USERNAMES.get(persona, "luoyang")
        return {"username": username, "password": password if persona != "anonymous" else "x"}
    if key in ("password_change", "admin:password_change"):
        return {"old_password": password, "new_password1": new_password,
                "new_password2": new_password}  # fmt: skip
    if key == "password_reset":
        return {"email": "zhengzhou@example.gov.cn"}
    if key == "password_reset_confirm":
        return {"new_password1": new_password, "new_password2": new_password}
    if key == "admin:auth_user_password_change":
        return {"password1": new_password, "password2": new_password, "usable_password": "true"}
    if key == "set_language":
        return {"language": "en", "next": "/"}
    if key == "reporting:report":
        return report_form(UNITS[variant])
    if key == "reporting:transition":
        unit = UNITS[variant.split(" ")[1]]
        return {"version": WORLD.version[unit], "comment": "请核对后重新提交（巡检）。"}
    if key == "reporting:extension":
        return {"until": (WORLD.deadline + datetime.timedelta(days=10)).isoformat(),
                "reason": "巡检延期"}  # fmt: skip
    if key == "reporting:bulk_approve":
        chosen = {"report": [f"{WORLD.report[n]}:{WORLD.version[n]}" for n in ("洛阳", "郑州")]}
        return {**chosen, "confirm": "1"} if variant == "confirmed" else chosen
    if key == "reporting:import":
        return {"file": SimpleUploadedFile("上报.csv", FIGURES_CSV), "period": WORLD.period,
                "kind": "patent"}  # fmt: skip
    if key == "contracts:import":
        content = contracts_csv(
            [("41.5", "2021-05-01")], with_unit=True, pledgor="巡检出质人", registration="XJ-"
        )
        return {"file": SimpleUploadedFile("合同.csv", content), "period": WORLD.period}
    if key == "contracts:confirm_import":
        return {"replace_typed": "1"}
    if key == "reporting:confirm_import":
        return {}
    if key == "contracts:withdraw_batch":
        return {"version": WORLD.version["郑州"]}
    if key == "measures:transition":
        unit = UNITS[variant.split(" ")[1]]
        return {"version": WORLD.measure_version[unit], "comment": "请核对后重新提交（巡检）。"}
    if key in ("measures:add_item", "measures:edit_item"):
        return {**CRAWL_POLICY, "version": WORLD.measure_version["郑州"]}
    if key == "measures:delete_item":
        return {"version": WORLD.measure_version["郑州"]}
    if key == "measures:import":
        return {"file": SimpleUploadedFile("措施.csv", MEASURES_CSV), "period": WORLD.period,
                "unit": WORLD.unit["郑州"], "measure_type": "events"}  # fmt: skip
    if key == "measures:confirm_import":
        return {"replace_items": "1"}
    if key.endswith("_delete"):
        return {"post": "yes"}
    data = form_on_page(path)
    if key == "admin:contracts_pledgecontract_export":
        data["format"] = ["0"]
    if key == "circulars:create":  # what the administrator types in
        data.update(number=["30"], title=["河南省知识产权局\n关于巡检的通知"], body=["巡检正文。"])
    return data


# ── What each response may show ──────────────────────────────────────────────────────


def forbidden_markers(persona, path):
    if persona in ("anonymous", "luoyang", "security", "auditor"):
        return ZZ_DRAFT_MARKERS + ZZ_PENDING_MARKERS + JZ_MARKERS
    if persona == "zhengzhou":
        return JZ_MARKERS
    # A unit's draft is the unit's until it is submitted: the province sees that it exists and its
    # state, never its figures, texts or document names, on any page (the README's one rule).
    forbidden = ZZ_DRAFT_MARKERS
    if not path.startswith(WORLD.zhengzhou_account_pages):
        forbidden += ZZ_PENDING_MARKERS
    return forbidden


@functools.lru_cache(maxsize=64)
def _document_text(digest, body):
    if body.startswith(b"%PDF"):
        from pdfminer.high_level import extract_text

        return extract_text(io.BytesIO(body))
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )


def readable(response):
    """The response as text a person could read: pages, JSON, CSV, PDF, XLSX and DOCX."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith((b"%PDF", b"PK\x03\x04")):
        text = _document_text(hashlib.sha256(body).hexdigest(), body)
    else:
        text = body.decode("utf-8", "replace")
        if "json" in response.get("Content-Type", ""):
            try:
                text += json.dumps(json.loads(text), ensure_ascii=False)
            except ValueError:
                pass
    return html.unescape(text) + " " + response.get("Location", "")


def shown(persona, path, response):
    text = readable(response)
    return [marker for marker in forbidden_markers(persona, path) if marker in text]


# ── The crawl ─────────────────────────────────────────────────────────────────────────


def path_for(key, kwargs):
    def fill(value):
        return value(WORLD) if callable(value) else value

    kwargs = {name: fill(value) for name, value in kwargs.items()}
    query = kwargs.pop("?", "")
    args = [fill(value) for value in kwargs.pop("*", ())]
    route, named = routes()[key]
    if named:
        path = reverse(key, args=args or None, kwargs=kwargs or None)
    else:  # filled in by hand: reverse() needs a name
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m[1]]), route)
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), path)
        path = "/" + path.replace("^", "").replace("$", "")
    return path + (f"?{urlencode(query)}" if query else "")


# ── Who reaches each page by links ────────────────────────────────────────────────────

SUBMITTER, REVIEWER, ADMINISTRATOR = "zhengzhou", "reviewer", "admin"
SECURITY, AUDITOR = "security", "auditor"

# URL name → the personas who must reach it by links.
REACHED_BY = {
    "home": {SUBMITTER, REVIEWER, ADMINISTRATOR, SECURITY, AUDITOR},
    "password_change": {SUBMITTER, REVIEWER, ADMINISTRATOR, SECURITY, AUDITOR},
    "second_factor": {SUBMITTER, REVIEWER, ADMINISTRATOR, SECURITY, AUDITOR},
    "audit:trail": {AUDITOR},
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
    "reporting:import_template": {SUBMITTER, REVIEWER},
    "reporting:ranked_table": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "reporting:board": {REVIEWER, ADMINISTRATOR},
    "reporting:report": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "measures:report": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "measures:matrix": {REVIEWER, ADMINISTRATOR},
    "measures:unit": {SUBMITTER, REVIEWER, ADMINISTRATOR},
    "measures:add_item": {SUBMITTER},
    "measures:edit_item": {SUBMITTER},
    # The demo's one document is in 郑州's draft: the province may not open it before it is sent.
    "measures:document": {SUBMITTER},
    "measures:import": {SUBMITTER, REVIEWER},
    "measures:import_template": {SUBMITTER, REVIEWER},
    "circulars:practice_exchange": {ADMINISTRATOR},
}

# URL name → why no page links it.
NOT_LINKED = {
    "login": "where an anonymous visitor is sent; the test starts logged in",
    "logout": "a POST form in the header",
    "login_code": "where the log-in form leads after a right password (tests/accounts)",
    "login_enrol": "where the log-in form leads for a role that needs a second factor; linked"
    " from the second factor's page only until one is enrolled, and the personas are",
    "cas_login": "linked from the log-in page when CAS is on (it is off in the crawl)",
    "second_factor_recovery": "where enrolment leads, once",
    "password_change_done": "where the password change form leads after its POST",
    "password_reset": "linked from the log-in page, seen logged out",
    "password_reset_done": "where the reset form leads after its POST",
    "password_reset_confirm": "the link in the reset e-mail",
    "password_reset_complete": "where the new-password form leads after its POST",
    "set_language": "a POST form (the language switch)",
    "favicon": "asked for by browsers, not by people",
    "circulars:redraft": "POST only",
    "circulars:copy": "a POST form on an issued or withdrawn circular's page (the demo's circulars"
    " are drafts; tests/circulars/test_withdrawal.py uses it)",
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


def reachability(persona):
    """The URL names ``persona`` must reach by following links from the home page."""
    username = USERNAMES.get(persona, persona)
    return {name for name, who in REACHED_BY.items() if username in who}


# ── The answers ───────────────────────────────────────────────────────────────────────

# Each URL (``name`` for all its variants, ``name[variant]`` for one) → its answer to GET, then
# to POST, for the personas in the order of ``PERSONAS``: anonymous, 郑州's submitter (the
# unit of the crawl's draft), 洛阳's (another unit), the reviewer, the 系统管理员 (staff, not a
# superuser), the superuser (made at the console, in no group), the 安全管理员 and the
# 审计管理员. L: a redirect to the log-in page, A: to the admin's log-in
# page; a number: that status (302: any other redirect). Another unit's report does not exist
# for a clerk (404); a page of another role is refused (403).
ANSWERS = {
    "home": ("L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "favicon": ("302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302"),
    "login": ("200 200 200 200 200 200 200 200", "200 302 302 302 302 302 302 302"),
    "logout": ("405 405 405 405 405 405 405 405", "L L L L L L L L"),
    "login_code": ("L L L L L L L L", "L L L L L L L L"),
    "login_enrol": ("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "cas_login": ("404 404 404 404 404 404 404 404", "404 404 404 404 404 404 404 404"),
    "second_factor": ("L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "second_factor_recovery": ("L 302 302 302 302 302 302 302", "L 405 405 405 405 405 405 405"),
    "password_change": ("L 200 200 200 200 200 200 200", "L 302 302 302 302 302 302 302"),
    "password_change_done": ("L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "password_reset": ("200 200 200 200 200 200 200 200", "302 302 302 302 302 302 302 302"),
    "password_reset_done": ("200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405"),
    "password_reset_confirm": ("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
    "password_reset_complete": ("200 200 200 200 200 200 200 200", "405 405 405 405 405 405 405 405"),
    "set_language": ("302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302"),
    "circulars:list": ("L 403 403 200 200 200 403 403", "L 403 403 405 405 405 403 403"),
    "circulars:create": ("L 403 403 403 200 200 403 403", "L 403 403 403 302 302 403 403"),
    "circulars:detail": ("L 403 403 200 200 200 403 403", "L 403 403 405 405 405 403 403"),
    "circulars:edit": ("L 403 403 403 200 200 403 403", "L 403 403 403 302 302 403 403"),
    "circulars:redraft": ("L 403 403 403 405 405 403 403", "L 403 403 403 302 302 403 403"),
    "circulars:issue": ("L 403 403 403 200 200 403 403", "L 403 403 403 302 302 403 403"),
    "circulars:withdraw": ("L 403 403 403 302 302 403 403", "L 403 403 403 302 302 403 403"),
    "circulars:copy": ("L 403 403 403 405 405 403 403", "L 403 403 403 302 302 403 403"),
    "circulars:file": ("L 403 403 200 200 200 403 403", "L 403 403 405 405 405 403 403"),
    "circulars:attachment_pdf": ("L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "circulars:practice_exchange": ("L 403 403 403 200 200 403 403", "L 403 403 403 400 400 403 403"),
    "contracts:import": ("L 200 200 200 200 200 403 403", "L 200 400 200 200 200 403 403"),
    "contracts:confirm_import": ("L 405 405 405 405 405 403 403", "L 302 404 404 404 404 403 403"),
    "contracts:template": ("L 200 404 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "contracts:template_choice": ("L 302 302 302 302 302 302 302", "L 405 405 405 405 405 405 405"),
    "contracts:banks": ("L 403 403 200 200 200 403 403", "L 403 403 405 405 405 403 403"),
    "contracts:report_contracts": ("L 200 404 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "contracts:withdraw_batch": ("L 405 405 405 405 405 405 405", "L 302 404 302 302 302 404 404"),
    "analysis:dashboard": ("L 403 403 200 200 200 403 403", "L 403 403 405 405 405 403 403"),
    "analysis:unit[zhengzhou]": ("L 200 404 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "analysis:unit[luoyang]": ("L 404 200 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "analysis:comparison": ("L 403 403 200 200 200 403 403", "L 403 403 405 405 405 403 403"),
    "reporting:import": ("L 200 200 200 200 200 403 403", "L 400 400 200 200 200 403 403"),
    "reporting:import_template": ("L 200 200 200 200 200 403 403", "L 405 405 405 405 405 403 403"),
    "reporting:confirm_import": ("L 405 405 405 405 405 403 403", "L 302 404 404 404 404 403 403"),
    "reporting:ranked_table": ("L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "reporting:ranked_table[2020]": ("L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "reporting:ranked_table[provisional csv]": ("L 403 403 200 403 403 403 403", "L 405 405 405 405 405 405 405"),
    "reporting:board": ("L 403 403 200 200 200 403 403", "L 403 403 405 405 405 403 403"),
    "reporting:bulk_approve": ("L 405 405 405 405 405 405 405", "L 403 403 200 403 403 403 403"),
    "reporting:bulk_approve[confirmed]": ("L 405 405 405 405 405 405 405", "L 403 403 302 403 403 403 403"),
    "reporting:report[zhengzhou]": ("L 200 404 200 200 200 404 404", "L 302 404 403 403 403 404 404"),
    "reporting:report[luoyang]": ("L 404 200 200 200 200 404 404", "L 404 302 403 403 403 404 404"),
    "reporting:report[jiaozuo]": ("L 404 404 200 200 200 404 404", "L 404 404 403 403 403 404 404"),
    "reporting:report[hebi]": ("L 404 404 200 200 200 404 404", "L 404 404 403 403 403 404 404"),
    "reporting:transition[approve luoyang]": ("L 405 405 405 405 405 405 405", "L 404 403 302 403 403 404 404"),
    "reporting:transition[return luoyang]": ("L 405 405 405 405 405 405 405", "L 404 403 302 403 403 404 404"),
    "reporting:transition[reopen hebi]": ("L 405 405 405 405 405 405 405", "L 404 404 302 403 403 404 404"),
    "reporting:transition[approve zhengzhou]": ("L 405 405 405 405 405 405 405", "L 403 404 302 403 403 404 404"),
    "reporting:extension": ("L 405 405 405 405 405 405 405", "L 403 404 302 403 403 404 404"),
    "measures:matrix": ("L 403 403 200 200 200 403 403", "L 403 403 405 405 405 403 403"),
    "measures:report[zhengzhou]": ("L 200 404 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "measures:report[luoyang]": ("L 404 200 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "measures:report[jiaozuo]": ("L 404 404 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "measures:report[hebi]": ("L 404 404 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "measures:transition[submit zhengzhou]": ("L 405 405 405 405 405 405 405", "L 302 404 403 403 403 404 404"),
    "measures:transition[approve luoyang]": ("L 405 405 405 405 405 405 405", "L 404 403 302 403 403 404 404"),
    "measures:transition[return luoyang]": ("L 405 405 405 405 405 405 405", "L 404 403 302 403 403 404 404"),
    "measures:transition[reopen hebi]": ("L 405 405 405 405 405 405 405", "L 404 404 302 403 403 404 404"),
    "measures:add_item": ("L 200 404 403 403 403 404 404", "L 302 404 403 403 403 404 404"),
    "measures:edit_item": ("L 200 404 403 403 403 404 404", "L 302 404 403 403 403 404 404"),
    "measures:delete_item": ("L 405 405 405 405 405 405 405", "L 302 404 403 403 403 404 404"),
    "measures:document": ("L 200 404 403 403 403 404 404", "L 405 405 405 405 405 405 405"),
    "measures:unit[zhengzhou]": ("L 200 404 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "measures:unit[luoyang]": ("L 404 200 200 200 200 404 404", "L 405 405 405 405 405 405 405"),
    "measures:import": ("L 200 200 200 200 200 403 403", "L 200 403 400 400 400 403 403"),
    "measures:confirm_import": ("L 405 405 405 405 405 403 403", "L 302 404 404 404 404 403 403"),
    "measures:import_template": ("L 200 200 200 200 200 403 403", "L 405 405 405 405 405 403 403"),
    "admin:index": ("A A A A 200 200 200 A", "A A A A 200 200 200 A"),
    "admin:login": ("L L L L 302 302 302 L", "L L L L 302 302 302 L"),
    "admin:logout": ("302 302 302 302 405 405 405 302", "302 302 302 302 L L L 302"),
    "admin:password_change": ("A A A A 200 200 200 A", "A A A A 302 302 302 A"),
    "admin:password_change_done": ("A A A A 200 200 200 A", "A A A A 405 405 405 A"),
    "admin:autocomplete": ("A A A A 200 200 200 A", "A A A A 405 405 405 A"),
    "admin:jsi18n": ("A A A A 200 200 200 A", "A A A A 405 405 405 A"),
    "admin:view_on_site": ("A A A A 404 404 404 A", "A A A A 404 404 404 A"),
    "admin:app_list[auth]": ("A A A A 404 200 200 A", "A A A A 404 200 200 A"),
    "admin:app_list[axes]": ("A A A A 404 200 200 A", "A A A A 404 200 200 A"),
    "admin:app_list[cities]": ("A A A A 200 200 200 A", "A A A A 200 200 200 A"),
    "admin:app_list[periods]": ("A A A A 200 200 404 A", "A A A A 200 200 404 A"),
    "admin:app_list[reporting]": ("A A A A 200 200 404 A", "A A A A 200 200 404 A"),
    "admin:app_list[contracts]": ("A A A A 200 200 404 A", "A A A A 200 200 404 A"),
    "admin:app_list[analysis]": ("A A A A 200 200 404 A", "A A A A 200 200 404 A"),
    "admin:app_list[measures]": ("A A A A 404 200 404 A", "A A A A 404 200 404 A"),
    "admin:admin/(?P<url>.*)$": ("A A A A 404 404 404 A", "A A A A 404 404 404 A"),
    "admin:auth_user_password_change": ("A A A A 403 200 200 A", "A A A A 403 302 302 A"),
    # 郑州's draft: the province sees it exists and its state, never its content or its changes.
    "admin:reporting_pledgereport_simple_history": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:reporting_pledgereport_simple_history[luoyang draft record]": ("A A A A 200 200 403 A", "A A A A 403 403 403 A"),
    "admin:contracts_pledgecontract_export": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:measures_measurereport_simple_history": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:auth_group_changelist": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:auth_group_add": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:auth_group_change": ("A A A A 403 200 200 A", "A A A A 403 403 403 A"),
    "admin:auth_group_delete": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:auth_group_history": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:admin/auth/group/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:auth_user_changelist": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:auth_user_add": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:auth_user_change": ("A A A A 403 200 200 A", "A A A A 403 302 302 A"),
    "admin:auth_user_delete": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:auth_user_history": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:admin/auth/user/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:axes_accessattempt_changelist": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:axes_accessattempt_add": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:axes_accessattempt_change": ("A A A A 403 200 200 A", "A A A A 403 302 403 A"),
    "admin:axes_accessattempt_delete": ("A A A A 403 200 200 A", "A A A A 403 302 302 A"),
    "admin:axes_accessattempt_history": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:admin/axes/accessattempt/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:axes_accesslog_changelist": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:axes_accesslog_add": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:axes_accesslog_change": ("A A A A 403 200 200 A", "A A A A 403 302 403 A"),
    "admin:axes_accesslog_delete": ("A A A A 403 200 403 A", "A A A A 403 302 403 A"),
    "admin:axes_accesslog_history": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:admin/axes/accesslog/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:axes_accessfailurelog_changelist": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:axes_accessfailurelog_add": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:axes_accessfailurelog_change": ("A A A A 403 200 200 A", "A A A A 403 302 403 A"),
    "admin:axes_accessfailurelog_delete": ("A A A A 403 200 403 A", "A A A A 403 302 403 A"),
    "admin:axes_accessfailurelog_history": ("A A A A 403 200 200 A", "A A A A 403 200 200 A"),
    "admin:admin/axes/accessfailurelog/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:cities_reportingunit_changelist": ("A A A A 200 200 200 A", "A A A A 200 200 200 A"),
    "admin:cities_reportingunit_add": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:cities_reportingunit_change": ("A A A A 200 200 200 A", "A A A A 302 302 403 A"),
    "admin:cities_reportingunit_delete": ("A A A A 403 200 403 A", "A A A A 403 200 403 A"),
    "admin:cities_reportingunit_history": ("A A A A 200 200 200 A", "A A A A 200 200 200 A"),
    "admin:admin/cities/reportingunit/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:periods_reportingperiod_changelist": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:periods_reportingperiod_add": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:periods_reportingperiod_change": ("A A A A 200 200 403 A", "A A A A 302 302 403 A"),
    "admin:periods_reportingperiod_delete": ("A A A A 403 200 403 A", "A A A A 403 200 403 A"),
    "admin:periods_reportingperiod_history": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:admin/periods/reportingperiod/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:reporting_pledgereport_changelist": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:reporting_pledgereport_add": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:reporting_pledgereport_change": ("A A A A 200 200 403 A", "A A A A 403 403 403 A"),
    "admin:reporting_pledgereport_delete": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:reporting_pledgereport_history": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:reporting_pledgereport_history[luoyang]": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:admin/reporting/pledgereport/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:periods_deadlineextension_changelist": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:periods_deadlineextension_add": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:periods_deadlineextension_change": ("A A A A 200 200 403 A", "A A A A 403 403 403 A"),
    "admin:periods_deadlineextension_delete": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:periods_deadlineextension_history": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:admin/periods/deadlineextension/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:reporting_provincebenchmark_changelist": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:reporting_provincebenchmark_add": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:reporting_provincebenchmark_change": ("A A A A 200 200 403 A", "A A A A 302 302 403 A"),
    "admin:reporting_provincebenchmark_delete": ("A A A A 200 200 403 A", "A A A A 302 302 403 A"),
    "admin:reporting_provincebenchmark_history": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:admin/reporting/provincebenchmark/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:contracts_pledgecontract_changelist": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:contracts_pledgecontract_add": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:contracts_pledgecontract_change": ("A A A A 200 200 403 A", "A A A A 403 403 403 A"),
    "admin:contracts_pledgecontract_delete": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:contracts_pledgecontract_history": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:admin/contracts/pledgecontract/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:analysis_standingrules_changelist": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:analysis_standingrules_add": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:analysis_standingrules_change": ("A A A A 200 200 403 A", "A A A A 302 302 403 A"),
    "admin:analysis_standingrules_delete": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:analysis_standingrules_history": ("A A A A 200 200 403 A", "A A A A 200 200 403 A"),
    "admin:admin/analysis/standingrules/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "admin:measures_measurereport_changelist": ("A A A A 403 200 403 A", "A A A A 403 200 403 A"),
    "admin:measures_measurereport_add": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:measures_measurereport_change": ("A A A A 403 200 403 A", "A A A A 403 403 403 A"),
    "admin:measures_measurereport_delete": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:measures_measurereport_history": ("A A A A 403 403 403 A", "A A A A 403 403 403 A"),
    "admin:measures_measurereport_history[luoyang]": ("A A A A 403 200 403 A", "A A A A 403 200 403 A"),
    "admin:admin/measures/measurereport/<path:object_id>/": ("A A A A 302 302 302 A", "A A A A 302 302 302 A"),
    "audit:trail": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 405"),
}  # fmt: skip


@dataclass(frozen=True)
class Answer:
    code: str

    def matches(self, response):
        if self.code in ("L", "A"):
            login = "/accounts/login/" if self.code == "L" else "/admin/login/"
            return response.status_code == 302 and response["Location"].startswith(login)
        return response.status_code == int(self.code)

    def __str__(self):
        return {"L": "a redirect to the log-in page", "A": "a redirect to the admin's log-in"}.get(
            self.code, self.code
        )


def answers_of(key, variant):
    return ANSWERS.get(case_name(key, variant)) or ANSWERS.get(key)


def expected_status(key, variant, method, persona):
    """The answer ``persona`` must get to ``method`` on the URL (``ANSWERS``)."""
    codes = answers_of(key, variant)[METHODS.index(method)].split()
    return Answer(codes[PERSONAS.index(persona)])
