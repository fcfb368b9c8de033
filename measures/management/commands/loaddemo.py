"""``loaddemo`` with the measures: reporting's demo, then the demo's measures (2020, and for a
local demo 2021's drafts and submissions).

measures comes before reporting in INSTALLED_APPS and circulars' command builds on this one,
so the measures are there before the demo circulars are drafted.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from cities.resolver import UnitResolver
from measures import demo, services
from measures.items import ITEM_KINDS
from measures.models import MeasureReport
from periods.models import ReportingPeriod
from reporting.management.commands import loaddemo
from workflow.models import WorkflowAction
from workflow.services import transition


class Command(loaddemo.Command):
    help = loaddemo.Command.help + " Adds the measures (policies, funds, events, practice)."

    def load_data(self):
        super().load_data()
        self.load_measures()

    def load_measures(self):
        period = ReportingPeriod.objects.by_slug("2020").get()
        resolver = UnitResolver()
        saved = sum(
            services.record_published_measures(resolver.resolve(name), period, values)
            for name, values in demo.MEASURES_2020.items()
        )
        self.stdout.write(f"2020 measures: {len(demo.MEASURES_2020)} units, {saved} items created")

    def load_2021(self, users):
        super().load_2021(users)
        period = ReportingPeriod.objects.by_slug("2021").get()
        if MeasureReport.objects.filter(period=period).exists():
            self.stdout.write("Measures 2021: already there")
            return
        resolver = UnitResolver()
        for name, spec in demo.MEASURES_2021.items():
            unit, clerk = resolver.resolve(name), users[name]
            first = True
            for slug in ("policies", "funds", "events"):
                for values in spec.get(slug, []):
                    upload = None
                    if slug == "policies":
                        upload = SimpleUploadedFile(
                            f"{values['title']}.pdf",
                            demo.demo_pdf("Demo policy document (not a real policy)"),
                        )
                    item = services.save_item(
                        clerk,
                        unit,
                        period,
                        ITEM_KINDS[slug],
                        values,
                        expected_version=0 if first else None,
                        upload=upload,
                    )
                    first = False
            if spec["state"] == "submitted":
                transition(item.report, WorkflowAction.SUBMIT, clerk, notify=False)
        self.stdout.write(f"Measures 2021: {len(demo.MEASURES_2021)} units (a draft, a submission)")
