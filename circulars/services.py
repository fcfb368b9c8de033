"""What changes circulars, and the documents made from them.

Every change of a circular's state (issue, withdraw) and every change of a draft goes through
a function here, inside a transaction that locks the circular first: a circular issued or
withdrawn meanwhile is never changed by a request that read it before.
"""

import hashlib
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import can
from audit.models import Event
from audit.services import record
from lib.printed import PrintedGrid, archive_tables, tables_from_archive, tables_xlsx
from lib.wording import join_names
from measures.models import MeasureReport, Practice
from measures.queries import MEASURE_COLUMNS, measure_matrix
from periods.queries import period_status_line
from reporting.exports import printed_ranking
from reporting.models import PledgeReport
from reporting.queries import rank_units
from workflow.models import ReportState

from . import pdf
from .drafting import EXCHANGE_TITLE, draft_exchange_body, draft_situation, unit_name
from .models import AttachmentForm, Circular, CircularState, UnitNames


class CircularError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


class AlreadyDone(CircularError):
    """The move asked for has already been made (a double submit): nothing to do."""


class StaleCircular(CircularError):
    """The circular changed since the page the user acted on was shown."""


class PeriodMismatch(CircularError):
    """The situation speaks of another period than an attachment: issued only if confirmed."""


class OpenPeriods(CircularError):
    """An attachment's period is still open and the administrator did not confirm issuing."""


def live_tables(circular):
    """The attachment tables from the approved figures as they stand now.

    Always in Chinese: they are the content of an official document, whatever the language
    of the interface that asks for them.
    """
    with translation.override("zh-hans"):
        return [
            printed_measures(
                measure_matrix(attachment.period), attachment.title, circular.unit_names
            )
            if attachment.is_measures
            else replace(
                printed_ranking(
                    rank_units(attachment.period, attachment.kind), names=circular.unit_names
                ),
                title=attachment.title,
                chart=attachment.form == AttachmentForm.CHART,
            )
            for attachment in circular.attachments.select_related("period")
        ]


MEASURE_HEADINGS = ("序号", "地区", "政策措施（文号）", "风险补偿资金", "活动", "经验做法")


def printed_measures(matrix, title, names=UnitNames.SHORT):
    """The measures of every unit for a period as they print (各地知识产权质押融资政策措施情况表):
    序号, 地区, then each kind of measure as ``MatrixRow.cell`` writes it (无 for none, 未报 or
    待审 in every cell of a unit without an approved report); 报送中 … while the period is open.
    Call it with Chinese active: it is document content."""
    return PrintedGrid(
        title=title,
        headings=MEASURE_HEADINGS,
        rows=tuple(
            (str(number), unit_name(row.unit, names), *(row.cell(c) for c in MEASURE_COLUMNS))
            for number, row in enumerate(matrix.rows, start=1)
        ),
        note=str(matrix.status_line),
    )


def printed_tables(circular):
    """What the circular prints: frozen at issue (withdrawn since or not), live while a draft."""
    if circular.is_frozen and circular.frozen_tables is not None:
        return tables_from_archive(circular.frozen_tables)
    return live_tables(circular)


def _content(circular):
    fields = [
        "organ", "code", "year", "number", "title", "addressees", "situation", "body",
        "signatory", "signed_on", "note", "copy_to", "printed_by", "printed_on",
    ]  # fmt: skip
    return {name: getattr(circular, name) for name in fields}


def render_circular_pdf(circular, tables=None):
    tables = printed_tables(circular) if tables is None else tables
    return pdf.html_to_pdf(pdf.render_html(circular, tables, circular.paragraphs()))


def circular_pdf(circular):
    """The circular's PDF: the archived file once issued (withdrawn since or not, unchanged);
    a cached render while a draft."""
    if circular.is_frozen:
        return bytes(circular.archived_pdf)
    tables = printed_tables(circular)
    key = pdf.fingerprint("circular", _content(circular), [t.as_dict() for t in tables])
    return pdf.cached_pdf(key, lambda: render_circular_pdf(circular, tables))


def attachment_pdf(period, kind):
    """A period's ranked table alone, as a PDF (approved figures), in Chinese, the units named
    as a notice's attachment names them (short)."""
    with translation.override("zh-hans"):
        table = printed_ranking(rank_units(period, kind), names=UnitNames.SHORT)
    key = pdf.fingerprint("attachment", table.as_dict())
    return pdf.cached_pdf(key, lambda: pdf.html_to_pdf(pdf.render_html(None, [table])))


def circular_xlsx(circular):
    tables = printed_tables(circular)
    return tables_xlsx([(f"附件{n}", t) for n, t in enumerate(tables, start=1)])


def circular_docx(circular):
    from .docx import build_docx

    return build_docx(circular, printed_tables(circular))


def _lock(circular):
    return Circular.objects.defer("archived_pdf").select_for_update().get(pk=circular.pk)


def _check_revision(circular, revision):
    if revision is not None and circular.revision != revision:
        raise StaleCircular(_("通知在您打开此页后已被修改，请核对最新内容后再操作。"))


