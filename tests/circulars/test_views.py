import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from circulars.models import Circular, CircularState
from lib.docnumbers import parse_document_number
from reporting.models import IPKind
from reporting.services import Figures, save_figures
from tests.support.circulars import form_data
from tests.support.factories import CircularFactory
from tests.support.pdf import open_pdf
from workflow.models import WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator_user):
    client.force_login(administrator_user)
    return client


def issue(admin_client, circular, **confirmation):
    """Open the confirmation page and confirm it, as the administrator does."""
    page = admin_client.get(f"/circulars/{circular.pk}/issue/")
    data = {"revision": page.context["form"].initial["revision"], **confirmation}
    return admin_client.post(f"/circulars/{circular.pk}/issue/", data, follow=True)


def test_an_administrator_drafts_a_circular_with_attachments(admin_client, demo_2020):
    page = admin_client.get("/circulars/new/").content.decode()
    assert "2020年，全省专利质押融资金额29.86亿元" in page, "the situation is drafted from the data"
    response = admin_client.post(
        "/circulars/new/", form_data(**{"attachments-0-period": demo_2020.pk})
    )
    circular = Circular.objects.get(year=2022, number=3)
    assert response.status_code == 302 and response["Location"] == f"/circulars/{circular.pk}/"
    assert circular.document_number == "豫知〔2022〕3号"
    assert [a.title for a in circular.attachments.all()] == ["2020年河南省专利质押融资统计表"]
    assert circular.paragraphs() == [
        (0, "2020年，全省专利质押融资金额29.86亿元。"),
        (1, "一、提高认识。"),
        (1, "二、加强服务。"),
    ]


def test_the_circulars_page_shows_its_text_escaped(admin_client, demo_2020):
    admin_client.post(
        "/circulars/new/",
        form_data(
            body="一、提高认识<script>alert(1)</script>。\r\n（一）加强服务。",
            **{"attachments-0-period": demo_2020.pk},
        ),
    )
    circular = Circular.objects.get(year=2022, number=3)
    html = admin_client.get(f"/circulars/{circular.pk}/").content.decode()
    text = html[html.index('<article class="circular-text"') : html.index("</article>")]
    assert "各省辖市、济源示范区、省直管县（市）市场监管局（知识产权管局）：" in text
    assert "<p>2020年，全省专利质押融资金额29.86亿元。</p>" in text
    # a heading's first sentence is the heading (黑体 / 楷体 in print)
    assert '<strong class="h1">一、提高认识&lt;script&gt;alert(1)&lt;/script&gt;。</strong>' in text
    assert '<strong class="h2">（一）加强服务。</strong>' in text
    assert "<script>" not in text
    assert "2022年3月5日" in text and "（此件主动公开）" in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "0", "确保该值大于或等于1。"),
        ("number", "8", "该发文字号已被使用。"),
        ("year", "2021x", "输入整数。"),
        ("printed_on", "2022-03-01", "印发日期不能早于成文日期。"),
        ("title", "", "这个字段是必填项。"),
        ("code", "豫 知", "机关代字不能含空格。"),
    ],
)
def test_a_bad_circular_is_refused_and_nothing_saved(
    admin_client, demo_2020, field, value, message
):
    before = Circular.objects.count()
    data = form_data(**{"attachments-0-period": demo_2020.pk, field: value})
    if field == "number" and value == "8":
        data["year"] = "2021"
    response = admin_client.post("/circulars/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Circular.objects.count() == before


def test_issuing_freezes_the_figures_and_archives_the_pdf(
    admin_client, circular, make_submitter, units, reviewer
):
    response = issue(admin_client, circular)
    circular.refresh_from_db()
    assert circular.state == CircularState.ISSUED
    assert circular.archived_sha256 == hashlib.sha256(bytes(circular.archived_pdf)).hexdigest()
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"已印发，PDF 已存档（SHA-256：{circular.archived_sha256}）。"]

    # The province corrects 洛阳's 2020 figures afterwards: the issued circular does not move.
    report = circular.attachments.first().period.reports.get(unit=units["洛阳"])
    transition(report, WorkflowAction.REOPEN, reviewer, "更正")
    submitter = make_submitter("ly", units["洛阳"])
    save_figures(
        submitter, units["洛阳"], report.period, {IPKind.PATENT: Figures(Decimal("1"), 1, 1, 1)}
    )
    downloaded = admin_client.get(f"/circulars/{circular.pk}/file.pdf")
    assert downloaded.content == bytes(circular.archived_pdf)
    assert downloaded["ETag"] == f'"{circular.archived_sha256}"'
    table = open_pdf(downloaded.content).pages[3].extract_tables()[0]
    assert ["2", "洛阳", "37209.56", "27", "226"] in table
    assert circular.frozen_tables["format"] == 3
    assert circular.frozen_tables["tables"][0]["rows"][1]["amount"] == "37209.56"


def test_an_unchanged_archived_pdf_is_not_sent_again(admin_client, circular):
    issue(admin_client, circular)
    circular.refresh_from_db()
    response = admin_client.get(
        f"/circulars/{circular.pk}/file.pdf", HTTP_IF_NONE_MATCH=f'"{circular.archived_sha256}"'
    )
    assert response.status_code == 304
    # A browser may send several validators, or a weak one.
    several = f'"stale", W/"{circular.archived_sha256}"'
    response = admin_client.get(f"/circulars/{circular.pk}/file.pdf", HTTP_IF_NONE_MATCH=several)
    assert response.status_code == 304
    stale = admin_client.get(f"/circulars/{circular.pk}/file.pdf", HTTP_IF_NONE_MATCH='"stale"')
    assert stale.status_code == 200 and stale.content == bytes(circular.archived_pdf)


