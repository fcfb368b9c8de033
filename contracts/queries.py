from django.db.models import Count, F, Sum, Window
from django.db.models.functions import Rank

from workflow.models import ReportState

from .models import PledgeContract


def rank_banks(period, kind=None):
    """Pledgee banks of a period (branches counted under their bank), ranked by amount.

    Approved reports only, as the official tables. Computed in one query.
    """
    contracts = PledgeContract.objects.filter(
        report__period=period, report__state__in=ReportState.final()
    )
    if kind:
        contracts = contracts.filter(kind=kind)
    return (
        contracts.values("bank_group")
        .annotate(
            amount=Sum("amount"),
            projects=Count("pk"),
            enterprises=Count("uscc", distinct=True),
            branches=Count("bank", distinct=True),
        )
        .annotate(rank=Window(Rank(), order_by=[F("amount").desc(), F("projects").desc()]))
        .order_by("rank", "bank_group")
    )
