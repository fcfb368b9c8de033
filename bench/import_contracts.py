"""Benchmark: a national-scale year, 20,000 pledge contracts in one XLSX, dry run plus confirm.

Beside our import engine it runs django-import-export with its default settings on the same
file, and a plain executemany of the same rows (the floor). Each method runs in its own
process on a fresh SQLite database, so that its peak memory (max RSS) is its own.
Usage: python bench/import_contracts.py [rows]   (default 20000)
"""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANKS = [
    "中国银行{}分行",
    "中国工商银行{}分行",
    "中国建设银行{}支行",
    "中原银行{}分行",
    "交通银行{}分行",
    "招商银行{}分行",
]


def make_file(path, rows):
    from openpyxl import Workbook
    from stdnum.cn import uscc

    from contracts.exports import TEMPLATE_COLUMNS
    from contracts.imports import HEADINGS

    units = ["郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳", "许昌", "漯河", "三门峡",
             "南阳", "商丘", "信阳", "周口", "驻马店", "济源", "巩义", "兰考", "汝州", "滑县", "长垣", "邓州",
             "永城", "固始", "鹿邑", "新蔡"]  # fmt: skip
    rng = random.Random(2020)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([HEADINGS[name] for name in ["unit", *TEMPLATE_COLUMNS]])
    for n in range(rows):
        body = f"91410100MA{n:07d}"
        unit = units[n % len(units)]
        sheet.append([
            unit, "专利" if n % 3 else "商标", f"河南测试科技有限公司{n}", body + uscc.calc_check_digit(body),
            "是" if n % 4 else "否", rng.choice(BANKS).format(unit), f"Y2020{n:08d}", rng.randint(1, 9),
            f"{rng.randint(10, 500000) / 100:.2f}", f"2020-{n % 12 + 1:02d}-{n % 28 + 1:02d}", rng.choice([6, 12, 36]),
        ])  # fmt: skip
    workbook.save(path)


def setup_django(workdir):
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_CACHE_DIR"] = str(workdir / "cache")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a local run, not production
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from periods.models import ReportingPeriod

    period = ReportingPeriod.objects.create(year=2020, opens_on="2021-01-04", deadline="2021-01-31")
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    return period, user


def run_engine(path, period, user):
    from contracts.imports import apply_contracts, parse_contracts, read_contract_rows

    content = Path(path).read_bytes()
    start = time.perf_counter()
    preview = parse_contracts(read_contract_rows(content, "bench.xlsx"), period)  # the dry run
    assert preview.ok, [r.errors for r in preview.error_rows[:3]]
    dry = time.perf_counter() - start
    again = parse_contracts(
        read_contract_rows(content, "bench.xlsx"), period
    )  # confirming re-reads the file
    apply_contracts(again, user, "bench.xlsx")
    total = time.perf_counter() - start
    return {"dry_run": dry, "total": total}


