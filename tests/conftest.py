import pytest
from django.contrib.auth import get_user_model

from cities.models import ReportingUnit

from .factories import UserFactory


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
