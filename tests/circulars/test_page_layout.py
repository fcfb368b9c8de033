"""How printed circulars fall on their pages, against GB/T 9704-2012.

The circulars read back: the demo's 豫知〔2021〕8号 (two tables) and 9号 (two charts), and a notice
whose text runs to four pages, with two tables (the last on a full even page), one chart (on
an odd page with room to spare) or a table and the measures of every unit (a table of text
over two pages); and a 经验交流 notice drafted from the demo's approved practice (no attachment). For each: the 署名 and 成文日期 stand on a page with text,
pages full of text hold 22 lines of 28 characters, every page the standard numbers carries its
number, the 版记 closes the last even page with no needless blank page, and each attachment is
captioned once.
"""

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from circulars import services
from circulars.drafting import EXCHANGE_TITLE, draft_exchange_body
from circulars.models import Circular, CircularAttachment
from periods.models import ReportingPeriod
from tests.support.factories import CircularFactory
from tests.support.pdf import (
    CHARS_PER_LINE,
    LINES_PER_PAGE,
    PAGE_NUMBER,
    PITCH,
    TEXT_BOTTOM,
    TEXT_LEFT,
    first_unbreakable,
    is_blank,
    lines,
    mm,
    open_pdf,
    page_number_line,
    reach_in_chars,
    slot,
    span_in_chars,
)

pytestmark = pytest.mark.django_db

# A notice written for this test, long enough to fill two whole pages between its first page
# and the page it is signed on. Headings of every level; numbers in the running text.
FOUR_PAGE_BODY = "\n".join(
    [
        "为落实全省知识产权工作会议部署，拓宽科技型中小企业融资渠道，推动知识产权价值实现，"
        "现就做好2021年全省知识产权质押融资工作通知如下：",
        "一、总体要求。坚持政府引导、市场运作、风险共担，以服务实体经济为中心，以扩大质押融资"
        "规模和覆盖面为重点，健全政策支持、评估服务、风险分担和信息共享体系，力争全年专利、"
        "商标质押融资金额和项目数较上年均有明显增长。",
        "二、扩大质押融资覆盖面。各省辖市、济源示范区要摸清辖区内拥有有效发明专利、注册商标的"
        "企业底数，建立质押融资需求项目库，按季度更新入库企业名单，向合作银行集中推送，"
        "做到有需求的企业都能及时对接到金融机构。",
        "（一）开展入园惠企行动。以高新技术产业开发区、经济技术开发区和专业园区为重点，组织"
        "银行、评估、担保机构进园区、进企业，现场解答政策、受理申请，帮助企业把手中的知识产权"
        "转化为实实在在的融资能力。",
        "（二）推广组合质押模式。鼓励企业以专利、商标、版权等知识产权组合质押，或与股权、"
        "应收账款等搭配使用，提高单笔授信额度；对首次办理质押融资的企业，各地可给予评估费用"
        "补助，减轻企业负担。",
        "（三）缩短办理时限。合作银行要优化审批流程，对手续齐全的质押贷款申请，原则上在15个"
        "工作日内作出授信决定；质押登记材料齐全的，登记机关当场受理、限时办结。",
        "三、完善风险分担机制。有条件的地方要设立知识产权质押融资风险补偿资金，对合作银行"
        "发生的不良贷款按一定比例给予补偿，引导担保机构、保险机构参与风险分担，形成政府、"
        "银行、担保、保险多方共担的格局。",
        "1.落实贴息政策。对按期还本付息的质押贷款，按照贷款合同利息的一定比例给予贴息，"
        "单个企业年度贴息额度由各地结合财力确定，并在每年3月底前向社会公布。",
        "2.推行质押保险。鼓励保险机构开发知识产权质押融资保证保险产品，对企业缴纳的保费"
        "给予适当补贴，保险机构应当在受理之日起10个工作日内完成承保审核。",
        "（1）补贴比例原则上不超过实际缴纳保费的50%。",
        "（2）同一笔贷款只能享受一次保费补贴。",
        "四、培育评估服务体系。支持资产评估机构建立知识产权价值评估模型和数据库，推广"
        "快速评估、线上评估等服务方式，降低评估成本；各地要定期公布评估机构名录，引导评估"
        "机构规范执业、公平竞争，提高评估结果的公信力和认可度。",
        "五、加强统计监测。各地要按照本系统规定的口径和时限报送质押融资数据，做到项目有"
        "台账、金额有凭证、件数有登记，报送数据须经单位负责人审核后提交；省局每季度对各地"
        "报送情况进行通报，对迟报、漏报、错报的予以提醒。",
        "六、强化宣传引导。各地要通过政府网站、新闻媒体和政务新媒体宣传质押融资政策和"
        "典型案例，编印政策指引和办理指南，在政务服务大厅设置咨询窗口，让更多企业知晓政策、"
        "用好政策。",
        "七、强化工作保障。各地要把知识产权质押融资工作纳入年度重点工作，明确分管领导和"
        "具体责任人，加强与金融监管、财政等部门的协调配合，及时研究解决工作中遇到的困难和"
        "问题，确保各项措施落到实处。",
        "各地在工作中形成的典型案例和经验做法，请于每季度结束后10日内报送省局知识产权运用促进处。",
    ]
)