def run_import_export(path, period, user):
    import tablib
    from import_export import fields, resources, widgets

    from cities.resolver import UnitResolver
    from contracts.models import PledgeContract
    from lib.banks import bank_group
    from reporting.models import IPKind, PledgeReport

    resolver = UnitResolver()
    reports = {}

    class ContractResource(resources.ModelResource):
        report = fields.Field(attribute="report", column_name="地市", widget=widgets.Widget())
        kind = fields.Field(attribute="kind", column_name="类别")
        pledgor = fields.Field(attribute="pledgor", column_name="出质人")
        uscc = fields.Field(attribute="uscc", column_name="统一社会信用代码")
        is_sme = fields.Field(attribute="is_sme", column_name="是否中小微企业")
        bank = fields.Field(attribute="bank", column_name="质权人（银行）")
        registration_number = fields.Field(
            attribute="registration_number", column_name="质押登记号"
        )
        items = fields.Field(attribute="items", column_name="件数", widget=widgets.IntegerWidget())
        amount = fields.Field(
            attribute="amount", column_name="金额（万元）", widget=widgets.DecimalWidget()
        )
        effective_on = fields.Field(
            attribute="effective_on",
            column_name="质权设立日",
            widget=widgets.DateWidget("%Y-%m-%d"),
        )
        loan_term_months = fields.Field(
            attribute="loan_term_months",
            column_name="贷款期限（月）",
            widget=widgets.IntegerWidget(),
        )

        class Meta:
            model = PledgeContract
            import_id_fields = ["registration_number"]
            fields = ["report", "kind", "pledgor", "uscc", "is_sme", "bank", "registration_number", "items",
                      "amount", "effective_on", "loan_term_months"]  # fmt: skip

        def before_import_row(self, row, **kwargs):
            unit = resolver.resolve(row["地市"])
            if unit.pk not in reports:
                reports[unit.pk] = PledgeReport.objects.get_or_create(unit=unit, period=period)[0]
            row["地市"] = reports[unit.pk]
            row["类别"] = IPKind.PATENT if row["类别"] == "专利" else IPKind.TRADEMARK
            row["是否中小微企业"] = row["是否中小微企业"] == "是"

        def before_save_instance(self, instance, row, **kwargs):
            instance.bank_group = bank_group(instance.bank)

    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    dataset = tablib.Dataset(*[list(r) for r in rows[1:]], headers=list(rows[0]))
    start = time.perf_counter()
    result = ContractResource().import_data(dataset, dry_run=True)
    assert not result.has_errors(), result.row_errors()[:1]
    dry = time.perf_counter() - start
    reports.clear()  # the dry run's reports were rolled back
    result = ContractResource().import_data(dataset, dry_run=False)
    assert not result.has_errors()
    return {"dry_run": dry, "total": time.perf_counter() - start}


def run_executemany(path, period, user):
    from django.db import connection, transaction
    from openpyxl import load_workbook

    from cities.resolver import UnitResolver
    from reporting.models import PledgeReport

    sheet = load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    resolver = UnitResolver()
    reports = {}
    start = time.perf_counter()
    values = []
    for unit, kind, pledgor, code, sme, bank, number, items, amount, day, term in rows:
        unit = resolver.resolve(unit)
        if unit.pk not in reports:
            reports[unit.pk] = PledgeReport.objects.get_or_create(unit=unit, period=period)[0].pk
        values.append((reports[unit.pk], "patent" if kind == "专利" else "trademark", pledgor, code,
                       sme == "是", bank, bank, number, items, amount, day, term))  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO contracts_pledgecontract (report_id, kind, pledgor, uscc, is_sme, bank, bank_group,"
            " registration_number, items, amount, effective_on, loan_term_months)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            values,
        )
    return {"dry_run": None, "total": time.perf_counter() - start}


def child(method, path):
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    period, user = setup_django(workdir)
    result = {
        "engine": run_engine,
        "import-export": run_import_export,
        "executemany": run_executemany,
    }[method](path, period, user)
    from contracts.models import PledgeContract

    result["rows"] = PledgeContract.objects.count()
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a local run, not production
    import django

    django.setup()  # the headings come from the importer; no database is touched here
    rows = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 20000
    path = Path(tempfile.mkdtemp(prefix="bench-file-")) / "contracts.xlsx"
    make_file(path, rows)
    print(f"{rows} contract rows in one XLSX ({path.stat().st_size // 1024} KiB)")
    for method in ("engine", "import-export", "executemany"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", method, str(path)], capture_output=True, text=True
        )
        if out.returncode:
            print(f"{method}: failed\n{out.stderr[-2000:]}")
            continue
        result = json.loads(out.stdout.strip().splitlines()[-1])
        dry = f"dry run {result['dry_run']:.2f} s, " if result["dry_run"] is not None else ""
        print(
            f"{method:>14}: {dry}dry run + confirm {result['total']:.2f} s, peak RSS {result['peak_mb']:.0f} MB, {result['rows']} rows stored"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
