import datetime

import pytest
from django.core.exceptions import PermissionDenied

from periods.services import PeriodError, grant_extension

pytestmark = pytest.mark.django_db


def test_only_reviewers_grant_extensions_and_never_before_the_deadline(
    units, open_period, reviewer, zhengzhou_submitter
):
    with pytest.raises(PermissionDenied):
        grant_extension(zhengzhou_submitter, open_period, units["郑州"], open_period.deadline, "x")
    with pytest.raises(PeriodError) as error:
        grant_extension(
            reviewer,
            open_period,
            units["郑州"],
            open_period.deadline - datetime.timedelta(days=1),
            "x",
        )
    assert error.value.message == f"延期日期不能早于本期截止日期（{open_period.deadline}）。"