@dataclass
class Printed:
    """A circular's PDF, with what the test expects to find in it."""

    pdf: object
    addressees: str
    signatory: str
    date: str
    note: str
    attachment_titles: list
    chart_titles: list
    roles: list = field(default_factory=list)  # (role, line) of the notice, in reading order

    @property
    def pages(self):
        return self.pdf.pages


def _expected(circular, pdf):
    tables = services.printed_tables(circular)
    return Printed(
        pdf=pdf,
        addressees=f"{circular.addressees}：",
        signatory=circular.signatory,
        date=circular.signed_on_text,
        note=f"（{circular.note}）" if circular.note else "",
        attachment_titles=[table.title for table in tables],
        chart_titles=[table.title for table in tables if table.chart],
    )


@pytest.fixture(scope="module")
def printed(published_demo, django_db_blocker):
    """The circulars, each rendered once for the module and read back."""
    result = {}
    with (
        django_db_blocker.unblock(),
        translation.override(settings.LANGUAGE_CODE),
        transaction.atomic(),
    ):
        period = ReportingPeriod.objects.by_slug("2020").get()
        title = "河南省知识产权局\n关于做好2021年全省知识产权\n质押融资工作的通知"
        four_pages = CircularFactory(
            number=40,
            title=title,
            situation="",
            body=FOUR_PAGE_BODY,
            attachments=[(period, "patent"), (period, "trademark")],
        )
        one_chart = CircularFactory(number=41, title=title, situation="", body=FOUR_PAGE_BODY)
        CircularAttachment.objects.create(
            circular=one_chart, position=1, period=period, kind="patent", form="chart"
        )
        with_measures = CircularFactory(
            number=42,
            title=title,
            situation="",
            body=FOUR_PAGE_BODY,
            attachments=[(period, "patent")],
        )
        CircularAttachment.objects.create(
            circular=with_measures, position=2, period=period, form="measures"
        )
        # 经验交流, drafted from the demo's approved practice: no attachment.
        exchange = CircularFactory(
            number=43,
            title=EXCHANGE_TITLE,
            situation="",
            body=draft_exchange_body(list(services.approved_practices())),
        )
        circulars = {
            "8号": Circular.objects.get(code="豫知", year=2021, number=8),
            "9号": Circular.objects.get(code="豫知", year=2021, number=9),
            "four-page notice": four_pages,
            "four-page notice, one chart": one_chart,
            "four-page notice, a table and the measures": with_measures,
            "经验交流": exchange,
        }
        for name, circular in circulars.items():
            pdf = open_pdf(services.render_circular_pdf(circular))
            result[name] = read_notice(_expected(circular, pdf))
        transaction.set_rollback(True)
    return result


CIRCULARS = [
    "8号",
    "9号",
    "four-page notice",
    "four-page notice, one chart",
    "four-page notice, a table and the measures",
    "经验交流",
]


