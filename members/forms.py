import re
from decimal import Decimal

import django_filters
from django import forms
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.areas import AreaFilter
from unionhub.forms import BoundedDateField, BoundedDecimalField, BoundedModelForm, SafeModelChoiceField
from unionhub.params import clean_text
from unionhub.uploads import SHEETS, PolicyFileField

from .dues_sheet import SheetUnreadable, read_dues_sheet
from .models import (
    CreditSettlement,
    Enterprise,
    GrassrootsUnion,
    Member,
    MembershipEvent,
    PaymentInstructions,
    Remittance,
)
from .periods import parse_period
from .services import duplicate_message, find_active_membership, join, member_signin
from .services.handover import find_account
from .validators import clean_credit_code, clean_mobile, clean_phone, clean_resident_id, normalise_code


class StoredNumberMixin:
    """For a ModelForm editing a stored phone number: the number is never sent to the browser
    (the masked one is shown as a placeholder); blank keeps it, a new number replaces it after
    ``clean_number`` validates it."""

    stored_number_field: str

    def hide_stored_number(self, masked: str):
        name = self.stored_number_field
        self.fields[name].required = False
        if self.instance.pk and getattr(self.instance, name):
            self.initial[name] = ""
            self.fields[name].widget.attrs["placeholder"] = masked
            self.fields[name].help_text = _("Leave blank to keep the current number.")

    def keep_or_clean(self, clean_number):
        value = self.cleaned_data.get(self.stored_number_field, "")
        if not value:
            return getattr(self.instance, self.stored_number_field) if self.instance.pk else ""
        return clean_number(value)


class MemberForm(StoredNumberMixin, BoundedModelForm):
    stored_number_field = "phone"

    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        help_text=_("18 characters; birth date and sex are read from it."),
    )

    class Meta:
        model = Member
        fields = [
            "name",
            "id_number",
            "phone",
            "education",
            "political_status",
            "enterprise",
            "joined_on",
            "is_migrant_worker",
        ]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["enterprise"].queryset = (
            Enterprise.objects.visible_to(user).filter(union__isnull=False).select_related("union")
        )
        self.fields["enterprise"].label_from_instance = lambda e: f"{e.name}（{e.union.code}）"
        self.hide_stored_number(self.instance.masked_phone)
        if self.instance.pk:
            # Correcting an ID number is a separate, explicit action; here it is shown masked.
            del self.fields["id_number"]

    def clean_id_number(self):
        number = clean_resident_id(self.cleaned_data["id_number"])
        existing = find_active_membership(number)
        if existing:
            raise forms.ValidationError(duplicate_message(existing, viewer=self.user), code="duplicate")
        return number

    def clean_phone(self):
        return self.keep_or_clean(clean_mobile)


class IdCorrectionForm(forms.Form):
    id_number = forms.CharField(
        label=_("Correct resident ID number"),
        max_length=24,
        help_text=_("For a number registered wrongly; birth date and sex follow it."),
    )

    def clean_id_number(self):
        return clean_resident_id(self.cleaned_data["id_number"])


class MembershipChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Change"),
        choices=[
            (k.value, k.label)
            for k in (
                MembershipEvent.Kind.TRANSFERRED_OUT,
                MembershipEvent.Kind.RETAINED,
                MembershipEvent.Kind.RESTORED,
                MembershipEvent.Kind.WITHDREW,
                MembershipEvent.Kind.STRUCK_OFF,
            )
        ],
    )
    on = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


def drop_area_filter_unless_staff(filterset, user) -> None:
    """Filtering by grid area is for federation staff (``unionhub.areas``); a chair's lists are
    their own union's rows anyway, so they get no area select (and no query for it)."""
    if user is not None and not user.is_federation_staff:
        filterset.filters.pop("area", None)


_WHOLE_ID = re.compile(r"[0-9]{17}[0-9X]")
_ID_OR_PHONE_TAIL = re.compile(r"[0-9]{1,6}|[0-9]{1,5}X")


