import io

import pytest
from django.core.management import call_command

from circulars.models import Circular

pytestmark = pytest.mark.django_db


def loaddemo():
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def test_loaddemo_adds_the_two_demo_circulars_once():
    first = loaddemo()
    assert "Circular 豫知〔2021〕8号: created" in first
    assert "Circular 豫知〔2021〕9号: created" in first
    circulars = {
        circular.document_number: [
            (a.position, a.period.slug, a.kind, a.form) for a in circular.attachments.all()
        ]
        for circular in Circular.objects.all()
    }
    assert circulars == {
        "豫知〔2021〕8号": [(1, "2020", "patent", "table"), (2, "2020", "trademark", "table")],
        "豫知〔2021〕9号": [(1, "2020", "patent", "chart"), (2, "2020", "trademark", "chart")],
    }
    second = loaddemo()
    assert "Circular 豫知〔2021〕8号: already there" in second
    assert Circular.objects.count() == 2
