"""Posted forms and their outcome, one place for the helpers every app's views use. A service's refusal
(``ValidationError``) goes onto the form that was posted (``add_errors``: on the field it names, else on
the form), or, for a detail page's action buttons, back to that page as messages (``run_step``,
``error_messages``, ``form_error_messages``): each field error prefixed with its label; success is one
success message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def add_errors(form, error: ValidationError):
    """Put a service's refusal on ``form``: each message on the field it names, the rest on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


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
