from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from cities.resolver import UnitResolver
from reporting import demo
from reporting.models import ProvinceBenchmark, ReportingPeriod
from reporting.services import Figures, record_published_figures


class Command(BaseCommand):
    help = "Load the demo data (the 2020 figures of 豫知〔2021〕8号); safe to re-run."

    @transaction.atomic
    def handle(self, *args, **options):
        period, created = ReportingPeriod.objects.get_or_create(
            year=demo.DEMO_PERIOD["year"],
            granularity="year",
            number=1,
            defaults={
                "opens_on": demo.DEMO_PERIOD["opens_on"],
                "deadline": demo.DEMO_PERIOD["deadline"],
            },
        )
        self.stdout.write(f"Period {period.slug}: {'created' if created else 'already there'}")

        resolver = UnitResolver()
        by_unit = {}
        for kind, table in demo.FIGURES_2020.items():
            for name, (amount, projects, items) in table.items():
                unit = resolver.resolve(name)
                by_unit.setdefault(unit, {})[kind] = Figures(Decimal(amount), projects, items)
        changed = sum(
            record_published_figures(unit, period, figures) for unit, figures in by_unit.items()
        )
        self.stdout.write(
            f"2020 figures: {len(by_unit)} units, {changed} figure rows created or changed"
        )

        benchmarks = 0
        for province, kind, items, amount_yi in demo.BENCHMARKS_2020:
            _, created = ProvinceBenchmark.objects.update_or_create(
                province=province,
                year=2020,
                kind=kind,
                defaults={
                    "items": items,
                    "amount": amount_yi * 10000,
                    "source": demo.BENCHMARK_SOURCE,
                },
            )
            benchmarks += created
        self.stdout.write(
            f"Peer-province benchmarks: {benchmarks} created, {len(demo.BENCHMARKS_2020)} in all"
        )

        self.load_demo_users()

    def load_demo_users(self):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts created.")
            return
        User = get_user_model()
        for username, full_name, is_superuser in demo.DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.first_name = full_name
                user.is_staff = user.is_superuser = is_superuser
                user.set_password(demo.DEMO_PASSWORD)
                user.save()
        self.stdout.write("")
        self.stdout.write("Demo log-ins (local demo only) / 演示账号（仅限本地演示）:")
        for username, full_name, _ in demo.DEMO_USERS:
            self.stdout.write(f"  {username:<12} {demo.DEMO_PASSWORD}   {full_name}")
