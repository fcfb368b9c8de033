"""The situation paragraphs of a circular, drafted from the data for the administrator to edit.

The wording is the circular's, in Chinese whatever the interface language: it is document
content, not interface text.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

from lib.numbers import CENT, growth
from measures.models import MeasureReport
from measures.queries import RowStatus, measure_matrix, patent_fund_units
from reporting.models import IPKind, ProvinceBenchmark
from reporting.queries import rank_units

from .models import UnitNames

TEN_THOUSAND = Decimal(10000)


def in_yi(amount_wan):
    """万元 → 亿元 with two decimals: 55807.53 → "5.58"."""
    return str((Decimal(amount_wan) / TEN_THOUSAND).quantize(CENT, ROUND_HALF_UP))


def unit_name(unit, names):
    """The unit as the circular names it: 三门峡 (short, as the notice's 附件1) or 三门峡市."""
    return unit.short_name if names == UnitNames.SHORT else unit.name


def draft_situation(period, names=UnitNames.SHORT):
    """Paragraphs (one per line) on the period's totals, leaders, zeros, changes and peers.

    ``names``: how the units are named, as the circular's attachments name them
    (``Circular.unit_names``): "short" (三门峡, 济源) or "full" (三门峡市, 济源示范区).
    """
    if names not in UnitNames.values:
        raise ValueError(f"names must be one of {UnitNames.values}, not {names!r}")
    with translation.override("zh-hans"):  # labels such as 专利 come from translated choices
        return _draft(period, names)


def _names(rows, names):
    return "、".join(unit_name(row.unit, names) for row in rows)


def _draft(period, names):
    rankings = {kind: rank_units(period, kind) for kind in IPKind}
    patent, trademark = rankings[IPKind.PATENT], rankings[IPKind.TRADEMARK]
    paragraphs = []
    if not patent.closed:
        # The administrator must see, before anything is issued, that the figures may change.
        paragraphs.append(f"（{patent.status_line}，以下为初步统计，报送结束后请重新起草。）")
    paragraphs += [
        (
            f"{period.label}，全省专利质押融资金额{in_yi(patent.amount)}亿元，项目{patent.projects}个，质押专利{patent.items}件；"
            f"商标质押融资金额{in_yi(trademark.amount)}亿元，项目{trademark.projects}个，质押商标{trademark.items}件。"
        )
    ]

    sentences = []
    for kind, ranking in rankings.items():
        leaders = [row for row in ranking.ranked_rows if row.amount > 0][:3]
        if leaders:
            sentences.append(f"{kind.label}质押金额居前的是{_names(leaders, names)}")
    for kind, ranking in rankings.items():
        zeros = [row for row in ranking.ranked_rows if row.amount == 0]
        if zeros:
            sentences.append(
                f"{_names(zeros, names)}等{len(zeros)}个地市{kind.label}质押项目、金额、件数均为零"
            )
    if sentences:
        paragraphs.append("；".join(sentences) + "。")

    previous = period.year_earlier()
    if previous:
        for kind, ranking in rankings.items():
            before = rank_units(previous, kind)
            if before.amount or ranking.amount:  # nothing in either year: nothing to compare
                paragraphs.append(_change_sentence(kind, ranking, before, previous, names))

    peers = ProvinceBenchmark.objects.filter(year=period.year).order_by("kind", "-amount")
    if period.granularity == "year" and peers:
        parts = [
            (
                f"{peer.province}{peer.get_kind_display()}质押{peer.items}件、金额{in_yi(peer.amount)}亿元"
            )
            for peer in peers
        ]
        paragraphs.append(f"同期，{'，'.join(parts)}。")
    measures = _measures_paragraph(period, names)
    if measures:
        paragraphs.append(measures)
    return "\n".join(paragraphs)


# Units not yet reporting their measures are named when they are this few; else counted.
NAMED_AT_MOST = 5


def _measures_paragraph(period, names):
    """What the approved measure reports show: who set up a patent risk-compensation fund, who
    held no event and who has no policy in force; then who has not reported (named when few).

    Only approved reports are read; "" when no unit has a measure report for the period."""
    if not MeasureReport.objects.filter(period=period).exists():
        return ""
    matrix = measure_matrix(period)
    clauses = []
    funds = patent_fund_units(matrix)
    if funds:
        clauses.append(
            f"{'、'.join(unit_name(unit, names) for unit in funds)}建立了专利质押融资风险补偿机制"
        )
    no_event = matrix.without_measure("events")
    if no_event:
        clauses.append(f"尚未开展质押融资巡讲、银企对接或培训活动的有：{_names(no_event, names)}")
    no_policy = matrix.without_measure("policies")
    if no_policy:
        clauses.append(f"尚未出台质押融资扶持政策的有：{_names(no_policy, names)}")
    sentences = ["；".join(clauses) + "。"] if clauses else []
    unreported = []
    missing = [row for row in matrix.rows if row.status == RowStatus.MISSING]
    pending = [row for row in matrix.rows if row.status == RowStatus.PENDING]
    if missing:
        unreported.append(f"{_few(missing, names)}尚未报送政策措施情况")
    if pending:
        unreported.append(f"{_few(pending, names)}报送的政策措施情况尚在审核")
    if unreported:
        sentences.append("另有" + "，".join(unreported) + "。")
    return "".join(sentences)


def _few(rows, names):
    """新乡 alone; 南阳、新乡等2个单位 when few (as the zeros are listed); else 23个单位."""
    if len(rows) == 1:
        return _names(rows, names)
    if len(rows) <= NAMED_AT_MOST:
        return f"{_names(rows, names)}等{len(rows)}个单位"
    return f"{len(rows)}个单位"


def _change_sentence(kind, now, before, previous, names):
    old = {row.unit.pk: row.amount for row in before.ranked_rows}
    rising, falling, new = [], [], []
    for row in now.ranked_rows:
        was = old.get(row.unit.pk)
        change = growth(row.amount, was)
        if change.new:
            new.append(unit_name(row.unit, names))
        elif change.is_number and row.amount != was:
            entry = f"{unit_name(row.unit, names)}（{change}）"
            (rising if row.amount > was else falling).append(entry)
    if before.amount:
        total = growth(now.amount, before.amount)
        head = f"与{previous.label}相比，全省{kind.label}质押金额变动{total}"
    else:
        head = f"与{previous.label}相比，全省{kind.label}质押从无到有"
    parts = [head]
    if rising:
        parts.append(f"增长的有{'、'.join(rising)}")
    if falling:
        parts.append(f"下降的有{'、'.join(falling)}")
    if new:
        parts.append(f"新实现零的突破的有{'、'.join(new)}")
    return "；".join(parts) + "。"
