"""The member area (/m/): signing in with a mobile number and a code, the privacy notice, the home page that
collects the programmes' tiles, the member's own membership, the rules library and the public notices on the
phone. The programmes' member pages (card, activities, applications, complaints) live in their own apps and
wear ``members.member_access.member_required`` too."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from unionhub import phone_codes
from unionhub import rules_library as library
from unionhub.access import require
from unionhub.contributions import contributions
from unionhub.middleware import CODE_SESSION_FLAG
from unionhub.models import Notice, Rule

from ..member_access import current_member, has_consented, member_required, member_rows
from ..models import DuesLine, Member, MembershipEvent, MemberTransfer
from ..services import member_signin

LOGIN_PHONE = "member_area.login_phone"
SENT_NOTE = gettext_lazy("If this mobile number is on the roster, a code has been sent to it.")


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "autofocus": True}),
    )

    def clean_phone(self):
        return member_signin.clean_mobile(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "pattern": "[0-9]*",
            }
        ),
    )


def _next(request, default="member_area:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        isinstance(target, str)
        and target.startswith(settings.MEMBER_AREA_PREFIX)
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return target
    return default


def _wait_message(error: phone_codes.Throttled) -> str:
    until = timezone.localtime(error.until) if error.until else None
    if until is None:
        return _("Too many attempts. Please try again later.")
    return _("Too many attempts from this number or this network. Please try again after %(time)s.") % {
        "time": until.strftime("%H:%M")
    }


@never_cache
def login_view(request):
    """Step one: the mobile number. Every well-formed number gets the same answer and goes to step two."""
    if request.user.is_authenticated and current_member(request.user) is not None:
        return redirect(_next(request))
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and not data.get("phone") and data.get("mobile"):
        data["phone"] = data["mobile"]  # the field's other common name
    if data is not None and data.get("code"):
        # Step two posted to this address too (with the number, or after step one): the same check of the code.
        phone = request.session.get(LOGIN_PHONE)
        if data.get("phone"):
            try:
                phone = member_signin.clean_mobile(data["phone"])
            except ValidationError:
                phone = None
        if phone:
            request.session[LOGIN_PHONE] = phone
            return _code_step(request, phone)
    form = PhoneForm(data)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            member_signin.request_code(phone=phone, remote_addr=request.META.get("REMOTE_ADDR", ""))
        except phone_codes.Throttled as error:
            form.add_error(None, _wait_message(error))
        else:
            request.session[LOGIN_PHONE] = phone
            messages.info(request, SENT_NOTE)
            target = _next(request, "")
            suffix = f"?{urlencode({'next': target})}" if target else ""
            return redirect(f"{reverse('member_area:code')}{suffix}")
    return render(request, "member_area/login.html", {"form": form, "next": _next(request, "")})


@never_cache
def code_view(request):
    """Step two: the code from the text message."""
    phone = request.session.get(LOGIN_PHONE)
    if not phone:
        return redirect("member_area:login")
    return _code_step(request, phone)


def _code_step(request, phone: str):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = member_signin.sign_in_with_code(
                phone=phone, code=form.cleaned_data["code"], remote_addr=request.META.get("REMOTE_ADDR", "")
            )
        except phone_codes.Throttled as error:
            form.add_error(None, _wait_message(error))
        except member_signin.CannotSignIn as error:
            form.add_error(None, str(error))
        else:
            if user is None:
                form.add_error("code", _("The code is wrong or has expired. Check it, or ask for a new one."))
            else:
                if request.user.is_authenticated:
                    logout(request)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                request.session[CODE_SESSION_FLAG] = True
                request.session.set_expiry(datetime.timedelta(days=settings.MEMBER_SESSION_DAYS))
                return redirect(_next(request))
    return render(
        request,
        "member_area/code.html",
        {
            "form": form,
            "masked_phone": f"{phone[:3]}****{phone[-4:]}",
            "phone": phone,
            "next": _next(request, ""),
        },
    )


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("member_area:login")


@require_POST
@member_required
def logout_everywhere(request):
    member_signin.sign_out_everywhere(user=request.user)
    logout(request)
    messages.info(request, _("You have signed out on every device."))
    return redirect("member_area:login")


@never_cache
def privacy(request):
    """The privacy notice: read by anyone, accepted by a signed-in member at first sign-in."""
    if request.method == "POST":
        if not request.user.is_authenticated or current_member(request.user) is None:
            return redirect("member_area:login")
        if request.POST.get("accept") != "yes":
            messages.error(request, _("Tick the box to agree, or sign out."))
        else:
            member_signin.accept_privacy(user=request.user)
            return redirect(_next(request))
    consented = request.user.is_authenticated and has_consented(request.user)
    return render(
        request,
        "member_area/privacy.html",
        {
            "version": settings.MEMBER_PRIVACY_VERSION,
            "consented": consented,
            "signed_in": request.user.is_authenticated and current_member(request.user) is not None,
            "next": _next(request, ""),
        },
    )


@member_required
def home(request):
    scope = request.member_scope
    tiles = []
    for contribution in contributions("member_tile"):
        tile = contribution.func(scope)
        if tile is not None:
            tiles.append({"template": contribution.template, "tile": tile})
    unread = Notice.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(
        request, "member_area/home.html", {"member": request.member, "tiles": tiles, "unread": unread}
    )


@member_required
def membership(request):
    """My membership: union, enterprise, since when, its history across unions and the dues declared for me."""
    member = request.member
    rows = list(member_rows(member).select_related("union", "enterprise"))
    ids = [row.pk for row in rows]
    events = list(
        MembershipEvent.objects.filter(member_id__in=ids).select_related("union").order_by("-on", "-pk")[:50]
    )
    transfers = list(
        MemberTransfer.objects.filter(Q(from_member_id__in=ids) | Q(to_member_id__in=ids))
        .select_related("from_union", "to_union")
        .order_by("-created_at")[:20]
    )
    dues = (
        DuesLine.objects.filter(member_id__in=ids, upload__status="committed")
        .values("upload__period__label", "upload__period__start", "upload__union__name")
        .annotate(due=Sum("dues_due"), wage=Sum("wage"))
        .order_by("-upload__period__start")[:36]
    )
    return render(
        request,
        "member_area/membership.html",
        {"member": member, "rows": rows, "events": events, "transfers": transfers, "dues": list(dues)},
    )


@member_required
def messages_view(request):
    """The member's own notices (application steps, a join decision…), newest first; opening marks them read.
    Links lead only where a member's session may go (the member area)."""
    items = list(Notice.objects.filter(user=request.user)[:100])
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    for item in items:
        item.member_url = item.url if item.url.startswith(settings.MEMBER_AREA_PREFIX) else ""
    return render(request, "member_area/messages.html", {"notices": items})


