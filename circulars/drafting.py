"""The situation paragraphs of a circular, drafted from the data for the administrator to edit.

The wording is the circular's, in Chinese whatever the interface language: it is document
content, not interface text.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

from lib.numbers import CENT, growth
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
    return "\n".join(paragraphs)


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
