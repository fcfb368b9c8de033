"""Demo circulars: 豫知〔2021〕8号 with the two 2020 tables, and 9号 with their charts."""

import datetime

from periods.models import ReportingPeriod

# 豫知〔2021〕8号 as the portal prints it: the situation is drafted from the data; the
# requirements below are written for the demo (the original's prose is not ours to copy).
CIRCULAR = {
    "code": "豫知",
    "year": 2021,
    "number": 8,
    "title": "河南省知识产权局\n关于进一步加强知识产权质押融资工作的通知",
    "signed_on": datetime.date(2021, 3, 5),
    "printed_on": datetime.date(2021, 3, 5),
    "copy_to": "国家知识产权局知识产权运用促进司，省市场监督管理局",
    "body": "\n".join(
        [
            "为推动全省知识产权质押融资工作再上台阶，现就有关事项通知如下：",
            "一、把质押融资摆在优化营商环境的重要位置。质押融资是营商环境评价的指标之一，"
            "尚未开展的地方要尽快实现零的突破，已经开展的地方要在规模和覆盖面上继续提升。",
            "二、搭建银企对接渠道。各地要组织质押融资政策宣讲和银企对接，"
            "帮助企业了解办理流程，引导商业银行单列信贷计划、优化考核。",
            "三、用好财政奖补和风险补偿。各地要落实贴息、保险、评估等奖补措施，"
            "探索设立质押融资风险补偿资金，降低科技型企业融资成本。",
            "四、发挥示范引领作用。对质押融资成效突出的单位和银行予以宣传推广，"
            "对工作滞后的单位定期通报。",
            "各地工作中的经验做法请及时报送省局。",
        ]
    ),
}

# A second demo notice whose attachments are the charts of the 2020 amounts.
CHART_CIRCULAR = {
    "code": "豫知",
    "year": 2021,
    "number": 9,
    "title": "河南省知识产权局\n关于2020年全省知识产权质押融资情况的通报",
    "signed_on": datetime.date(2021, 3, 12),
    "printed_on": datetime.date(2021, 3, 12),
    "copy_to": "国家知识产权局知识产权运用促进司",
    "body": "现将2020年全省专利、商标质押融资情况通报如下，请各地对照查找差距，加快推进质押融资工作。",
}


def load(out):
    """豫知〔2021〕8号 for 2020 with both tables, and 9号 with the charts of their amounts,
    drafted from the 2020 data (figures and measures) loaded before. Safe to re-run."""
    from .drafting import draft_situation
    from .models import Circular, CircularAttachment

    period = ReportingPeriod.objects.by_slug("2020").get()
    for spec, form in ((CIRCULAR, "table"), (CHART_CIRCULAR, "chart")):
        circular, created = Circular.objects.get_or_create(
            code=spec["code"],
            year=spec["year"],
            number=spec["number"],
            defaults={
                "title": spec["title"],
                "situation": draft_situation(period),
                "situation_period": period,
                "body": spec["body"],
                "signed_on": spec["signed_on"],
                "printed_on": spec["printed_on"],
                "copy_to": spec["copy_to"],
            },
        )
        if created:
            for position, kind in enumerate(["patent", "trademark"], start=1):
                CircularAttachment.objects.create(
                    circular=circular, position=position, period=period, kind=kind, form=form
                )
        out.write(
            f"Circular {circular.document_number}: {'created' if created else 'already there'}"
        )
