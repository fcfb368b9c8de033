import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from periods.services import grant_extension
from reporting.models import IPKind
from reporting.services import Figures, save_figures
from tests.support.factories import ReportingPeriodFactory
from workflow.models import WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2022, 1, 31)


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2021, opens_on=datetime.date(2022, 1, 4), deadline=DEADLINE)


def remind(day, *args):
    out = io.StringIO()
    call_command("remind_deadlines", "--today", day.isoformat(), *args, stdout=out)
    return out.getvalue()


def test_units_that_have_not_submitted_are_reminded_before_the_deadline(
    period, units, zhengzhou_submitter, luoyang_submitter
):
    out = remind(DEADLINE - datetime.timedelta(days=3))
    assert "reminded 郑州市 (2021, +3 days): 1 e-mail(s)" in out
    assert "reminded 洛阳市 (2021, +3 days): 1 e-mail(s)" in out
    assert "28 unit(s) to remind, 2 e-mail(s) sent" in out
    assert sorted(m.to[0] for m in mail.outbox) == ["luoyang@example.org", "zhengzhou@example.org"]
    message = next(m for m in mail.outbox if m.to == ["zhengzhou@example.org"])
    assert message.subject == "[质押融资报送] 2021年 报表即将截止"
    assert "截止日期为 2022-01-31（还有 3 天）" in message.body


def test_a_submitted_unit_is_not_reminded(period, units, zhengzhou_submitter, monkeypatch):
    monkeypatch.setattr("workflow.services.today", lambda: datetime.date(2022, 1, 20))
    figures = {
        IPKind.PATENT: Figures(Decimal("1"), 1, 1, 1),
        IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
    }
    report = save_figures(zhengzhou_submitter, units["郑州"], period, figures)
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    mail.outbox.clear()
    out = remind(DEADLINE - datetime.timedelta(days=1))
    assert "郑州市" not in out
    assert "27 unit(s) to remind, 0 e-mail(s) sent" in out


def test_overdue_units_are_reminded_after_the_deadline(period, units, zhengzhou_submitter):
    out = remind(DEADLINE + datetime.timedelta(days=1))
    assert "reminded 郑州市 (2021, -1 days): 1 e-mail(s)" in out
    assert mail.outbox[0].subject == "[质押融资报送] 2021年 报表已逾期未报"
    assert "已超过截止日期 2022-01-31 1 天" in mail.outbox[0].body


def test_other_days_send_nothing(period, units, zhengzhou_submitter):
    out = remind(DEADLINE - datetime.timedelta(days=2))
    assert out == "0 unit(s) to remind, 0 e-mail(s) sent\n"
    assert mail.outbox == []


def test_an_extension_moves_the_reminder(period, units, zhengzhou_submitter, reviewer):
    grant_extension(reviewer, period, units["郑州"], DEADLINE + datetime.timedelta(days=10), "补报")
    out = remind(DEADLINE + datetime.timedelta(days=7))
    assert "reminded 郑州市 (2021, +3 days)" in out


def test_a_dry_run_sends_nothing(period, units, zhengzhou_submitter):
    out = remind(DEADLINE - datetime.timedelta(days=3), "--dry-run")
    assert "would remind 郑州市 (2021, +3 days)" in out
    assert mail.outbox == []


@pytest.mark.parametrize("args", [["--before", "x"], ["--after", "-1"], ["--today", "2022-13-01"]])
def test_bad_arguments_are_refused(period, args):
    with pytest.raises(CommandError):
        call_command("remind_deadlines", *args, stdout=io.StringIO())


def test_a_second_run_on_the_same_day_sends_nothing_again(period, units, zhengzhou_submitter):
    day = DEADLINE - datetime.timedelta(days=3)
    remind(day)
    assert len(mail.outbox) == 1
    out = remind(day)
    assert len(mail.outbox) == 1
    assert "already reminded 郑州市 (2021, +3 days)" in out
    assert "0 unit(s) to remind, 0 e-mail(s) sent" in out


def test_the_next_reminder_day_still_sends(period, units, zhengzhou_submitter):
    remind(DEADLINE - datetime.timedelta(days=3))
    remind(DEADLINE - datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_a_send_that_failed_is_tried_again_by_the_next_run(
    period, units, zhengzhou_submitter, monkeypatch
):
    from reporting.management.commands import remind_deadlines

    day = DEADLINE - datetime.timedelta(days=3)

    def broken(*args):
        raise ConnectionRefusedError("smtp down")

    with monkeypatch.context() as patch:
        patch.setattr(remind_deadlines, "send_deadline_reminder", broken)
        with pytest.raises(ConnectionRefusedError):
            remind(day)
    assert not mail.outbox
    remind(day)
    assert [m.to for m in mail.outbox] == [["zhengzhou@example.org"]]
