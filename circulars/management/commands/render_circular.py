from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from circulars import services
from circulars.models import Circular
from lib.docnumbers import parse_document_number


class Command(BaseCommand):
    help = 'Write a circular as PDF or DOCX: render_circular "豫知〔2021〕8号" --out circular.pdf'

    def add_arguments(self, parser):
        parser.add_argument("document_number", help="发文字号, e.g. 豫知〔2021〕8号")
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument(
            "--format", choices=["pdf", "docx", "xlsx"], help="default: the --out suffix, else pdf"
        )

    def handle(self, *args, document_number, out, format, **options):
        try:
            code, year, number = parse_document_number(document_number)
        except ValueError as error:
            raise CommandError(
                f"not a document number (like 豫知〔2021〕8号): {document_number}"
            ) from error
        circular = Circular.objects.filter(code=code, year=year, number=number).first()
        if circular is None:
            raise CommandError(f"no circular {code}〔{year}〕{number}号")
        path = Path(out)
        fmt = format or (
            path.suffix.lstrip(".").lower()
            if path.suffix.lower() in {".pdf", ".docx", ".xlsx"}
            else "pdf"
        )
        content = {
            "pdf": services.circular_pdf,
            "docx": services.circular_docx,
            "xlsx": services.circular_xlsx,
        }[fmt](circular)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error.strerror}") from error
        self.stdout.write(
            f"{circular.document_number}: {len(content)} bytes of {fmt.upper()} written to {path}"
        )
