"""``loaddemo``: every app's demo, in the order written down here."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from circulars import demo as circulars_demo
from contracts import demo as contracts_demo
from measures import demo as measures_demo
from reporting import demo as reporting_demo

# What every demo has, accounts or not (a server loads it too): each step may use what the
# steps before it loaded.
PUBLISHED = [
    reporting_demo.load_published,  # the 2020 figures of 豫知〔2021〕8号, the peer provinces
    measures_demo.load_published,  # the 2020 measures
    circulars_demo.load,  # 豫知〔2021〕8号 and 9号, drafted from the 2020 data
]
# A local demo (DEBUG on) only: accounts, and an open 2021 period with the whole loop.
LOCAL = [
    accounts_demo.load_accounts,  # a submitter per city, a reviewer, an administrator
    reporting_demo.load_2021_drafts,  # every demo unit's 2021 draft, saved by its submitter
    contracts_demo.load_2021,  # the contracts behind two drafts' figures, while still drafts
    reporting_demo.move_2021,  # each report to its demo state: submitted, returned, approved
    measures_demo.load_2021,  # 郑州's draft measures, 洛阳's submission
]


class Command(BaseCommand):
    help = (
        "Load the demo data: the 2020 figures, measures and circulars of 豫知〔2021〕8号 and the "
        "peer provinces, and for a local demo (DEBUG on) the demo accounts and an open 2021 "
        "period. Safe to re-run."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for step in PUBLISHED:
            step(self.stdout)
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts created.")
            return
        for step in LOCAL:
            step(self.stdout)
        accounts_demo.print_logins(self.stdout)