def members_ending_with(tail: str, *, phone: bool = True):
    """Members whose ID number (or, with ``phone``, mobile) ends with ``tail`` (digits, perhaps a final X).

    On PostgreSQL this is ``reverse(id_number) LIKE 'X321%'``: the expression indexes of migration
    0008 serve it (a suffix ``LIKE '%123X'`` could only scan). A whole 18-character number is the same
    prefix search. Elsewhere (SQLite) a plain suffix ``LIKE``. Django escapes ``%`` and ``_`` in both;
    the callers pass digits and X only anyway."""
    if connection.vendor == "postgresql":
        reversed_tail = tail[::-1]
        members = Member.objects.annotate(id_reversed=Reverse("id_number"))
        match = Q(id_reversed__startswith=reversed_tail)
        if phone:
            members = members.annotate(phone_reversed=Reverse("phone"))
            match |= Q(phone_reversed__startswith=reversed_tail)
        return members.filter(match)
    match = Q(id_number=tail) if len(tail) == 18 else Q(id_number__endswith=tail)
    if phone:
        match |= Q(phone__endswith=tail)
    return Member.objects.filter(match)


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Name, the whole ID number, or the last digits of the ID number or mobile"),
    )
    union = django_filters.ModelChoiceFilter(label=_("Union"), queryset=GrassrootsUnion.objects.none())
    enterprise = django_filters.ModelChoiceFilter(label=_("Enterprise"), queryset=Enterprise.objects.none())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Member.Status.choices)
    area = AreaFilter(union_path="union")

    class Meta:
        model = Member
        fields = ["q", "union", "enterprise", "status", "area"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["union"].queryset = GrassrootsUnion.objects.visible_to(user).only("pk", "code", "name")
        self.filters["enterprise"].queryset = Enterprise.objects.visible_to(user).only("pk", "name")
        drop_area_filter_unless_staff(self, user)
        #: The normalised whole ID number searched for, if any: the view logs the search like a reveal.
        self.searched_id_number = ""

    def search(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        # As typed or pasted: full-width digits, spaces, dashes, a lower-case x.
        code = normalise_code(value) if len(value) <= 40 else ""
        if _WHOLE_ID.fullmatch(code):
            # The whole number finds its holder (matched on the stored value; the page shows it masked).
            self.searched_id_number = code
            return queryset.filter(pk__in=members_ending_with(code, phone=False).values("pk"))
        if _ID_OR_PHONE_TAIL.fullmatch(code):
            # Few rows match a tail; finding them in a subquery and then sorting that handful is
            # ~5x faster than walking the ordering index row by row. A chair's list is already
            # scoped to their union (visible_to), so a tail finds only their own members.
            return queryset.filter(pk__in=members_ending_with(code).values("pk"))
        if code.isascii() and code.isdigit():
            return queryset.none()  # 7 to 17 digits, or more: neither a tail nor a whole number
        return queryset.filter(name__contains=value)


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="contains")
    industry = django_filters.ChoiceFilter(label=_("Industry"), choices=Enterprise.Industry.choices)
    size_band = django_filters.ChoiceFilter(label=_("Size band"), choices=Enterprise.SizeBand.choices)
    area = AreaFilter(union_path="union")

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "size_band", "area"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        drop_area_filter_unless_staff(self, user)


class UnionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=GrassrootsUnion.Kind.choices)
    dues_schedule = django_filters.ChoiceFilter(
        label=_("Dues schedule"), choices=GrassrootsUnion.Schedule.choices
    )
    area = AreaFilter(union_path="")

    class Meta:
        model = GrassrootsUnion
        fields = ["q", "kind", "dues_schedule", "area"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        drop_area_filter_unless_staff(self, user)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(code__iexact=value)) if value else queryset


class EnterpriseForm(StoredNumberMixin, BoundedModelForm):
    stored_number_field = "contact_phone"
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=24)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "union",
            "size_band",
            "is_small_micro",
            "industry",
            "headcount",
            "address",
            "contact_name",
            "contact_phone",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE)
        self.hide_stored_number(self.instance.masked_contact_phone)

    def clean_credit_code(self):
        code = clean_credit_code(self.cleaned_data["credit_code"])
        clash = Enterprise.objects.filter(credit_code=code).exclude(pk=self.instance.pk).first()
        if clash:
            raise forms.ValidationError(
                _("This credit code is already registered to %(name)s.") % {"name": clash}
            )
        return code

    def clean_contact_phone(self):
        return self.keep_or_clean(clean_phone)


