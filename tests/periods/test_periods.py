"""Periods in time order, closed when reporting has ended, created with care in the admin."""

import datetime

import pytest
from django.utils import timezone

from periods.models import ReportingPeriod
from tests.support.factories import ReportingPeriodFactory
from workflow.services import WorkflowError

pytestmark = pytest.mark.django_db


def make(slug_parts):
    year, granularity, number = slug_parts
    return ReportingPeriodFactory(year=year, granularity=granularity, number=number)


def test_periods_list_newest_first_in_time_order_not_by_granularity_code(db):
    for parts in [
        (2021, "half", 1),
        (2021, "quarter", 3),
        (2020, "quarter", 4),
        (2021, "year", 1),
        (2021, "month", 8),
        (2021, "quarter", 1),
        (2021, "month", 1),
    ]:
        make(parts)
    assert [p.slug for p in ReportingPeriod.objects.all()] == [
        "2021-08", "2021Q3", "2021", "2021H1", "2021Q1", "2021-01", "2020Q4",
    ]  # fmt: skip


def test_the_dashboard_takes_the_latest_started_period_as_current(client, reviewer):
    make((2021, "half", 1))
    make((2021, "quarter", 3))
    client.force_login(reviewer)
    html = client.get("/analysis/").content.decode()
    assert "当前周期 2021年第三季度" in html


def test_a_period_closes_at_its_last_deadline_extensions_included(units, reviewer):
    today = timezone.localdate()
    period = ReportingPeriodFactory(
        year=2021, opens_on=today - datetime.timedelta(days=30), deadline=today
    )
    assert not period.is_closed  # the deadline day itself is still open

    period = ReportingPeriod.objects.get(pk=period.pk)
    period.deadline = today - datetime.timedelta(days=1)
    assert period.is_closed

    period.extensions.create(
        unit=units["郑州"],
        until=today + datetime.timedelta(days=3),
        reason="系统故障",
        granted_by=reviewer,
    )
    assert not ReportingPeriod.objects.get(pk=period.pk).is_closed
    assert not ReportingPeriod.objects.with_last_deadline().get(pk=period.pk).is_closed


def test_the_province_may_close_a_period_early(open_period):
    assert not open_period.is_closed
    open_period.closed_at = timezone.now()
    open_period.save()
    assert ReportingPeriod.objects.get(pk=open_period.pk).is_closed


def period_form(deadline, **extra):
    return {
        "year": "2022",
        "granularity": "year",
        "number": "1",
        "opens_on": "2023-01-04",
        "deadline": deadline.isoformat(),
        "closed_at_0": "",
        "closed_at_1": "",
        **extra,
    }


def test_creating_a_period_whose_deadline_has_passed_asks_for_confirmation(client, administrator):
    client.force_login(administrator)
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post("/admin/periods/reportingperiod/add/", period_form(past))
    assert response.status_code == 200
    assert f"截止日期 {past.isoformat()} 已经过去" in response.content.decode()
    assert not ReportingPeriod.objects.exists()

    response = client.post(
        "/admin/periods/reportingperiod/add/", period_form(past, confirm_past_deadline="on")
    )
    assert response.status_code == 302
    assert ReportingPeriod.objects.get().deadline == past


def test_a_future_deadline_needs_no_confirmation(client, administrator):
    client.force_login(administrator)
    future = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post("/admin/periods/reportingperiod/add/", period_form(future))
    assert response.status_code == 302
    assert ReportingPeriod.objects.get().deadline == future


def test_the_admin_closes_a_period_early_and_undoes_it(client, administrator, open_period):
    client.force_login(administrator)
    url = "/admin/periods/reportingperiod/"
    client.post(url, {"action": "close_now", "_selected_action": [open_period.pk]})
    open_period.refresh_from_db()
    assert open_period.closed_at is not None
    assert "已结束" in client.get(url).content.decode()
    client.post(url, {"action": "reopen", "_selected_action": [open_period.pk]})
    open_period.refresh_from_db()
    assert open_period.closed_at is None


def test_a_period_closed_early_takes_no_new_draft_or_submission(
    open_period, units, zhengzhou_submitter
):
    from decimal import Decimal

    from reporting import services
    from reporting.models import IPKind

    open_period.closed_at = timezone.now()
    open_period.save()
    figures = {IPKind.PATENT: services.Figures(Decimal("1"), 1, 1, 1)}
    with pytest.raises(WorkflowError) as error:
        services.save_figures(zhengzhou_submitter, units["郑州"], open_period, figures)
    assert error.value.message.startswith("省局已于 ")
    assert error.value.message.endswith("结束本期报送。如需补报，请联系省局。")
    assert not open_period.reports.exists()


def test_closing_a_period_in_the_future_is_refused(client, administrator, open_period):
    client.force_login(administrator)
    later = timezone.localtime() + datetime.timedelta(hours=2)
    data = period_form(open_period.deadline, year="2021")
    data.update(closed_at_0=later.date().isoformat(), closed_at_1=later.strftime("%H:%M:%S"))
    response = client.post(f"/admin/periods/reportingperiod/{open_period.pk}/change/", data)
    assert response.status_code == 200
    assert (
        "提前结束报送的时间不能晚于现在。要到期自动结束，请修改截止日期。"
        in response.content.decode()
    )
    open_period.refresh_from_db()
    assert open_period.closed_at is None


@pytest.mark.parametrize("periods", [1, 12])
def test_the_admins_period_list_runs_a_fixed_number_of_queries(
    client, administrator, django_assert_num_queries, periods
):
    for number in range(1, periods + 1):
        ReportingPeriodFactory(year=2021, granularity="month", number=number)
    client.force_login(administrator)
    # the same number whatever the periods: each knows its latest extension from the list's query
    with django_assert_num_queries(8):
        assert client.get("/admin/periods/reportingperiod/").status_code == 200
