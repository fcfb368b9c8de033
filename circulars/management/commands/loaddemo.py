"""``loaddemo`` with the circulars: the measures' demo (and reporting's), then the demo circulars.

circulars comes before reporting in INSTALLED_APPS, so this command is the one
``manage.py loaddemo`` runs; reporting's own knows nothing of circulars.
"""

from circulars import demo
from circulars.drafting import draft_situation
from circulars.models import Circular, CircularAttachment
from measures.management.commands import loaddemo
from periods.models import ReportingPeriod


class Command(loaddemo.Command):
    help = loaddemo.Command.help + " Adds the demo circulars 豫知〔2021〕8号 and 9号."

    def load_data(self):
        super().load_data()
        self.load_circulars()

    def load_circulars(self):
        """豫知〔2021〕8号 for 2020 with both tables, and 9号 with the charts of their amounts."""
        period = ReportingPeriod.objects.by_slug("2020").get()
        for spec, form in ((demo.CIRCULAR, "table"), (demo.CHART_CIRCULAR, "chart")):
            circular, created = Circular.objects.get_or_create(
                code=spec["code"],
                year=spec["year"],
                number=spec["number"],
                defaults={
                    "title": spec["title"],
                    "situation": draft_situation(period),
                    "body": spec["body"],
                    "signed_on": spec["signed_on"],
                    "printed_on": spec["printed_on"],
                    "copy_to": spec["copy_to"],
                },
            )
            if created:
                for position, kind in enumerate(["patent", "trademark"], start=1):
                    CircularAttachment.objects.create(
                        circular=circular, position=position, period=period, kind=kind, form=form
                    )
            self.stdout.write(
                f"Circular {circular.document_number}: {'created' if created else 'already there'}"
            )
