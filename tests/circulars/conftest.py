import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from circulars import services
from circulars.models import Circular
from periods.models import ReportingPeriod

# Long enough that the body fills whole pages, so full pages can be measured.
LONG_BODY = "\n".join(
    [
        "为推动全省知识产权质押融资工作再上台阶，现就有关事项通知如下：",
        "一、把质押融资摆在优化营商环境的重要位置。质押融资是营商环境评价的指标之一，尚未开展的地方要尽快实现零的突破，已经开展的地方要在规模和覆盖面上继续提升，突出重点，抓早抓实。",
        "（一）明确责任分工。各地要明确牵头部门和联系人，建立月度调度和季度通报制度，确保各项任务落到实处。",
        "二、搭建银企对接渠道。各地要组织质押融资政策宣讲和银企对接，帮助企业了解办理流程，引导商业银行单列信贷计划、优化考核，扩大知识产权质押融资的覆盖面和受益面。",
        "1.开展政策宣讲。每季度至少组织一次面向科技型中小企业的政策宣讲活动。",
        "（1）宣讲对象以高新技术企业和专精特新企业为主。",
        "三、用好财政奖补和风险补偿。各地要落实贴息、保险、评估等奖补措施，探索设立质押融资风险补偿资金，完善科技型企业质押融资风险分担机制，降低科技型企业融资成本。",
        "四、发挥示范引领作用。对质押融资成效突出的单位和银行予以宣传推广，对工作滞后的单位定期通报，推动形成比学赶超的良好氛围。",
        "各地工作中的经验做法请及时报送省局，省局将择优推广。",
    ]
)


@pytest.fixture
def demo_2020(published_demo, db):
    return ReportingPeriod.objects.by_slug("2020").get()


def lengthen(circular):
    circular.body = LONG_BODY
    circular.copy_to = "国家知识产权局知识产权运用促进司"
    circular.save()


@pytest.fixture
def circular(demo_2020):
    """The demo's 豫知〔2021〕8号 (drafted situation, both attachments) with a longer body."""
    circular = Circular.objects.get(code="豫知", year=2021, number=8)
    lengthen(circular)
    return circular


@pytest.fixture(scope="module")
def circular_pdf(published_demo, django_db_blocker):
    """The PDF of ``circular``, rendered once for the module: the tests only read it."""
    with (
        django_db_blocker.unblock(),
        translation.override(settings.LANGUAGE_CODE),
        transaction.atomic(),
    ):
        lengthen(Circular.objects.get(code="豫知", year=2021, number=8))
        document = services.render_circular_pdf(
            Circular.objects.get(code="豫知", year=2021, number=8)
        )
        transaction.set_rollback(True)
    return document