class UnionForm(BoundedModelForm):
    class Meta:
        model = GrassrootsUnion
        fields = [
            "code",
            "name",
            "kind",
            "chair",
            "founded_on",
            "committee_term_start",
            "committee_term_years",
            "dues_schedule",
            "status",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "committee_term_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class DuesSheetField(PolicyFileField):
    """One dues sheet under the sheets policy (.xlsx, .xls or CSV by content, at most 20 MB). A file the
    policy refuses is explained as the sheet reader explains it (a PDF, a picture, a web page saved as
    .xls...) whenever the reader can say more than "not a sheet"."""

    def __init__(self, **kwargs):
        super().__init__(policy=SHEETS, **kwargs)

    def clean(self, data, initial=None):
        try:
            return super().clean(data, initial)
        except forms.ValidationError:
            if data is None or not getattr(data, "size", 0):
                raise
            reason = None
            data.seek(0)
            try:
                read_dues_sheet(data.read(SHEETS.limit() + 1), data.name or "")
            except SheetUnreadable as unreadable:
                reason = str(unreadable)
            except Exception:  # the reader failing otherwise leaves the policy's message
                reason = None
            finally:
                data.seek(0)
            if reason is None:
                raise
            raise forms.ValidationError(reason) from None


class DuesUploadForm(forms.Form):
    """The period is chosen from the union's open periods, the next one due first; "another period"
    opens a text field that understands how people write one (2026年11月, 2026年第3季度, 2026-10)."""

    OTHER = "other"

    period = forms.CharField(label=_("Period"), max_length=20, widget=forms.Select)
    period_other = forms.CharField(
        label=_("Another period"),
        max_length=20,
        required=False,
        help_text=_("e.g. 2026年11月, 2026年第3季度, 2026年下半年, 2026-10"),
    )
    file = DuesSheetField(label=_("Dues sheet"), help_text=_("Excel (.xlsx, .xls) or CSV, up to 20 MB"))

    def __init__(self, *args, open_periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (
                p.label,
                (_("%(period)s · overdue since %(date)s") if p.overdue else _("%(period)s · due by %(date)s"))
                % {"period": p.label, "date": p.due_date.isoformat()},
            )
            for p in open_periods
        ]
        chosen = str((self.data if self.is_bound else self.initial).get("period") or "")
        if chosen and chosen != self.OTHER and chosen not in {c[0] for c in choices}:
            try:
                label = parse_period(chosen).label
            except ValueError:
                label = None
            if label:  # a declared period asked for by name (a replacement), kept selected
                choices.append((label, label))
        choices.append((self.OTHER, _("Another period…")))
        self.fields["period"].widget.choices = choices
        if not self.is_bound and "period" not in self.initial and open_periods:
            self.initial["period"] = open_periods[0].label

    def clean(self):
        data = super().clean()
        chosen = data.get("period")
        if chosen == self.OTHER:
            text = data.get("period_other", "")
            if not text:
                self.add_error("period_other", _("Write the period, e.g. 2026年11月 or 2026-10."))
                return data
            try:
                data["period"] = parse_period(text).label
            except ValueError as error:
                self.add_error("period_other", str(error))
        elif chosen:
            try:
                data["period"] = parse_period(chosen).label
            except ValueError as error:
                self.add_error("period", str(error))
        return data


class CommitForm(forms.Form):
    """The commit button on a preview; for a period already declared, the explicit choice to replace."""

    replace = forms.BooleanField(label=_("Replace the declaration with this sheet"), required=False)


class CreditSettlementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Settle by"), choices=CreditSettlement.Kind.choices, widget=forms.RadioSelect
    )
    amount = BoundedDecimalField(
        label=_("Amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100000000"),
        required=False,
        help_text=_("Leave blank for the whole credit."),
    )
    on = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reference = forms.CharField(label=_("Refund voucher number"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RemittanceForm(forms.Form):
    period = SafeModelChoiceField(label=_("Period"), queryset=None)
    amount = BoundedDecimalField(
        label=_("Amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100000000"),
    )
    received_on = BoundedDateField(label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"}))
    voucher_no = forms.CharField(label=_("Voucher number"), max_length=40)
    channel = forms.ChoiceField(label=_("Channel"), choices=Remittance.Channel.choices)

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = union.dues_periods.order_by("-start")


# --- job changers (members.services.transfers) --------------------------------------------------------


class TransferForm(forms.Form):
    """A transfer by hand: the receiving union (chosen first: its enterprises are then offered), the
    enterprise there, and the date (not in the future)."""

    to_union = SafeModelChoiceField(
        label=_("Receiving union"),
        queryset=GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE),
    )
    enterprise = SafeModelChoiceField(label=_("Enterprise there"), queryset=Enterprise.objects.none())
    on = BoundedDateField(
        label=_("Transfer date"),
        max_value=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, member: Member, union: GrassrootsUnion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_union"].queryset = self.fields["to_union"].queryset.exclude(pk=member.union_id)
        if union is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.filter(union=union).order_by("name")


class TransferContestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this transfer wrong?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransferResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("uphold", _("Uphold: the transfer stands")),
            ("reverse", _("Reverse: back to the old union")),
        ],
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentInstructionsForm(BoundedModelForm):
    """How unions pay: the federation's account and the tax bureau's channel (either or both)."""

    class Meta:
        model = PaymentInstructions
        fields = ["account_name", "bank", "account_number", "tax_channel", "note"]
        widgets = {
            "tax_channel": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if not (data.get("account_number") or "").strip() and not (data.get("tax_channel") or "").strip():
            raise forms.ValidationError(
                _("Give the federation's account number, the tax bureau channel, or both.")
            )
        if (data.get("account_number") or "").strip() and not (data.get("account_name") or "").strip():
            self.add_error("account_name", _("Give the account's name with its number."))
        return data


class HandoverForm(forms.Form):
    """The handover (换届): the new chair is an existing account (user name or phone) or a new one (name
    and mobile); ``hand_over_union`` does the rest."""

    account = forms.CharField(
        label=_("Existing account (user name or phone)"),
        max_length=150,
        required=False,
        help_text=_("If the new chair already signs in to UnionHub (e.g. as chair of another union)."),
    )
    new_name = forms.CharField(label=_("New chair's name"), max_length=50, required=False)
    new_phone = forms.CharField(
        label=_("New chair's mobile"),
        max_length=20,
        required=False,
        help_text=_("Becomes the user name of the new account."),
    )
    on = BoundedDateField(
        label=_("Handover date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today or timezone.localdate()

    def clean_account(self):
        lookup = clean_text(self.cleaned_data.get("account") or "", max_length=150)
        if not lookup:
            return None
        user = find_account(lookup)
        if user is None:
            raise forms.ValidationError(_("No single active account has this user name or phone."))
        return user

    def clean(self):
        data = super().clean()
        new = data.get("new_name", "").strip() or data.get("new_phone", "").strip()
        if data.get("account") and new:
            raise forms.ValidationError(
                _("Either choose an existing account or enter a new chair, not both.")
            )
        if not data.get("account") and not new and "account" not in self.errors:
            raise forms.ValidationError(
                _("Choose an existing account or enter the new chair's name and mobile.")
            )
        return data


class LedgerUploadForm(forms.Form):
    """A federation's ledger workbook (台账): sheets of unions, enterprises and members."""

    file = PolicyFileField(
        policy=SHEETS,
        label=_("Ledger workbook"),
        help_text=_("Excel (.xlsx, .xls) or CSV, up to 20 MB: sheets of unions, enterprises and members"),
    )


# --- joining the union online (入会申请) --------------------------------------------------------------------


class JoinForm(forms.Form):
    """The public application to join: who, and where they work. The employer is chosen by name (the page
    offers the names of the enterprises on file, nothing else about them); a name that matches none but
    resembles some asks the applicant to pick one, or to say it is not in the list."""

    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As on your ID card."),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("18 characters, as on your resident ID card."),
    )
    phone = forms.CharField(
        label=_("Your mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("We tell you the outcome by text message; once you are a member, you sign in with it."),
    )
    employer = forms.CharField(
        label=_("Employer"),
        max_length=100,
        widget=forms.TextInput(attrs={"list": "join-employers", "autocomplete": "organization"}),
        help_text=_("The company's full name, as on your contract or pay slip."),
    )
    employer_pick = forms.CharField(required=False, max_length=100)
    not_listed = forms.BooleanField(label=_("My employer is not among these names"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that the union keeps these details to handle my application."),
        error_messages={"required": _("Tick the box to agree, or we cannot take your application.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions: list[str] = []
        self.enterprise = None

    def clean_id_number(self):
        return clean_resident_id(self.cleaned_data["id_number"])

    def clean_phone(self):
        return member_signin.clean_mobile(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        typed = " ".join((cleaned.get("employer") or "").split())
        picked = cleaned.get("employer_pick") or ""
        if not typed:
            return cleaned
        if picked:
            self.enterprise = join.enterprises_named(picked).select_related("union").first()
            if self.enterprise is not None:
                return cleaned
        self.enterprise = join.enterprises_named(typed).select_related("union").first()
        if self.enterprise is None and not cleaned.get("not_listed"):
            self.suggestions = join.enterprise_suggestions(typed)
            if self.suggestions:
                self.add_error(
                    "employer",
                    _(
                        "Several employers on file have similar names: choose yours below, or tick that it is not among them."
                    ),
                )
        cleaned["employer"] = typed
        return cleaned


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: register the membership")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the application; the applicant's text message says only the outcome."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for declining."))
        return cleaned
