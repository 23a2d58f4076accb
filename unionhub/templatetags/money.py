"""``{{ amount|money }}``: an amount with two decimals and thousands separators (``49,429.92``) on every
database; ``{{ amount|money:0 }}`` in whole yuan where a figure is a headline. See ``unionhub.money``."""

from django import template

from unionhub.money import format_money

register = template.Library()


@register.filter(is_safe=True)
def money(value, places=2):
    return format_money(value, int(places))
