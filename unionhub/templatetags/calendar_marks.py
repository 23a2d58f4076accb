"""Marks for days the working calendar cannot vouch for.

``{{ day|unconfirmed }}`` renders a small "(未确认)" mark after a date whose year has no holiday calendar
entered yet (see ``unionhub.workdays.missing_years``), and nothing otherwise. The entered years are read
once per template render, so a page listing many days stays at one query."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from unionhub import workdays

register = template.Library()

_KNOWN = "unionhub_known_calendar_years"


@register.simple_tag(takes_context=True)
def unconfirmed(context, day) -> str:
    if not day:
        return ""
    known = context.render_context.get(_KNOWN)
    if known is None:
        known = context.render_context[_KNOWN] = set(workdays.known_years())
    if workdays.is_confirmed(day, known):
        return ""
    return format_html(
        '<span class="badge warn unconfirmed" title="{}">{}</span>',
        _("The holiday calendar for %(year)s has not been entered: this may turn out to be a holiday.")
        % {"year": day.year},
        _("unconfirmed"),
    )
