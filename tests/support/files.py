"""Tables of figures as files: CSV in any encoding and delimiter, XLSX and legacy XLS."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.support import golden

# 附件1 as a clerk would type it: the seed's short names, its title row, its 合计 row.
PATENT_ROWS = (
    [["2020年河南省专利质押融资统计表"], golden.PATENT_HEADINGS]
    + [
        [rank, name.removesuffix("市") if name != "济源示范区" else "济源", amount, projects, items]
        for rank, name, amount, projects, items in golden.PATENT_2020[:-1]
    ]
    + [["", "合计", "298611.56", "249", "1684"]]
)


def as_csv(rows, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def as_xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_xls(rows):
    from tests.support.office_files import legacy_workbook_of_sheets

    return legacy_workbook_of_sheets([("Sheet1", rows)])


def upload(client, content, name="表.csv", period=None, kind="patent", **extra):
    return client.post(
        "/imports/",
        {"file": SimpleUploadedFile(name, content), "period": period.pk, "kind": kind, **extra},
    )
