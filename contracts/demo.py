"""Demo pledge contracts: the local demo's 2021 patent figures of 鹤壁 (approved) and trademark
figures of 洛阳 (submitted) are the sums of these contracts, so the bank ranking has banks to
rank out of the box (approved reports only: 鹤壁's, and 洛阳's once the reviewer approves it).

The enterprises are made up and say so (演示 in every name); their 统一社会信用代码 are made
up too, with the check character of GB 32100-2015, as the import checks. ``reporting.demo``
gives the same totals for these two reports (a test holds the two together), so the contracts
replace no figure typed by hand: the import would refuse to without a yes.
"""

from accounts import demo as accounts_demo
from reporting.models import IPKind, PledgeReport

# Contracts of one report: unit → (kind, contracts). A contract: 出质人, 中小微企业, 质权人
# （银行）, 件数, 金额（万元）, 质权设立日, 贷款期限（月）. The same name is the same enterprise.
CONTRACTS_2021 = {
    "鹤壁": (
        IPKind.PATENT,
        [
            ("鹤壁演示电子科技有限公司", True, "中国银行鹤壁分行", 18, "3200", "2021-02-23", 12),
            ("鹤壁演示新材料股份有限公司", False, "中国工商银行鹤壁分行", 25, "4500", "2021-03-16", 36),
            ("鹤壁演示汽车零部件有限公司", True, "中国建设银行鹤壁淇滨支行", 16, "2800", "2021-04-08", 24),
            ("鹤壁演示电子科技有限公司", True, "中国银行鹤壁分行", 9, "1500", "2021-06-29", 12),
            ("浚县演示农业科技有限公司", True, "中原银行鹤壁分行", 6, "800", "2021-07-12", 12),
            ("淇县演示食品有限公司", True, "中国邮政储蓄银行鹤壁市分行", 5, "600", "2021-08-03", 12),
            ("鹤壁演示智能装备有限公司", True, "交通银行鹤壁分行", 14, "2100", "2021-09-17", 24),
            ("鹤壁演示镁业有限公司", False, "中国农业银行鹤壁分行", 21, "2300", "2021-10-26", 36),
            ("鹤壁演示光电有限公司", True, "中原银行鹤壁淇县支行", 12, "700", "2021-11-30", 12),
        ],
    ),
    "洛阳": (
        IPKind.TRADEMARK,
        [
            ("洛阳演示轴承股份有限公司", False, "中国银行洛阳分行", 3, "2000", "2021-03-02", 24),
            ("洛阳演示牡丹文化传播有限公司", True, "洛阳银行股份有限公司", 2, "600", "2021-04-19", 12),
            ("洛阳演示酒业有限公司", True, "中国工商银行洛阳分行", 4, "1500", "2021-05-25", 24),
            ("偃师演示食品有限公司", True, "中原银行洛阳分行", 2, "450", "2021-07-06", 12),
            ("洛阳演示水席餐饮管理有限公司", True, "洛阳农商银行", 1, "350", "2021-08-18", 12),
            ("洛阳演示轴承股份有限公司", False, "中国银行洛阳分行", 2, "1200", "2021-11-09", 36),
        ],
    ),
}  # fmt: skip

FILENAME = "演示质押合同.xlsx"


def uscc_for(unit, index):
    """A made-up 统一社会信用代码 of the unit's area (91 + its code + MA99 + a number), with
    its check character."""
    from stdnum.cn import uscc

    body = f"91{unit.code}MA99{index:05d}"
    return body + uscc.calc_check_digit(body)


def contract_rows(unit):
    """The unit's demo contracts as a contracts file's rows (a heading, then one row each)."""
    from .imports import HEADINGS

    kind, contracts = CONTRACTS_2021[unit.short_name]
    prefix = "Y" if kind == IPKind.PATENT else "S"
    names = list(dict.fromkeys(contract[0] for contract in contracts))
    columns = ["pledgor", "uscc", "is_sme", "bank", "registration_number", "items", "amount",
               "effective_on", "loan_term_months"]  # fmt: skip
    rows = [[HEADINGS[name] for name in columns]]
    for number, (pledgor, sme, bank, items, amount, day, term) in enumerate(contracts, start=1):
        rows.append([
            pledgor, uscc_for(unit, names.index(pledgor) + 1), "是" if sme else "否", bank,
            f"{prefix}2021{unit.code}{number:03d}", str(items), amount, day, str(term),
        ])  # fmt: skip
    return kind, rows


def load_2021(out):
    """The demo contracts of each unit that has some, imported into its 2021 draft as its
    submitter uploads them, before the draft is submitted; a report that already moved or
    already has contracts is left as it is."""
    from .imports import apply_contracts, parse_contracts

    for short_name in CONTRACTS_2021:
        report = (
            PledgeReport.objects.filter(
                unit__short_name=short_name, period__year=2021, period__granularity="year"
            )
            .select_related("unit", "period")
            .first()
        )
        if report is None or report.transitions.exists() or report.contracts.exists():
            continue
        unit, submitter = report.unit, accounts_demo.submitter(short_name)
        kind, rows = contract_rows(unit)
        preview = parse_contracts(
            rows,
            report.period,
            unit=unit,
            kind=kind,
            restrict_to_units={unit.pk},
            user=submitter,
            as_draft=True,
        )
        if not preview.ok:
            problems = preview.errors + [
                f"row {row.line}: {row.errors}" for row in preview.error_rows
            ]
            raise ValueError(f"the demo contracts of {unit.name} are refused: {problems}")
        count = apply_contracts(preview, submitter, FILENAME, as_draft=True)
        out.write(f"Demo pledge contracts: {count} for {unit.name} ({kind.value})")
