"""The payment instructions page: how unions pay union funds, edited by finance staff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from unionhub.access import check_required
from unionhub.posted import add_errors

from ..forms import PaymentInstructionsForm
from ..models import PaymentInstructions
from ..permissions import can_edit_payment_instructions
from ..services.payment import FIELDS, update_payment_instructions


@check_required(can_edit_payment_instructions)
def payment_instructions_edit(request):
    instructions = PaymentInstructions.current()
    form = PaymentInstructionsForm(request.POST or None, instance=instructions)
    if request.method == "POST" and form.is_valid():
        try:
            update_payment_instructions(by=request.user, **{name: form.cleaned_data[name] for name in FIELDS})
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The payment instructions are saved: chairs see them from now on."))
            return redirect("members:payment_instructions")
    return render(
        request, "dues/payment_instructions_form.html", {"form": form, "instructions": instructions}
    )
