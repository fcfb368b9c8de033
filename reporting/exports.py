"""Exports of the ranked tables: CSV for machines, XLSX in the printed layout; and the
template of a table of figures to fill in."""

import io

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tables2.export import TableExport

from lib.downloads import UTF8_BOM, attachment_response, escape_dataset
from lib.numbers import format_amount
from lib.printed import PrintedRow, PrintedTable, tables_xlsx
from lib.wording import join_clauses

from .models import IPKind


class RankedTableExport(TableExport):
    """django-tables2's export, with what Chinese Excel users need.

    CSV starts with a BOM (without it Excel opens UTF-8 as mojibake) and every
    tied row carries its shared rank; XLSX is laid out like the printed
    attachment, the shared rank being one merged cell. File names are Chinese.
    """

    FORMATS = {
        TableExport.CSV: TableExport.FORMATS[TableExport.CSV],
        TableExport.XLSX: TableExport.FORMATS[TableExport.XLSX],
    }

    def __init__(self, export_format, table, **kwargs):
        self.table = table
        super().__init__(export_format, table, **kwargs)

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.FORMATS

    def export(self):
        if self.format == self.XLSX:
            return ranking_xlsx(self.table.ranking)
        escape_dataset(self.dataset)
        for note in self.table.ranking.notes:
            self.dataset.append([note] + [""] * (self.dataset.width - 1))
        return UTF8_BOM + self.dataset.export(self.format)

    def response(self, filename=None):
        if filename is None:
            return HttpResponse(self.export(), content_type=self.content_type())
        return attachment_response(self.export(), self.content_type(), filename)


def printed_ranking(ranking, names="full"):
    """A ranking (``queries.rank_units``) as it prints, in the language active now.

    ``names``: "full" (三门峡市, 济源示范区), as the ranked table on screen and its CSV and
    XLSX exports name the units; or "short" (三门峡, 济源), as the attachments of a notice
    print them. One style for the whole table.
    """
    if names not in ("short", "full"):
        raise ValueError(f"names must be 'short' or 'full', not {names!r}")
    short = names == "short"
    kind = ranking.kind
    rows = tuple(
        PrintedRow(
            rank=row.rank,
            rank_span=row.tie_size if row.starts_tie else 0,
            unit=row.unit.short_name if short else row.unit.name,
            amount=format_amount(row.amount),
            projects=row.projects,
            items=row.items,
        )
        if row.reported
        # A row without approved figures prints why (未报, 待审), never a 0.
        else PrintedRow(
            rank="",
            rank_span=1,
            unit=row.unit.short_name if short else row.unit.name,
            amount=str(row.status_label),
            projects="—",
            items="—",
        )  # fmt: skip
        for row in ranking.rows
    )
    return PrintedTable(
        title=str(ranking.title),
        headings=tuple(
            str(h)
            for h in (
                _("金额排名"),
                _("地市"),
                kind.amount_heading,
                _("项目数"),
                kind.items_heading,
            )
        ),
        rows=rows,
        total=(format_amount(ranking.amount), ranking.projects, ranking.items),
        note=join_clauses(ranking.notes),
    )


def ranking_xlsx(ranking):
    """The ranked table as an XLSX workbook in the layout of the printed attachment."""
    return tables_xlsx([(str(ranking.period.slug), printed_ranking(ranking))])


def figures_template(kind, units, period=None):
    """A table of figures to fill in, in the layout the import reads: a title, the headings of
    豫知〔2021〕8号's attachment (in Chinese whatever the reader's language: they are what the
    import looks for), one row per unit, checks on each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = IPKind(kind)
    with translation.override("zh-hans"):
        title = _("{year}河南省{kind}质押融资统计表（填报模板，金额以万元为单位）").format(
            year=period.label if period is not None else "", kind=kind.label
        )
        headings = [_("地市"), kind.amount_heading, _("项目数"), kind.items_heading]
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(kind.label)
        sheet.append([title])
        sheet.append([str(heading) for heading in headings])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for unit in units:
            sheet.append([unit.name])
        last = max(len(units) + 2, 3)
        for letter, width in zip("ABCD", (16, 18, 10, 10), strict=True):
            sheet.column_dimensions[letter].width = width
        for column in range(3, last + 1):
            sheet[f"B{column}"].number_format = "0.00"
        rules = [
            (DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"), "B",
             _("万元，不小于 0，最多两位小数")),
            (DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"), "C",
             _("整数，不小于 0")),
            (DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"), "D",
             _("整数，不小于 0")),
        ]  # fmt: skip
        for rule, column, message in rules:
            rule.sqref = f"{column}3:{column}{last}"
            rule.error = rule.prompt = str(message)
            rule.errorTitle = str(_("输入有误"))
            rule.showErrorMessage = True
            sheet.add_data_validation(rule)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
