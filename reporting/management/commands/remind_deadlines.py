import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from periods.models import ReportingPeriod
from reporting.models import DeadlineReminder
from reporting.notifications import send_deadline_reminder
from reporting.queries import board
from workflow.models import ReportState


def day_list(text):
    try:
        days = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError as error:
        raise CommandError(f"not a list of days: {text!r}") from error
    if any(day < 0 for day in days):
        raise CommandError(f"days cannot be negative: {text!r}")
    return days


class Command(BaseCommand):
    help = (
        "E-mail the submitters of every unit that has not submitted: the given numbers of days "
        "before its deadline (or extension) and after it. Run it once a day from cron; a "
        "reminder already sent is never sent again, however often it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before", default="3,1", help="days before the deadline (default 3,1)"
        )
        parser.add_argument("--after", default="1,7", help="days after the deadline (default 1,7)")
        parser.add_argument("--today", help="the day to act as (YYYY-MM-DD; default today)")
        parser.add_argument("--dry-run", action="store_true", help="print, send nothing")

    def handle(self, *args, before, after, today, dry_run, **options):
        before, after = day_list(before), day_list(after)
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}") from error
        else:
            today = timezone.localdate()

        sent = reminded = 0
        for period in ReportingPeriod.objects.filter(opens_on__lte=today):
            pending = board(period).filter(
                Q(report_state__isnull=True) | Q(report_state=ReportState.DRAFT)
            )
            for unit in pending:
                days = (unit.deadline - today).days
                if not ((days >= 0 and days in before) or (days < 0 and -days in after)):
                    continue
                key = {"period": period, "unit": unit, "deadline": unit.deadline, "days": days}
                if DeadlineReminder.objects.filter(**key).exists():
                    self.stdout.write(
                        f"already reminded {unit.name} ({period.slug}, {days:+d} days)"
                    )
                    continue
                reminded += 1
                if dry_run:
                    self.stdout.write(f"would remind {unit.name} ({period.slug}, {days:+d} days)")
                    continue
                try:
                    # Recorded before sending: two runs at once cannot both send. A failed
                    # send rolls the record back, so the next run tries again.
                    with transaction.atomic():
                        reminder = DeadlineReminder.objects.create(**key)
                        count = send_deadline_reminder(period, unit, unit.deadline, days)
                        reminder.recipients = count
                        reminder.save(update_fields=["recipients"])
                except IntegrityError:
                    self.stdout.write(
                        f"already reminded {unit.name} ({period.slug}, {days:+d} days)"
                    )
                    continue
                sent += count
                self.stdout.write(
                    f"reminded {unit.name} ({period.slug}, {days:+d} days): {count} e-mail(s)"
                )
        self.stdout.write(f"{reminded} unit(s) to remind, {sent} e-mail(s) sent")
