"""The core's forms, and the shared fields every form uses for dates, numbers and choices of objects:
whatever is typed or forged, they answer with a form error, never with a server error."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay
from .params import DATE_MAX, DATE_MIN, DB_INT_MAX, parse_int

MONEY_DIGITS = 14


# --- fields that refuse what the database or the date arithmetic cannot take ---------------------------


class BoundedDateField(forms.DateField):
    """A date between ``min_value`` and ``max_value`` (by default 1900-01-01 … 2100-12-31): the year 1 or
    9999 is a typing slip, and the pages' date arithmetic (a week before, a month after) would overflow."""

    def __init__(self, *, min_value: datetime.date = DATE_MIN, max_value: datetime.date = DATE_MAX, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        day = value.date() if isinstance(value, datetime.datetime) else value
        if day is not None and not self.min_value <= day <= self.max_value:
            raise ValidationError(
                _("Enter a date between %(min)s and %(max)s."),
                code="date_range",
                params={"min": self.min_value.isoformat(), "max": self.max_value.isoformat()},
            )


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time within the same range as ``BoundedDateField``."""

    def __init__(self, *, min_value: datetime.date = DATE_MIN, max_value: datetime.date = DATE_MAX, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    validate = BoundedDateField.validate


class BoundedIntegerField(forms.IntegerField):
    """A whole number the database's integer column can hold (PostgreSQL: ±2**31)."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        super().__init__(
            min_value=-DB_INT_MAX - 1 if min_value is None else min_value,
            max_value=DB_INT_MAX if max_value is None else min(max_value, DB_INT_MAX),
            **kwargs,
        )


class BoundedDecimalField(forms.DecimalField):
    """An amount: Django's field already refuses NaN and infinity; without ``max_digits`` it would let
    ``1e9999`` through to the database, so money's 14 digits are the default."""

    def __init__(self, *, max_digits=None, **kwargs):
        super().__init__(max_digits=MONEY_DIGITS if max_digits is None else max_digits, **kwargs)


def _check_pks(field, values):
    """Refuse, before any query, a pk the database's integer column cannot hold: PostgreSQL answers
    ``pk IN (99999999999999999999)`` with an error, SQLite with an overflow."""
    if field.to_field_name not in (None, "pk", "id"):
        return
    pk = field.queryset.model._meta.pk
    low, high = connection.ops.integer_field_range(pk.get_internal_type())
    if low is None or not isinstance(pk, models.IntegerField):
        return
    for value in values:
        number = parse_int(str(value), max_value=high)
        if number is None or number < max(low, 1):
            raise ValidationError(
                field.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": value}
            )


class SafeModelChoiceField(forms.ModelChoiceField):
    """A choice of one object whose pk is checked for range before the query."""

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                _check_pks(self, [value])
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                ) from None
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multi-select whose pks are checked for range before the ``IN (…)`` query."""

    def _check_values(self, value):
        try:
            value = frozenset(value)
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        _check_pks(self, value)
        return super()._check_values(value)


def bounded_formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` of ``BoundedModelForm``: the model's fields as the bounded form fields."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", BoundedDateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", BoundedDateField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", SafeModelChoiceField)
    return db_field.formfield(**kwargs)


class BoundedModelForm(forms.ModelForm):
    """A ModelForm whose date, date-time and relation fields are the bounded ones above."""

    class Meta:
        formfield_callback = bounded_formfield


class CalendarDayForm(BoundedModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
