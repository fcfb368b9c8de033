"""Every move of a circular in every state, through the services: the one table of moves."""

import pytest
from django.utils import timezone

from circulars import services
from circulars.models import Circular, CircularState
from tests.support.factories import CircularFactory

pytestmark = pytest.mark.django_db

DRAFT, ISSUED, WITHDRAWN = CircularState.DRAFT, CircularState.ISSUED, CircularState.WITHDRAWN

# (state, move) → the state after it, or the refusal (its class and message).
MOVES = {
    (DRAFT, "issue"): ISSUED,
    (DRAFT, "withdraw"): (services.CircularError, "只有已印发的通知可以撤销；草稿可以直接修改。"),
    (DRAFT, "redraft"): (services.CircularError, "请先添加附件，情况通报按第一个附件的周期起草。"),
    (ISSUED, "issue"): (services.AlreadyDone, "该通知已经印发。"),
    (ISSUED, "withdraw"): WITHDRAWN,
    (ISSUED, "redraft"): (services.CircularError, "已印发的通知不能修改。"),
    (WITHDRAWN, "issue"): (services.CircularError, "已撤销的通知不能再印发。"),
    (WITHDRAWN, "withdraw"): (services.AlreadyDone, "该通知已经撤销。"),
    (WITHDRAWN, "redraft"): (services.CircularError, "已撤销的通知不能修改。"),
}


def circular_in(state, user):
    fields = {"state": state}
    if state != DRAFT:
        fields |= {"issued_at": timezone.now(), "issued_by": user, "frozen_tables": []}
    if state == WITHDRAWN:
        fields |= {
            "withdrawn_at": timezone.now(),
            "withdrawn_by": user,
            "withdrawal_reason": "有误",
        }
    return CircularFactory(attachments=[], **fields)


def move(name, circular, user):
    if name == "issue":
        return services.issue(circular, user)
    if name == "withdraw":
        return services.withdraw(circular, user, "印发有误")
    return services.redraft(circular)


def test_the_table_covers_every_state_and_move():
    assert {state for state, _move in MOVES} == set(CircularState)


@pytest.mark.parametrize(("state", "name"), MOVES.keys())
def test_every_move_in_every_state(administrator_user, state, name):
    circular = circular_in(state, administrator_user)
    before = Circular.objects.filter(pk=circular.pk).values().get()
    expected = MOVES[state, name]
    if isinstance(expected, tuple):
        error, message = expected
        with pytest.raises(error) as refused:
            move(name, circular, administrator_user)
        assert type(refused.value) is error and refused.value.message == message
        assert Circular.objects.filter(pk=circular.pk).values().get() == before
    else:
        move(name, circular, administrator_user)
        assert Circular.objects.get(pk=circular.pk).state == expected
