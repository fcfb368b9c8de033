"""What changes circulars, and the documents made from them."""

import hashlib
from dataclasses import replace

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lib.printed import archive_tables, tables_from_archive, tables_xlsx
from reporting.exports import printed_ranking
from reporting.queries import rank_units

from . import pdf
from .models import AttachmentForm, Circular, CircularState, UnitNames


class CircularError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def live_tables(circular):
    """The attachment tables from the approved figures as they stand now.

    Always in Chinese: they are the content of an official document, whatever the language
    of the interface that asks for them.
    """
    with translation.override("zh-hans"):
        return [
            replace(
                printed_ranking(
                    rank_units(attachment.period, attachment.kind), names=circular.unit_names
                ),
                title=attachment.title,
                chart=attachment.form == AttachmentForm.CHART,
            )
            for attachment in circular.attachments.select_related("period")
        ]


def printed_tables(circular):
    """What the circular prints: frozen at issue, live while a draft."""
    if circular.is_issued and circular.frozen_tables is not None:
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
    """The circular's PDF: the archived file once issued; a cached render while a draft."""
    if circular.is_issued:
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


@transaction.atomic
def issue(circular, user):
    """Freeze the text and the figures, archive the PDF with its SHA-256."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.is_issued:
        raise CircularError(_("该通知已经印发。"))
    if not circular.attachments.exists() and not circular.paragraphs():
        raise CircularError(_("通知没有正文，不能印发。"))
    tables = live_tables(circular)
    document = render_circular_pdf(circular, tables)
    circular.frozen_tables = archive_tables(tables)
    circular.archived_pdf = document
    circular.archived_sha256 = hashlib.sha256(document).hexdigest()
    circular.state = CircularState.ISSUED
    circular.issued_at = timezone.now()
    circular.issued_by = user
    circular.save()
    return circular
