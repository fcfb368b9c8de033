"""What the page cache covers: every model that a cached page or lookup reads.

Cached fragments and lookups (``lib.fragments``) are keyed on ``lib.freshness.data_version``,
which moves whenever one of these models is saved or deleted. A page that caches what it reads
of a model not on this list would serve stale rows: ``tests/portal/test_freshness.py`` renders
every cached computation with an empty cache and fails on a table read that is not here, and
checks that a write through each service moves the version. (Figures are saved through
``save()`` by the services, history rows by django-simple-history, moves by ``create()``: all
send the signals. A bulk write would not: none of these models is ever written in bulk.)
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from lib.freshness import bump, bump_unless_a_login

CACHED_MODELS = [
    # People's names (who changed a report last, who made a move).
    "auth.User",
    "cities.ReportingUnit",
    "periods.ReportingPeriod",
    "periods.DeadlineExtension",
    "reporting.PledgeReport",
    "reporting.HistoricalPledgeReport",
    "reporting.PledgeFigures",
    "reporting.HistoricalPledgeFigures",
    "reporting.ReportTransition",
    "reporting.ProvinceBenchmark",
    "analysis.StandingRules",
]


def connect():
    """Move the data version on every save and delete of a model on the list."""
    user = get_user_model()
    for label in CACHED_MODELS:
        model = apps.get_model(label)
        on_save = bump_unless_a_login if model is user else bump
        post_save.connect(on_save, sender=model, dispatch_uid=f"freshness:save:{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"freshness:delete:{label}")
