"""Demo measures for 2020: the two risk-compensation mechanisms 豫知〔2021〕8号 names (洛阳,
驻马店), a few policies and events, and one good practice. The names, numbers and text are
written for the demo; they are not taken from real documents."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import demo as accounts_demo
from cities.resolver import UnitResolver
from periods.models import ReportingPeriod
from workflow.models import WorkflowAction
from workflow.services import transition

D = datetime.date

MEASURES_2020 = {
    "洛阳": {
        "funds": [
            {
                "title": "洛阳市专利权质押融资风险补偿资金",
                "scope": "patent",
                "size": Decimal("2000"),
                "banks": "中国银行洛阳分行、洛阳银行、中原银行洛阳分行",
                "loans_count": 18,
                "loans_amount": Decimal("26500"),
                "compensation_paid": Decimal("0"),
            }
        ],
        "policies": [
            {
                "title": "洛阳市专利权质押融资风险补偿资金管理办法（试行）",
                "issuer": "洛阳市市场监督管理局",
                "document_number": "洛市监〔2019〕31号",
                "issued_on": D(2019, 6, 20),
                "type": "risk",
                "amount": Decimal("2000"),
                "in_force": True,
            }
        ],
        "events": [
            {
                "type": "matchmaking",
                "title": "洛阳市知识产权质押融资银企对接会",
                "held_on": D(2020, 9, 17),
                "place": "洛阳市",
                "organiser": "洛阳市市场监督管理局",
                "banks_attending": 8,
                "enterprises_attending": 62,
                "intended_credit": Decimal("35000"),
                "loans_granted": Decimal("12600"),
            }
        ],
        "practices": [
            {
                "title": "以风险补偿资金撬动银行放贷",
                "text": "\n".join(
                    [
                        "市财政安排专项资金作为风险补偿资金，合作银行发放的专利权质押贷款出现损失时，"
                        "由补偿资金按约定比例分担，银行的顾虑因此明显减少。",
                        "补偿资金与合作银行签订协议，明确贷款对象、额度上限和补偿比例；"
                        "市场监管部门每季度向银行推送有专利、有订单的企业名单，银行上门对接。",
                        "企业办理质押只需提交专利证书和评估报告，登记由市局窗口代办，"
                        "从申请到放款的时间缩短到二十个工作日以内。",
                    ]
                ),
            }
        ],
    },
    "驻马店": {
        "funds": [
            {
                "title": "驻马店市知识产权质押融资风险补偿基金",
                "scope": "patent",
                "size": Decimal("1000"),
                "banks": "中国邮政储蓄银行驻马店市分行\n驻马店农村商业银行",
                "loans_count": 6,
                "loans_amount": Decimal("4800"),
                "compensation_paid": Decimal("0"),
            }
        ],
        "policies": [
            {
                "title": "驻马店市知识产权质押贷款贴息办法",
                "issuer": "驻马店市人民政府办公室",
                "document_number": "驻政办〔2020〕12号",
                "issued_on": D(2020, 4, 8),
                "type": "interest",
                "amount": Decimal("300"),
                "in_force": True,
            }
        ],
    },
    "郑州": {
        "policies": [
            {
                "title": "郑州市知识产权质押融资奖补实施细则",
                "issuer": "郑州市市场监督管理局",
                "document_number": "郑市监〔2020〕45号",
                "issued_on": D(2020, 5, 26),
                "type": "subsidy",
                "amount": None,
                "in_force": True,
            }
        ],
        "events": [
            {
                "type": "roadshow",
                "title": "知识产权质押融资政策巡讲（郑州站）",
                "held_on": D(2020, 7, 9),
                "place": "郑州市",
                "organiser": "郑州市市场监督管理局",
                "banks_attending": 5,
                "enterprises_attending": 120,
                "intended_credit": Decimal("0"),
                "loans_granted": Decimal("0"),
            },
            {
                "type": "matchmaking",
                "title": "郑州高新区知识产权银企对接会",
                "held_on": D(2020, 11, 12),
                "place": "郑州高新区",
                "organiser": "郑州市市场监督管理局",
                "banks_attending": 6,
                "enterprises_attending": 48,
                "intended_credit": Decimal("21000"),
                "loans_granted": Decimal("8300"),
            },
        ],
    },
    "南阳": {
        "events": [
            {
                "type": "training",
                "title": "知识产权质押融资业务培训班",
                "held_on": D(2020, 10, 22),
                "place": "南阳市",
                "organiser": "南阳市市场监督管理局",
                "banks_attending": 4,
                "enterprises_attending": 35,
                "intended_credit": Decimal("0"),
                "loans_granted": Decimal("0"),
            }
        ],
    },
    # A report of nothing done: approved, so the drafted text can name it.
    "新乡": {},
}


# 2021 (the local demo's open period): 郑州 has begun its measures, 洛阳 has submitted them.
MEASURES_2021 = {
    "郑州": {
        "state": "draft",
        "events": [
            {
                "type": "roadshow",
                "title": "知识产权质押融资政策巡讲（郑州站）",
                "held_on": D(2021, 4, 20),
                "place": "郑州市",
                "organiser": "郑州市市场监督管理局",
                "banks_attending": 6,
                "enterprises_attending": 90,
            }
        ],
        "policies": [
            {
                "title": "郑州市知识产权质押融资奖补实施细则",
                "issuer": "郑州市市场监督管理局",
                "document_number": "郑市监〔2020〕45号",
                "issued_on": D(2020, 5, 26),
                "type": "subsidy",
                "in_force": True,
            }
        ],
    },
    "洛阳": {
        "state": "submitted",
        "funds": [
            {
                "title": "洛阳市专利权质押融资风险补偿资金",
                "scope": "patent",
                "size": Decimal("3000"),
                "banks": "中国银行洛阳分行、洛阳银行、中原银行洛阳分行、中国建设银行洛阳分行",
                "loans_count": 25,
                "loans_amount": Decimal("38200"),
                "compensation_paid": Decimal("120"),
            }
        ],
        "events": [
            {
                "type": "matchmaking",
                "title": "洛阳市知识产权质押融资银企对接会",
                "held_on": D(2021, 6, 15),
                "place": "洛阳市",
                "organiser": "洛阳市市场监督管理局",
                "banks_attending": 9,
                "enterprises_attending": 70,
                "intended_credit": Decimal("42000"),
                "loans_granted": Decimal("15800"),
            }
        ],
    },
}


def demo_pdf(text):
    """A one-page PDF saying ``text`` (ASCII): a document to attach in the demo."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def load_published(out):
    """The 2020 measures, as the province already knows them (approved). Safe to re-run."""
    from . import services

    period = ReportingPeriod.objects.by_slug("2020").get()
    resolver = UnitResolver()
    saved = sum(
        services.record_published_measures(resolver.resolve(name), period, values)
        for name, values in MEASURES_2020.items()
    )
    out.write(f"2020 measures: {len(MEASURES_2020)} units, {saved} items created")


