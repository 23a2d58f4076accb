"""Notices' settings for everybody (which kinds on which channels, quiet hours, the digest, a test per
channel), the delivery log for the staff who keep the organisation (``unionhub.view_delivery``), and the
SMS providers' delivery receipts, pushed to a secret URL (``NOTIFY_RECEIPT_TOKEN``; no login, no CSRF)."""

import datetime
import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..access import ROLES, duty_required, has_role
from ..masking import mask_phone
from ..models import Delivery, NoticePreference
from ..notify import receipts, service
from ..notify.kinds import (
    CHANNEL_LABELS,
    CHANNELS,
    EMAIL,
    INAPP,
    SMS,
    WECOM,
    get_kind,
    kinds,
    kinds_for_roles,
)
from ..paging import page_of
from ..params import choice_param, date_param, text_param

OPTIONAL = (EMAIL, SMS, WECOM)


def _rows(user):
    roles = [role for role in ROLES if has_role(user, role)]
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "channels"))
    rows = []
    for kind in kinds_for_roles(roles):
        channels = (
            {INAPP, *chosen[kind.name]}
            if kind.name in chosen
            else kind.channels_for([role for role in kind.roles if role in roles])
        )
        rows.append({"kind": kind, "channels": [(c, CHANNEL_LABELS[c], c in channels) for c in OPTIONAL]})
    return rows


@login_required
def preferences(request):
    user = request.user
    if request.method == "POST":
        rows = _rows(user)
        choices = {row["kind"].name: set(request.POST.getlist(row["kind"].name)) for row in rows}
        service.save_preferences(
            user=user,
            by=user,
            choices=choices,
            quiet_hours=request.POST.get("quiet_hours") == "on",
            daily_digest=request.POST.get("daily_digest") == "on",
        )
        messages.success(request, _("Your notice settings are saved."))
        return redirect("notice_preferences")
    return render(
        request,
        "notices/preferences.html",
        {
            "rows": _rows(user),
            "channel_labels": [CHANNEL_LABELS[c] for c in OPTIONAL],
            "masked_phone": mask_phone(user.phone),
            "tests": [(c, CHANNEL_LABELS[c]) for c in CHANNELS],
        },
    )


@login_required
@require_POST
def send_test(request):
    channel = request.POST.get("channel", "")
    if channel not in CHANNELS:
        messages.error(request, _("Choose a channel to send the test notice on."))
        return redirect("notice_preferences")
    try:
        delivery = service.send_test(user=request.user, channel=channel)
    except service.CannotSend as reason:
        messages.error(request, _("The test notice was not sent: %(reason)s.") % {"reason": reason})
        return redirect("notice_preferences")
    if delivery.status in (Delivery.Status.SENT, Delivery.Status.DELIVERED):
        messages.success(
            request, _("A test notice was sent by %(channel)s.") % {"channel": CHANNEL_LABELS[channel]}
        )
    else:
        messages.error(
            request,
            _("The test notice was not sent: %(reason)s.")
            % {"reason": delivery.error_message or delivery.get_status_display()},
        )
    return redirect("notice_preferences")


@duty_required("unionhub.view_delivery")
def deliveries(request):
    rows = Delivery.objects.select_related("user", "group")
    channel = choice_param(request, "channel", CHANNELS)
    status = choice_param(request, "status", Delivery.Status.values)
    kind_names = [kind.name for kind in kinds()]
    kind = choice_param(request, "kind", kind_names)
    since = date_param(request, "from")
    until = date_param(request, "to")
    q = text_param(request, "q")
    if channel:
        rows = rows.filter(channel=channel)
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    zone = timezone.get_current_timezone()
    if since:
        rows = rows.filter(created_at__gte=datetime.datetime.combine(since, datetime.time(), zone))
    if until:
        rows = rows.filter(
            created_at__lt=datetime.datetime.combine(
                until + datetime.timedelta(days=1), datetime.time(), zone
            )
        )
    if q:
        rows = rows.filter(
            Q(user__name__icontains=q)
            | Q(user__username__icontains=q)
            | Q(group__name__icontains=q)
            | Q(key__icontains=q)
        )
    page = page_of(request, rows)
    for row in page.object_list:
        row.kind_label = get_kind(row.kind).label
        row.channel_label = CHANNEL_LABELS.get(row.channel, row.channel)
    return render(
        request,
        "notices/deliveries.html",
        {
            "page": page,
            "channels": [(c, CHANNEL_LABELS[c]) for c in CHANNELS],
            "statuses": Delivery.Status.choices,
            "kinds": [(k.name, k.label) for k in kinds()],
            "channel": channel,
            "status": status,
            "kind": kind,
            "since": since,
            "until": until,
            "q": q,
        },
    )


# --- delivery receipts ----------------------------------------------------------------------------------

# What each provider expects back (its code field, its words field, its documented success words); a refusal
# has the same shape with code 1.
ANSWERS = {receipts.ALIYUN: ("code", "msg", "成功"), receipts.TENCENT: ("result", "errmsg", "OK")}


def _answer(provider: str, words: str = "", status: int = 200) -> JsonResponse:
    code, text, success = ANSWERS[provider]
    return JsonResponse({code: 0 if status == 200 else 1, text: words or success}, status=status)


def _receipt(request, token: str, provider: str):
    expected = settings.NOTIFY_RECEIPT_TOKEN
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Http404
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = b"" if length > receipts.MAX_BODY else request.read(receipts.MAX_BODY + 1)
    if length > receipts.MAX_BODY or len(body) > receipts.MAX_BODY:
        words = _("The body is larger than %(size)s KB.") % {"size": receipts.MAX_BODY // 1024}
        return _answer(provider, words, 413)
    try:
        reports = receipts.parse_receipts(provider, body)
    except receipts.BadReport as error:
        words = _("The body is not a list of delivery reports as documented: %(reason)s.") % {"reason": error}
        return _answer(provider, words, 400)
    receipts.record_receipts(provider=provider, reports=reports)
    return _answer(provider)


@csrf_exempt
@require_POST
def receipt_aliyun(request, token):
    return _receipt(request, token, receipts.ALIYUN)


@csrf_exempt
@require_POST
def receipt_tencent(request, token):
    return _receipt(request, token, receipts.TENCENT)
