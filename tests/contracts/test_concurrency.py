"""A withdrawal of imported contracts and an import into the same report, at once.

Both change a report and its contracts: both lock the report first, so the second waits for
the first instead of the two waiting for each other (a deadlock, on PostgreSQL).
"""

import threading
import time

import pytest
from django.db import DatabaseError, connection, transaction

from contracts.imports import apply_contracts, parse_contracts
from contracts.models import ContractBatch
from contracts.services import withdraw_batch
from reporting import services
from reporting.models import IPKind, PledgeReport
from tests.support.contracts import HEAD, contract, xlsx
from uploads.readers import ImportFileError, read_rows
from workflow.services import WorkflowError

pytestmark = [
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.postgresql("row locks need PostgreSQL"),
]


def preview_of(units, period, user, amount):
    rows = read_rows(xlsx([HEAD, contract(unit="郑州", amount=amount, day="2021-03-05")]))
    preview = parse_contracts(
        rows,
        period,
        unit=units["郑州"],
        kind=IPKind.PATENT,
        restrict_to_units={units["郑州"].pk},
        user=user,
        as_draft=True,
    )
    assert preview.ok, preview.errors
    return preview


def test_a_withdrawal_and_an_import_of_one_report_at_once_never_deadlock(
    monkeypatch, units, open_period, zhengzhou_submitter
):
    """The withdrawal pauses between taking its first locks and saving the figures, while the
    import of the same report starts: each round ends with the withdrawal done and the import
    done after it or refused with a message, never with a database error."""
    save_figures = services.save_figures

    def paused(*args, **kwargs):
        if threading.current_thread().name == "withdrawal":
            time.sleep(0.5)  # the import starts meanwhile
        return save_figures(*args, **kwargs)

    monkeypatch.setattr(services, "save_figures", paused)
    for round_ in range(3):
        preview = preview_of(units, open_period, zhengzhou_submitter, f"{100 + round_}")
        apply_contracts(preview, zhengzhou_submitter, f"第{round_}批.xlsx", as_draft=True)
        batch = ContractBatch.objects.filter(withdrawn_at=None).latest("pk")
        # The import's preview sees the report as it is now, before the withdrawal.
        competing = preview_of(units, open_period, zhengzhou_submitter, f"{200 + round_}")
        outcomes = {}

        def withdraw(batch=batch):
            with transaction.atomic():
                withdraw_batch(batch, zhengzhou_submitter)

        def import_(competing=competing):
            apply_contracts(competing, zhengzhou_submitter, "同时导入.xlsx", as_draft=True)

        def run(name, action, outcomes=outcomes):
            try:
                action()
                outcomes[name] = "done"
            except (WorkflowError, ImportFileError) as refused:
                outcomes[name] = f"refused: {refused}"
            except DatabaseError as error:
                outcomes[name] = error
            finally:
                connection.close()

        first = threading.Thread(target=run, args=("withdrawal", withdraw), name="withdrawal")
        second = threading.Thread(target=run, args=("import", import_), name="import")
        first.start()
        time.sleep(0.1)  # the withdrawal holds its first lock
        second.start()
        first.join(30)
        second.join(30)
        assert outcomes["withdrawal"] == "done", outcomes
        assert not isinstance(outcomes["import"], DatabaseError), outcomes
        # The import waited for the withdrawal, then found the report changed since its preview.
        assert outcomes["import"].startswith("refused: 郑州市：报表在您打开后已被"), outcomes
        report = PledgeReport.objects.get(unit=units["郑州"], period=open_period)
        assert not report.contracts.exists()
