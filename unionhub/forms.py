"""The core's forms, and the shared fields every form uses for dates, numbers and choices of objects:
whatever is typed or forged, they answer with a form error, never with a server error."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay
from .params import DATE_MAX, DATE_MIN, DB_INT_MAX, parse_int

MONEY_DIGITS = 14


# --- fields that refuse what the database or the date arithmetic cannot take ---------------------------


class _DateRange:
    """Between ``min_value`` and ``max_value`` (by default 1900-01-01 … 2100-12-31): the year 1 or 9999 is
    a typing slip, and the pages' date arithmetic (a week before, a month after) would overflow. A bound
    may be a callable (``max_value=timezone.localdate`` for a birth date), read at each validation."""

    def __init__(self, *, min_value: datetime.date = DATE_MIN, max_value: datetime.date = DATE_MAX, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        day = value.date() if isinstance(value, datetime.datetime) else value
        low, high = (bound() if callable(bound) else bound for bound in (self.min_value, self.max_value))
        if day is not None and not low <= day <= high:
            raise ValidationError(
                _("Enter a date between %(min)s and %(max)s."),
                code="date_range",
                params={"min": low.isoformat(), "max": high.isoformat()},
            )


class BoundedDateField(_DateRange, forms.DateField):
    """A date within a sensible range (1900 … 2100 unless the field says narrower)."""


class BoundedDateTimeField(_DateRange, forms.DateTimeField):
    """A date and time within the same range as ``BoundedDateField``."""


class BoundedIntegerField(forms.IntegerField):
    """A whole number the database's integer column can hold (PostgreSQL: ±2**31), unless told otherwise."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        super().__init__(
            min_value=-DB_INT_MAX - 1 if min_value is None else min_value,
            max_value=DB_INT_MAX if max_value is None else max_value,
            **kwargs,
        )


class BoundedDecimalField(forms.DecimalField):
    """An amount: Django's field already refuses NaN and infinity; without ``max_digits`` it would let
    ``1e9999`` through to the database, so money's 14 digits are the default."""

    def __init__(self, *, max_digits=None, **kwargs):
        super().__init__(max_digits=MONEY_DIGITS if max_digits is None else max_digits, **kwargs)


def _integer_range(db_field) -> tuple[int | None, int | None]:
    """The range of a model's integer field as PostgreSQL (production) holds it, on every engine: SQLite
    would store 2**31 where PostgreSQL refuses it, and the answer must not depend on the engine."""
    return BaseDatabaseOperations.integer_field_ranges.get(db_field.get_internal_type(), (None, None))


def _pks_in_range(field, values) -> bool:
    """Whether every pk can be asked for: PostgreSQL answers ``pk IN (99999999999999999999)`` with an
    error, SQLite with an overflow, so a value beyond the column's range is refused before any query."""
    if field.to_field_name not in (None, "pk", "id"):
        return True
    pk = field.queryset.model._meta.pk
    if not isinstance(pk, models.IntegerField):
        return True
    low, high = _integer_range(pk)
    low = 1 if low is None else max(low, 1)
    for value in values:
        number = parse_int(str(value), max_value=DB_INT_MAX if high is None else high)
        if number is None or number < low:
            return False
    return True


class SafeModelChoiceField(forms.ModelChoiceField):
    """A choice of one object whose pk is checked for range before the query."""

    def to_python(self, value):
        given = value not in self.empty_values and not isinstance(value, models.Model)
        if given and not _pks_in_range(self, [value]):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multi-select whose pks are checked for range before the ``IN (…)`` query."""

    def _check_values(self, value):
        try:
            value = frozenset(value)
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        for pk in value:
            if not _pks_in_range(self, [pk]):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def bounded_formfield(db_field, **kwargs):
    """The model's fields as the bounded form fields: ``Meta.formfield_callback`` of ``BoundedModelForm``,
    and the ``formfield_callback`` of ``fields_for_model`` where a plain form borrows a model's fields."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", BoundedDateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", BoundedDateField)
    elif isinstance(db_field, models.IntegerField) and not isinstance(db_field, models.AutoField):
        kwargs.setdefault("form_class", BoundedIntegerField)
        high = _integer_range(db_field)[1]
        kwargs.setdefault("max_value", DB_INT_MAX if high is None else high)
    elif isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", BoundedDecimalField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", SafeModelChoiceField)
    return db_field.formfield(**kwargs)


class _BoundedModelFormMetaclass(forms.models.ModelFormMetaclass):
    """Gives every subclass's own ``Meta`` the bounded fields (Django reads ``formfield_callback`` from the
    class's own ``Meta`` only, not from its parents')."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(bounded_formfield)
        return super().__new__(mcs, name, bases, attrs)


class BoundedModelForm(forms.ModelForm, metaclass=_BoundedModelFormMetaclass):
    """A ModelForm whose date, number and relation fields are the bounded ones above."""


class CalendarDayForm(BoundedModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