@member_required
def me(request):
    return render(request, "member_area/me.html", {"member": request.member})


@member_required
def rules(request):
    in_force = (
        library.rules_with_versions()
        .filter(superseded_by__isnull=True, current_number__isnull=False)
        .select_related(None)
        .only("pk", "number", "title", "category")
        .order_by("category", "number")
    )
    return render(request, "member_area/rules.html", {"rules": in_force})


@member_required
def rule(request, pk: int):
    rule = get_object_or_404(Rule.objects.filter(superseded_by__isnull=True), pk=pk)
    version = library.current_version(rule)
    if version is None:
        raise Http404
    body = library.rendered(version) if version.text else ""
    return render(request, "member_area/rule.html", {"rule": rule, "version": version, "body": body})


@member_required
def notices(request):
    scope = request.member_scope
    items = [notice for c in contributions("member_notices") for notice in c.func(scope)]
    items.sort(key=lambda notice: notice.day, reverse=True)
    return render(request, "member_area/notices.html", {"notices": items[:50]})


# --- the chair confirms a member's mobile ---------------------------------------------------------


class ConfirmPhoneForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=20)


@require_POST
@login_required
def confirm_phone(request, pk: int):
    """From the member's page: the chair (or organisation staff) confirms the mobile the member signs in with."""
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("union"), pk=pk)
    require(member_signin.can_confirm_phone(request.user, member))
    form = ConfirmPhoneForm(request.POST)
    if form.is_valid():
        try:
            member_signin.confirm_phone(member=member, phone=form.cleaned_data["phone"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The mobile number is confirmed: the member can sign in with it."))
    else:
        messages.error(request, _("Enter the 11-digit mobile number, e.g. 13905710001."))
    return redirect(member.get_absolute_url())
