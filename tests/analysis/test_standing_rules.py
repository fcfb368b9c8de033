"""The standing rules are one row by construction."""

import pytest
from django.db import IntegrityError, transaction

from analysis.models import StandingRules

pytestmark = pytest.mark.django_db


def test_a_second_set_of_rules_cannot_be_saved():
    StandingRules.objects.create(excellent_top=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        StandingRules.objects.create(excellent_top=5)
    assert StandingRules.current().excellent_top == 2


def test_the_admin_edits_the_rules_and_offers_no_second_set(client, administrator):
    client.force_login(administrator)
    assert client.get("/admin/analysis/standingrules/add/").status_code == 200
    StandingRules.objects.create()
    assert client.get("/admin/analysis/standingrules/add/").status_code == 403
    assert "增加 评价规则" not in client.get("/admin/analysis/standingrules/").content.decode()
