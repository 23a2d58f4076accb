"""The counter check (partner merchants' counter staff) and the merchant records (federation staff).

The counter page answers only what ``perks.services.counter.check`` answers: valid or not, the discount
here, the masked name. Merchant pages are staff-only (403 otherwise; a confined counter account
gets 404 from ``perks.middleware`` before it gets here)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.access import check_required, require, role_required
from unionhub.paging import page_of
from unionhub.params import decimal_param

from .. import permissions
from ..forms import BranchForm, CheckForm, MerchantForm, RedemptionForm, StaffForm
from ..models import Branch, CardCheck, Merchant, Redemption
from ..rules import rules
from ..services import counter

SESSION_MERCHANT = "perks_counter_merchant"


# --- the counter --------------------------------------------------------------------------------


def _counter_merchants(user) -> list[Merchant]:
    merchants = list(user.merchants.all())
    if not merchants:
        raise PermissionDenied
    return merchants


def _chosen(request, merchants: list[Merchant]) -> Merchant:
    wanted = (
        request.POST.get("merchant") or request.GET.get("merchant") or request.session.get(SESSION_MERCHANT)
    )
    chosen = next((m for m in merchants if str(m.pk) == str(wanted)), merchants[0])
    if request.session.get(SESSION_MERCHANT) != chosen.pk:
        request.session[SESSION_MERCHANT] = chosen.pk
    return chosen


def _counter_page(
    request,
    merchants,
    merchant,
    *,
    result=None,
    check_form=None,
    redemption_form=None,
    status=200,
    limited="",
):
    if result is not None and result.valid and redemption_form is None:
        redemption_form = RedemptionForm(initial={"check_id": result.check_id})
    return render(
        request,
        "perks/counter_check.html",
        {
            "merchants": merchants,
            "merchant": merchant,
            "result": result,
            "limited": limited,
            "form": check_form or CheckForm(),
            "redemption_form": redemption_form,
            "agreement": counter.agreement_state(merchant),
            "rule": counter.discount_rule(merchant),
        },
        status=status,
    )


@login_required
def counter_check(request):
    merchants = _counter_merchants(request.user)
    merchant = _chosen(request, merchants)
    if request.method != "POST":
        return _counter_page(request, merchants, merchant)
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _counter_page(request, merchants, merchant, check_form=form)
    try:
        result = counter.check(by=request.user, merchant=merchant, entered=form.cleaned_data["number"])
    except counter.RateLimited as limited:
        return _counter_page(request, merchants, merchant, status=429, limited=str(limited))
    # After a typo the number goes back into the field (in groups of four when it is all digits) to be
    # corrected; otherwise a fresh, empty field for the next card, the result card showing what was checked.
    kept = CheckForm(initial={"number": result.shown}) if result.keep_number else None
    return _counter_page(request, merchants, merchant, result=result, check_form=kept)


@login_required
@require_POST
def counter_redeem(request):
    merchants = _counter_merchants(request.user)
    merchant = _chosen(request, merchants)
    form = RedemptionForm(request.POST)
    card_check = None
    if form.is_valid():
        card_check = counter.recent_valid_check(merchant=merchant, check_id=form.cleaned_data["check_id"])
        if card_check is None:
            messages.error(request, _("Check the card first: a purchase follows a valid check at this shop."))
            return redirect("perks:counter_check")
        try:
            redemption = counter.record_redemption(
                by=request.user,
                merchant=merchant,
                card_check=card_check,
                amount_spent=form.cleaned_data["amount_spent"],
                discount_given=form.cleaned_data["discount_given"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Recorded: ¥%(spent)s spent, ¥%(discount)s off.")
                % {"spent": redemption.amount_spent, "discount": redemption.discount_given},
            )
            return redirect("perks:counter_check")
    elif form.cleaned_data.get("check_id"):
        card_check = counter.recent_valid_check(merchant=merchant, check_id=form.cleaned_data["check_id"])
    if card_check is None:
        messages.error(request, _("Check the card first: a purchase follows a valid check at this shop."))
        return redirect("perks:counter_check")
    return _counter_page(
        request, merchants, merchant, result=counter.describe(card_check), redemption_form=form, status=400
    )


@login_required
def counter_discount(request):
    """The discount the shop's rule gives on an amount (for the redemption form's hint)."""
    merchants = _counter_merchants(request.user)
    merchant = _chosen(request, merchants)
    amount = decimal_param(request, "amount_spent", Decimal(0))
    discount = (
        counter.discount_for(merchant, amount) if 0 < amount <= rules().max_redemption else Decimal("0.00")
    )
    return render(request, "perks/_counter_discount.html", {"discount": discount})


# --- merchants (federation staff) ---------------------------------------------------------------


@role_required("staff")
def merchant_list(request):
    merchants = Merchant.objects.annotate(
        branch_count=Count("branches", distinct=True), staff_count=Count("staff", distinct=True)
    ).order_by("name")
    today = timezone.localdate()
    page = page_of(request, merchants)
    for merchant in page:
        merchant.agreement = counter.agreement_state(merchant, today)
        merchant.rule = counter.discount_rule(merchant)
    return render(
        request,
        "perks/merchant_list.html",
        {"page": page, "can_add": permissions.can_add_merchant(request.user)},
    )


@role_required("staff")
def merchant_form(request, pk=None):
    """Create (no ``pk``) or edit a merchant and its agreement: staff with the organisation duty (403
    for the other duties, even to open the page)."""
    merchant = get_object_or_404(Merchant, pk=pk) if pk else None
    require(
        permissions.can_change_merchant(request.user) if pk else permissions.can_add_merchant(request.user)
    )
    form = MerchantForm(request.POST or None, instance=merchant)
    if request.method == "POST" and form.is_valid():
        merchant = counter.save_merchant(by=request.user, form=form)
        messages.success(request, _("Saved."))
        return redirect(merchant)
    return render(request, "perks/merchant_form.html", {"form": form, "merchant": merchant})


@role_required("staff")
def merchant_detail(request, pk, branch_form=None, staff_form=None, status=200):
    merchant = get_object_or_404(Merchant, pk=pk)
    checks = list(CardCheck.objects.filter(merchant=merchant).select_related("checked_by", "card")[:20])
    redemptions = list(
        Redemption.objects.filter(merchant=merchant).select_related("recorded_by", "card")[:20]
    )
    return render(
        request,
        "perks/merchant_detail.html",
        {
            "merchant": merchant,
            "can_change": permissions.can_change_merchant(request.user),
            "can_reveal": permissions.can_reveal_contact_phone(request.user),
            "agreement": counter.agreement_state(merchant),
            "rule": counter.discount_rule(merchant),
            "branches": list(merchant.branches.all()),
            "counter_staff": list(merchant.staff.order_by("username")),
            "checks": checks,
            "redemptions": redemptions,
            "branch_form": branch_form or BranchForm(),
            "staff_form": staff_form or StaffForm(),
        },
        status=status,
    )


@check_required(permissions.can_change_merchant)
@require_POST
def merchant_branch_add(request, pk):
    merchant = get_object_or_404(Merchant, pk=pk)
    form = BranchForm(request.POST)
    if not form.is_valid():
        return merchant_detail(request, pk, branch_form=form, status=400)
    counter.add_branch(by=request.user, merchant=merchant, **form.cleaned_data)
    messages.success(request, _("Branch added."))
    return redirect(merchant)


@check_required(permissions.can_change_merchant)
@require_POST
def merchant_branch_remove(request, pk, branch_pk):
    branch = get_object_or_404(Branch, pk=branch_pk, merchant_id=pk)
    counter.remove_branch(by=request.user, branch=branch)
    messages.success(request, _("Branch removed."))
    return redirect(branch.merchant)


@check_required(permissions.can_change_merchant)
@require_POST
def merchant_staff_add(request, pk):
    merchant = get_object_or_404(Merchant, pk=pk)
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            user = counter.add_counter_staff(
                by=request.user, merchant=merchant, username=form.cleaned_data["username"]
            )
        except ValidationError as error:
            form.add_error("username", error)
        else:
            messages.success(
                request, _("%(username)s can now use the counter check.") % {"username": user.username}
            )
            return redirect(merchant)
    return merchant_detail(request, pk, staff_form=form, status=400)


@check_required(permissions.can_change_merchant)
@require_POST
def merchant_staff_remove(request, pk, user_pk):
    merchant = get_object_or_404(Merchant, pk=pk)
    user = get_object_or_404(get_user_model(), pk=user_pk, merchants=merchant)
    counter.remove_counter_staff(by=request.user, merchant=merchant, user=user)
    messages.success(request, _("Counter access removed."))
    return redirect(merchant)


@role_required("staff")
@require_POST
def merchant_reveal_phone(request, pk, branch_pk=None):
    """The full phone of the merchant's contact person (or of one of its branches), for staff who keep
    the merchants; every look is logged (PIPL), as for a member's ID number."""
    merchant = get_object_or_404(Merchant, pk=pk)
    branch = get_object_or_404(Branch, pk=branch_pk, merchant=merchant) if branch_pk else None
    require(permissions.can_reveal_contact_phone(request.user))
    phone = counter.reveal_phone(
        by=request.user, merchant=merchant, branch=branch, remote_addr=request.META.get("REMOTE_ADDR")
    )
    response = render(request, "perks/_revealed_phone.html", {"phone": phone, "branch": branch})
    response["Cache-Control"] = "no-store"
    return response
