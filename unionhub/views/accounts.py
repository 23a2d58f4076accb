"""A one-time sign-in link, opened by the person it was issued for: they choose their password and are
signed in (see ``unionhub.signin_links``)."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import signin_links


def _private(response):
    # The token is in the address: no page this one links to may learn it, and nothing may keep a copy.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _spent(request):
    return _private(render(request, "registration/signin_link_invalid.html", status=404))


@never_cache
def signin_link(request, token: str):
    link = signin_links.find_open_link(token)
    if link is None:
        return _spent(request)
    form = SetPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signin_links.redeem_signin_link(token=token, password=form.cleaned_data["new_password1"])
        except signin_links.LinkSpent:
            return _spent(request)
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            if request.user.is_authenticated and request.user.pk != user.pk:
                logout(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Your password is set. Sign in with your user name %(username)s from now on.")
                % {"username": user.username},
            )
            return redirect("dashboard")
    return _private(render(request, "registration/signin_link.html", {"form": form, "link": link}))
