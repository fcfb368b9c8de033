"""The page cache declares what it covers (``portal.freshness.CACHED_MODELS``).

Every computation the portal caches reads only models on that list; every write of a model on
it, through any service, moves the data version the cache is keyed on.
"""

import ast
import datetime
import re
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.models import StandingRules
from contracts.imports import apply_contracts, parse_contracts
from contracts.models import ContractBatch
from contracts.services import withdraw_batch
from lib import fragments
from lib.freshness import data_version
from periods.services import grant_extension
from portal.freshness import CACHED_MODELS
from reporting import services
from reporting.models import IPKind, ProvinceBenchmark
from reporting.services import Figures
from tests.support.contracts import HEAD, contract, xlsx
from uploads.readers import read_rows
from workflow.models import WorkflowAction
from workflow.services import transition

ROOT = Path(__file__).resolve().parents[2]
TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def covered_tables():
    return {apps.get_model(label)._meta.db_table for label in CACHED_MODELS}


def cached_names_in_code():
    """The name of every computation the code caches (``cached_value``/``cached_fragment``)."""
    names = set()
    for path in ROOT.glob("*/*.py"):
        if path.parts[-2] in {"tests", "bench", "scripts", "lib"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in {"cached_value", "cached_fragment"}
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


class RecordingCache:
    """The cache, with what each computation it fills reads from the database recorded."""

    def __init__(self, cache):
        self.cache = cache
        self.reads = {}  # name → tables

    def get_or_set(self, key, compute, timeout):
        name = key.split(":")[1]

        def recorded():
            with CaptureQueriesContext(connection) as queries:
                value = compute()
            tables = {table for query in queries for table in TABLE.findall(query["sql"])}
            self.reads.setdefault(name, set()).update(tables)
            return value

        return self.cache.get_or_set(key, recorded, timeout)


def test_every_cached_computation_reads_only_models_the_cache_covers(
    local_demo, db, client, monkeypatch
):
    from django.contrib.auth import get_user_model

    recording = RecordingCache(fragments.cache)
    monkeypatch.setattr(fragments, "cache", recording)
    reviewer = get_user_model().objects.get(username="reviewer")
    client.force_login(reviewer)
    pages = [
        "/reports/2021/patent/",
        "/reports/2021/trademark/?provisional=1",
        "/reports/2020/trademark/",
        "/periods/2021/board/",
        "/periods/2021/board/?state=submitted&timeliness=on_time",
        "/periods/2021/410800/",  # 焦作, returned: moves and changes of figures
        "/periods/2021/410600/",  # 鹤壁, approved
        "/analysis/",
        "/analysis/units/410300/",
        "/analysis/2021/patent/",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert set(recording.reads) == cached_names_in_code(), "a cached computation no page ran"
    uncovered = {
        name: sorted(tables - covered_tables())
        for name, tables in recording.reads.items()
        if tables - covered_tables()
    }
    assert uncovered == {}, "add these models to portal.freshness.CACHED_MODELS"


# ── Every write of a covered model moves the version ──────────────────────────────────

WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def written_tables(queries):
    return {match[1] for query in queries if (match := WRITE.match(query["sql"]))}


def contracts_file(amount):
    return read_rows(xlsx([HEAD, contract(unit="郑州", amount=amount, day="2021-03-05")]))


def test_every_service_that_writes_a_covered_model_moves_the_version(
    units, open_period, zhengzhou_submitter, reviewer, administrator
):
    zhengzhou = units["郑州"]
    figures = {
        IPKind.PATENT: Figures(Decimal("100"), 2, 5, 2, 1, 2),
        IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
    }

    def report():
        return zhengzhou.reports.get(period=open_period)

    def contracts_import():
        preview = parse_contracts(
            contracts_file("120"),
            open_period,
            unit=zhengzhou,
            kind=IPKind.PATENT,
            restrict_to_units={zhengzhou.pk},
            user=zhengzhou_submitter,
            as_draft=True,
        )
        apply_contracts(
            preview, zhengzhou_submitter, "合同.xlsx", as_draft=True, replace_typed=True
        )

    def rename_unit():
        zhengzhou.name = "郑州市（更名）"
        zhengzhou.save()

    def move_deadline():
        open_period.deadline += datetime.timedelta(days=1)
        open_period.save()

    def rename_user():
        reviewer.first_name = "审核员（新）"
        reviewer.save()

    writes = {
        "a draft saved": lambda: services.save_figures(
            zhengzhou_submitter, zhengzhou, open_period, figures
        ),
        "contracts imported": contracts_import,
        "contracts withdrawn": lambda: withdraw_batch(
            ContractBatch.objects.get(withdrawn_at=None), zhengzhou_submitter
        ),
        "submitted": lambda: transition(report(), WorkflowAction.SUBMIT, zhengzhou_submitter),
        "returned": lambda: transition(report(), WorkflowAction.RETURN, reviewer, "请核对"),
        "imported by the province": lambda: services.import_figures(
            reviewer, zhengzhou, open_period, figures, filename="省局.csv"
        ),
        "approved": lambda: transition(report(), WorkflowAction.APPROVE, reviewer),
        "reopened": lambda: transition(report(), WorkflowAction.REOPEN, reviewer, "更正"),
        "published figures loaded": lambda: services.record_published_figures(
            units["洛阳"], open_period, figures
        ),
        "an extension granted": lambda: grant_extension(
            reviewer, open_period, units["开封"], open_period.deadline, "延期"
        ),
        "a deadline moved": move_deadline,
        "a unit renamed": rename_unit,
        "a benchmark added": lambda: ProvinceBenchmark.objects.create(
            province="浙江省", year=2021, kind=IPKind.PATENT, items=1, amount=Decimal("1")
        ),
        "the standing rules changed": lambda: StandingRules.objects.update_or_create(
            defaults={"excellent_top": 4}
        ),
        "a user renamed": rename_user,
        "a benchmark deleted": lambda: ProvinceBenchmark.objects.filter(year=2021).delete(),
    }
    still, written = [], set()
    for name, write in writes.items():
        before = data_version()
        with CaptureQueriesContext(connection) as queries:
            write()
        tables = written_tables(queries) & covered_tables()
        written |= tables
        if tables and data_version() == before:
            still.append(f"{name} wrote {sorted(tables)}")
    assert still == []
    assert written == covered_tables(), "a covered model no write above reaches"
