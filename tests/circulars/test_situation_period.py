"""The body and the attachments speak of one period. Found from outside: a new circular drafted
its situation from the newest period (an empty, closed 2022: “金额0.00亿元 … 变动-100.0%”), kept
it after 2020 tables were attached, and the 印发 confirmation did not show the body's period."""

import datetime

import pytest

from circulars.models import Circular
from tests.support.circulars import form_data
from tests.support.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_2022(db):
    """Closed, nothing reported: the newest period, and no subject for a circular."""
    return ReportingPeriodFactory(
        year=2022, opens_on=datetime.date(2023, 1, 1), deadline=datetime.date(2023, 1, 31)
    )


def test_a_new_circular_is_drafted_for_the_newest_period_with_approved_figures(
    admin_client, demo_2020, empty_2022
):
    form = admin_client.get("/circulars/new/").context["form"]
    assert form.initial["situation_period"] == demo_2020
    assert form.initial["situation"].startswith("2020年，全省专利质押融资金额29.86亿元")


def test_an_untouched_situation_follows_the_attachments_period(admin_client, demo_2020, empty_2022):
    from circulars.drafting import draft_situation

    data = form_data(
        situation=draft_situation(empty_2022),
        situation_period=empty_2022.pk,
        **{"attachments-0-period": demo_2020.pk},
    )
    assert admin_client.post("/circulars/new/", data).status_code == 302
    circular = Circular.objects.get(year=2022, number=3)
    assert circular.situation_period == demo_2020
    assert circular.situation.startswith("2020年，全省专利质押融资金额29.86亿元")
    assert circular.period_mismatches() == []


def test_an_empty_situation_is_drafted_for_the_period_chosen(admin_client, demo_2020):
    data = form_data(situation="", situation_period="", **{"attachments-0-period": demo_2020.pk})
    admin_client.post("/circulars/new/", data)
    circular = Circular.objects.get(year=2022, number=3)
    assert (circular.situation_period, circular.situation[:5]) == (demo_2020, "2020年")


def test_a_written_situation_of_another_period_is_named_and_issued_only_when_confirmed(
    admin_client, demo_2020, empty_2022
):
    written = "2022年，全省质押融资工作稳步推进。"
    data = form_data(
        situation=written, situation_period=empty_2022.pk, **{"attachments-0-period": demo_2020.pk}
    )
    admin_client.post("/circulars/new/", data)
    circular = Circular.objects.get(year=2022, number=3)
    assert circular.situation == written, "what the administrator wrote stays"
    edit = admin_client.get(f"/circulars/{circular.pk}/edit/").content.decode()
    assert 'id="period-mismatch"' in edit and "情况通报写的是2022年的情况" in edit
    page = admin_client.get(f"/circulars/{circular.pk}/issue/")
    html = page.content.decode()
    assert '<td id="situation-period">2022年</td>' in html
    assert "2020年河南省专利质押融资统计表（2020年）" in html
    revision = page.context["form"].initial["revision"]
    refused = admin_client.post(f"/circulars/{circular.pk}/issue/", {"revision": revision})
    assert refused.status_code == 400
    assert "情况通报写的是2022年，附件中有2020年的数据，未印发。" in refused.content.decode()
    circular.refresh_from_db()
    assert circular.is_draft
    issued = admin_client.post(
        f"/circulars/{circular.pk}/issue/", {"revision": revision, "allow_period_mismatch": "1"}
    )
    assert issued.status_code == 302
    circular.refresh_from_db()
    assert circular.is_issued
