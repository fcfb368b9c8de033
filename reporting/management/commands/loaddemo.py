import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.roles import ADMINISTRATOR_GROUP, REVIEWER_GROUP, SUBMITTER_GROUP
from cities.resolver import UnitResolver
from periods.models import ReportingPeriod
from reporting import demo, demo_drafts, services
from reporting.models import PledgeReport, ProvinceBenchmark
from workflow.models import WorkflowAction
from workflow.services import transition


class Command(BaseCommand):
    help = (
        "Load the demo data: the 2020 figures of 豫知〔2021〕8号, the peer provinces, and for a "
        "local demo (DEBUG on) the demo accounts and an open 2021 period. Safe to re-run."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        self.resolver = UnitResolver()
        self.load_data()
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts created.")
            return
        users = self.load_users()
        self.load_2021(users)
        self.print_logins()

    def load_data(self):
        """What every demo has, accounts or not (apps above this one add their own)."""
        self.load_2020()
        self.load_benchmarks()

    def load_2020(self):
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
        by_unit = {}
        for kind, table in demo.FIGURES_2020.items():
            for name, (amount, projects, items) in table.items():
                unit = self.resolver.resolve(name)
                by_unit.setdefault(unit, {})[kind] = services.Figures(
                    Decimal(amount), projects, items
                )
        changed = sum(
            services.record_published_figures(unit, period, figures)
            for unit, figures in by_unit.items()
        )
        self.stdout.write(
            f"2020 figures: {len(by_unit)} units, {changed} figure rows created or changed"
        )

    def load_benchmarks(self):
        created_count = 0
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
            created_count += created
        self.stdout.write(
            f"Peer-province benchmarks: {created_count} created, {len(demo.BENCHMARKS_2020)} in all"
        )

    def load_users(self):
        User = get_user_model()
        groups = {
            name: Group.objects.get_or_create(name=name)[0]
            for name in (SUBMITTER_GROUP, REVIEWER_GROUP, ADMINISTRATOR_GROUP)
        }

        def account(username, full_name, group, **flags):
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": full_name, "email": f"{username}@example.gov.cn", **flags},
            )
            if created:
                user.set_password(demo.DEMO_PASSWORD)
                user.save()
            user.groups.add(groups[group])
            return user

        users = {}
        for short_name, username in demo.SUBMITTERS.items():
            unit = self.resolver.resolve(short_name)
            user = account(username, f"{unit.name}填报员（演示）", SUBMITTER_GROUP)
            unit.submitters.add(user)
            users[short_name] = user
        users["reviewer"] = account(*demo.REVIEWER, REVIEWER_GROUP)
        # A superuser and 省级管理员, not a reviewer: the demo keeps the two roles apart.
        users["admin"] = account(
            *demo.ADMINISTRATOR, ADMINISTRATOR_GROUP, is_staff=True, is_superuser=True
        )
        self.stdout.write(f"Demo accounts: {len(users)}")
        return users

    def load_2021(self, users):
        """An open 2021 period with drafts, submissions, one returned and one approved report."""
        today = timezone.localdate()
        period, created = ReportingPeriod.objects.get_or_create(
            year=2021,
            granularity="year",
            number=1,
            defaults={
                "opens_on": datetime.date(2022, 1, 4),
                "deadline": today + datetime.timedelta(days=30),
            },
        )
        if PledgeReport.objects.filter(period=period).exists():
            self.stdout.write("Period 2021: already there")
            return
        reviewer = users["reviewer"]
        for short_name, (state, figures) in demo.DEMO_2021.items():
            unit = self.resolver.resolve(short_name)
            submitter = users[short_name]
            values = {
                kind: services.Figures(Decimal(amount), *rest)
                for kind, (amount, *rest) in figures.items()
            }
            report = services.save_figures(submitter, unit, period, values, expected_version=0)
            # Apps above this one add to the draft first (contracts behind its figures, say).
            for line in demo_drafts.fill(report, submitter):
                self.stdout.write(line)
            report.refresh_from_db()
            if state == "draft":
                continue
            if services.submission_warnings(report):
                report = services.save_figures(
                    submitter, unit, period, {}, explanation=demo.DEMO_2021_EXPLANATION
                )
            # Demo data: no e-mail to anyone.
            transition(report, WorkflowAction.SUBMIT, submitter, notify=False)
            if state == "returned":
                transition(
                    report,
                    WorkflowAction.RETURN,
                    reviewer,
                    demo.DEMO_2021_RETURN_REASON,
                    notify=False,
                )
            elif state == "approved":
                transition(report, WorkflowAction.APPROVE, reviewer, notify=False)
        self.stdout.write(
            f"Period 2021: {'created' if created else 'filled'}, open until {period.deadline}, "
            f"{len(demo.DEMO_2021)} demo reports"
        )

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write("Demo log-ins (local demo only) / 演示账号（仅限本地演示）:")
        self.stdout.write(f"  password / 密码: {demo.DEMO_PASSWORD}")
        self.stdout.write(f"  {demo.ADMINISTRATOR[0]:<13} {demo.ADMINISTRATOR[1]}")
        self.stdout.write(f"  {demo.REVIEWER[0]:<13} {demo.REVIEWER[1]}")
        self.stdout.write(
            f"  {'luoyang':<13} 洛阳市填报员（演示）; one per city: "
            + ", ".join(demo.SUBMITTERS.values())
        )
