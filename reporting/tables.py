import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lib.numbers import format_amount
from workflow.models import ReportState, WorkflowAction

TOTAL_LABEL = _("合计")
NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}}


class RankedUnitsTable(tables.Table):
    """A ranked province-wide table in the columns of 豫知〔2021〕8号's attachments.

    Built from a ``queries.Ranking``; the 合计 row is a pinned bottom row so that
    django-tables2's export carries it too.
    """

    rank = tables.Column(verbose_name=_("金额排名"), default="", attrs={"td": {"class": "rank"}})
    unit = tables.Column(verbose_name=_("地市"))
    projects = tables.Column(verbose_name=_("项目数"), attrs=NUMERIC, empty_values=())

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
                # A row without approved figures says why (未报, 待审) where the amount stands.
                (
                    "amount",
                    tables.Column(verbose_name=kind.amount_heading, attrs=NUMERIC, empty_values=()),
                ),
                (
                    "items",
                    tables.Column(verbose_name=kind.items_heading, attrs=NUMERIC, empty_values=()),
                ),
            ],
            sequence=("rank", "unit", "amount", "projects", "items"),
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

    # A row without figures shows (and exports) "—" for its counts; a row being corrected shows
    # the figures it had when approved, struck out: withdrawn, not counted.
    def render_projects(self, record, value):
        return _withdrawn(record, "projects", value)

    def render_items(self, record, value):
        return _withdrawn(record, "items", value)

    def render_amount(self, record, value):
        if isinstance(record, dict):  # the 合计 row
            return format_amount(value)
        if record.reported:
            return format_amount(value)
        if record.withdrawn is not None:
            return format_html(
                '{} <del title="{}">{}</del>',
                record.status_label,
                _("已撤回的审核数据，不计入排名和合计"),
                format_amount(record.withdrawn.amount),
            )
        return record.status_label

    def value_projects(self, value):
        return "—" if value is None else value

    def value_items(self, value):
        return "—" if value is None else value

    def value_amount(self, record, value):
        if isinstance(record, dict) or record.reported:
            return format_amount(value)
        return record.status_label


def _withdrawn(record, name, value):
    if value is not None:
        return value
    withdrawn = getattr(record, "withdrawn", None)
    if withdrawn is None:
        return "—"
    return format_html(
        '<del title="{}">{}</del>',
        _("已撤回的审核数据，不计入排名和合计"),
        getattr(withdrawn, name),
    )


class SelectColumn(tables.Column):
    """Check boxes for a form elsewhere on the page, headed by a "select all" box that a script
    shows and wires (``static/js/select-all.js``); without the script the rows are ticked one
    by one."""

    def __init__(self, form, **kwargs):
        self.form = form
        kwargs.setdefault("attrs", {"th": {"class": "select"}, "td": {"class": "select"}})
        super().__init__(
            verbose_name="", orderable=False, empty_values=(), exclude_from_export=True, **kwargs
        )

    @property
    def header(self):
        return format_html(
            '<input type="checkbox" class="select-all" data-form="{}" aria-label="{}" hidden>',
            self.form,
            _("全选"),
        )


class BoardTable(tables.Table):
    """The completeness board: one row per reporting unit (rows come from ``queries.board``)."""

    select = SelectColumn("bulk-approve")
    code = tables.Column(verbose_name=_("代码"))
    name = tables.Column(verbose_name=_("填报单位"), linkify=False)
    kind = tables.Column(verbose_name=_("类别"))
    report_state = tables.Column(verbose_name=_("状态"), empty_values=())
    # Classed for the style sheet: an extension's （延期） may go under its date.
    deadline = tables.DateColumn(
        verbose_name=_("截止日期"), format="Y-m-d", attrs={"td": {"class": "deadline"}}
    )
    first_submitted_at = tables.DateTimeColumn(
        verbose_name=_("首次提交"), format="Y-m-d H:i", default="—"
    )
    on_time = tables.Column(verbose_name=_("按时"), default="—")
    updated_at = tables.DateTimeColumn(verbose_name=_("最后修改"), format="Y-m-d H:i", default="—")
    updated_by_name = tables.Column(verbose_name=_("修改人"), default="—")

    class Meta:
        orderable = False
        attrs = {"class": "list board"}
        row_attrs = {"data-state": lambda record: record.report_state or "none"}

    def __init__(self, data, *, period, can_review=False, **kwargs):
        self.period = period
        self.can_review = can_review
        super().__init__(data, **kwargs)
        # The bulk approval is offered only where a row can be approved now (the rows are read
        # here once, and rendered from the same results).
        self.approvable = can_review and any(self.can_approve(row) for row in self.data)
        if not self.approvable:
            self.columns.hide("select")

    @staticmethod
    def can_approve(record):
        """The move table lets a reviewer approve this row's report in its present state."""
        from workflow.services import MOVES

        return record.report_state in MOVES[WorkflowAction.APPROVE].sources

    def render_select(self, record):
        """A checkbox for a report the move table lets a reviewer approve now, with the version
        shown, so that a report changed since the board was loaded is not approved unseen."""
        if not self.can_approve(record):
            return ""
        return format_html(
            '<input type="checkbox" name="report" value="{}:{}" form="bulk-approve"'
            ' aria-label="{}">',
            record.report_pk,
            record.report_version,
            record.name,
        )

    def render_name(self, record, value):
        url = reverse("reporting:report", args=[self.period.slug, record.code])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_report_state(self, value):
        """The state as a badge, as on the home page (未开始: no report yet)."""
        label = ReportState(value).label if value else _("未开始")
        return format_html('<span class="state state-{}">{}</span>', value or "none", label)

    def render_deadline(self, record, value):
        # The date is never broken at its hyphens; an extension's （延期） may go under it, for
        # the board to fit an office's screen.
        date = format_html('<span class="nowrap">{}</span>', value.isoformat())
        if value != self.period.deadline:
            return format_html(_("{date}（延期）"), date=date)
        return date

    def render_on_time(self, value):
        return _("按时") if value else _("逾期")