def read_notice(printed):
    """Name each line of the notice (up to its 附注): head, title, addressees, body,
    attachment-list, signature, date, note. The attachments and the 版记 follow it."""
    stream = [
        line
        for n, page in enumerate(printed.pages, 1)
        for line in lines(page, n)
        if not PAGE_NUMBER.match(line.text)
    ]
    roles = []
    index = 0
    # 版头 and 标题: everything on page 1 above the addressees.
    while not printed.addressees.startswith(stream[index].text):
        roles.append(("head" if stream[index].size != 22 else "title", stream[index]))
        index += 1
    seen = ""
    while seen != printed.addressees:
        seen += stream[index].text
        roles.append(("addressees", stream[index]))
        index += 1
    listed = "".join(
        ("附件：" if n == 1 else "") + (f"{n}." if len(printed.attachment_titles) > 1 else "") + t
        for n, t in enumerate(printed.attachment_titles, 1)
    )
    while True:
        line = stream[index]
        if listed and line.text.startswith("附件："):
            seen = ""
            while seen != listed:
                seen += stream[index].text
                roles.append(("attachment-list", stream[index]))
                index += 1
            continue
        if line.text == printed.signatory and stream[index + 1].text == printed.date:
            roles += [("signature", line), ("date", stream[index + 1])]
            index += 2
            break
        roles.append(("body", line))
        index += 1
    if printed.note:
        assert stream[index].text == printed.note
        roles.append(("note", stream[index]))
    printed.roles = roles
    return printed


def role_lines(printed, *names):
    return [line for role, line in printed.roles if role in names]


def colophon_page(printed):
    """The page the 版记 is on: the one with the 印发 line."""
    return next(
        n
        for n, page in enumerate(printed.pages, 1)
        if any(line.text.endswith("印发") for line in lines(page, n))
    )


@pytest.mark.parametrize("name", CIRCULARS)
def test_the_signature_and_date_stand_on_a_page_with_text(printed, name):
    notice = printed[name]
    [signature] = role_lines(notice, "signature")
    [date] = role_lines(notice, "date")
    assert signature.page == date.page
    body_pages = {line.page for line in role_lines(notice, "body")}
    assert signature.page in body_pages, (
        f"署名 and 成文日期 alone on page {signature.page}; text ends on page {max(body_pages)}"
    )


def unnumbered_pages(printed):
    """The pages GB/T 9704 §7.5 leaves without a number: a blank page before the 版记 page,
    and then the 版记 page too."""
    last = colophon_page(printed)
    if last > 1 and is_blank(printed.pages[last - 2]):
        return {last - 1, last}
    return set()


@pytest.mark.parametrize("name", CIRCULARS)
def test_every_page_the_standard_numbers_carries_its_number(printed, name):
    notice = printed[name]
    unnumbered = unnumbered_pages(notice)
    for n, page in enumerate(notice.pages, 1):
        line = page_number_line(page, n)
        if n in unnumbered:
            assert line is None, f"page {n} should carry no number"
            continue
        assert line is not None, f"page {n} has no page number"
        assert line.text.replace(" ", "") == f"—{n}—"
        dashes = [c for c in line.chars if c["text"] in "—―"]
        assert abs(mm(sum((c["top"] + c["bottom"]) / 2 for c in dashes) / len(dashes)) - 269) <= 2
        if n % 2:
            assert abs(mm(line.x1) - 179.1) <= 2, f"odd page {n}: right, 空一字"
        else:
            assert abs(mm(line.x0) - 32.9) <= 2, f"even page {n}: left, 空一字"


# Glyph boxes are ¼ 字 apart from the grid at most (letter-spacing, the digits' widths).
SLACK = 0.25


def _is_full(line, following):
    """A line that ends before its paragraph does holds as much as fits: no more than 28 字,
    and the next piece of its paragraph that cannot be split would not have fitted."""
    reach = reach_in_chars(line.chars)
    unit = following.chars[: len(first_unbreakable(following.text))]
    return reach <= CHARS_PER_LINE + SLACK and reach + span_in_chars(unit) > CHARS_PER_LINE + SLACK


