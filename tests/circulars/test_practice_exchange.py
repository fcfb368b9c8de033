"""经验交流: the province drafts a notice from approved good practice, then edits and issues it.

The demo has one approved practice (洛阳's); the tests add a second approved one (郑州's) and
practice that is not approved (新乡's submitted, 开封's draft).
"""

import pytest
from django.utils import timezone

from circulars import services
from circulars.drafting import chinese_numeral, demoted, from_chinese_numeral
from circulars.models import Circular
from measures.models import MeasureReport, Practice
from measures.services import record_published_measures
from periods.models import ReportingPeriod
from tests.support.factories import CircularFactory, ReportingPeriodFactory
from tests.support.pdf import lines, open_pdf
from workflow.models import ReportState

pytestmark = pytest.mark.django_db

URL = "/circulars/practices/"
ZHENGZHOU_TEXT = "\n".join(
    [
        "郑州市把质押融资纳入高新区企业服务清单，由服务专员上门宣讲。",
        "一、建立项目库。按季度更新有专利、有订单的企业名单。",
        "（二）银行集中对接。每月组织一次银企见面会。",
        "1.限时办结。",
        "2.5亿元贷款当年发放。",
    ]
)


@pytest.fixture
def period(published_demo):
    return ReportingPeriod.objects.by_slug("2020").get()


@pytest.fixture
def practices(period, units):
    """洛阳's (the demo's) and 郑州's approved; 新乡's submitted; 开封's a draft."""
    zhengzhou = MeasureReport.objects.get(unit=units["郑州"], period=period)
    xinxiang = MeasureReport.objects.get(unit=units["新乡"], period=period)
    MeasureReport.objects.filter(pk=xinxiang.pk).update(state=ReportState.SUBMITTED)
    kaifeng = MeasureReport.objects.create(unit=units["开封"], period=period)
    return {
        "洛阳": Practice.objects.get(report__unit=units["洛阳"], report__period=period),
        "郑州": Practice.objects.create(
            report=zhengzhou, title="服务专员进园区", text=ZHENGZHOU_TEXT
        ),
        "新乡": Practice.objects.create(report=xinxiang, title="待审的做法", text="尚在审核。"),
        "开封": Practice.objects.create(report=kaifeng, title="草稿中的做法", text="尚未报送。"),
    }


@pytest.fixture
def admin_client(client, administrator_user):
    client.force_login(administrator_user)
    return client


def test_only_approved_practice_is_offered(admin_client, practices):
    response = admin_client.get(URL)
    assert response.status_code == 200
    offered = [practice.pk for practice in response.context["practices"]]
    assert offered == [practices["郑州"].pk, practices["洛阳"].pk]  # unit code order
    page = response.content.decode()
    assert "服务专员进园区" in page and "以风险补偿资金撬动银行放贷" in page
    assert "待审的做法" not in page and "草稿中的做法" not in page


def test_the_list_filters_by_period_among_those_with_approved_practice(
    admin_client, practices, units
):
    earlier = ReportingPeriodFactory(year=2019)
    practice = {"title": "2019年的做法", "text": "早一年的做法。"}
    record_published_measures(units["鹤壁"], earlier, {"practices": [practice]})
    response = admin_client.get(URL)
    assert len(response.context["practices"]) == 3
    choices = response.context["filter_form"].fields["period"].choices
    assert [value for value, _label in choices] == ["", "2020", "2019"]
    titles = [p.title for p in admin_client.get(URL, {"period": "2019"}).context["practices"]]
    assert titles == ["2019年的做法"]
    assert len(admin_client.get(URL, {"period": "2020"}).context["practices"]) == 2


@pytest.mark.parametrize("name", ["新乡", "开封"])
def test_a_crafted_post_of_practice_not_approved_is_refused(admin_client, practices, name):
    before = Circular.objects.count()
    response = admin_client.post(URL, {"practices": [practices["洛阳"].pk, practices[name].pk]})
    assert response.status_code == 400
    assert "只能选择已审核通过的经验做法。" in response.content.decode()
    assert Circular.objects.count() == before


