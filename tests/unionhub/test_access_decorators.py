"""The permission vocabulary of unionhub.access: who each decorator lets through, and how it refuses
(anonymous users are sent to log in; a signed-in user who may not gets 403, or 404 where asked)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from unionhub.access import check_required, duty_required, has_role, require, role_required


def _view(request):
    return HttpResponse("ok")


def _ask(view, user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return view(request)


chair_or_staff = role_required("union_chair", "staff")(_view)
deciders = duty_required("aid.decide_application")(_view)
hidden_from_others = check_required(lambda user: has_role(user, "staff"), denied=Http404)(_view)


@pytest.mark.parametrize("view", [chair_or_staff, deciders, hidden_from_others])
def test_anonymous_users_are_sent_to_log_in(db, view):
    response = _ask(view, AnonymousUser())
    assert response.status_code == 302
    assert "next=/somewhere/" in response["Location"]


class TestRoleRequired:
    def test_an_outsider_is_refused(self, outsider):
        with pytest.raises(PermissionDenied):
            _ask(chair_or_staff, outsider)

    def test_the_wrong_role_is_refused(self, cadre):
        with pytest.raises(PermissionDenied):
            _ask(role_required("union_chair")(_view), cadre)

    @pytest.mark.parametrize("who", ["chair_a", "staff", "aid_staff"])
    def test_the_right_role_passes(self, request, union_a, who):
        assert _ask(chair_or_staff, request.getfixturevalue(who)).status_code == 200

    def test_an_unknown_role_fails_when_the_view_is_declared(self):
        with pytest.raises(ValueError, match="chairman"):
            role_required("chairman")


class TestDutyRequired:
    def test_an_outsider_is_refused(self, outsider):
        with pytest.raises(PermissionDenied):
            _ask(deciders, outsider)

    def test_a_chair_is_refused(self, chair_a, union_a):
        with pytest.raises(PermissionDenied):
            _ask(deciders, chair_a)

    def test_staff_without_the_duty_are_refused(self, staff):
        with pytest.raises(PermissionDenied):
            _ask(deciders, staff)

    def test_staff_with_the_duty_pass(self, aid_staff):
        assert _ask(deciders, aid_staff).status_code == 200

    def test_an_inactive_account_with_the_duty_is_refused(self, aid_staff):
        aid_staff.is_active = False
        with pytest.raises(PermissionDenied):
            _ask(deciders, aid_staff)


class TestCheckRequired:
    def test_a_refusal_can_be_a_404(self, chair_a, union_a):
        with pytest.raises(Http404):
            _ask(hidden_from_others, chair_a)

    def test_the_check_passes(self, staff):
        assert _ask(hidden_from_others, staff).status_code == 200

    def test_require_refuses_with_403_unless_told(self):
        require(True)
        with pytest.raises(PermissionDenied):
            require(False)
        with pytest.raises(Http404):
            require(False, Http404)
