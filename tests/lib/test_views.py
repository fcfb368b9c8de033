import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views import View

from lib.views import RuleRequiredMixin

pytestmark = pytest.mark.django_db


class BoardOnly(RuleRequiredMixin, View):
    permission = "reporting.view_board"

    def get(self, request):
        return HttpResponse("ok")


class NoRule(RuleRequiredMixin, View):
    def get(self, request):
        return HttpResponse("ok")


def call(view, rf, user):
    request = rf.get("/somewhere/")
    request.user = user
    return view.as_view()(request)


def test_a_visitor_is_sent_to_log_in(rf):
    response = call(BoardOnly, rf, AnonymousUser())
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/somewhere/",
    )


def test_a_user_without_the_rule_is_refused(rf, zhengzhou_submitter):
    with pytest.raises(PermissionDenied):
        call(BoardOnly, rf, zhengzhou_submitter)


def test_a_user_with_the_rule_gets_the_page(rf, reviewer):
    assert call(BoardOnly, rf, reviewer).content == b"ok"


def test_a_view_that_names_no_rule_lets_nobody_in(rf, administrator):
    with pytest.raises(PermissionDenied):
        call(NoRule, rf, administrator)
