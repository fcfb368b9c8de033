"""``loaddemo`` with the measures: reporting's demo, then the demo's 2020 measures.

measures comes before reporting in INSTALLED_APPS and circulars' command builds on this one,
so the measures are there before the demo circulars are drafted.
"""

from cities.resolver import UnitResolver
from measures import demo, services
from reporting.management.commands import loaddemo
from reporting.models import ReportingPeriod


class Command(loaddemo.Command):
    help = loaddemo.Command.help + " Adds the 2020 measures (policies, funds, events, practice)."

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