def _refuse_unless_draft(circular):
    if circular.is_withdrawn:
        raise CircularError(_("已撤销的通知不能修改。"))
    if not circular.is_draft:
        raise CircularError(_("已印发的通知不能修改。"))


@transaction.atomic
def save_draft(form, formset, *, revision=None):
    """Save a draft and its attachments from the edit form (a new circular too).

    ``revision``: the circular's ``revision`` the form was opened on; a draft another
    administrator saved since is not overwritten unseen (``StaleCircular``).
    """
    if form.instance.pk is not None:
        current = _lock(form.instance)
        _refuse_unless_draft(current)
        _check_revision(current, revision)
    saved = form.save()
    formset.instance = saved
    formset.save()
    _draft_for_its_period(saved)
    return saved


def _as_drafted(circular):
    """The situation is still the text drafted for its period (nobody has edited it)."""
    if circular.situation_period is None:
        return False
    expected = draft_situation(circular.situation_period, names=circular.unit_names)
    return circular.situation.strip() == expected.strip()


def _draft_for_its_period(circular):
    """A situation left empty is drafted for the chosen period, else the first attachment's;
    one still as drafted follows the attachments to their period. One the administrator wrote
    stays, and a mismatch with the attachments is named (``Circular.period_mismatches``).
    The data is drafted from only when the text must be written or compared."""
    first = circular.attachments.select_related("period").first()
    if not circular.situation.strip():
        period = circular.situation_period or (first.period if first else None)
    elif first is not None and first.period_id != circular.situation_period_id:
        period = first.period if _as_drafted(circular) else None
    else:
        period = None
    if period is None:
        return
    circular.situation = draft_situation(period, names=circular.unit_names)
    circular.situation_period = period
    circular.save(update_fields=["situation", "situation_period", "updated_at"])


@transaction.atomic
def redraft(circular):
    """Draft the situation again from the data of the first attachment's period, naming the
    units as the attachments do."""
    circular = _lock(circular)
    _refuse_unless_draft(circular)
    attachment = circular.attachments.select_related("period").first()
    if attachment is None:
        raise CircularError(_("请先添加附件，情况通报按第一个附件的周期起草。"))
    circular.situation = draft_situation(attachment.period, names=circular.unit_names)
    circular.situation_period = attachment.period
    circular.save(update_fields=["situation", "situation_period", "updated_at"])
    return circular


@dataclass(frozen=True)
class AttachmentStatus:
    """An attachment as the issue confirmation shows it: its period open or closed."""

    attachment: object
    closed: bool
    status_line: str  # 报送中 · 截至 … 已审核 N / M 个单位, while the period is open


def attachment_statuses(circular):
    """Each attachment of the circular with whether its period's reporting has ended."""
    return [
        AttachmentStatus(
            attachment,
            attachment.period.is_closed,
            # The measures table counts approved measure reports, the others approved figures.
            str(
                period_status_line(
                    attachment.period,
                    (MeasureReport if attachment.is_measures else PledgeReport).objects.approved(),
                )
            ),
        )
        for attachment in circular.attachments.select_related("period")
    ]


def open_periods(circular):
    """The periods of the circular's attachments whose reporting has not ended, in order."""
    periods = {}
    for attachment in circular.attachments.select_related("period"):
        if not attachment.period.is_closed:
            periods.setdefault(attachment.period.pk, attachment.period)
    return list(periods.values())


def issue(circular, user, *, revision=None, allow_open_periods=False, allow_period_mismatch=False):
    """Freeze the text and the figures, archive the PDF with its SHA-256.

    ``revision``: the circular's ``revision`` the confirmation page showed; a circular changed
    since is not issued. An attachment whose period is still open has preliminary figures:
    issuing it needs ``allow_open_periods``, the administrator's explicit confirmation.

    The PDF is rendered with no row locked (it takes a while, and SQLite would hold every
    writer for as long); the circular is then locked and checked again, and stored only if
    nobody changed or issued it meanwhile.
    """
    if not can(user, "circulars.edit_circulars"):
        raise PermissionDenied
    current = Circular.objects.defer("archived_pdf").get(pk=circular.pk)
    allowed = (allow_open_periods, allow_period_mismatch)
    _check_issuable(current, revision, *allowed)
    tables = live_tables(current)
    document = render_circular_pdf(current, tables)
    return _store_issued(current, user, tables, document, allowed)


def _check_issuable(circular, revision, allow_open_periods, allow_period_mismatch=False):
    if circular.is_issued:
        raise AlreadyDone(_("该通知已经印发。"))
    if circular.is_withdrawn:
        raise CircularError(_("已撤销的通知不能再印发。"))
    _check_revision(circular, revision)
    if not circular.attachments.exists() and not circular.paragraphs():
        raise CircularError(_("通知没有正文，不能印发。"))
    mismatched = circular.period_mismatches()
    if mismatched and not allow_period_mismatch:
        raise PeriodMismatch(
            _("情况通报写的是{period}，附件中有{others}的数据，未印发。").format(
                period=circular.situation_period.label,
                others=join_names(dict.fromkeys(a.period.label for a in mismatched)),
            )
        )
    still_open = open_periods(circular)
    if still_open and not allow_open_periods:
        raise OpenPeriods(
            _("附件中有报送尚未结束的周期（{periods}），数据为初步统计，未印发。").format(
                periods=join_names(period.label for period in still_open)
            )
        )


