"""The shared demo (tests/conftest.py): loaded once, seen only by the tests that ask for it,
and every test's changes to it rolled back."""

import pytest
from django.contrib.auth import get_user_model

from circulars.models import Circular
from periods.models import ReportingPeriod
from reporting.models import PledgeReport

pytestmark = pytest.mark.django_db


def test_a_test_that_does_not_ask_for_the_demo_finds_none_of_it():
    assert not ReportingPeriod.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_test_may_change_the_demo(local_demo):
    Circular.objects.all().delete()
    PledgeReport.objects.filter(period__year=2021).update(explanation="改过")
    assert not Circular.objects.exists()


def test_and_the_next_test_finds_it_as_loaddemo_left_it(local_demo):
    assert Circular.objects.count() == 2
    assert not PledgeReport.objects.filter(explanation="改过").exists()
    assert "Period 2021: created" in local_demo.output