def test_issuing_twice_says_it_is_done(admin_client, circular):
    page = admin_client.get(f"/circulars/{circular.pk}/issue/")
    data = {"revision": page.context["form"].initial["revision"]}
    admin_client.post(f"/circulars/{circular.pk}/issue/", data, follow=True)
    response = admin_client.post(f"/circulars/{circular.pk}/issue/", data, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["该通知已经印发。"]


def test_an_issued_circular_cannot_be_edited(admin_client, circular):
    issue(admin_client, circular)
    response = admin_client.get(f"/circulars/{circular.pk}/edit/", follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == "已印发的通知不能修改。"
    admin_client.post(
        f"/circulars/{circular.pk}/edit/",
        form_data(year="2021", number="8", revision=circular.revision),
    )
    circular.refresh_from_db()
    assert circular.title.startswith("河南省知识产权局\n关于进一步加强")
    admin_client.post(f"/circulars/{circular.pk}/redraft/")
    assert Circular.objects.get(pk=circular.pk).situation == circular.situation


def test_redrafting_takes_the_latest_approved_figures(
    admin_client, circular, units, reviewer, make_submitter
):
    circular.situation = "旧的情况通报"
    circular.save()
    response = admin_client.post(f"/circulars/{circular.pk}/redraft/", follow=True)
    circular.refresh_from_db()
    assert circular.situation.startswith("2020年，全省专利质押融资金额29.86亿元")
    assert [str(m) for m in response.context["messages"]][
        -1
    ] == "已按最新数据重新起草情况通报，请核对修改。"


def test_a_draft_circular_pdf_follows_the_data_and_is_cached(
    admin_client, circular, django_assert_max_num_queries
):
    first = admin_client.get(f"/circulars/{circular.pk}/file.pdf")
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert "attachment; filename*=utf-8''" in first["Content-Disposition"]
    again = admin_client.get(f"/circulars/{circular.pk}/file.pdf")
    assert again.content == first.content


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_other_formats_download(admin_client, circular, fmt):
    response = admin_client.get(f"/circulars/{circular.pk}/file.{fmt}")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_list_shows_each_circular(admin_client, circular):
    html = admin_client.get("/circulars/").content.decode()
    assert f'href="/circulars/{circular.pk}/">豫知〔2021〕8号</a>' in html
    assert "起草新通知" in html


def test_render_circular_writes_the_pdf(circular, tmp_path):
    out = io.StringIO()
    target = tmp_path / "c.pdf"
    call_command("render_circular", "豫知〔2021〕8号", "--out", str(target), stdout=out)
    assert target.read_bytes().startswith(b"%PDF")
    assert f"written to {target}" in out.getvalue()


def test_render_circular_writes_the_docx(circular, tmp_path):
    target = tmp_path / "c.out"
    call_command(
        "render_circular",
        "豫知[2021]8号",
        "--out",
        str(target),
        "--format",
        "docx",
        stdout=io.StringIO(),
    )
    assert target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("number", "message"),
    [("豫知2021-8", "not a document number"), ("豫知〔2021〕99号", "no circular")],
)
def test_render_circular_refuses_unknown_numbers(circular, tmp_path, number, message):
    with pytest.raises(CommandError, match=message):
        call_command("render_circular", number, "--out", str(tmp_path / "x.pdf"))


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("豫知〔2021〕8号", ("豫知", 2021, 8)),
        ("豫知[2021]8号", ("豫知", 2021, 8)),
        (" 豫知【2021】12号 ", ("豫知", 2021, 12)),
    ],
)
def test_document_numbers_parse_as_people_type_them(text, parsed):
    assert parse_document_number(text) == parsed


def test_printed_documents_stay_chinese_under_the_english_interface(
    admin_client, circular, settings
):
    admin_client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    assert "Circulars" in admin_client.get("/circulars/").content.decode()
    pdf = open_pdf(admin_client.get("/reports/2020/patent.pdf").content)
    assert pdf.pages[0].extract_tables()[0][0] == [
        "金额排名",
        "地市",
        "质押金额（万元）",
        "项目数",
        "专利数",
    ]
    from openpyxl import load_workbook

    sheet = load_workbook(
        io.BytesIO(admin_client.get(f"/circulars/{circular.pk}/file.xlsx").content)
    ).active
    assert sheet["A1"].value == "2020年河南省专利质押融资统计表"


def test_render_circular_says_when_it_cannot_write(circular, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        call_command(
            "render_circular", "豫知〔2021〕8号", "--out", str(tmp_path / "missing" / "c.pdf")
        )


def test_a_draft_saved_by_another_administrator_meanwhile_is_not_overwritten_unseen(
    admin_client, demo_2020
):
    circular = CircularFactory(number=77, title="原标题")
    opened = circular.revision
    other = Circular.objects.get(pk=circular.pk)
    other.title = "另一位管理员的标题"
    other.save()
    data = form_data(
        year="2021", number="77", revision=opened, **{"attachments-0-period": demo_2020.pk}
    )
    data["title"] = "河南省知识产权局\r\n关于我的标题的通知"
    response = admin_client.post(f"/circulars/{circular.pk}/edit/", data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "未保存：您打开此页后，另一位管理员修改并保存了这份通知。" in html
    assert "关于我的标题的通知" in html  # what this administrator typed is still there
    assert Circular.objects.get(pk=circular.pk).title == "另一位管理员的标题"
    # Saving again, now knowingly, on the revision the page carries now.
    current = re.search(r'name="revision" value="([^"]+)"', html).group(1)
    data["revision"] = current
    assert admin_client.post(f"/circulars/{circular.pk}/edit/", data).status_code == 302
    assert Circular.objects.get(pk=circular.pk).title.endswith("关于我的标题的通知")