def test_nothing_chosen_drafts_nothing(admin_client, practices):
    response = admin_client.post(URL, {})
    assert response.status_code == 400
    assert "请至少选择一条经验做法。" in response.content.decode()


def test_more_practices_than_headings_can_number_are_refused(admin_client, practices, monkeypatch):
    from circulars import forms

    monkeypatch.setattr(forms, "MAX_PRACTICES", 1)  # 99 in use: 一、 to 九十九、
    before = Circular.objects.count()
    response = admin_client.post(URL, {"practices": [practices["洛阳"].pk, practices["郑州"].pk]})
    assert response.status_code == 400
    assert "一份通知最多收录 1 条经验做法。" in response.content.decode()
    assert Circular.objects.count() == before


@pytest.mark.parametrize("persona", ["zhengzhou_submitter", "reviewer"])
def test_submitters_and_reviewers_may_not(client, request, practices, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"practices": [practices["洛阳"].pk]}).status_code == 403


def test_a_visitor_logs_in_first(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_list_page_links_to_it_for_administrators_only(client, admin_client, reviewer):
    assert URL in admin_client.get("/circulars/").content.decode()
    client.force_login(reviewer)
    assert URL not in client.get("/circulars/").content.decode()


def test_the_draft_has_the_practices_under_their_units_in_order(admin_client, practices):
    year = timezone.localdate().year
    CircularFactory(year=year, number=14)
    response = admin_client.post(URL, {"practices": [practices["洛阳"].pk, practices["郑州"].pk]})
    circular = Circular.objects.get(year=year, number=15)  # the next free number
    assert response.status_code == 302
    assert response["Location"] == f"/circulars/{circular.pk}/edit/"
    assert circular.is_draft and circular.title == (
        "河南省知识产权局\n关于交流各地知识产权质押融资\n经验做法的通知"
    )
    assert circular.signed_on == timezone.localdate() and circular.situation == ""
    luoyang = practices["洛阳"].paragraphs()
    assert circular.paragraphs() == [
        (0, "为交流推广各地知识产权质押融资工作中的好经验、好做法，现将郑州、洛阳的经验做法"
            "印发给你们，请结合本地实际学习借鉴。"),
        (1, "一、郑州：服务专员进园区"),
        (0, "郑州市把质押融资纳入高新区企业服务清单，由服务专员上门宣讲。"),
        # The practice's own headings one level down, under the notice's 一、
        (2, "（一）建立项目库。按季度更新有专利、有订单的企业名单。"),
        (3, "2.银行集中对接。每月组织一次银企见面会。"),
        (4, "（1）限时办结。"),
        (3, "2.5亿元贷款当年发放。"),  # a number, not a heading: left as it was typed
        (1, "二、洛阳：以风险补偿资金撬动银行放贷"),
        *[(0, text) for text in luoyang],
        (0, "各地在工作中形成的新经验、新做法，请及时报送省局。"),
    ]  # fmt: skip


def test_the_draft_is_issued_like_any_other_and_prints_in_the_layout(
    admin_client, practices, administrator_user
):
    admin_client.post(URL, {"practices": [practices["洛阳"].pk]})
    circular = Circular.objects.get(title__contains="经验做法")
    issued = services.issue(circular, administrator_user)
    assert issued.is_issued and issued.frozen_tables == {"format": 3, "tables": []}
    text = [
        line.text
        for n, page in enumerate(open_pdf(bytes(issued.archived_pdf)).pages, 1)
        for line in lines(page, n)
    ]
    assert "一、洛阳：以风险补偿资金撬动银行放贷" in text


def test_numerals_of_headings():
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九",
    ]  # fmt: skip
    assert all(from_chinese_numeral(chinese_numeral(n)) == n for n in range(1, 100))
    assert demoted("（十二）做法") == "12.做法"
    assert demoted("2020年，全市") == "2020年，全市"
