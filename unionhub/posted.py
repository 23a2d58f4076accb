"""Forms posted from a detail page's action buttons: the outcome goes back to that page as messages.
A form's field errors and a service's refusal (``ValidationError``) become error messages, each
field error prefixed with its label; success is one success message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def form_error_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def run_step(request, obj, form, action, done: str):
    """Validate ``form``, call ``action(cleaned_data)`` (a service that may refuse with a
    ValidationError) and redirect to ``obj``, telling the user what happened."""
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(obj)
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, done)
    return redirect(obj)
