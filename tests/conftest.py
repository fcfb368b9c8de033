import pytest
from django.contrib.auth import get_user_model

from cities.models import ReportingUnit

from .factories import UserFactory


@pytest.fixture(autouse=True)
def chinese_by_default():
    """Each test starts in the portal's language: a request in English leaves its language
    active in the thread, as Django's own locale middleware does."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def units(db):
    """Every reporting unit by short name (loaded by the data migration)."""
    return {unit.short_name: unit for unit in ReportingUnit.objects.all()}


@pytest.fixture
def viewer(db):
    """A logged-in user with no special role."""
    return UserFactory(username="viewer")


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def make_submitter(db):
    """A 市级填报员 of the given units."""
    from django.contrib.auth.models import Group

    from accounts.roles import SUBMITTER_GROUP

    def make(username, *units):
        user = UserFactory(username=username, email=f"{username}@example.org")
        user.groups.add(Group.objects.get(name=SUBMITTER_GROUP))
        for unit in units:
            unit.submitters.add(user)
        return user

    return make


@pytest.fixture
def zhengzhou_submitter(make_submitter, units):
    return make_submitter("zhengzhou", units["郑州"])


@pytest.fixture
def luoyang_submitter(make_submitter, units):
    return make_submitter("luoyang", units["洛阳"])


@pytest.fixture
def reviewer(db):
    from django.contrib.auth.models import Group

    from accounts.roles import REVIEWER_GROUP

    user = UserFactory(username="reviewer", email="reviewer@example.org")
    user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    return user


@pytest.fixture
def administrator_user(db):
    """A 省级管理员 (not a superuser): the admin site, no reviewing."""
    from django.contrib.auth.models import Group

    from accounts.roles import ADMINISTRATOR_GROUP

    user = UserFactory(username="provadmin", email="provadmin@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATOR_GROUP))
    return user


@pytest.fixture
def open_period(db):
    """The 2021 period, open today, deadline in ten days."""
    import datetime

    from django.utils import timezone

    from .factories import ReportingPeriodFactory

    today = timezone.localdate()
    return ReportingPeriodFactory(
        year=2021,
        opens_on=today - datetime.timedelta(days=20),
        deadline=today + datetime.timedelta(days=10),
    )


@pytest.fixture
def reference_data(transactional_db):
    """For tests on a transactional database, which is emptied after each such test:
    the reporting units and role groups the migrations load, loaded again when missing."""
    import importlib

    from django.apps import apps

    from accounts.groups import ensure_groups

    if not ReportingUnit.objects.exists():
        migration = importlib.import_module("cities.migrations.0002_henan_reporting_units")
        migration.load_units(apps, None)
    ensure_groups()
