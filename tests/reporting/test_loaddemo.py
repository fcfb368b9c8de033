import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.roles import is_reviewer
from periods.models import ReportingPeriod
from reporting import demo
from reporting.models import PledgeFigures, PledgeReport, ProvinceBenchmark
from workflow.models import ReportState

pytestmark = pytest.mark.django_db


def loaddemo():
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def test_loaddemo_loads_the_2020_figures_as_final_data():
    loaddemo()
    assert PledgeReport.objects.count() == 18
    assert set(PledgeReport.objects.values_list("state", flat=True)) == {ReportState.APPROVED}
    assert PledgeFigures.objects.count() == 36


def test_loaddemo_loads_the_peer_provinces_quoted_in_the_circular(local_demo):
    rows = {
        (b.province, b.kind): (b.items, b.amount, b.amount_yi, b.source)
        for b in ProvinceBenchmark.objects.filter(year=2020)
    }
    assert rows == {
        ("浙江省", "trademark"): (
            4351,
            Decimal("2005400.00"),
            Decimal("200.54"),
            "豫知〔2021〕8号",
        ),
        ("山东省", "trademark"): (
            1318,
            Decimal("1014600.00"),
            Decimal("101.46"),
            "豫知〔2021〕8号",
        ),
        ("浙江省", "patent"): (4722, Decimal("4010700.00"), Decimal("401.07"), "豫知〔2021〕8号"),
        ("江苏省", "patent"): (3683, Decimal("1252700.00"), Decimal("125.27"), "豫知〔2021〕8号"),
        ("安徽省", "patent"): (2846, Decimal("791200.00"), Decimal("79.12"), "豫知〔2021〕8号"),
    }


def test_loaddemo_is_idempotent():
    first = loaddemo()
    snapshot = list(PledgeFigures.objects.values_list("pk", "amount", "projects", "items"))
    second = loaddemo()
    assert "36 figure rows created or changed" in first
    assert "0 figure rows created or changed" in second
    assert list(PledgeFigures.objects.values_list("pk", "amount", "projects", "items")) == snapshot
    assert ProvinceBenchmark.objects.count() == 5


def test_loaddemo_creates_no_accounts_when_debug_is_off(settings):
    settings.DEBUG = False
    out = loaddemo()
    assert not get_user_model().objects.exists()
    assert "DEBUG is off: no demo accounts created." in out
    assert accounts_demo.DEMO_PASSWORD not in out


def test_loaddemo_creates_the_demo_accounts_in_a_local_demo(local_demo, client):
    out = local_demo.output  # the shared demo is loaded as a local demo, with DEBUG on
    assert f"password / 密码: {accounts_demo.DEMO_PASSWORD}" in out
    User = get_user_model()
    # The three administrators, one role each; none a superuser, none a reviewer.
    for username, role, staff in (
        ("admin", "系统管理员", True),
        ("security", "安全管理员", True),
        ("auditor", "审计管理员", False),
    ):
        account = User.objects.get(username=username)
        assert list(account.groups.values_list("name", flat=True)) == [role]
        assert (account.is_staff, account.is_superuser) == (staff, False), username
        assert not is_reviewer(account)
    reviewer = User.objects.get(username="reviewer")
    assert list(reviewer.groups.values_list("name", flat=True)) == ["省级审核员"]
    assert is_reviewer(reviewer) and not reviewer.is_superuser
    luoyang = User.objects.get(username="luoyang")
    assert [u.name for u in luoyang.reporting_units.all()] == ["洛阳市"]
    assert User.objects.filter(groups__name="市级填报员").count() == 18
    for username in ("admin", "security", "auditor", "reviewer", "luoyang", "jiyuan"):
        response = client.post(
            "/accounts/login/", {"username": username, "password": accounts_demo.DEMO_PASSWORD}
        )
        assert response.status_code == 302, username


def test_loaddemo_opens_2021_with_every_state_of_the_loop(local_demo, settings):
    settings.DEBUG = True
    period = ReportingPeriod.objects.by_slug("2021").get()
    assert period.deadline > timezone.localdate()
    states = dict(
        PledgeReport.objects.filter(period=period).values_list("unit__short_name", "state")
    )
    assert states == {
        "郑州": "draft", "开封": "draft", "洛阳": "submitted", "三门峡": "submitted",
        "驻马店": "submitted", "南阳": "submitted", "焦作": "returned", "鹤壁": "approved",
    }  # fmt: skip
    returned = PledgeReport.objects.get(period=period, unit__short_name="焦作")
    assert returned.transitions.last().comment == demo.DEMO_2021_RETURN_REASON
    second = loaddemo()
    assert "Period 2021: already there" in second
    assert PledgeReport.objects.filter(period=period).count() == 8
