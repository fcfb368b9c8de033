import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .numbers import format_amount

TOTAL_LABEL = _("合计")
NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}}


class RankedUnitsTable(tables.Table):
    """A ranked province-wide table in the columns of 豫知〔2021〕8号's attachments.

    Built from a ``queries.Ranking``; the 合计 row is a pinned bottom row so that
    django-tables2's export carries it too.
    """

    rank = tables.Column(verbose_name=_("金额排名"), default="", attrs={"td": {"class": "rank"}})
    unit = tables.Column(verbose_name=_("地市"))
    amount = tables.Column(attrs=NUMERIC)
    projects = tables.Column(verbose_name=_("项目数"), attrs=NUMERIC)
    items = tables.Column(attrs=NUMERIC)

    class Meta:
        orderable = False
        template_name = "reporting/ranked_table.html"
        attrs = {"class": "ranked"}

    def __init__(self, ranking, **kwargs):
        self.ranking = ranking
        kind = ranking.kind
        super().__init__(
            ranking.rows,
            extra_columns=[
                ("amount", tables.Column(verbose_name=kind.amount_heading, attrs=NUMERIC)),
                ("items", tables.Column(verbose_name=kind.items_heading, attrs=NUMERIC)),
            ],
            **kwargs,
        )

    def get_bottom_pinned_data(self):
        ranking = self.ranking
        return [
            {
                "rank": "",
                "unit": TOTAL_LABEL,
                "amount": ranking.amount,
                "projects": ranking.projects,
                "items": ranking.items,
            }
        ]

    def render_amount(self, value):
        return format_amount(value)