@pytest.mark.parametrize("name", CIRCULARS)
def test_pages_of_text_are_full_22_lines_of_28_characters(printed, name):
    notice = printed[name]
    body = role_lines(notice, "body")
    text = role_lines(notice, "addressees", "body", "attachment-list")
    closing = role_lines(notice, "signature")[0].page
    for page in range(1, closing + 1):
        on_page = [line for role, line in notice.roles if line.page == page and role != "head"]
        slots = [slot(line) for line in on_page]
        assert len(set(slots)) == len(slots), f"page {page}: two lines on one grid line"
        assert max(slots) < LINES_PER_PAGE, f"page {page}: a line below the 版心"
        if page == 1 and closing > 1:
            assert max(slots) == LINES_PER_PAGE - 1, f"page 1 stops at line {max(slots) + 1}"
        elif 1 < page < closing - 1:
            assert slots == list(range(LINES_PER_PAGE)), f"page {page}: lines {slots}"
        elif 1 < page == closing - 1 and slots != list(range(LINES_PER_PAGE)):
            # Short only by the line carried over to stand with the 署名, and only because the
            # closing (附件说明, 署名, 成文日期, 附注 with their empty lines) could not fit.
            carried = [line for line in body if line.page == closing]
            assert len(carried) == 1, (
                f"page {page} stops at line {max(slots) + 1} of {LINES_PER_PAGE}, and "
                f"{len(carried)} lines of text go over to the 署名 on page {closing}"
            )
            assert slots == list(range(len(slots))), f"page {page}: a gap in {slots}"
            last_on_closing = max(
                slot(line) for _role, line in notice.roles if line.page == closing
            )
            closing_lines = last_on_closing - slot(carried[-1])
            assert max(slots) + len(carried) + closing_lines >= LINES_PER_PAGE, (
                f"page {page} stops at line {max(slots) + 1} though the closing fitted under it"
            )
    # Every line of text within 28 字; a line its paragraph goes on after is full.
    for line in text:
        assert reach_in_chars(line.chars) <= CHARS_PER_LINE + SLACK, line.text
        assert mm(line.x0) >= 28 - 0.5, line.text
    for line, following in zip(body, body[1:], strict=False):
        continues = abs(following.x0 - TEXT_LEFT) < 1 and following.size == line.size
        if continues:
            assert _is_full(line, following), (
                f"page {line.page}: {line.text!r} ({reach_in_chars(line.chars):.2f} 字) "
                f"stops before {following.text[:3]!r}"
            )


@pytest.mark.parametrize("name", CIRCULARS)
def test_the_colophon_closes_the_last_even_page_without_a_needless_blank_page(printed, name):
    notice = printed[name]
    pages = len(notice.pages)
    last = colophon_page(notice)
    assert last == pages, "the 版记 is on the last page"
    assert pages % 2 == 0, f"{pages} pages: the 版记 stands on an even page (封四)"
    page = notice.pages[last - 1]
    rules = sorted(
        [(r["top"], r["bottom"]) for r in page.rects if mm(r["width"]) >= 150]
        + [(ln["top"], ln["bottom"]) for ln in page.lines if mm(ln["x1"] - ln["x0"]) >= 150]
    )
    assert abs(mm(rules[-1][1]) - 262) <= 1, "its last rule on the bottom edge of the 版心"
    colophon_top = rules[0][0]
    own = [
        line
        for line in lines(page, last)
        if line.top < colophon_top and not PAGE_NUMBER.match(line.text)
    ]
    if own:
        return  # the 版记 shares the last page of text, which is even
    # On a page of its own: the page before is the last of the text, or a blank page
    # because the last page of text is even and too full to hold the 版记 (with an empty line
    # above it).
    before = last - 1
    if is_blank(notice.pages[before - 1]):
        text_page = before - 1
        assert text_page % 2 == 0, f"blank page {before} after odd page {text_page}"
        content = notice.pages[text_page - 1]
        drawn = content.chars + content.rects + content.lines + content.curves + content.images
        lowest = max(thing["bottom"] for thing in drawn if thing["top"] < TEXT_BOTTOM)
        needed = TEXT_BOTTOM - colophon_top + PITCH
        assert TEXT_BOTTOM - lowest < needed, (
            f"page {text_page} had room for the 版记, yet page {before} is left blank"
        )
    else:
        assert before % 2 == 1, f"the 版记 could have stood at the foot of page {before}"


CHARTS = {
    "8号": 0,
    "9号": 2,
    "four-page notice": 0,
    "four-page notice, one chart": 1,
    "four-page notice, a table and the measures": 0,
    "经验交流": 0,
}


@pytest.mark.parametrize("name", CIRCULARS)
def test_each_attachment_is_captioned_once(printed, name):
    notice = printed[name]
    assert len(notice.chart_titles) == CHARTS[name]
    everything = [line for n, page in enumerate(notice.pages, 1) for line in lines(page, n)]
    listed = role_lines(notice, "attachment-list")
    for title in notice.attachment_titles:
        captions = [line for line in everything if line.text == title]
        assert len(captions) == 1, f"{title} captioned {len(captions)} times"
        mentions = [line for line in everything if title in line.text]
        assert [line for line in mentions if line not in captions and line not in listed] == []