@transaction.atomic
def _store_issued(rendered, user, tables, document, allowed):
    """Issue the circular ``rendered`` was read as, with the tables and PDF made from it."""
    circular = _lock(rendered)
    _check_issuable(circular, rendered.revision, *allowed)
    circular.frozen_tables = archive_tables(tables)
    circular.archived_pdf = document
    circular.archived_sha256 = hashlib.sha256(document).hexdigest()
    circular.state = CircularState.ISSUED
    circular.issued_at = timezone.now()
    circular.issued_by = user
    circular.save()
    record(
        Event.CIRCULAR_ISSUED, user=user, obj=circular, details={"sha256": circular.archived_sha256}
    )
    return circular


@transaction.atomic
def withdraw(circular, user, reason, *, revision=None):
    """Withdraw an issued circular (撤销): who, when and why are recorded; its number stays
    taken, and its archived PDF stays as it was issued."""
    if not can(user, "circulars.withdraw_circular"):
        raise PermissionDenied
    reason = (reason or "").strip()
    circular = _lock(circular)
    if circular.is_withdrawn:
        raise AlreadyDone(_("该通知已经撤销。"))
    if not circular.is_issued:
        raise CircularError(_("只有已印发的通知可以撤销；草稿可以直接修改。"))
    _check_revision(circular, revision)
    if not reason:
        raise CircularError(_("请填写撤销原因。"))
    circular.state = CircularState.WITHDRAWN
    circular.withdrawn_at = timezone.now()
    circular.withdrawn_by = user
    circular.withdrawal_reason = reason
    circular.save(
        update_fields=[
            "state", "withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at",
        ]
    )  # fmt: skip
    record(Event.CIRCULAR_WITHDRAWN, user=user, obj=circular, details={"reason": reason})
    return circular


# Copied into a new draft: what an administrator writes; never the state, the frozen data or the
# archive, nor the number (the new draft takes the next free one).
COPIED_FIELDS = (
    "organ", "code", "title", "addressees", "situation", "body", "signatory", "note", "copy_to",
    "printed_by", "unit_names",
)  # fmt: skip


@transaction.atomic
def copy_to_draft(circular, user):
    """A new draft with the text and attachments of an issued or withdrawn circular (to correct
    a withdrawn one and issue it again, or to start next period's notice), numbered next for
    this year and dated today. The circular copied stays as it is."""
    if not can(user, "circulars.edit_circulars"):
        raise PermissionDenied
    if circular.is_draft:
        raise CircularError(_("草稿可以直接修改，无需复制。"))
    today = timezone.localdate()
    # Serialise numbering: a second draft made meanwhile waits, then takes the next number.
    list(
        Circular.objects.select_for_update()
        .filter(code=circular.code, year=today.year)
        .values("pk")
    )
    copy = Circular(
        **{name: getattr(circular, name) for name in COPIED_FIELDS},
        year=today.year,
        number=next_number(circular.code, today.year),
        signed_on=today,
        printed_on=today,
    )
    copy.full_clean()
    copy.save()
    for attachment in circular.attachments.all():
        attachment.pk, attachment.circular = None, copy
        attachment.save()
    return copy


# ── 经验交流 ──────────────────────────────────────────────────────────────────────────────


def approved_practices():
    """The good practice the province may spread: that of approved measure reports only,
    by period (newest first), then unit code, in the order reported."""
    return (
        Practice.objects.filter(report__state=ReportState.APPROVED)
        .select_related("report__unit", "report__period")
        .order_by("report__period", "report__unit__code", "pk")  # periods order newest first
    )


def next_number(code, year):
    """The next free 发文顺序号 of the year: one more than the highest taken (withdrawn ones too)."""
    highest = Circular.objects.filter(code=code, year=year).aggregate(models.Max("number"))
    return (highest["number__max"] or 0) + 1


@transaction.atomic
def draft_practice_exchange(practices, user):
    """A new draft notice (经验交流) spreading the chosen practices, numbered next for this year;
    it is then edited and issued like any other. Only approved practice is accepted."""
    if not can(user, "circulars.edit_circulars"):
        raise PermissionDenied
    chosen = {practice.pk for practice in practices}
    practices = list(approved_practices().filter(pk__in=chosen))
    if not practices or len(practices) != len(chosen):
        raise CircularError(_("只能选择已审核通过的经验做法。"))
    today = timezone.localdate()
    code = Circular._meta.get_field("code").default
    # Serialise numbering: a second draft made meanwhile waits, then takes the next number.
    list(Circular.objects.select_for_update().filter(code=code, year=today.year).values("pk"))
    circular = Circular(
        code=code,
        year=today.year,
        number=next_number(code, today.year),
        title=EXCHANGE_TITLE,
        situation="",
        body=draft_exchange_body(practices),
        signed_on=today,
        printed_on=today,
    )
    circular.full_clean()
    circular.save()
    return circular
