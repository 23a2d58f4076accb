"""The worker's public pages, no login: the complaint form (with its one-time receipt) and the
tracking page. Every page is kept out of caches and search engines; both forms are limited per
client and hour (a polite 429 beyond), and a complaint form sent twice makes one case."""

import functools

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from unionhub.access import public_page as open_to_all
from unionhub.params import clean_text
from unionhub.posted import add_errors

from ..deadlines import CALLBACK_WORKING_DAYS
from ..forms import ComplaintForm, TrackForm
from ..services import public as services

RECEIPT_SESSION_KEY = "grievances.services.public.receipt"
HOTLINE = "12351"


def public_page(view):
    """Never cached (a tracking code or a case must not stay in a shared or back-button cache) and
    never indexed."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response

    return open_to_all(wrapped)


def _too_many(request, action: str):
    """The polite refusal once the client has used up the hour's allowance of ``action``, else None."""
    retry_at = services.retry_after(action, request.META.get("REMOTE_ADDR", ""))
    if retry_at is None:
        return None
    response = render(
        request,
        "grievances/public_limited.html",
        {"retry_at": timezone.localtime(retry_at), "action": action, "hotline": HOTLINE},
        status=429,
    )
    response["Retry-After"] = str(max(int((retry_at - timezone.now()).total_seconds()), 1))
    return response


@public_page
@require_http_methods(["GET", "POST"])
def complaint(request):
    """The form; a complaint taken in is shown on the receipt page (POST-redirect-GET). A copy of
    a form already sent (its token claimed) goes to the receipt page too, and makes no case."""
    if request.method == "POST":
        if refusal := _too_many(request, "submission"):
            return refusal
        form = ComplaintForm(request.POST, request.FILES)
        token = clean_text(request.POST.get("form_token"), max_length=64) or services.new_form_token()
        if form.is_valid():
            if not services.claim_form_token(token):
                return redirect("complaint:received")
            try:
                case, code = services.submit_public(
                    data=form.cleaned_data, files=form.cleaned_data["evidence"]
                )
            except ValidationError as error:
                services.release_form_token(token)
                add_errors(form, error)
            else:
                services.count_attempt("submission", request.META.get("REMOTE_ADDR", ""))
                request.session[RECEIPT_SESSION_KEY] = {
                    "number": case.number,
                    "code": code,
                    # The promised call back as a date the worker can hold the station to.
                    "callback_by": case.callback_due.isoformat() if case.callback_due else "",
                }
                return redirect("complaint:received")
    else:
        form = ComplaintForm()
        token = services.new_form_token()
    return render(
        request,
        "grievances/public_form.html",
        {
            "form": form,
            "form_token": token,
            "hotline": HOTLINE,
            "callback_days": CALLBACK_WORKING_DAYS,
            "files_sent": bool(request.FILES),
        },
    )


@public_page
@require_GET
def received(request):
    """The receipt, with the tracking code shown this once: taken out of the session as it is shown."""
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    return render(
        request,
        "grievances/public_received.html",
        {"receipt": receipt, "hotline": HOTLINE, "callback_days": CALLBACK_WORKING_DAYS},
    )


@public_page
@require_http_methods(["GET", "POST"])
def track(request):
    """A case number and its code give the case's public view. A wrong number and a wrong code get
    the same answer, and the page does not echo what was typed, so the two cannot be told apart."""
    not_found = False
    if request.method == "POST":
        if refusal := _too_many(request, "tracking"):
            return refusal
        form = TrackForm(request.POST)
        if form.is_valid():
            case = services.track(form.cleaned_data["number"], form.cleaned_data["code"])
            if case is not None:
                return render(
                    request,
                    "grievances/public_case.html",
                    {"case": services.public_view(case), "hotline": HOTLINE},
                )
            services.count_attempt("tracking", request.META.get("REMOTE_ADDR", ""))
            form, not_found = TrackForm(), True
    else:
        form = TrackForm()
    return render(
        request, "grievances/public_track.html", {"form": form, "not_found": not_found, "hotline": HOTLINE}
    )
