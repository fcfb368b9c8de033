import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import can
from periods.models import ReportingPeriod, parse_period_slug
from reporting.imports import apply_import, parse_figures, read_figure_rows
from reporting.models import IPKind
from uploads.readers import ImportFileError


class Command(BaseCommand):
    help = (
        "Import a table of figures in the layout of the circular's attachments (CSV, XLSX, XLS). "
        "Nothing is saved unless every row is right."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--period", required=True, help="period slug: 2020, 2021H1, 2021Q3, 2021-03"
        )
        parser.add_argument("--kind", required=True, choices=IPKind.values)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and show the changes, save nothing"
        )
        parser.add_argument(
            "--approve", action="store_true", help="approve the imported reports too"
        )
        parser.add_argument(
            "--replace-reopened",
            action="store_true",
            help="import over reports the province reopened for correction (更正中) too",
        )
        parser.add_argument(
            "--user",
            help="who imports (default: the first superuser; to --approve, a 省级审核员)",
        )

    def handle(
        self, *args, file, period, kind, dry_run, approve, user, replace_reopened, **options
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            year, granularity, number = parse_period_slug(period)
        except ValueError as error:
            raise CommandError(f"not a period slug: {period}") from error
        try:
            rows = read_figure_rows(path.read_bytes(), path.name)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        user = self.importer(user)
        if approve and not can(user, "reporting.review_report"):
            # A superuser is an administrator, not a reviewer.
            raise CommandError(
                f"{user.get_username()} is not a 省级审核员 and cannot approve: "
                "pass --user with a reviewer's name, or import without --approve"
            )
        period_obj = ReportingPeriod.objects.by_slug(period).first()
        if period_obj is None:
            period_obj = ReportingPeriod(year=year, granularity=granularity, number=number)
            period_obj.opens_on = period_obj.ends_on + datetime.timedelta(days=1)
            period_obj.deadline = period_obj.opens_on + datetime.timedelta(days=30)
            if not dry_run:
                period_obj.save()
                self.stdout.write(f"period {period_obj.slug} created")
        try:
            preview = parse_figures(rows, period_obj, kind, user=user, approve=approve)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        for message in preview.errors:
            self.stderr.write(message)
        for row in preview.rows:
            for column, message in row.errors.items():
                self.stderr.write(f"第 {row.line} 行「{column}」：{message}")
        if not preview.ok:
            raise CommandError("errors in the file: nothing saved")
        changes = preview.changes
        for row in preview.rows:
            before = "—" if row.previous is None else " / ".join(map(str, row.previous))
            after = " / ".join(map(str, row.values))
            # What happens to the row: its figures, and the report's state (a move although
            # the figures are the same is no "unchanged").
            status = "moves" if row.status == "unchanged" and row.moves else row.status
            if row not in changes:
                outcome = f"{row.state_before or '—'}, unchanged"
            else:
                outcome = f"{row.state_before or '—'} → {row.outcome}"
            if row.replaces_correction:
                outcome += " (replaces the unit's correction in progress)"
            self.stdout.write(
                f"{row.line:>4} {row.unit.name:<8} {status:<9} {before} → {after}  {outcome}"
            )
        summary = self.summary(preview)
        if preview.corrections and not replace_reopened:
            names = ", ".join(row.unit.name for row in preview.corrections)
            message = (
                f"{names}: reopened for correction (更正中); importing would replace the "
                "correction in progress: pass --replace-reopened"
            )
            if dry_run:
                self.stdout.write(f"dry run: {summary}; nothing saved. {message}")
                return
            raise CommandError(f"{message}. Nothing saved.")
        if dry_run:
            self.stdout.write(f"dry run: {summary}; nothing saved")
            return
        try:
            apply_import(
                preview, user, path.name, approve=approve, replace_reopened=replace_reopened
            )
        except (ImportFileError, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"imported: {summary}")

    @staticmethod
    def summary(preview):
        """What the rows become, counted: each outcome (approved, submitted, left as a draft
        and why), and the rows left unchanged."""
        parts = [f"{count} {outcome}" for outcome, count in preview.outcomes]
        unchanged = len(preview.rows) - len(preview.changes)
        parts.append(f"{unchanged} unchanged")
        return ", ".join(parts)

    def importer(self, username):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username}")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("no superuser to import as: pass --user")
        return user