def load_2021(out):
    """2021's measures: 郑州's draft (a policy with its document), 洛阳's submission. Nothing
    is added to a period that has measures already."""
    from . import services
    from .models import MeasureReport
    from .types import MEASURE_TYPES

    period = ReportingPeriod.objects.by_slug("2021").get()
    if MeasureReport.objects.filter(period=period).exists():
        out.write("Measures 2021: already there")
        return
    resolver = UnitResolver()
    for name, spec in MEASURES_2021.items():
        unit, clerk = resolver.resolve(name), accounts_demo.submitter(name)
        first = True
        for slug in ("policies", "funds", "events"):
            for values in spec.get(slug, []):
                upload = None
                if slug == "policies":
                    upload = SimpleUploadedFile(
                        f"{values['title']}.pdf",
                        demo_pdf("Demo policy document (not a real policy)"),
                    )
                item = services.save_item(
                    clerk,
                    unit,
                    period,
                    MEASURE_TYPES[slug],
                    values,
                    expected_version=0 if first else None,
                    upload=upload,
                )
                first = False
        if spec["state"] == "submitted":
            transition(item.report, WorkflowAction.SUBMIT, clerk, notify=False)
    out.write(f"Measures 2021: {len(MEASURES_2021)} units (a draft, a submission)")
