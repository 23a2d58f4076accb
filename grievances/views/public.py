"""The worker's public pages, no login: the complaint form (with its one-time receipt) and the
tracking page. Every page is kept out of caches and search engines; both forms are limited per
client and hour (a polite 429 beyond), and a complaint form sent twice makes one case."""

import functools

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from unionhub.posted import add_errors
from unionhub.uploads import MultipleFileInput

from ..models import Case
from ..rules import rules
from ..services import public as services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RECEIPT_SESSION_KEY = "grievances.services.public.receipt"
HOTLINE = "12351"


class EvidenceField(forms.FileField):
    """Several files in one input; the service checks their number, size and type."""

    widget = MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"})

    def clean(self, data, initial=None):
        clean_one = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        return [clean_one(upload, initial) for upload in uploads if upload]


class ComplaintForm(forms.Form):
    """Parses what the worker typed; what a complaint needs is checked by ``submit_public``, so the
    same messages apply wherever a complaint comes from."""

    type = forms.ChoiceField(label=gettext_lazy("What do you need?"), choices=Case.Type.choices,
                             initial=Case.Type.COMPLAINT)
    category = forms.ChoiceField(label=gettext_lazy("What is it about?"), required=False,
                                 choices=[("", gettext_lazy("Choose…")), *Case.Category.choices])
    description = forms.CharField(
        label=gettext_lazy("What happened"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}))
    employer_name = forms.CharField(label=gettext_lazy("Employer"), required=False, max_length=200,
                                    help_text=gettext_lazy("The company's full name, as on your contract or pay slip."))
    workers_affected = forms.IntegerField(label=gettext_lazy("How many workers are affected?"), required=False,
                                          max_value=100_000, initial=1)
    amount_claimed = forms.DecimalField(label=gettext_lazy("Amount owed to you (yuan), if any"), required=False,
                                        max_digits=14, decimal_places=2)
    harm_known_on = forms.DateField(label=gettext_lazy("When did you learn of the problem?"), required=False,
                                    widget=DATE)
    employment_ended_on = forms.DateField(label=gettext_lazy("When did your employment end, if it has?"),
                                          required=False, widget=DATE)
    anonymous = forms.BooleanField(
        label=gettext_lazy("Complain anonymously"), required=False,
        help_text=gettext_lazy("Your name is not recorded. You may still leave a phone number so that the station "
                               "can call you back; without one, follow your case with the tracking code."))
    complainant_name = forms.CharField(label=gettext_lazy("Your name"), required=False, max_length=50)
    complainant_phone = forms.CharField(label=gettext_lazy("Your phone number"), required=False, max_length=20,
                                        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    is_member = forms.BooleanField(label=gettext_lazy("I am a trade union member"), required=False)
    is_migrant_worker = forms.BooleanField(label=gettext_lazy("I am a migrant worker"), required=False)
    evidence = EvidenceField(label=gettext_lazy("Evidence (optional)"), required=False)

    # Marked as needed on the page; ``submit_public`` checks them (name and phone unless anonymous).
    ESSENTIAL = ("type", "category", "description", "employer_name", "complainant_name", "complainant_phone")
    FACTS = ("type", "category", "description", "employer_name", "workers_affected", "amount_claimed",
             "harm_known_on", "employment_ended_on")
    PERSON = ("anonymous", "complainant_name", "complainant_phone", "is_member", "is_migrant_worker")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        r = rules()
        self.fields["description"].help_text = _(
            "Who, when, what was promised and what was not paid or done; at least %(count)d characters."
        ) % {"count": services.MIN_DESCRIPTION_CHARACTERS}
        self.fields["evidence"].help_text = _(
            "Contract, pay slips, attendance records, chat screenshots: up to %(count)d files, PDF, JPEG or PNG, "
            "at most %(size)s MB each.") % {"count": r.public_max_files,
                                            "size": f"{r.public_max_file_bytes / 1024 / 1024:g}"}

    def facts(self):
        return [self[name] for name in self.FACTS]

    def person(self):
        return [self[name] for name in self.PERSON]


class TrackForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Case number"), max_length=30,
                             widget=forms.TextInput(attrs={"placeholder": "WQ2026-0001", "autocomplete": "off"}))
    code = forms.CharField(label=gettext_lazy("Tracking code"), max_length=30,
                           widget=forms.TextInput(attrs={"placeholder": "XXXX-XXXX-XXXX", "autocomplete": "off",
                                                         "autocapitalize": "characters", "spellcheck": "false"}))


def public_page(view):
    """Never cached (a tracking code or a case must not stay in a shared or back-button cache) and
    never indexed."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def _too_many(request, action: str):
    """The polite refusal once the client has used up the hour's allowance of ``action``, else None."""
    retry_at = services.retry_after(action, request.META.get("REMOTE_ADDR", ""))
    if retry_at is None:
        return None
    response = render(request, "grievances/public_limited.html",
                      {"retry_at": timezone.localtime(retry_at), "action": action, "hotline": HOTLINE}, status=429)
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
        token = request.POST.get("form_token", "")[:64] or services.new_form_token()
        if form.is_valid():
            if not services.claim_form_token(token):
                return redirect("complaint:received")
            try:
                case, code = services.submit_public(data=form.cleaned_data, files=form.cleaned_data["evidence"])
            except ValidationError as error:
                services.release_form_token(token)
                add_errors(form, error)
            else:
                services.count_attempt("submission", request.META.get("REMOTE_ADDR", ""))
                request.session[RECEIPT_SESSION_KEY] = {"number": case.number, "code": code}
                return redirect("complaint:received")
    else:
        form = ComplaintForm()
        token = services.new_form_token()
    return render(request, "grievances/public_form.html", {
        "form": form, "form_token": token, "hotline": HOTLINE,
        "callback_days": services.CALLBACK_WORKING_DAYS,
        "files_sent": bool(request.FILES)})


@public_page
@require_GET
def received(request):
    """The receipt, with the tracking code shown this once: taken out of the session as it is shown."""
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    return render(request, "grievances/public_received.html", {
        "receipt": receipt, "hotline": HOTLINE, "callback_days": services.CALLBACK_WORKING_DAYS})


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
                return render(request, "grievances/public_case.html",
                              {"case": services.public_view(case), "hotline": HOTLINE})
            services.count_attempt("tracking", request.META.get("REMOTE_ADDR", ""))
            form, not_found = TrackForm(), True
    else:
        form = TrackForm()
    return render(request, "grievances/public_track.html",
                  {"form": form, "not_found": not_found, "hotline": HOTLINE})


urlpatterns = [
    path("", complaint, name="complaint"),
    path("received/", received, name="received"),
    path("track/", track, name="track"),
]
