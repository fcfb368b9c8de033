"""The situation paragraphs of a circular, drafted from the data for the administrator to edit.

The wording is the circular's, in Chinese whatever the interface language: it is document
content, not interface text.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

from analysis.queries import EXCELLENT, FAST, LAGGING, standings
from lib.numbers import CENT, growth
from measures.models import MeasureReport
from measures.queries import RowStatus, measure_matrix, patent_fund_units
from reporting.models import IPKind, ProvinceBenchmark
from reporting.queries import rank_units
from workflow.models import ReportState

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

    funds = _patent_funds(period)
    said_funds = set()
    for kind, ranking in rankings.items():
        sentence, named = _standings_sentence(period, kind, ranking, funds, names)
        if sentence:
            paragraphs.append(sentence)
            said_funds |= named

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
    measures = _measures_paragraph(period, names, said_funds)
    if measures:
        paragraphs.append(measures)
    return "\n".join(paragraphs)


# Units not yet reporting their measures are named when they are this few; else counted.
NAMED_AT_MOST = 5


def _patent_funds(period):
    """The units whose approved measures for ``period`` show a patent risk-compensation fund."""
    if not MeasureReport.objects.filter(period=period, state__in=ReportState.final()).exists():
        return []
    return patent_fund_units(measure_matrix(period))


def _standings_sentence(period, kind, ranking, funds, names):
    """The notice's core sentence for ``kind``: 成绩优异 (and which of them have a patent
    risk-compensation fund), 进步较快, 相对滞后 — the analysis page's standings, in its order.
    Only for a closed period (a provisional ranking could still be overturned); a part whose
    units are missing is left out. Returns (sentence or "", the fund units it named)."""
    if not ranking.closed or not ranking.ranked_rows:
        return "", set()
    by_judgement = {EXCELLENT: [], FAST: [], LAGGING: []}
    for standing in standings(period, kind):
        if standing.judgement:
            by_judgement[standing.judgement].append(standing.unit)

    def listed(units):
        return "、".join(unit_name(unit, names) for unit in units)

    excellent, fast, lagging = (by_judgement[j] for j in (EXCELLENT, FAST, LAGGING))
    with_fund = [unit for unit in excellent if unit in funds] if kind == IPKind.PATENT else []
    parts = []
    if excellent:
        head = f"{listed(excellent)}成绩优异"
        if with_fund:
            head += f"，其中，{listed(with_fund)}建立了专利质押融资风险补偿机制"
        parts.append(head)
    rest = []
    if fast:
        rest.append(f"{listed(fast)}进步较快")
    if lagging:
        rest.append(f"{listed(lagging)}相对滞后")
    if rest:
        parts.append("，".join(rest))
    if not parts:
        return "", set()
    return f"{kind.label}质押方面，" + "；".join(parts) + "。", set(with_fund)


def _measures_paragraph(period, names, said_funds=()):
    """What the approved measure reports show: who set up a patent risk-compensation fund, who
    held no event and who has no policy in force; then who has not reported (named when few).

    Only approved reports are read; "" while no unit has submitted its measures for the period
    (a unit's draft is its own: it neither brings the paragraph about nor shows in it)."""
    submitted = MeasureReport.objects.filter(period=period, state__in=ReportState.provisional())
    if not submitted.exists():
        return ""
    matrix = measure_matrix(period)
    clauses = []
    # (The units the standings already named with their fund are not named twice.)
    funds = [unit for unit in patent_fund_units(matrix) if unit not in said_funds]
    if funds:
        clauses.append(
            f"{'、'.join(unit_name(unit, names) for unit in funds)}建立了专利质押融资风险补偿机制"
        )
    no_event = matrix.without_measure("events")
    if no_event:
        clauses.append(f"尚未开展质押融资巡讲、银企对接或培训活动的有：{_names(no_event, names)}")
    no_policy = matrix.without_measure("policies")
    if no_policy:
        # The matrix reads policies in force: a unit whose policies have lapsed has none now.
        clauses.append(f"尚无现行有效的质押融资扶持政策的有：{_names(no_policy, names)}")
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


# ── 经验交流: a notice that spreads the good practice units reported ───────────────────────

# Three lines (梯形): on two, the second would leave 知 alone on a third.
EXCHANGE_TITLE = "河南省知识产权局\n关于交流各地知识产权质押融资\n经验做法的通知"
CHINESE_DIGITS = "一二三四五六七八九"


def chinese_numeral(number):
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (the numbers of 一、 headings)."""
    if not 1 <= number <= 99:
        raise ValueError(f"headings are numbered 1 to 99, not {number}")
    tens, ones = divmod(number, 10)
    text = ("" if tens < 2 else CHINESE_DIGITS[tens - 1]) + ("十" if tens else "")
    return text + (CHINESE_DIGITS[ones - 1] if ones else "")


def from_chinese_numeral(text):
    """The inverse of ``chinese_numeral``: 十二 → 12."""
    if "十" not in text:
        return CHINESE_DIGITS.index(text) + 1
    tens, _, ones = text.partition("十")
    return (CHINESE_DIGITS.index(tens) + 1 if tens else 1) * 10 + (
        CHINESE_DIGITS.index(ones) + 1 if ones else 0
    )


# A Chinese numeral from 一 to 九十九, as headings are numbered (十一, 二十, not 一一 or 十十).
NUMERAL = r"(?:[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
LEVEL_1 = re.compile(rf"^({NUMERAL})、")
LEVEL_2 = re.compile(rf"^（({NUMERAL})）")
LEVEL_3 = re.compile(r"^(\d+)[.．](?!\d)")  # 1. but not 2.5亿元


def demoted(paragraph):
    """A practice's paragraph under the notice's own 一、 heading: its headings one level down
    (一、 → （一）, （一） → 1., 1. → （1）), so that they keep their order under the unit's
    heading and none is taken for one of the notice's. （1） is the lowest level: it stays."""
    if match := LEVEL_1.match(paragraph):
        return f"（{match.group(1)}）{paragraph[match.end() :]}"
    if match := LEVEL_2.match(paragraph):
        return f"{from_chinese_numeral(match.group(1))}.{paragraph[match.end() :]}"
    if match := LEVEL_3.match(paragraph):
        return f"（{match.group(1)}）{paragraph[match.end() :]}"
    return paragraph


def draft_exchange_body(practices, names=UnitNames.SHORT):
    """The body of a 经验交流 notice: an opening, then each practice under a level-1 heading
    一、<unit>：<title>, its paragraphs (their own headings one level down), and a closing."""
    units = list(dict.fromkeys(unit_name(p.report.unit, names) for p in practices))
    paragraphs = [
        "为交流推广各地知识产权质押融资工作中的好经验、好做法，现将"
        f"{'、'.join(units)}的经验做法印发给你们，请结合本地实际学习借鉴。"
    ]
    for number, practice in enumerate(practices, start=1):
        unit = unit_name(practice.report.unit, names)
        paragraphs.append(f"{chinese_numeral(number)}、{unit}：{practice.title.strip()}")
        paragraphs += [demoted(paragraph) for paragraph in practice.paragraphs()]
    paragraphs.append("各地在工作中形成的新经验、新做法，请及时报送省局。")
    return "\n".join(paragraphs)
